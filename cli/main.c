/* eoffice: one binary, several subcommands. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static int cmd_version(int argc, char **argv);

static const command commands[] = {
    {"serve", eo_cmd_serve, "run the HTTP server"},
    {"migrate", eo_cmd_migrate, "apply database migrations (migrate status: show them)"},
    {"seed-demo", eo_cmd_seed_demo, "load the demo data (idempotent)"},
    {"import", eo_cmd_import, "import org units, office locations or employees from CSV"},
    {"grant-role", eo_cmd_grant_role, "grant or revoke admin / anpeg / humas"},
    {"tpp-scores", eo_cmd_tpp_scores, "import monthly kinerja scores for TPP from CSV (nip,score)"},
    {"routes", eo_cmd_routes, "list every HTTP route the server answers"},
    {"apikey", eo_cmd_apikey, "create, list or revoke partner API keys (integration API)"},
    {"dev-otp", eo_cmd_dev_otp, "print a demo account's current OTP (EOFFICE_ENV=dev only)"},
    {"bench-tokens", eo_cmd_bench_tokens, "mint access tokens for benchmark accounts (EOFFICE_ENV=dev only)"},
    {"version", cmd_version, "print the version"},
    {NULL, NULL, NULL},
};

static int cmd_version(int argc, char **argv)
{
    if (argc > 0 && eo_cli_wants_help(argc, argv)) {
        printf("usage: eoffice version\n\nPrints the version of this binary.\n");
        return 0;
    }
    printf("eoffice %s\n", EOFFICE_VERSION);
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: eoffice <command> [options]\n\ncommands:\n");
    for (const command *c = commands; c->name; c++) fprintf(out, "  %-13s %s\n", c->name, c->summary);
    fprintf(out, "\nRun 'eoffice <command> --help' for a command's options. Configuration comes from the\n"
                 "environment (DATABASE_URL, EOFFICE_*): see README.md.\n");
}

int eo_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) return 1;
    return 0;
}

eo_pool *eo_cli_open_pool(int size, eo_db **db)
{
    eo_config cfg;
    char msg[256];
    if (eo_config_load(&cfg, msg, sizeof(msg)) != EO_OK) {
        fprintf(stderr, "eoffice: configuration error: %s\n", msg);
        return NULL;
    }
    eo_pool *pool = eo_pool_create(cfg.database_url, size, 10000, 0);
    if (!pool) {
        fprintf(stderr, "eoffice: out of memory\n");
        return NULL;
    }
    eo_err err;
    eo_err_init(&err);
    if (eo_db_acquire(pool, db, &err) != EO_OK) {
        fprintf(stderr, "eoffice: cannot connect to the database (DATABASE_URL): %s\n", err.log_detail);
        eo_err_clear(&err);
        eo_pool_destroy(pool);
        return NULL;
    }
    return pool;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "eoffice: libsodium failed to initialise\n");
        return 1;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) return cmd_version(0, NULL);
    for (const command *c = commands; c->name; c++) {
        if (strcmp(c->name, argv[1]) != 0) continue;
        return c->fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "eoffice: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
