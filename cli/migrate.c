#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/migrate.h"

int eo_cmd_migrate(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv) || argc > 2 ||
        (argc == 2 && strcmp(argv[1], "apply") && strcmp(argv[1], "status"))) {
        printf("usage: eoffice migrate [apply|status]\n\n"
               "  apply   (default) apply every pending migration, in order, each in a transaction,\n"
               "          under an advisory lock; refuses when an applied migration was changed\n"
               "  status  list applied / pending / changed migrations; exit 1 unless current\n");
        return eo_cli_wants_help(argc, argv) ? 0 : 2;
    }
    bool status_only = argc == 2 && strcmp(argv[1], "status") == 0;
    eo_db *db = NULL;
    eo_pool *pool = eo_cli_open_pool(1, &db);
    if (!pool) return 1;
    eo_err err;
    eo_err_init(&err);
    int rc = 1;
    if (status_only) {
        eo_migrate_state st;
        if (eo_migrate_status(db, &st, stdout, &err) == EO_OK) {
            printf("%d available, %d applied, %d pending, %d changed, %d unknown\n", st.available, st.applied,
                   st.pending, st.changed, st.unknown);
            rc = (st.pending || st.changed) ? 1 : 0;
        } else {
            fprintf(stderr, "eoffice migrate: %s\n", err.log_detail);
        }
    } else if (eo_migrate_apply(db, stdout, &err) == EO_OK) {
        rc = 0;
    } else {
        fprintf(stderr, "eoffice migrate: %s\n", err.log_detail);
    }
    eo_db_release(db);
    eo_err_clear(&err);
    eo_pool_destroy(pool);
    return rc;
}
