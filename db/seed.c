#include "db/seed.h"

#include "core/resources.h"

eo_status eo_db_seed_demo(eo_db *db, eo_err *err)
{
    const eo_resource *seed = eo_resource_find("db/seed/demo.sql");
    if (!seed) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "db/seed/demo.sql is not built into this binary");
    eo_status st = eo_db_begin(db, err);
    if (st) return st;
    /* A multi-statement script: PQexec runs it all and reports the first error. */
    PGresult *r = PQexec(eo_db_conn(db), seed->data);
    ExecStatusType rs = PQresultStatus(r);
    if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
        eo_fail_log(err, EO_ERR_INTERNAL, "internal", "%.200s (has 'eoffice migrate' been run?)",
                    PQresultErrorMessage(r));
        PQclear(r);
        eo_db_rollback(db);
        return err->status;
    }
    PQclear(r);
    return eo_db_commit(db, err);
}
