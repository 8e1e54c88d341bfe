/* TPP over HTTP: rule versions, the month's compute / results / close /
 * reopen, exports, imported kinerja scores, and the employee's own breakdown.
 * Rules and authorisation are svc/tpp.c (docs/tpp.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "svc/tpp.h"

static void reply(eo_ctx *c, eo_status st, eo_err *err, int status, json_t *out)
{
    if (st != EO_OK) {
        json_decref(out);
        eo_reply_err(c, err);
        return;
    }
    eo_reply_json(c, status, out);
}

/* ---------------------------------------------------------------- rule versions */

static void read_rule(json_t *b, bool create, eo_tpp_rule_req *q, eo_err *err)
{
    static const char *const allowed_create[] = {"unit_code", "effective_from", "rules", "note", NULL};
    static const char *const allowed_update[] = {"rules", "note", NULL};
    eo_json_only(b, create ? allowed_create : allowed_update, err);
    memset(q, 0, sizeof(*q));
    if (create) {
        q->unit_code = eo_json_get_str(b, "unit_code", true, 64, err);
        q->effective_from = eo_json_get_str(b, "effective_from", true, 7, err);
    }
    q->rules = json_object_get(b, "rules");
    json_t *note = json_object_get(b, "note");
    q->has_note = note != NULL;
    if (note && !json_is_null(note)) q->note = eo_json_get_str(b, "note", false, 500, err);
}

static void h_rule_create(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    eo_tpp_rule_req q;
    read_rule(b, true, &q, &err);
    json_t *out = NULL;
    eo_status st = eo_svc_tpp_rule_create(&c->uow, &q, &out, &err);
    json_decref(b);
    reply(c, st, &err, 201, out);
}

static void h_rule_update(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "tpp_rule_not_found", &id)) return;
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    eo_tpp_rule_req q;
    read_rule(b, false, &q, &err);
    json_t *out = NULL;
    eo_status st = eo_svc_tpp_rule_update(&c->uow, id, &q, &out, &err);
    json_decref(b);
    reply(c, st, &err, 200, out);
}

static void h_rule_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "tpp_rule_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_tpp_rule_get(&c->uow, id, &out, &err);
    reply(c, st, &err, 200, out);
}

static void h_rule_list(eo_ctx *c)
{
    const char *unit = eo_query(c, "unit_code");
    char key[160];
    snprintf(key, sizeof key, "tpp.rules|unit=%zu:%.64s", unit ? strlen(unit) : 0, unit ? unit : "");
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *items = NULL, *next = NULL;
    if (eo_svc_tpp_rule_list(&c->uow, unit, p.limit, p.after, &items, &next, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, items, next);
}

/* ---------------------------------------------------------------- the month */

typedef eo_status (*month_action)(eo_uow *, const char *, const char *, json_t **, eo_err *);

static void month_post(eo_ctx *c, month_action fn)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"unit_code", NULL};
    eo_json_only(b, allowed, &err);
    const char *unit = eo_json_get_str(b, "unit_code", true, 64, &err);
    json_t *out = NULL;
    eo_status st = err.status == EO_OK ? fn(&c->uow, eo_param(c, 0), unit, &out, &err) : err.status;
    json_decref(b);
    reply(c, st, &err, 200, out);
}

static void h_compute(eo_ctx *c) { month_post(c, eo_svc_tpp_compute); }
static void h_close(eo_ctx *c) { month_post(c, eo_svc_tpp_close); }

static void h_reopen(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"unit_code", "reason", NULL};
    eo_json_only(b, allowed, &err);
    const char *unit = eo_json_get_str(b, "unit_code", true, 64, &err);
    const char *reason = eo_json_get_str(b, "reason", true, 500, &err);
    json_t *out = NULL;
    eo_status st =
        err.status == EO_OK ? eo_svc_tpp_reopen(&c->uow, eo_param(c, 0), unit, reason, &out, &err) : err.status;
    json_decref(b);
    reply(c, st, &err, 200, out);
}

static void h_results(eo_ctx *c)
{
    const char *unit = eo_query(c, "unit_code");
    const char *month = eo_param(c, 0);
    char key[200];
    snprintf(key, sizeof key, "tpp.results|month=%.16s|unit=%zu:%.64s", month, unit ? strlen(unit) : 0,
             unit ? unit : "");
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *items = NULL, *next = NULL;
    if (eo_svc_tpp_results(&c->uow, month, unit, p.limit, p.after, &items, &next, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, items, next);
}

static void export(eo_ctx *c, eo_tpp_export_format fmt)
{
    const char *month = eo_param(c, 0);
    const char *unit = eo_query(c, "unit_code");
    eo_err err;
    eo_err_init(&err);
    char *bytes = NULL;
    size_t len = 0;
    if (eo_svc_tpp_export(&c->uow, month, unit, fmt, &bytes, &len, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    char disp[160];
    /* unit codes are [A-Za-z0-9._-] (org_units check), safe inside the quotes */
    snprintf(disp, sizeof disp, "attachment; filename=\"tpp-%.7s-%.64s.%s\"", month, unit,
             fmt == EO_TPP_EXPORT_CSV ? "csv" : "xlsx");
    eo_set_header(c, "Content-Disposition", disp);
    eo_reply_bytes(c, 200,
                   fmt == EO_TPP_EXPORT_CSV ? "text/csv; charset=utf-8"
                                            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   bytes, len);
    free(bytes);
}

static void h_export_csv(eo_ctx *c) { export(c, EO_TPP_EXPORT_CSV); }
static void h_export_xlsx(eo_ctx *c) { export(c, EO_TPP_EXPORT_XLSX); }

static void h_scores(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"unit_code", "items", NULL};
    eo_json_only(b, allowed, &err);
    const char *unit = eo_json_get_str(b, "unit_code", true, 64, &err);
    json_t *out = NULL;
    eo_status st = err.status == EO_OK ? eo_svc_tpp_scores_import(&c->uow, eo_param(c, 0), unit,
                                                                  json_object_get(b, "items"), &out, &err)
                                       : err.status;
    json_decref(b);
    reply(c, st, &err, 200, out);
}

static void h_mine(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_tpp_mine(&c->uow, eo_param(c, 0), &out, &err);
    reply(c, st, &err, 200, out);
}

static const eo_route routes[] = {
    {"GET", "/api/v1/tpp/rules", h_rule_list, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/tpp/rules", h_rule_create, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/tpp/rules/{id}", h_rule_get, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/tpp/rules/{id}", h_rule_update, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/tpp/months/{month}/compute", h_compute, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/tpp/months/{month}/close", h_close, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/tpp/months/{month}/reopen", h_reopen, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/tpp/months/{month}/results", h_results, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/tpp/months/{month}/export.csv", h_export_csv, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/tpp/months/{month}/export.xlsx", h_export_xlsx, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/tpp/months/{month}/kinerja-scores", h_scores, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/tpp/{month}", h_mine, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_tpp = {"tpp", routes, NULL, NULL};
