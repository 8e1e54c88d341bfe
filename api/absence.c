/* Absence requests over HTTP (docs/absence.md): the employee's drafts, edits,
 * document upload, submission and withdrawal; the atasan's queue and
 * decisions; the app's compact list and create. svc/absence.c decides. */
#include <stdio.h>
#include <string.h>

#include "api/http.h"
#include "core/multipart.h"
#include "svc/absence.h"

/* The author's fields from a JSON body; create: all required ones. */
static void fields_of(json_t *b, eo_absence_fields *f, bool create, eo_err *err)
{
    memset(f, 0, sizeof(*f));
    f->kind = eo_json_get_str(b, "kind", create, 32, err);
    f->clear_cuti_type = json_is_null(json_object_get(b, "cuti_type"));
    f->cuti_type = eo_json_get_str(b, "cuti_type", false, 32, err);
    f->date_from = eo_json_get_str(b, "date_from", create, 10, err);
    f->date_to = eo_json_get_str(b, "date_to", create, 10, err);
    f->reason = eo_json_get_str(b, "reason", create, 1000, err);
    json_t *locs = json_object_get(b, "extra_location_ids");
    if (!locs) return;
    if (!json_is_array(locs)) {
        eo_err_field(err, "extra_location_ids", "invalid_type");
        return;
    }
    if (json_array_size(locs) > EO_ABSENCE_MAX_LOCATIONS) {
        eo_err_field(err, "extra_location_ids", "too_long");
        return;
    }
    f->set_locations = true;
    size_t i;
    json_t *v;
    json_array_foreach(locs, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            eo_err_field(err, "extra_location_ids", "invalid_type");
            return;
        }
        for (int j = 0; j < f->n_locations; j++)
            if (f->locations[j] == json_integer_value(v)) {
                eo_err_field(err, "extra_location_ids", "invalid_value");
                return;
            }
        f->locations[f->n_locations++] = json_integer_value(v);
    }
}

static void create(eo_ctx *c, bool mobile)
{
    static const char *const allowed[] = {"kind",   "cuti_type",          "date_from", "date_to",
                                          "reason", "extra_location_ids", "submit",    NULL};
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    eo_json_only(b, allowed, &err);
    eo_absence_fields f;
    fields_of(b, &f, true, &err);
    int submit = eo_json_get_bool(b, "submit", false, 0, &err);
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_absence_create(&c->uow, &f, submit == 1, &out, &err);
    json_decref(b);
    if (err.status != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    if (mobile) {
        json_t *compact =
            json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(out, "id"), "kind",
                      json_object_get(out, "kind"), "cuti_type", json_object_get(out, "cuti_type"), "date_from",
                      json_object_get(out, "date_from"), "date_to", json_object_get(out, "date_to"), "days",
                      json_object_get(out, "days"), "status", json_object_get(out, "status"));
        json_decref(out);
        out = compact;
    }
    eo_reply_json(c, 201, out);
}

static void h_create(eo_ctx *c) { create(c, false); }
static void h_create_mobile(eo_ctx *c) { create(c, true); }

static void list(eo_ctx *c, bool mobile)
{
    const char *scope = mobile ? "own" : eo_query(c, "scope");
    eo_err err;
    eo_err_init(&err);
    if (scope && strcmp(scope, "own") && strcmp(scope, "team")) {
        eo_err_field(&err, "scope", "invalid_value");
        eo_reply_err(c, &err);
        return;
    }
    eo_absence_filter f = {
        .team = scope && strcmp(scope, "team") == 0,
        .status = eo_query(c, "status"),
        .kind = eo_query(c, "kind"),
        .nip = mobile ? NULL : eo_query(c, "nip"),
        .from = mobile ? NULL : eo_query(c, "from"),
        .to = mobile ? NULL : eo_query(c, "to"),
        .compact = mobile,
    };
    if (f.nip && strlen(f.nip) > 32) eo_err_field(&err, "nip", "too_long");
    if (f.status && strlen(f.status) > 16) eo_err_field(&err, "status", "invalid_value");
    if (f.kind && strlen(f.kind) > 32) eo_err_field(&err, "kind", "invalid_value");
    if (err.status) {
        eo_reply_err(c, &err);
        return;
    }
    char key[256];
    snprintf(key, sizeof key, "absence|m=%d|who=%lld|team=%d|st=%.16s|k=%.32s|nip=%.32s|from=%.10s|to=%.10s", mobile,
             c->who->employee_id, f.team, f.status ? f.status : "", f.kind ? f.kind : "", f.nip ? f.nip : "",
             f.from ? f.from : "", f.to ? f.to : "");
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    f.limit = p.limit;
    json_t *items = NULL, *next = NULL;
    if (eo_svc_absence_list(&c->uow, &f, p.after, &items, &next, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, items, next);
}

static void h_list(eo_ctx *c) { list(c, false); }
static void h_list_mobile(eo_ctx *c) { list(c, true); }

static void h_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "absence_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (eo_svc_absence_get(&c->uow, id, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
}

