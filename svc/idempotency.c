#include "svc/idempotency.h"

#include <stdlib.h>
#include <string.h>

#include "db/idempotency.h"

eo_status eo_svc_idem_replay(eo_uow *u, const char *hash, eo_idem_answer *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->idempotency_key) return EO_OK;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_idem_entry e;
    if (eo_db_idem_lookup(db, u->who->employee_id, u->idempotency_key, &e, err) != EO_OK) return err->status;
    if (e.found && strcmp(e.request_hash, hash) != 0) {
        free(e.body);
        return eo_fail(err, EO_ERR_CONFLICT, "idempotency_key_reused");
    }
    if (e.found && e.complete) {
        out->replayed = true;
        out->status = e.status;
        out->body = e.body;
        return EO_OK;
    }
    free(e.body);
    return EO_OK;
}

eo_status eo_svc_idem_claim(eo_uow *u, const char *scope, const char *hash, bool *claimed, eo_idem_answer *out,
                            eo_err *err)
{
    memset(out, 0, sizeof(*out));
    *claimed = true;
    if (!u->idempotency_key) return EO_OK;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_idem_claim(db, u->who->employee_id, u->idempotency_key, scope, hash, claimed, err) != EO_OK)
        return err->status;
    if (*claimed) return EO_OK;
    /* Another request with this key committed meanwhile: its answer stands. */
    eo_db_rollback(db);
    if (eo_svc_idem_replay(u, hash, out, err) != EO_OK) return err->status;
    if (!out->replayed) return eo_fail(err, EO_ERR_CONFLICT, "idempotency_key_reused");
    return EO_OK;
}

eo_status eo_svc_idem_complete(eo_uow *u, int status, const char *body, eo_err *err)
{
    if (!u->idempotency_key) return EO_OK;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_idem_complete(db, u->who->employee_id, u->idempotency_key, status, body, err);
}
