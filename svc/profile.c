#include "svc/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/profile_pdf.h"
#include "db/attachments.h"
#include "db/authz.h"
#include "db/keyset.h"
#include "db/profile.h"
#include "svc/access.h"
#include "svc/notify.h"

const eo_attachment_policy eo_pdm_document_policy = {
    .kind = "pdm.document",
    .allowed = EO_ATT_BIT(EO_ATT_PDF) | EO_ATT_IMAGES,
    .min_bytes = 16,
    .max_bytes = EO_PDM_DOCUMENT_MAX,
};

/* ---------------------------------------------------------------- who sees what */

typedef enum { V_NONE, V_SELF, V_FULL, V_ATASAN } viewer;

/* The caller's relation to target: themselves; admin or the anpeg of the
 * unit (every section); the atasan chain (career sections); nobody. */
static eo_status viewer_of(eo_uow *u, eo_db *db, long long target, viewer *v, eo_err *err)
{
    *v = V_NONE;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (u->who->employee_id == target) {
        *v = V_SELF;
        return EO_OK;
    }
    bool ok = false;
    if (eo_svc_access_can_view(u, db, target, &ok, err) != EO_OK || !ok) return err->status;
    if (eo_svc_access_is_admin(u)) {
        *v = V_FULL;
        return EO_OK;
    }
    bool anpeg = false;
    if ((u->who->roles & EO_ROLE_ANPEG) && eo_db_authz_anpeg_covers(db, u->who->employee_id, target, &anpeg, err))
        return err->status;
    *v = anpeg ? V_FULL : V_ATASAN;
    return EO_OK;
}

static bool sees(viewer v, eo_profile_section s)
{
    return v == V_SELF || v == V_FULL || (v == V_ATASAN && eo_profile_section_atasan_visible(s));
}

/* The target of a profile read: the caller (nip NULL) or an employee the caller may see. */
static eo_status target_of(eo_uow *u, eo_db *db, const char *nip, eo_profile_owner *o, viewer *v, eo_err *err)
{
    memset(o, 0, sizeof(*o));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (!nip) {
        if (eo_db_profile_owner_by_id(db, u->who->employee_id, o, err) != EO_OK) return err->status;
    } else {
        bool digits = strlen(nip) == 18 && strspn(nip, "0123456789") == 18;
        if (!digits) return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
        if (eo_db_profile_owner_by_nip(db, nip, o, err) != EO_OK) return err->status;
    }
    if (viewer_of(u, db, o->id, v, err) != EO_OK) goto fail;
    if (*v == V_NONE) {
        eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found"); /* the same answer as an unknown NIP */
        goto fail;
    }
    if (*v != V_SELF) { /* reading someone else's HR record is itself worth a trail */
        json_t *d = json_pack("{s:s, s:s}", "nip", o->nip, "as", *v == V_FULL ? "full" : "atasan");
        eo_status st = eo_uow_audit(u, "profile.view", "employee", o->nip, d, err);
        json_decref(d);
        if (st != EO_OK) goto fail;
    }
    return EO_OK;
fail:
    json_decref(o->card);
    o->card = NULL;
    return err->status;
}

static eo_status build(eo_uow *u, const char *nip, bool compact, json_t **out, eo_profile_owner *owner, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    viewer v;
    if (target_of(u, db, nip, owner, &v, err) != EO_OK) return err->status;
    json_t *records = NULL, *adds = NULL;
    if (eo_db_profile_records(db, owner->id, &records, &adds, err) != EO_OK) return err->status;
    json_t *sections = json_object(), *hidden = json_array();
    for (int i = 0; i < EO_SEC_COUNT; i++) {
        eo_profile_section s = (eo_profile_section)i;
        if (!sees(v, s)) {
            json_array_append_new(hidden, json_string(eo_profile_section_name(s)));
            continue;
        }
        json_t *sec = compact ? json_array()
                              : json_pack("{s:s, s:[], s:[]}", "title", eo_profile_section_title(s), "records",
                                          "pending_additions");
        json_object_set_new(sections, eo_profile_section_name(s), sec);
    }
    size_t i;
    json_t *r;
    json_array_foreach(records, i, r)
    {
        json_t *sec = json_object_get(sections, json_string_value(json_object_get(r, "section")));
        if (!sec) continue;
        if (compact) {
            json_t *pc = json_object_get(r, "pending_change");
            json_array_append_new(sec, json_pack("{s:O, s:O, s:b}", "id", json_object_get(r, "id"), "data",
                                                 json_object_get(r, "data"), "pending", pc && !json_is_null(pc)));
        } else {
            json_array_append(json_object_get(sec, "records"), r);
        }
    }
    int n_adds = 0;
    json_array_foreach(adds, i, r)
    {
        json_t *sec = json_object_get(sections, json_string_value(json_object_get(r, "section")));
        if (!sec) continue;
        n_adds++;
        if (!compact) json_array_append(json_object_get(sec, "pending_additions"), r);
    }
    json_decref(records);
    json_decref(adds);
    if (compact) {
        *out = json_pack("{s:O, s:O, s:o, s:i}", "nip", json_object_get(owner->card, "nip"), "name",
                         json_object_get(owner->card, "name"), "sections", sections, "pending_additions", n_adds);
        json_decref(hidden);
    } else {
        *out = json_pack("{s:O, s:o, s:o}", "employee", owner->card, "sections", sections, "hidden_sections", hidden);
    }
    return *out ? EO_OK : eo_fail_log(err, EO_ERR_INTERNAL, "internal", "profile: json_pack failed");
}

