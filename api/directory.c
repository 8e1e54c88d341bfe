/* The employee directory over HTTP (docs/directory.md): search, public
 * profiles, one's own skills and "about me", recommendations. The rules and
 * SQL are svc/directory.c and db/directory.c. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/http.h"
#include "core/parse.h"
#include "svc/directory.h"

static void reply(eo_ctx *c, eo_status st, int status, json_t *out, eo_err *err)
{
    if (st)
        eo_reply_err(c, err);
    else
        eo_reply_json(c, status, out);
}

/* A list: the scope names it and its filter; the use case fills the page. */
static void page(eo_ctx *c, const char *scope,
                 eo_status (*fn)(eo_ctx *, const eo_svc_page_in *, eo_svc_page_out *, eo_err *))
{
    eo_page p;
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    eo_err err;
    eo_err_init(&err);
    if (fn(c, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

static eo_status search(eo_ctx *c, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    return eo_svc_dir_search(&c->uow, eo_query(c, "q"), in, out, err);
}

static void h_search(eo_ctx *c)
{
    /* The cursor is bound to the query (its hash: q may be 400 bytes). */
    const char *q = eo_query(c, "q");
    unsigned char h[16];
    char hex[33], scope[64];
    crypto_generichash(h, sizeof h, (const unsigned char *)(q ? q : ""), q ? strlen(q) : 0, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(scope, sizeof scope, "employees|q=%s", hex);
    page(c, scope, search);
}

static void h_profile(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_dir_profile(&c->uow, eo_param(c, 0), &out, &err);
    reply(c, st, 200, out, &err);
}

static void h_about_get(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_dir_about_get(&c->uow, &out, &err);
    reply(c, st, 200, out, &err);
}

static void h_skills_put(eo_ctx *c)
{
    static const char *const allowed[] = {"skills", NULL};
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_json_only(b, allowed, &err);
    json_t *skills = json_object_get(b, "skills");
    if (!skills || json_is_null(skills)) eo_err_field(&err, "skills", "missing_field");
    if (err.status == EO_OK) eo_svc_dir_about_set(&c->uow, skills, NULL, &out, &err);
    reply(c, err.status, 200, out, &err);
    json_decref(b);
}

static void h_about_put(eo_ctx *c)
{
    static const char *const allowed[] = {"about", NULL};
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_json_only(b, allowed, &err);
    /* "" clears; the length in characters is the use case's (bytes bound here) */
    const char *about = eo_json_get_str(b, "about", false, 4 * 2000, &err);
    if (!about && err.status == EO_OK && !json_is_null(json_object_get(b, "about")))
        eo_err_field(&err, "about", "missing_field");
    if (err.status == EO_OK) eo_svc_dir_about_set(&c->uow, NULL, about ? about : "", &out, &err);
    reply(c, err.status, 200, out, &err);
    json_decref(b);
}

/* {"text": "..."} of a recommendation's create or edit. */
static const char *reco_text(eo_ctx *c, json_t **body, eo_err *err)
{
    static const char *const allowed[] = {"text", NULL};
    *body = eo_body_object(c);
    if (!*body) return NULL;
    eo_json_only(*body, allowed, err);
    return eo_json_get_str(*body, "text", true, 4 * 1000, err);
}

static void h_reco_create(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *b, *out = NULL;
    const char *text = reco_text(c, &b, &err);
    if (!b) return;
    if (err.status == EO_OK) eo_svc_reco_create(&c->uow, eo_param(c, 0), text, &out, &err);
    reply(c, err.status, 201, out, &err);
    json_decref(b);
}

static void h_reco_edit(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "recommendation_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *b, *out = NULL;
    const char *text = reco_text(c, &b, &err);
    if (!b) return;
    if (err.status == EO_OK) eo_svc_reco_edit(&c->uow, id, text, &out, &err);
    reply(c, err.status, 200, out, &err);
    json_decref(b);
}

static void decide(eo_ctx *c, bool accept)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "recommendation_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_reco_decide(&c->uow, id, accept, &out, &err);
    reply(c, st, 200, out, &err);
}

static void h_reco_accept(eo_ctx *c) { decide(c, true); }
static void h_reco_hide(eo_ctx *c) { decide(c, false); }

static eo_status received(eo_ctx *c, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    return eo_svc_reco_list(&c->uow, true, eo_query(c, "status"), in, out, err);
}

static eo_status written(eo_ctx *c, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    return eo_svc_reco_list(&c->uow, false, NULL, in, out, err);
}

static void h_reco_received(eo_ctx *c)
{
    const char *status = eo_query(c, "status");
    char scope[96];
    snprintf(scope, sizeof scope, "reco.received|who=%lld|status=%.16s", c->who->employee_id, status ? status : "");
    page(c, scope, received);
}

static void h_reco_written(eo_ctx *c)
{
    char scope[64];
    snprintf(scope, sizeof scope, "reco.written|who=%lld", c->who->employee_id);
    page(c, scope, written);
}

static const eo_route routes[] = {
    {"GET", "/api/v1/employees", h_search, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/employees/{nip}", h_profile, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/employees/{nip}/recommendations", h_reco_create, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/skills", h_about_get, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/me/skills", h_skills_put, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/about", h_about_get, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/me/about", h_about_put, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/recommendations/received", h_reco_received, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/me/recommendations/received/{id}/accept", h_reco_accept, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/me/recommendations/received/{id}/hide", h_reco_hide, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/recommendations/written", h_reco_written, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/me/recommendations/written/{id}", h_reco_edit, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_directory = {"directory", routes, NULL, NULL};
