#include "svc/health.h"

#include <string.h>

#include "db/health.h"
#include "db/migrate.h"

eo_status eo_svc_health_ready(eo_uow *u, eo_svc_health_ready_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_migrate_state st;
    memset(out, 0, sizeof(*out));
    if (eo_uow_db(u, &db, err) || eo_db_health_ping(db, err) || eo_migrate_status(db, &st, NULL, err))
        return err->status;
    if (st.pending || st.changed) {
        eo_fail(err, EO_ERR_UNAVAILABLE, "schema_not_current");
        eo_err_extra(err, "pending", json_integer(st.pending));
        eo_err_extra(err, "changed", json_integer(st.changed));
        err->retry_after_s = 5;
        return err->status;
    }
    out->applied = st.applied;
    out->available = st.available;
    return EO_OK;
}
