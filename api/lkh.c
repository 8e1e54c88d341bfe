/* LKH over HTTP (docs/lkh.md): the employee's reports (web and the app's
 * "today"), the workflow steps, the evidence upload and download, the
 * atasan's team queue with bulk approval, late permits and SKP targets.
 * Parsing and rendering only; svc/lkh.c holds the use cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "api/idempotency.h"
#include "core/multipart.h"
#include "core/parse.h"
#include "core/presensi.h"
#include "svc/lkh.h"

#define ACTIVITIES_JSON_MAX 65536 /* the app's "activities" field */

/* ---------------------------------------------------------------- input */

static void act_field(eo_err *err, size_t i, const char *key, const char *code)
{
    char name[64];
    snprintf(name, sizeof(name), "activities[%zu].%s", i, key);
    eo_err_field(err, name, code);
}

static const char *act_str(json_t *o, size_t i, const char *key, bool required, size_t max, eo_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required) act_field(err, i, key, "missing_field");
        return NULL;
    }
    if (!json_is_string(v)) {
        act_field(err, i, key, "invalid_type");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (json_string_length(v) > max)
        act_field(err, i, key, "too_long");
    else if (strlen(s) != json_string_length(v))
        act_field(err, i, key, "invalid_value");
    else if (required && !s[0])
        act_field(err, i, key, "missing_field");
    else
        return s;
    return NULL;
}

static long long act_int(json_t *o, size_t i, const char *key, bool required, long long min, long long max, eo_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required) act_field(err, i, key, "missing_field");
        return 0;
    }
    if (!json_is_integer(v)) {
        act_field(err, i, key, "invalid_type");
        return 0;
    }
    long long n = json_integer_value(v);
    if (n < min || n > max) {
        act_field(err, i, key, "out_of_range");
        return 0;
    }
    return n;
}

/* The activities array into q (strings point into arr, which must outlive q). */
static void parse_activities(json_t *arr, bool required, eo_lkh_req *q, eo_err *err)
{
    q->n = 0;
    if (!arr || json_is_null(arr)) {
        if (required) eo_err_field(err, "activities", "missing_field");
        return;
    }
    if (!json_is_array(arr)) {
        eo_err_field(err, "activities", "invalid_type");
        return;
    }
    if (json_array_size(arr) > EO_LKH_MAX_ACTIVITIES) {
        eo_err_field(err, "activities", "too_long");
        return;
    }
    static const char *const keys[] = {"description", "start_time",    "end_time", "duration_min", "output", "quantity",
                                       "unit",        "skp_target_id", NULL};
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        if (!json_is_object(o)) {
            act_field(err, i, "description", "invalid_type");
            continue;
        }
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v)
        {
            bool known = false;
            for (size_t j = 0; keys[j]; j++) known |= strcmp(k, keys[j]) == 0;
            if (!known) act_field(err, i, strlen(k) > 24 ? "?" : k, "unknown_field");
        }
        eo_lkh_activity_in *a = &q->activities[i];
        a->description = act_str(o, i, "description", true, 1000, err);
        a->start_time = act_str(o, i, "start_time", false, 5, err);
        a->end_time = act_str(o, i, "end_time", false, 5, err);
        a->duration_min = act_int(o, i, "duration_min", false, 1, EO_LKH_DAY_MINUTES, err);
        a->output = act_str(o, i, "output", true, 200, err);
        a->quantity = act_int(o, i, "quantity", true, 1, 1000000, err);
        a->unit = act_str(o, i, "unit", true, 40, err);
        a->skp_target_id = act_int(o, i, "skp_target_id", false, 1, 9007199254740991LL, err);
    }
    q->n = json_array_size(arr);
}

/* The multipart body into form; replies the parse error and returns false. */
static bool form_or_reply(eo_ctx *c, eo_multipart_form *form)
{
    eo_err err;
    eo_err_init(&err);
    if (eo_multipart_parse(eo_header(c, "Content-Type"), c->req->binary_body, c->req->binary_body_length, form, &err) ==
        EO_OK)
        return true;
    eo_reply_err(c, &err);
    return false;
}

