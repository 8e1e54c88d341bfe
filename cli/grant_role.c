/* eoffice grant-role NIP admin|humas|anpeg [--unit CODE] [--revoke]: the way
 * the first administrator is made (audited with no actor, source "cli"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/principal.h"
#include "db/audit.h"
#include "db/authz.h"

int eo_cmd_grant_role(int argc, char **argv)
{
    const char *nip = NULL, *role = NULL, *unit = NULL;
    bool revoke = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc)
            unit = argv[++i];
        else if (strcmp(argv[i], "--revoke") == 0)
            revoke = true;
        else if (argv[i][0] != '-' && !nip)
            nip = argv[i];
        else if (argv[i][0] != '-' && !role)
            role = argv[i];
        else
            nip = role = NULL, i = argc;
    }
    if (eo_cli_wants_help(argc, argv) || !nip || !role) {
        bool help = eo_cli_wants_help(argc, argv);
        fprintf(help ? stdout : stderr,
                "usage: eoffice grant-role NIP admin|humas|anpeg [--unit CODE] [--revoke]\n\n"
                "anpeg needs --unit (the org unit whose subtree it covers). Needs DATABASE_URL.\n");
        return help ? 0 : 2;
    }
    int rc = 1;
    eo_err err;
    eo_err_init(&err);
    if (eo_role_grant_check(role, unit, &err) != EO_OK) {
        fprintf(stderr, "eoffice grant-role: %s\n",
                err.fields[0].code && strcmp(err.fields[0].code, "role_invalid") == 0
                    ? "role must be admin, humas or anpeg"
                    : "--unit is required for anpeg and only for anpeg");
        eo_err_clear(&err);
        return 2;
    }
    eo_db *db = NULL;
    eo_pool *pool = eo_cli_open_pool(1, &db);
    if (!pool) return 1;
    long long grant_id = 0;
    eo_status st = eo_db_begin(db, &err);
    if (!st) {
        st = revoke ? eo_db_role_revoke_by_role(db, nip, role, unit, 0, &grant_id, &err)
                    : eo_db_role_grant(db, nip, role, unit, 0, &grant_id, &err);
    }
    if (!st) {
        char gid[24];
        snprintf(gid, sizeof gid, "%lld", grant_id);
        json_t *details = json_pack("{s:s, s:s, s:s?, s:s}", "nip", nip, "role", role, "unit", unit, "source", "cli");
        json_object_set_new(details, "grant_id", json_string(gid));
        eo_audit_entry e = {.action = revoke ? "role.revoke" : "role.grant",
                            .target_type = "employee",
                            .target_id = nip,
                            .details = details};
        st = eo_db_audit_insert(db, &e, &err);
        json_decref(details);
    }
    if (!st) st = eo_db_commit(db, &err);
    if (st) {
        eo_db_rollback(db);
        fprintf(stderr, "eoffice grant-role: %s%s%s\n", err.code ? err.code : "error", err.log_detail[0] ? ": " : "",
                err.log_detail);
        goto done;
    }
    printf("%s %s %s%s%s (grant %lld)\n", revoke ? "revoked" : "granted", role, nip, unit ? " unit " : "",
           unit ? unit : "", grant_id);
    rc = 0;
done:
    eo_db_release(db);
    eo_pool_destroy(pool);
    eo_err_clear(&err);
    return rc;
}
