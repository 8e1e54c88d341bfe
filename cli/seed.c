/* eoffice seed-demo: load db/seed/demo.sql (embedded) and the demo accounts. */
#include <stdio.h>

#include "cli/cli.h"
#include "db/identity.h"
#include "db/seed.h"

int eo_cmd_seed_demo(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv) || argc > 1) {
        FILE *out = argc > 1 && !eo_cli_wants_help(argc, argv) ? stderr : stdout;
        fprintf(out, "usage: eoffice seed-demo\n\n"
                     "Loads the demo organisation, locations, schedules, holidays, ~50 employees and\n"
                     "role grants (db/seed/demo.sql, built into the binary) in one transaction, then\n"
                     "the demo sign-in accounts, and lists them. Idempotent: running it again changes\n"
                     "nothing. Run 'eoffice migrate' first. Never run it against production data.\n");
        return out == stdout ? 0 : 2;
    }
    eo_config cfg;
    char msg[256];
    if (eo_config_load(&cfg, msg, sizeof(msg)) != EO_OK) {
        fprintf(stderr, "eoffice seed-demo: configuration error: %s\n", msg);
        return 1;
    }
    eo_db *db = NULL;
    eo_pool *pool = eo_cli_open_pool(1, &db);
    if (!pool) return 1;
    int rc = 1;
    eo_err err;
    eo_err_init(&err);
    if (eo_db_seed_demo(db, &err) != EO_OK) {
        fprintf(stderr, "eoffice seed-demo: nothing was loaded: %s\n", err.log_detail);
        goto done;
    }
    printf("demo data loaded\n");
    /* Sign-in accounts for the people listed at the top of demo.sql and every role
     * holder; it prints them with the shared password and how to get an OTP. */
    if (eo_identity_seed_demo_accounts(db, &cfg, stdout) != 0) {
        fprintf(stderr, "eoffice seed-demo: creating the demo accounts failed\n");
        goto done;
    }
    rc = 0;
done:
    eo_db_release(db);
    eo_err_clear(&err);
    eo_pool_destroy(pool);
    return rc;
}