eo_status eo_svc_profile_get(eo_uow *u, const char *nip, bool compact, json_t **out, eo_err *err)
{
    eo_profile_owner o;
    memset(&o, 0, sizeof(o));
    eo_status st = build(u, nip, compact, out, &o, err);
    json_decref(o.card);
    return st;
}

eo_status eo_svc_profile_pdf(eo_uow *u, const char *nip, unsigned char **pdf, size_t *len, char doc_id[40], eo_err *err)
{
    *pdf = NULL;
    *len = 0;
    json_t *p = NULL;
    eo_profile_owner o;
    memset(&o, 0, sizeof(o));
    if (build(u, nip, false, &p, &o, err) != EO_OK) {
        json_decref(o.card);
        return err->status;
    }
    /* The document id: who printed whose profile when, findable in the audit log. */
    unsigned char rnd[6];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(rnd, 1, sizeof(rnd), f) : 0;
    if (f) fclose(f);
    if (got != sizeof(rnd)) memset(rnd, 0, sizeof(rnd));
    snprintf(doc_id, 40, "PRF-%s-%02x%02x%02x%02x%02x%02x", o.nip, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
    json_t *d = json_pack("{s:s, s:s}", "nip", o.nip, "document_id", doc_id);
    eo_status st = eo_uow_audit(u, "profile.print", "employee", o.nip, d, err);
    json_decref(d);
    json_decref(o.card);
    eo_uow_db_release(u); /* rendering needs no database */
    if (st == EO_OK) st = eo_profile_pdf_render(p, doc_id, u->now, pdf, len, err);
    json_decref(p);
    return st;
}

/* Defence in depth for attachment reads: the object-level rule already ran. */
static eo_status may_read_document(eo_uow *u, long long owner, bool *allowed, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_svc_access_can_view(u, db, owner, allowed, err);
}

eo_status eo_svc_profile_record_document(eo_uow *u, long long record_id, eo_attachment_blob *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_profile_record_row rec;
    if (eo_db_profile_record_get(db, record_id, false, "document_not_found", &rec, err) != EO_OK) return err->status;
    viewer v;
    if (viewer_of(u, db, rec.employee_id, &v, err) != EO_OK) return err->status;
    eo_profile_section s;
    if (rec.deleted || !rec.attachment_id || !eo_profile_section_parse(rec.section, &s) || !sees(v, s))
        return eo_fail(err, EO_ERR_NOT_FOUND, "document_not_found");
    return eo_svc_attachment_read(u, eo_pdm_document_policy.kind, rec.attachment_id, may_read_document,
                                  "document_not_found", out, err);
}

/* ---------------------------------------------------------------- PDM */

static void notify_text(char *buf, size_t cap, const char *who, const char *verb, eo_profile_section s)
{
    snprintf(buf, cap, "%.200s %s data %s", who, verb, eo_profile_section_title(s));
}

eo_status eo_svc_pdm_propose(eo_uow *u, const eo_pdm_propose_req *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_profile_section s = EO_SEC_COUNT;
    eo_pdm_op op = EO_PDM_ADD;
    if (!in->section)
        eo_err_field(err, "section", "missing_field");
    else if (!eo_profile_section_parse(in->section, &s))
        eo_err_field(err, "section", "invalid_value");
    if (!in->op)
        eo_err_field(err, "op", "missing_field");
    else if (!eo_pdm_op_parse(in->op, &op))
        eo_err_field(err, "op", "invalid_value");
    if (in->note && !eo_profile_text_ok(in->note, 1000, true))
        eo_err_field(err, "note", eo_profile_text_ok(in->note, (size_t)-1, true) ? "too_long" : "invalid_value");
    if (err->status != EO_OK) return err->status;
    if (eo_pdm_proposal_check(s, op, in->record_id > 0, in->data != NULL, err) != EO_OK) return err->status;

    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_profile_owner me;
    if (eo_db_profile_owner_by_id(db, u->who->employee_id, &me, err) != EO_OK) return err->status;
    eo_profile_ctx ctx = {.today = eo_profile_day_of(u->now), .pppk = me.pppk, .birth_year = me.birth_year};
    char *data = NULL;
    json_t *before = NULL;
    eo_attachment att;
    memset(&att, 0, sizeof(att));
    if (in->data) eo_profile_validate(s, in->data, &ctx, err);
    if (err->status != EO_OK) goto done;
    if (in->document && eo_svc_attachment_check(&eo_pdm_document_policy, in->document, in->document_len, &att, err)) {
        if (err->status == EO_ERR_MEDIA_TYPE) { /* not what it claims to be: the content is the client's error */
            eo_err_clear(err);
            eo_fail(err, EO_ERR_INVALID, "attachment_unsupported_type");
        }
        goto done;
    }
    eo_profile_record_row rec;
    memset(&rec, 0, sizeof(rec));
    if (in->record_id > 0) {
        if (eo_db_profile_record_get(db, in->record_id, false, "profile_record_not_found", &rec, err) != EO_OK)
            goto done;
        if (rec.employee_id != me.id || rec.deleted || strcmp(rec.section, eo_profile_section_name(s)) != 0) {
            eo_fail(err, EO_ERR_NOT_FOUND, "profile_record_not_found");
            goto done;
        }
        if (rec.managed) { /* a partner's training record: corrected by the partner, not through PDM */
            eo_fail(err, EO_ERR_CONFLICT, "profile_record_managed");
            goto done;
        }
    }
    if (op == EO_PDM_ADD && eo_profile_section_single(s)) {
        bool exists = false;
        if (eo_db_profile_identity_exists(db, me.id, &exists, err) != EO_OK) goto done;
        if (exists) {
            eo_fail(err, EO_ERR_CONFLICT, "profile_identity_exists");
            goto done;
        }
    }
    if (in->document) { /* the object first, with the connection back in the pool */
        long long t = 0;
        if (eo_db_attachment_clock(db, &t, err) != EO_OK) goto done;
        eo_uow_db_release(u);
        if (eo_svc_attachment_put(u, &att, in->document, err) != EO_OK) goto done;
        if (eo_uow_db(u, &db, err) != EO_OK) goto done;
        if (eo_db_begin(db, err) != EO_OK) goto done;
        if (eo_svc_attachment_insert(u, &att, me.id, t, err) != EO_OK) goto fail;
    } else if (eo_db_begin(db, err) != EO_OK) {
        goto done;
    }
    data = in->data ? json_dumps(in->data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    eo_pdm_new n = {
        .employee_id = me.id,
        .section = eo_profile_section_name(s),
        .op = eo_pdm_op_name(op),
        .record_id = in->record_id,
        .base_version = rec.version,
        .data = data,
        .attachment_id = att.id,
        .note = in->note,
        .now = u->now,
    };
    long long id = 0;
    if (eo_db_pdm_insert(db, &n, &id, err) != EO_OK) goto fail;
    if (in->record_id > 0 && eo_db_profile_record_json(db, in->record_id, &before, err) != EO_OK) goto fail;
    if (eo_db_pdm_json(db, id, out, err) != EO_OK) goto fail;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    json_t *d = json_pack("{s:O, s:O, s:O}", "change", *out, "before", before ? before : json_null(), "after",
                          in->data ? in->data : json_null());
    eo_status st = eo_uow_audit(u, "pdm.submit", "pdm_change", target, d, err);
    json_decref(d);
    if (st != EO_OK) goto fail;
    char body[320];
    notify_text(body, sizeof(body), json_string_value(json_object_get(me.card, "name")), "mengusulkan perubahan", s);
    json_t *nd = json_pack("{s:I, s:s, s:s, s:s}", "change_id", (json_int_t)id, "nip", me.nip, "section",
                           eo_profile_section_name(s), "op", eo_pdm_op_name(op));
    eo_notice notice = {"pdm.submitted", "Usulan PDM menunggu verifikasi", body, "pdm_change", target, nd};
    st = eo_svc_notify(u, EO_NOTIFY_ANPEG, me.id, &notice, NULL, err);
    json_decref(nd);
    if (st != EO_OK) goto fail;
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    goto done;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
done:
    free(data);
    json_decref(before);
    json_decref(me.card);
    return err->status;
}

/* Who may learn a proposal exists: its employee, admin, an anpeg of the unit. */
static eo_status pdm_role(eo_uow *u, eo_db *db, const eo_pdm_row *row, bool *author, bool *decider, bool *visible,
                          eo_err *err)
{
    *author = u->who && u->who->employee_id == row->employee_id;
    *decider = false;
    *visible = *author;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (!*author && (u->who->roles & EO_ROLE_ANPEG) &&
        eo_db_authz_anpeg_covers(db, u->who->employee_id, row->employee_id, decider, err) != EO_OK)
        return err->status;
    *visible = *author || *decider || eo_svc_access_is_admin(u);
    return EO_OK;
}

eo_status eo_svc_pdm_get(eo_uow *u, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_pdm_row row;
    if (eo_db_pdm_get(db, id, false, &row, err) != EO_OK) return err->status;
    json_decref(row.data);
    bool author, decider, visible;
    if (pdm_role(u, db, &row, &author, &decider, &visible, err) != EO_OK) return err->status;
    if (!visible) return eo_fail(err, EO_ERR_NOT_FOUND, "pdm_change_not_found");
    return eo_db_pdm_json(db, id, out, err);
}

eo_status eo_svc_pdm_document(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_pdm_row row;
    if (eo_db_pdm_get(db, id, false, &row, err) != EO_OK) {
        if (err->status == EO_ERR_NOT_FOUND) {
            eo_err_clear(err);
            eo_fail(err, EO_ERR_NOT_FOUND, "document_not_found");
        }
        return err->status;
    }
    json_decref(row.data);
    bool author, decider, visible;
    if (pdm_role(u, db, &row, &author, &decider, &visible, err) != EO_OK) return err->status;
    if (!visible || !row.attachment_id) return eo_fail(err, EO_ERR_NOT_FOUND, "document_not_found");
    return eo_svc_attachment_read(u, eo_pdm_document_policy.kind, row.attachment_id, may_read_document,
                                  "document_not_found", out, err);
}

/* Applies an approved proposal to the record; *before / *after for the audit. */
static eo_status apply(eo_uow *u, eo_db *db, const eo_pdm_row *row, long long *record_id, json_t **before,
                       json_t **after, eo_err *err)
{
    eo_pdm_op op;
    eo_profile_section s;
    if (!eo_pdm_op_parse(row->op, &op) || !eo_profile_section_parse(row->section, &s))
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "pdm %lld: op %s section %s", row->id, row->op,
                           row->section);
    *record_id = row->record_id;
    char *data = row->data ? json_dumps(row->data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    eo_status st = EO_OK;
    if (op == EO_PDM_ADD) {
        bool exists = false;
        if (eo_profile_section_single(s) && eo_db_profile_identity_exists(db, row->employee_id, &exists, err))
            goto done;
        if (exists) { /* another identity record was approved since */
            eo_fail(err, EO_ERR_CONFLICT, "pdm_stale");
            goto done;
        }
        if (eo_db_profile_record_insert(db, row->employee_id, row->section, data, row->attachment_id, record_id, err) !=
            EO_OK)
            goto done;
    } else {
        eo_profile_record_row rec;
        if (eo_db_profile_record_get(db, row->record_id, true, "profile_record_not_found", &rec, err) != EO_OK)
            goto done;
        if (rec.deleted || rec.version != row->base_version) { /* changed since the proposal */
            eo_fail(err, EO_ERR_CONFLICT, "pdm_stale");
            goto done;
        }
        if (eo_db_profile_record_json(db, rec.id, before, err) != EO_OK) goto done;
        if (op == EO_PDM_EDIT) {
            if (eo_db_profile_record_update(db, rec.id, data, row->attachment_id, err) != EO_OK) goto done;
        } else if (eo_db_profile_record_delete(db, rec.id, u->now, err) != EO_OK) {
            goto done;
        }
    }
    if (op != EO_PDM_DELETE) eo_db_profile_record_json(db, *record_id, after, err);
done:
    st = err->status;
    free(data);
    return st;
}

eo_status eo_svc_pdm_act(eo_uow *u, long long id, eo_pdm_action a, const char *reason, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    eo_pdm_row row;
    memset(&row, 0, sizeof(row));
    json_t *before = NULL, *after = NULL;
    if (eo_db_pdm_get(db, id, true, &row, err) != EO_OK) goto fail;
    bool author, decider, visible;
    if (pdm_role(u, db, &row, &author, &decider, &visible, err) != EO_OK) goto fail;
    if (!visible) {
        eo_fail(err, EO_ERR_NOT_FOUND, "pdm_change_not_found");
        goto fail;
    }
    eo_pdm_status from, next;
    if (!eo_pdm_status_parse(row.status, &from)) {
        eo_fail_log(err, EO_ERR_INTERNAL, "internal", "pdm %lld: status %s", id, row.status);
        goto fail;
    }
    if (eo_pdm_transition(from, a, author, decider, reason, &next, err) != EO_OK) goto fail;
    long long record_id = 0;
    if (a == EO_PDM_APPROVE && apply(u, db, &row, &record_id, &before, &after, err) != EO_OK) goto fail;
    bool decided = a != EO_PDM_WITHDRAW;
    if (eo_db_pdm_set_status(db, id, eo_pdm_status_name(next), decided ? u->who->employee_id : 0,
                             a == EO_PDM_REJECT ? reason : NULL, record_id, u->now, err) != EO_OK)
        goto fail;
    if (eo_db_pdm_json(db, id, out, err) != EO_OK) goto fail;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    static const char *const actions[] = {"pdm.approve", "pdm.reject", "pdm.withdraw"};
    json_t *d =
        json_pack("{s:O, s:s, s:s, s:O, s:O}", "change", *out, "from", row.status, "to", eo_pdm_status_name(next),
                  "before", before ? before : json_null(), "after", after ? after : json_null());
    eo_status st = eo_uow_audit(u, actions[a], "pdm_change", target, d, err);
    json_decref(d);
    if (st != EO_OK) goto fail;
    if (decided) {
        eo_profile_section s = EO_SEC_IDENTITY;
        eo_profile_section_parse(row.section, &s);
        char body[320];
        snprintf(body, sizeof(body), "Usulan perubahan data %s %s%s%.200s", eo_profile_section_title(s),
                 a == EO_PDM_APPROVE ? "disetujui" : "ditolak", a == EO_PDM_REJECT ? ": " : "",
                 a == EO_PDM_REJECT ? reason : "");
        json_t *nd = json_pack("{s:I, s:s, s:s}", "change_id", (json_int_t)id, "section", row.section, "status",
                               eo_pdm_status_name(next));
        eo_notice n = {a == EO_PDM_APPROVE ? "pdm.approved" : "pdm.rejected",
                       a == EO_PDM_APPROVE ? "Usulan PDM disetujui" : "Usulan PDM ditolak",
                       body,
                       "pdm_change",
                       target,
                       nd};
        st = eo_svc_notify(u, EO_NOTIFY_EMPLOYEE, row.employee_id, &n, NULL, err);
        json_decref(nd);
        if (st != EO_OK) goto fail;
    }
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    goto done;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
done:
    json_decref(row.data);
    json_decref(before);
    json_decref(after);
    return err->status;
}

eo_status eo_svc_pdm_list(eo_uow *u, const eo_pdm_list_req *in, eo_svc_page_out *out, eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    bool admin = eo_svc_access_is_admin(u);
    if (in->queue && !(u->who->roles & EO_ROLE_ANPEG) && !admin) return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
    eo_pdm_status st;
    eo_profile_section s;
    if (in->status && !eo_pdm_status_parse(in->status, &st)) eo_err_field(err, "status", "invalid_value");
    if (in->section && !eo_profile_section_parse(in->section, &s)) eo_err_field(err, "section", "invalid_value");
    if (in->unit && (strlen(in->unit) > 64 || strlen(in->unit) == 0)) eo_err_field(err, "unit", "invalid_value");
    eo_db_keyset k;
    eo_db_keyset_from(in->page.after, &k, err);
    if (err->status != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_pdm_filter f = {
        .owner = in->queue ? 0 : u->who->employee_id,
        .reviewer = in->queue ? u->who->employee_id : 0,
        .everyone = in->queue && admin, /* admin oversees every unit (reads; deciding stays the anpeg's) */
        .status = in->status,
        .section = in->section,
        .unit = in->queue ? in->unit : NULL,
        .after_at = k.set ? k.at : NULL,
        .after_id = k.set ? k.id : NULL,
        .limit = in->page.limit,
    };
    return eo_db_pdm_list(db, &f, &out->items, &out->next, err);
}
