#include "db/seed.h"

#include <string.h>

#include "core/resources.h"

/* Runs one multi-statement script inside the open transaction (PQexec runs
 * it all and reports the first error). */
static eo_status run_script(eo_db *db, const eo_resource *seed, eo_err *err)
{
    PGresult *r = PQexec(eo_db_conn(db), seed->data);
    ExecStatusType rs = PQresultStatus(r);
    if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
        eo_fail_log(err, EO_ERR_INTERNAL, "internal", "%s: %.200s (has 'eoffice migrate' been run?)", seed->name,
                    PQresultErrorMessage(r));
        PQclear(r);
        return err->status;
    }
    PQclear(r);
    return EO_OK;
}

/* db/seed/demo.sql (the master data and identities), then every module's
 * db/seed/demo_<module>.sql in name order, all in one transaction. */
eo_status eo_db_seed_demo(eo_db *db, eo_err *err)
{
    const eo_resource *seed = eo_resource_find("db/seed/demo.sql");
    if (!seed) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "db/seed/demo.sql is not built into this binary");
    eo_status st = eo_db_begin(db, err);
    if (st) return st;
    st = run_script(db, seed, err);
    static const char prefix[] = "db/seed/demo_";
    for (const eo_resource *m = eo_resources; !st && m->name; m++)
        if (!strncmp(m->name, prefix, sizeof prefix - 1) && strlen(m->name) > 4 &&
            !strcmp(m->name + strlen(m->name) - 4, ".sql"))
            st = run_script(db, m, err);
    if (st) {
        eo_db_rollback(db);
        return st;
    }
    return eo_db_commit(db, err);
}