/* "?" unknown_field for each part not named in allowed (NULL-terminated). */
static void only_parts(const eo_multipart_form *form, const char *const *allowed, eo_err *err)
{
    for (size_t i = 0; i < form->n; i++) {
        bool known = false;
        for (size_t j = 0; allowed[j]; j++) known |= strcmp(form->parts[i].name, allowed[j]) == 0;
        if (!known) eo_err_field(err, "?", "unknown_field");
    }
}

/* ---------------------------------------------------------------- reports */

static void h_create(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"work_date", "activities", NULL};
    eo_json_only(b, allowed, &err);
    eo_lkh_req q;
    memset(&q, 0, sizeof(q));
    q.work_date = eo_json_get_str(b, "work_date", true, 10, &err);
    parse_activities(json_object_get(b, "activities"), false, &q, &err);
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_lkh_create(&c->uow, &q, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, 201, out);
}

static void h_update(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "lkh_not_found", &id)) return;
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"activities", NULL};
    eo_json_only(b, allowed, &err);
    eo_lkh_req q;
    memset(&q, 0, sizeof(q));
    parse_activities(json_object_get(b, "activities"), true, &q, &err);
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_lkh_update(&c->uow, id, &q, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void h_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "lkh_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_svc_lkh_get(&c->uow, id, &out, &err);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void list(eo_ctx *c, bool team)
{
    const char *from = eo_query(c, "from"), *to = eo_query(c, "to"), *status = eo_query(c, "status");
    const char *nip = eo_query(c, "nip");
    char key[256];
    snprintf(key, sizeof(key), "lkh|who=%lld|team=%d|from=%.10s|to=%.10s|status=%.16s|nip=%.18s", c->who->employee_id,
             team, from ? from : "", to ? to : "", status ? status : "", nip ? nip : "");
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_lkh_list_req q = {.team = team,
                         .from = from,
                         .to = to,
                         .status = status,
                         .nip = nip,
                         .page = {.limit = p.limit, .after = p.after}};
    eo_svc_page_out res;
    eo_err err;
    eo_err_init(&err);
    /* an over-long filter cannot be told apart in the scope: refuse it */
    if (from && strlen(from) > 10) eo_err_field(&err, "from", "invalid_value");
    if (to && strlen(to) > 10) eo_err_field(&err, "to", "invalid_value");
    if (status && strlen(status) > 16) eo_err_field(&err, "status", "invalid_value");
    if (nip && strlen(nip) > 18) eo_err_field(&err, "nip", "invalid_value");
    if (err.status == EO_OK) eo_svc_lkh_list(&c->uow, &q, &res, &err);
    if (err.status != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, res.items, res.next);
}

static void h_list(eo_ctx *c) { list(c, false); }
static void h_team(eo_ctx *c) { list(c, true); }

static void step(eo_ctx *c, eo_review_action action)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "lkh_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    const char *note;
    json_t *b, *out = NULL;
    /* optional body: only a decision carries a note */
    bool with_note = action == EO_REVIEW_APPROVE || action == EO_REVIEW_RETURN;
    if (!eo_step_note_or_reply(c, with_note, &b, &note, &err)) return;
    if (err.status == EO_OK) eo_svc_lkh_act(&c->uow, id, action, note, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void h_submit(eo_ctx *c) { step(c, EO_REVIEW_SUBMIT); }
static void h_withdraw(eo_ctx *c) { step(c, EO_REVIEW_WITHDRAW); }
static void h_approve(eo_ctx *c) { step(c, EO_REVIEW_APPROVE); }
static void h_return(eo_ctx *c) { step(c, EO_REVIEW_RETURN); }

static void h_bulk_approve(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"ids", NULL};
    eo_json_only(b, allowed, &err);
    json_t *ids = json_object_get(b, "ids");
    long long list_ids[EO_PAGE_MAX];
    size_t n = 0;
    if (!ids || json_is_null(ids))
        eo_err_field(&err, "ids", "missing_field");
    else if (!json_is_array(ids))
        eo_err_field(&err, "ids", "invalid_type");
    else if (json_array_size(ids) == 0)
        eo_err_field(&err, "ids", "missing_field");
    else if (json_array_size(ids) > EO_PAGE_MAX)
        eo_err_field(&err, "ids", "too_long");
    else {
        size_t i;
        json_t *v;
        json_array_foreach(ids, i, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) < 1) {
                eo_err_field(&err, "ids", "invalid_type");
                break;
            }
            long long id = json_integer_value(v);
            bool dup = false;
            for (size_t j = 0; j < n; j++) dup |= list_ids[j] == id;
            if (dup) {
                eo_err_field(&err, "ids", "duplicate_value");
                break;
            }
            list_ids[n++] = id;
        }
    }
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_lkh_bulk_approve(&c->uow, list_ids, n, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, 200, out);
}

