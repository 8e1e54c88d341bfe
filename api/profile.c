/* Profile sections, PDM proposals and the printable profile over HTTP
 * (docs/profile.md). Parsing and rendering only: the rules are core/profile.c,
 * the use cases svc/profile.c. */
#include <stdio.h>
#include <string.h>

#include "api/http.h"
#include "core/multipart.h"
#include "core/parse.h"
#include "svc/profile.h"

static void reply_or_err(eo_ctx *c, eo_status st, int status, json_t *out, eo_err *err)
{
    if (st != EO_OK) {
        eo_reply_err(c, err);
        return;
    }
    eo_reply_json(c, status, out);
}

static void h_me_profile(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_profile_get(&c->uow, NULL, false, &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void h_me_profile_mobile(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_profile_get(&c->uow, NULL, true, &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void h_employee_profile(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_profile_get(&c->uow, eo_param(c, 0), false, &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void pdf_of(eo_ctx *c, const char *nip)
{
    eo_err err;
    eo_err_init(&err);
    unsigned char *pdf = NULL;
    size_t len = 0;
    char doc_id[40];
    if (eo_svc_profile_pdf(&c->uow, nip, &pdf, &len, doc_id, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    char disp[96];
    snprintf(disp, sizeof(disp), "inline; filename=\"%s.pdf\"", doc_id);
    eo_set_header(c, "Content-Disposition", disp);
    eo_set_header(c, "X-Document-Id", doc_id);
    eo_reply_bytes(c, 200, "application/pdf", pdf, len);
    free(pdf);
}

static void h_me_profile_pdf(eo_ctx *c) { pdf_of(c, NULL); }
static void h_employee_profile_pdf(eo_ctx *c) { pdf_of(c, eo_param(c, 0)); }

static void reply_blob(eo_ctx *c, eo_status st, eo_attachment_blob *blob, eo_err *err)
{
    if (st != EO_OK) {
        eo_reply_err(c, err);
        return;
    }
    eo_set_header(c, "X-Content-Type-Options", "nosniff");
    eo_set_header(c, "Content-Disposition", "attachment");
    eo_reply_bytes(c, 200, blob->content_type, blob->data, blob->len);
    eo_svc_attachment_blob_free(blob);
}

static void h_record_document(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "document_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_attachment_blob blob;
    eo_status st = eo_svc_profile_record_document(&c->uow, id, &blob, &err);
    reply_blob(c, st, &blob, &err);
}

static void h_pdm_document(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "document_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_attachment_blob blob;
    eo_status st = eo_svc_pdm_document(&c->uow, id, &blob, &err);
    reply_blob(c, st, &blob, &err);
}

/* The proposal's members from a JSON object (the body, or the multipart "change" part). */
static void read_change(json_t *b, eo_pdm_propose_req *q, eo_err *err)
{
    static const char *const allowed[] = {"section", "op", "record_id", "data", "note", NULL};
    eo_json_only(b, allowed, err);
    q->section = eo_json_get_str(b, "section", true, 32, err);
    q->op = eo_json_get_str(b, "op", true, 16, err);
    json_t *rid = json_object_get(b, "record_id");
    if (rid && !json_is_null(rid)) q->record_id = eo_json_get_int(b, "record_id", false, 1, 999999999999999LL, 0, err);
    json_t *data = json_object_get(b, "data");
    if (data && !json_is_null(data)) {
        if (json_is_object(data))
            q->data = data;
        else
            eo_err_field(err, "data", "invalid_type");
    }
    q->note = eo_json_get_str(b, "note", false, 4000, err); /* characters are counted by the rule */
}

static void h_pdm_propose(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_pdm_propose_req q;
    memset(&q, 0, sizeof(q));
    json_t *b = NULL, *out = NULL;
    const char *ct = eo_header(c, "Content-Type");
    if (ct && eo_multipart_is_form(ct)) {
        /* multipart: "change" (the JSON proposal) and an optional "document" */
        eo_multipart_form form;
        if (eo_multipart_parse(ct, c->req->binary_body, c->req->binary_body_length, &form, &err) != EO_OK) {
            eo_reply_err(c, &err);
            return;
        }
        const eo_multipart_part *ch = eo_multipart_get(&form, "change");
        if (!ch || ch->len == 0) {
            eo_err_field(&err, "change", "missing_field");
            eo_reply_err(c, &err);
            return;
        }
        json_error_t je;
        b = json_loadb((const char *)ch->data, ch->len, JSON_REJECT_DUPLICATES, &je);
        if (!b || !json_is_object(b)) {
            json_decref(b);
            eo_reply_problem(c, EO_ERR_BAD_REQUEST, "malformed_json");
            return;
        }
        for (size_t i = 0; i < form.n; i++)
            if (strcmp(form.parts[i].name, "change") && strcmp(form.parts[i].name, "document"))
                eo_err_field(&err, form.parts[i].name, "unknown_field");
        const eo_multipart_part *doc = eo_multipart_get(&form, "document");
        if (doc && doc->len > 0) {
            q.document = doc->data;
            q.document_len = doc->len;
        }
    } else {
        b = eo_body_object(c);
        if (!b) return;
    }
    read_change(b, &q, &err);
    if (err.status == EO_OK) eo_svc_pdm_propose(&c->uow, &q, &out, &err);
    json_decref(b);
    reply_or_err(c, err.status, 201, out, &err);
}

static void list(eo_ctx *c, bool queue)
{
    const char *status = eo_query(c, "status"), *section = eo_query(c, "section");
    const char *unit = queue ? eo_query(c, "unit") : NULL;
    char key[256];
    snprintf(key, sizeof(key), "pdm|who=%lld|q=%d|status=%zu:%.32s|section=%zu:%.32s|unit=%zu:%.64s",
             c->who->employee_id, queue, status ? strlen(status) : 0, status ? status : "",
             section ? strlen(section) : 0, section ? section : "", unit ? strlen(unit) : 0, unit ? unit : "");
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_pdm_list_req q = {.queue = queue,
                         .status = status,
                         .section = section,
                         .unit = unit,
                         .page = {.limit = p.limit, .after = p.after}};
    eo_svc_page_out res;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_pdm_list(&c->uow, &q, &res, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, res.items, res.next);
}

static void h_pdm_mine(eo_ctx *c) { list(c, false); }
static void h_pdm_queue(eo_ctx *c) { list(c, true); }

static void h_pdm_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "pdm_change_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_pdm_get(&c->uow, id, &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void act(eo_ctx *c, eo_pdm_action a)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "pdm_change_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *b = NULL, *out = NULL;
    const char *reason = NULL;
    if (c->req->binary_body_length > 0) { /* approve and withdraw need no body */
        b = eo_body_object(c);
        if (!b) return;
        static const char *const with_reason[] = {"reason", NULL}, *const none[] = {NULL};
        eo_json_only(b, a == EO_PDM_REJECT ? with_reason : none, &err);
        reason = eo_json_get_str(b, "reason", false, 4000, &err);
    }
    if (err.status == EO_OK) eo_svc_pdm_act(&c->uow, id, a, reason, &out, &err);
    json_decref(b);
    reply_or_err(c, err.status, 200, out, &err);
}

static void h_pdm_approve(eo_ctx *c) { act(c, EO_PDM_APPROVE); }
static void h_pdm_reject(eo_ctx *c) { act(c, EO_PDM_REJECT); }
static void h_pdm_withdraw(eo_ctx *c) { act(c, EO_PDM_WITHDRAW); }

static const eo_route routes[] = {
    {"GET", "/api/v1/me/profile", h_me_profile, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/mobile/v1/me/profile", h_me_profile_mobile, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/profile.pdf", h_me_profile_pdf, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/employees/{nip}/profile", h_employee_profile, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/employees/{nip}/profile.pdf", h_employee_profile_pdf, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/profile/records/{id}/document", h_record_document, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/me/pdm/changes", h_pdm_propose, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE},
    {"GET", "/api/v1/me/pdm/changes", h_pdm_mine, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/me/pdm/changes/{id}/withdraw", h_pdm_withdraw, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/pdm/changes", h_pdm_queue, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/pdm/changes/{id}", h_pdm_get, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/pdm/changes/{id}/approve", h_pdm_approve, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/pdm/changes/{id}/reject", h_pdm_reject, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/pdm/changes/{id}/document", h_pdm_document, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_profile = {"profile", routes, NULL, NULL};
