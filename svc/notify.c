#include "svc/notify.h"

eo_status eo_svc_notify(eo_uow *u, eo_notify_to to, long long subject, const eo_notice *n, int *count, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_db_notify(db, to, subject, u->who ? u->who->employee_id : 0, n, count, err);
}