/* ---------------------------------------------------------------- evidence */

static void h_attach(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "lkh_not_found", &id)) return;
    eo_multipart_form form;
    if (!form_or_reply(c, &form)) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"file", NULL};
    only_parts(&form, allowed, &err);
    const eo_multipart_part *file = eo_multipart_get(&form, "file");
    if (!file || file->len == 0) eo_err_field(&err, "file", "missing_field");
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_lkh_attach(&c->uow, id, &eo_lkh_evidence_policy, file->data, file->len, &out, &err);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void h_attachment(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "lkh_attachment_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_attachment_blob blob;
    if (eo_svc_lkh_attachment_read(&c->uow, id, &blob, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_file(c, blob.content_type, blob.data, blob.len, true);
    eo_svc_attachment_blob_free(&blob);
}

/* ---------------------------------------------------------------- permits */

static void h_permit(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"nip", "work_date", NULL};
    eo_json_only(b, allowed, &err);
    const char *nip = eo_json_get_str(b, "nip", true, 18, &err);
    const char *date = eo_json_get_str(b, "work_date", true, 10, &err);
    json_t *out = NULL;
    bool created = false;
    if (err.status == EO_OK) eo_svc_lkh_permit(&c->uow, nip, date, &out, &created, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, created ? 201 : 200, out);
}

/* ---------------------------------------------------------------- SKP targets */

static bool skp_body(eo_ctx *c, json_t **b, eo_skp_in *in, eo_err *err)
{
    *b = eo_body_object(c);
    if (!*b) return false;
    static const char *const allowed[] = {"year", "title", "target_quantity", "unit", NULL};
    eo_json_only(*b, allowed, err);
    in->year = (int)eo_json_get_int(*b, "year", true, 2000, 2100, 0, err);
    in->title = eo_json_get_str(*b, "title", true, 300, err);
    in->target_quantity = eo_json_get_int(*b, "target_quantity", true, 1, 1000000, 0, err);
    in->unit = eo_json_get_str(*b, "unit", true, 40, err);
    return true;
}

/* create (POST, 201) or, with the {id} of the path, update (PUT, 200) */
static void skp_save(eo_ctx *c, bool update)
{
    long long id = 0;
    if (update && !eo_param_id_or_reply(c, 0, "skp_target_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *b, *out = NULL;
    eo_skp_in in;
    if (!skp_body(c, &b, &in, &err)) return;
    if (err.status == EO_OK && update)
        eo_svc_skp_update(&c->uow, id, &in, &out, &err);
    else if (err.status == EO_OK)
        eo_svc_skp_create(&c->uow, &in, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, update ? 200 : 201, out);
}

static void h_skp_create(eo_ctx *c) { skp_save(c, false); }
static void h_skp_update(eo_ctx *c) { skp_save(c, true); }

static void h_skp_delete(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "skp_target_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_skp_delete(&c->uow, id, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_empty(c, 204);
}

static void h_skp_list(eo_ctx *c)
{
    const char *year = eo_query(c, "year");
    long long y = 0;
    if (year && (!eo_parse_id(year, &y) || y < 2000 || y > 2100)) {
        eo_err err;
        eo_err_init(&err);
        eo_err_field(&err, "year", "invalid_value");
        eo_reply_err(c, &err);
        return;
    }
    char key[96];
    snprintf(key, sizeof(key), "skp|who=%lld|year=%lld", c->who->employee_id, y);
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out res;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_skp_list(&c->uow, (int)y, &in, &res, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, res.items, res.next);
}

/* ---------------------------------------------------------------- mobile */

static void h_m_today(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_svc_lkh_today(&c->uow, &out, &err);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void h_m_save(eo_ctx *c)
{
    eo_multipart_form form;
    if (!form_or_reply(c, &form)) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"activities", "submit", "photo", NULL};
    only_parts(&form, allowed, &err);
    const eo_multipart_part *acts = eo_multipart_get(&form, "activities");
    const eo_multipart_part *sub = eo_multipart_get(&form, "submit");
    const eo_multipart_part *photo = eo_multipart_get(&form, "photo");
    json_t *arr = NULL;
    bool submit = false;
    if (!acts || acts->len == 0)
        eo_err_field(&err, "activities", "missing_field");
    else if (acts->len > ACTIVITIES_JSON_MAX)
        eo_err_field(&err, "activities", "too_long");
    else if (!(arr = json_loadb((const char *)acts->data, acts->len, JSON_REJECT_DUPLICATES, NULL)))
        eo_err_field(&err, "activities", "invalid_value");
    if (sub && sub->len > 0) {
        char v[8] = {0};
        if (sub->len >= sizeof(v))
            eo_err_field(&err, "submit", "invalid_value");
        else {
            memcpy(v, sub->data, sub->len);
            if (!eo_presensi_parse_bool(v, &submit)) eo_err_field(&err, "submit", "invalid_value");
        }
    }
    eo_lkh_req q;
    memset(&q, 0, sizeof(q));
    if (arr) parse_activities(arr, true, &q, &err);
    eo_idem idem;
    if (err.status != EO_OK || !eo_idem_begin(c, &idem)) {
        json_decref(arr);
        if (err.status != EO_OK) eo_reply_err(c, &err);
        return;
    }
    /* the request as the app sent it: a retry with the same key must carry the same form */
    eo_idem_update(&idem, "route", c->route->pattern, strlen(c->route->pattern));
    eo_idem_update(&idem, "activities", acts->data, acts->len);
    eo_idem_update(&idem, "submit", submit ? "1" : "0", 1);
    if (photo && photo->len) eo_idem_update(&idem, "photo", photo->data, photo->len);
    eo_idem_final(&idem);
    eo_lkh_today_req in = {.report = &q,
                           .photo = photo && photo->len ? photo->data : NULL,
                           .photo_len = photo ? photo->len : 0,
                           .submit = submit,
                           .request_hash = idem.hash};
    eo_lkh_today_res res;
    eo_svc_lkh_save_today(&c->uow, &in, &res, &err);
    json_decref(arr);
    if (err.status != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    if (res.replayed) eo_set_header(c, "Idempotent-Replayed", "true");
    eo_reply_bytes(c, res.status, "application/json", res.body, strlen(res.body));
    free(res.body);
}

static const eo_route routes[] = {
    {"GET", "/api/v1/lkh/reports", h_list, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/reports", h_create, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/lkh/reports/{id}", h_get, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/lkh/reports/{id}", h_update, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/reports/{id}/submit", h_submit, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/reports/{id}/withdraw", h_withdraw, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/reports/{id}/approve", h_approve, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/reports/{id}/return", h_return, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/lkh/reports/{id}/attachment", h_attach, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE},
    {"GET", "/api/v1/lkh/reports/{id}/attachment", h_attachment, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/lkh/team", h_team, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/team/approve", h_bulk_approve, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/permits", h_permit, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/lkh/skp-targets", h_skp_list, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/lkh/skp-targets", h_skp_create, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/lkh/skp-targets/{id}", h_skp_update, EO_R_AUTH | EO_R_NO_STORE},
    {"DELETE", "/api/v1/lkh/skp-targets/{id}", h_skp_delete, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/mobile/v1/lkh/today", h_m_today, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/mobile/v1/lkh/today", h_m_save, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_lkh = {"lkh", routes, NULL, NULL};