static void h_edit(eo_ctx *c)
{
    static const char *const allowed[] = {"kind",   "cuti_type",          "date_from", "date_to",
                                          "reason", "extra_location_ids", NULL};
    long long id;
    if (!eo_param_id_or_reply(c, 0, "absence_not_found", &id)) return;
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    eo_json_only(b, allowed, &err);
    eo_absence_fields f;
    fields_of(b, &f, false, &err);
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_absence_edit(&c->uow, id, &f, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void h_delete(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "absence_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_absence_delete(&c->uow, id, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_empty(c, 204);
}

static void act(eo_ctx *c, eo_review_action action)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "absence_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    const char *note;
    json_t *b, *out = NULL;
    bool with_note = action == EO_REVIEW_APPROVE || action == EO_REVIEW_RETURN || action == EO_REVIEW_REJECT;
    if (!eo_step_note_or_reply(c, with_note, &b, &note, &err)) return;
    if (err.status == EO_OK) eo_svc_absence_act(&c->uow, id, action, note, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void h_submit(eo_ctx *c) { act(c, EO_REVIEW_SUBMIT); }
static void h_withdraw(eo_ctx *c) { act(c, EO_REVIEW_WITHDRAW); }
static void h_approve(eo_ctx *c) { act(c, EO_REVIEW_APPROVE); }
static void h_return(eo_ctx *c) { act(c, EO_REVIEW_RETURN); }
static void h_reject(eo_ctx *c) { act(c, EO_REVIEW_REJECT); }

/* multipart/form-data with one part "document" (PDF, JPEG or PNG by content). */
static void h_document_put(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "absence_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_multipart_form form;
    if (eo_multipart_parse(eo_header(c, "Content-Type"), c->req->binary_body, c->req->binary_body_length, &form,
                           &err)) {
        eo_reply_err(c, &err);
        return;
    }
    const eo_multipart_part *doc = eo_multipart_get(&form, "document");
    if (!doc || doc->len == 0) {
        eo_err_field(&err, "document", "missing_field");
        eo_reply_err(c, &err);
        return;
    }
    eo_attachment a;
    json_t *out = NULL;
    if (eo_svc_attachment_check(&eo_attachment_absence_document, doc->data, doc->len, &a, &err) ||
        eo_svc_absence_document(&c->uow, id, &a, doc->data, &out, &err)) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 200, out);
}

static void h_document_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "absence_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_attachment_blob blob;
    if (eo_svc_absence_document_read(&c->uow, id, &blob, &err)) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_file(c, blob.content_type, blob.data, blob.len, false);
    eo_svc_attachment_blob_free(&blob);
}

#define R EO_R_AUTH | EO_R_NO_STORE
static const eo_route routes[] = {
    {"POST", "/api/v1/absence-requests", h_create, R},
    {"GET", "/api/v1/absence-requests", h_list, R},
    {"GET", "/api/v1/absence-requests/{id}", h_get, R},
    {"PATCH", "/api/v1/absence-requests/{id}", h_edit, R},
    {"DELETE", "/api/v1/absence-requests/{id}", h_delete, R},
    {"PUT", "/api/v1/absence-requests/{id}/document", h_document_put, R | EO_R_UPLOAD},
    {"GET", "/api/v1/absence-requests/{id}/document", h_document_get, R},
    {"POST", "/api/v1/absence-requests/{id}/submit", h_submit, R},
    {"POST", "/api/v1/absence-requests/{id}/withdraw", h_withdraw, R},
    {"POST", "/api/v1/absence-requests/{id}/approve", h_approve, R},
    {"POST", "/api/v1/absence-requests/{id}/return", h_return, R},
    {"POST", "/api/v1/absence-requests/{id}/reject", h_reject, R},
    {"GET", "/mobile/v1/absence-requests", h_list_mobile, R},
    {"POST", "/mobile/v1/absence-requests", h_create_mobile, R},
    {"PUT", "/mobile/v1/absence-requests/{id}/document", h_document_put, R | EO_R_UPLOAD},
    {"POST", "/mobile/v1/absence-requests/{id}/submit", h_submit, R},
    {NULL, NULL, NULL, 0},
};
#undef R

const eo_module eo_module_absence = {"absence", routes, NULL, NULL};
