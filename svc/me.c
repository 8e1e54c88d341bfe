#include "svc/me.h"

#include <string.h>

#include "db/me.h"

/* Borrows the connection and opens the position for one of the caller's own lists. */
static eo_status own_list(eo_uow *u, const eo_svc_page_in *in, eo_db **db, eo_db_keyset *after, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_db_keyset_from(in->after, after, err)) return err->status;
    return eo_uow_db(u, db, err);
}

eo_status eo_svc_me_sessions_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_keyset after;
    memset(out, 0, sizeof(*out));
    if (own_list(u, in, &db, &after, err)) return err->status;
    return eo_db_me_sessions_page(db, u->who->employee_id, u->who->session_id, in->limit, &after, &out->items,
                                  &out->next, err);
}

eo_status eo_svc_me_devices_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_keyset after;
    memset(out, 0, sizeof(*out));
    if (own_list(u, in, &db, &after, err)) return err->status;
    return eo_db_me_devices_page(db, u->who->employee_id, in->limit, &after, &out->items, &out->next, err);
}
