#include "svc/extra_locations.h"

#include <stdio.h>
#include <string.h>

#include "core/nip.h"
#include "core/parse.h"
#include "core/presensi.h"
#include "db/employees.h"
#include "db/keyset.h"
#include "db/presensi.h"
#include "svc/access.h"

static bool blank(const char *s) { return strspn(s, " \t\r\n") == strlen(s); }

/* Managers act; those who may only see get 403; the rest learn nothing (404 not_found_code). */
static eo_status require_manager(eo_uow *u, eo_db *db, long long target, const char *not_found_code, eo_err *err)
{
    bool manage = false, view = false;
    if (eo_svc_access_can_manage(u, db, target, &manage, err) != EO_OK) return err->status;
    if (manage) return EO_OK;
    if (eo_svc_access_can_view(u, db, target, &view, err) != EO_OK) return err->status;
    return eo_fail(err, view ? EO_ERR_FORBIDDEN : EO_ERR_NOT_FOUND, view ? "forbidden" : not_found_code);
}

eo_status eo_svc_extra_location_create(eo_uow *u, const char *nip, const eo_extra_location_req *in, json_t **out,
                                       eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    int y, m, d;
    if (!nip) eo_err_field(err, "employee_nip", "missing_field");
    if (!in->location_code && !in->name) eo_err_field(err, "name", "missing_field");
    if (in->valid_from && !eo_presensi_parse_date(in->valid_from, &y, &m, &d))
        eo_err_field(err, "valid_from", "invalid_value");
    if (in->valid_to && !eo_presensi_parse_date(in->valid_to, &y, &m, &d))
        eo_err_field(err, "valid_to", "invalid_value");
    if (in->valid_from && in->valid_to && strcmp(in->valid_to, in->valid_from) < 0)
        eo_err_field(err, "valid_to", "out_of_range");
    if (!in->valid_from) eo_err_field(err, "valid_from", "missing_field");
    if (!in->valid_to) eo_err_field(err, "valid_to", "missing_field");
    if (!in->reason || blank(in->reason)) eo_err_field(err, "reason", "missing_field");
    if (err->status != EO_OK) return err->status;

    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_extra_location_req q = *in;
    char nipbuf[33] = "";
    if (eo_db_employee_id(db, eo_nip_normalize(nip, nipbuf, sizeof nipbuf), false, "employee_not_found", &q.employee_id,
                          err) != EO_OK)
        return err->status;
    if (require_manager(u, db, q.employee_id, "employee_not_found", err) != EO_OK) return err->status;
    long long id = 0;
    char target[24];
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_extra_location_create(db, &q, u->who->employee_id, out, &id, err) != EO_OK) goto fail;
    snprintf(target, sizeof(target), "%lld", id);
    if (eo_uow_audit(u, "presensi.extra_location.create", "extra_location", target, *out, err) != EO_OK) goto fail;
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

/* The list is the caller's own, or of someone whose attendance they may see;
 * anyone else is answered as an unknown NIP. */
static eo_status list_owner(eo_uow *u, eo_db *db, const char *nip, long long *target, eo_err *err)
{
    *target = u->who->employee_id;
    char nipbuf[33] = "";
    if (nip) nip = eo_nip_normalize(nip, nipbuf, sizeof nipbuf);
    if (!nip || !*nip || strcmp(nip, u->who->nip) == 0) return EO_OK;
    if (strlen(nip) != 18 || strspn(nip, "0123456789") != 18) {
        eo_err_field(err, "nip", "invalid_value");
        return err->status;
    }
    if (eo_db_employee_id(db, nip, false, "employee_not_found", target, err) != EO_OK) return err->status;
    bool view = false;
    if (eo_svc_access_can_view(u, db, *target, &view, err) != EO_OK) return err->status;
    return view ? EO_OK : eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
}

eo_status eo_svc_extra_location_list(eo_uow *u, const eo_extra_location_list_req *in, eo_extra_location_list_res *out,
                                     eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_extra_location_filter f = {.now = u->now, .limit = in->limit};
    /* what eo_db_extra_location_list handed out: [valid_from, id] */
    eo_db_keyset k;
    int y, m, d;
    if (eo_db_keyset_from(in->after, &k, err) != EO_OK) return err->status;
    if (k.set) {
        if (!eo_presensi_parse_date(k.at, &y, &m, &d)) {
            eo_err_field(err, "cursor", "invalid_cursor");
            return err->status;
        }
        f.after_valid_from = k.at;
        eo_parse_id(k.id, &f.after_id);
    }
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (list_owner(u, db, in->nip, &f.employee_id, err) != EO_OK) return err->status;
    if (eo_db_extra_location_list(db, &f, &out->items, &out->next, err) != EO_OK) return err->status;
    return EO_OK;
}

eo_status eo_svc_extra_location_revoke(eo_uow *u, long long id, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    long long owner;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_extra_location_owner(db, id, &owner, err) != EO_OK) return err->status;
    if (require_manager(u, db, owner, "extra_location_not_found", err) != EO_OK) return err->status;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_extra_location_revoke(db, id, u->who->employee_id, u->now, err) != EO_OK ||
        eo_uow_audit(u, "presensi.extra_location.revoke", "extra_location", target, NULL, err) != EO_OK ||
        eo_db_commit(db, err) != EO_OK) {
        eo_db_rollback(db);
        return err->status;
    }
    return EO_OK;
}
