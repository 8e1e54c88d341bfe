/* Attendance corrections over HTTP: file, list (keyset-paged), approve,
 * reject and return (the atasan), resubmit and withdraw (the author). The workflow is svc/corrections.c on the shared review machinery
 * (svc/review.h); this file only parses and renders. */
#include <stdio.h>
#include <string.h>

#include "api/http.h"
#include "svc/corrections.h"

static void h_correction_create(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"work_date",           "kind",   "requested_check_in",
                                          "requested_check_out", "reason", NULL};
    eo_json_only(b, allowed, &err);
    eo_correction_req q = {
        .work_date = eo_json_get_str(b, "work_date", true, 10, &err),
        .kind = eo_json_get_str(b, "kind", true, 32, &err),
        .check_in = eo_json_get_str(b, "requested_check_in", false, 5, &err),
        .check_out = eo_json_get_str(b, "requested_check_out", false, 5, &err),
        .reason = eo_json_get_str(b, "reason", true, 1000, &err),
    };
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_correction_create(&c->uow, &q, &out, &err);
    json_decref(b);
    if (err.status != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 201, out);
}

static void h_correction_list(eo_ctx *c)
{
    const char *scope = eo_query(c, "scope");
    const char *status = eo_query(c, "status");
    if (scope && strcmp(scope, "own") && strcmp(scope, "team")) {
        eo_err err;
        eo_err_init(&err);
        eo_err_field(&err, "scope", "invalid_value");
        eo_reply_err(c, &err);
        return;
    }
    bool team = scope && strcmp(scope, "team") == 0;
    /* The cursor is bound to the list, its filters and the caller (whose "own" it is). */
    char key[192];
    snprintf(key, sizeof(key), "corrections|who=%lld|scope=%s|status=%.64s", c->who->employee_id, team ? "team" : "own",
             status ? status : "");
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_correction_list_req q = {.team = team, .status = status, .after = p.after, .limit = p.limit};
    eo_correction_list_res res;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_correction_list(&c->uow, &q, &res, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, res.items, res.next);
}

static void decide(eo_ctx *c, eo_review_action action)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "correction_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    const char *note = NULL;
    json_t *b = NULL, *out = NULL;
    if (c->req->binary_body_length > 0) { /* the body is optional: approving needs no note */
        b = eo_body_object(c);
        if (!b) return;
        /* A withdrawal carries no note: there is nobody to tell. */
        static const char *const with_note[] = {"note", NULL}, *const no_note[] = {NULL};
        eo_json_only(b, action == EO_REVIEW_WITHDRAW ? no_note : with_note, &err);
        note = eo_json_get_str(b, "note", false, EO_REVIEW_NOTE_MAX, &err);
    }
    if (err.status == EO_OK) eo_svc_correction_decide(&c->uow, id, action, note, &out, &err);
    json_decref(b);
    if (err.status != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 200, out);
}

static void h_correction_approve(eo_ctx *c) { decide(c, EO_REVIEW_APPROVE); }
static void h_correction_reject(eo_ctx *c) { decide(c, EO_REVIEW_REJECT); }
static void h_correction_return(eo_ctx *c) { decide(c, EO_REVIEW_RETURN); }
static void h_correction_withdraw(eo_ctx *c) { decide(c, EO_REVIEW_WITHDRAW); }

/* A time member: absent keeps the stored one, null clears it, a string sets it. */
static const char *edit_time(json_t *b, const char *key, bool *clear, eo_err *err)
{
    *clear = json_is_null(json_object_get(b, key));
    return eo_json_get_str(b, key, false, 5, err);
}

static void h_correction_resubmit(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "correction_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *b = NULL, *out = NULL;
    eo_correction_edit e = {0};
    if (c->req->binary_body_length > 0) { /* the body is optional: resubmitting unchanged is allowed */
        b = eo_body_object(c);
        if (!b) return;
        static const char *const allowed[] = {"requested_check_in", "requested_check_out", "reason", NULL};
        eo_json_only(b, allowed, &err);
        e.check_in = edit_time(b, "requested_check_in", &e.clear_check_in, &err);
        e.check_out = edit_time(b, "requested_check_out", &e.clear_check_out, &err);
        e.reason = eo_json_get_str(b, "reason", false, 1000, &err);
    }
    if (err.status == EO_OK) eo_svc_correction_resubmit(&c->uow, id, &e, &out, &err);
    json_decref(b);
    if (err.status != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 200, out);
}

static const eo_route routes[] = {
    {"POST", "/api/v1/presensi/corrections", h_correction_create, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/corrections", h_correction_list, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/corrections/{id}/approve", h_correction_approve, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/corrections/{id}/reject", h_correction_reject, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/corrections/{id}/return", h_correction_return, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/corrections/{id}/resubmit", h_correction_resubmit, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/corrections/{id}/withdraw", h_correction_withdraw, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_corrections = {"corrections", routes, NULL, NULL};
