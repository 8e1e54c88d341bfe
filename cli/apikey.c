/* eoffice apikey create|list|revoke: partner API keys from the server's
 * command line (docs/integration-api.md). Audited with no actor. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "svc/integration.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: eoffice apikey create --partner NAME --scope SCOPE [--scope SCOPE...] [--description TEXT]\n"
                 "       eoffice apikey list\n"
                 "       eoffice apikey revoke PREFIX|ID\n\n"
                 "Scopes: assessment:write, training:write, employees:read. The key is printed once,\n"
                 "on stdout; only its SHA-256 is stored. Needs DATABASE_URL.\n");
}

static void print_err(const char *what, eo_err *err)
{
    fprintf(stderr, "eoffice apikey %s: %s", what, err->code ? err->code : "error");
    for (int i = 0; i < err->n_fields; i++)
        fprintf(stderr, "%s%s %s", i ? ", " : ": ", err->fields[i].field, err->fields[i].code);
    if (err->log_detail[0]) fprintf(stderr, " (%s)", err->log_detail);
    fprintf(stderr, "\n");
}

static int create(eo_uow *u, int argc, char **argv)
{
    const char *scopes[3], *partner = NULL, *description = NULL;
    size_t n = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--partner") == 0 && i + 1 < argc)
            partner = argv[++i];
        else if (strcmp(argv[i], "--description") == 0 && i + 1 < argc)
            description = argv[++i];
        else if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc && n < 3)
            scopes[n++] = argv[++i];
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!partner || n == 0) {
        usage(stderr);
        return 2;
    }
    eo_err err;
    eo_err_init(&err);
    eo_svc_apikey_create_in in = {.partner = partner, .description = description, .scopes = scopes, .n_scopes = n};
    char key[EO_APIKEY_TEXT_LEN + 1];
    json_t *out = NULL;
    int rc = 0;
    if (eo_svc_apikey_create(u, &in, key, &out, &err)) {
        print_err("create", &err);
        rc = err.status == EO_ERR_INVALID ? 2 : 1;
    } else {
        fprintf(stderr, "created key %s for %s (id %lld); it is shown once:\n",
                json_string_value(json_object_get(out, "prefix")), partner,
                (long long)json_integer_value(json_object_get(out, "id")));
        printf("%s\n", key);
    }
    sodium_memzero(key, sizeof key);
    json_decref(out);
    eo_err_clear(&err);
    return rc;
}

static int list(eo_uow *u)
{
    eo_err err;
    eo_err_init(&err);
    eo_svc_page_in in = {.limit = 100, .after = NULL};
    int rc = 0;
    printf("%-6s %-12s %-20s %-40s %-20s %s\n", "id", "prefix", "partner", "scopes", "last used", "revoked");
    for (;;) {
        eo_svc_page_out out;
        if (eo_svc_apikey_list(u, &in, &out, &err)) {
            print_err("list", &err);
            rc = 1;
            break;
        }
        size_t i;
        json_t *k;
        json_array_foreach(out.items, i, k)
        {
            char scopes[64] = "";
            size_t j;
            json_t *s;
            json_array_foreach(json_object_get(k, "scopes"), j, s)
            {
                size_t used = strlen(scopes);
                snprintf(scopes + used, sizeof scopes - used, "%s%s", j ? "," : "", json_string_value(s));
            }
            const char *last = json_string_value(json_object_get(k, "last_used_at"));
            const char *revoked = json_string_value(json_object_get(k, "revoked_at"));
            printf("%-6lld %-12s %-20s %-40s %-20s %s\n", (long long)json_integer_value(json_object_get(k, "id")),
                   json_string_value(json_object_get(k, "prefix")), json_string_value(json_object_get(k, "partner")),
                   scopes, last ? last : "-", revoked ? revoked : "-");
        }
        json_decref(out.items);
        json_decref((json_t *)in.after);
        in.after = out.next;
        if (!out.next) break;
    }
    json_decref((json_t *)in.after);
    eo_err_clear(&err);
    return rc;
}

static int revoke(eo_uow *u, int argc, char **argv)
{
    if (argc != 3) {
        usage(stderr);
        return 2;
    }
    long long id = 0;
    const char *prefix = NULL;
    if (strlen(argv[2]) == EO_APIKEY_PREFIX_LEN)
        prefix = argv[2];
    else if (!eo_parse_id(argv[2], &id)) {
        usage(stderr);
        return 2;
    }
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    int rc = 0;
    if (eo_svc_apikey_revoke(u, id, prefix, &out, &err)) {
        print_err("revoke", &err);
        rc = 1;
    } else {
        printf("revoked key %s (%s)\n", json_string_value(json_object_get(out, "prefix")),
               json_string_value(json_object_get(out, "partner")));
    }
    json_decref(out);
    eo_err_clear(&err);
    return rc;
}

int eo_cmd_apikey(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0) {
        usage(stderr);
        return 2;
    }
    eo_db *db = NULL;
    eo_pool *pool = eo_cli_open_pool(1, &db);
    if (!pool) return 1;
    eo_db_release(db);
    eo_app app;
    memset(&app, 0, sizeof app);
    app.pool = pool;
    eo_uow u;
    eo_uow_init(&u, &app, NULL, eo_uow_clock());
    u.user_agent = "eoffice apikey";
    int rc = strcmp(sub, "create") == 0 ? create(&u, argc, argv)
             : strcmp(sub, "list") == 0 ? list(&u)
                                        : revoke(&u, argc, argv);
    eo_uow_end(&u);
    eo_pool_destroy(pool);
    return rc;
}
