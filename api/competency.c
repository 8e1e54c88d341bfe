/* Competencies (docs/competency.md): the employee's profile against the
 * position standard, history, pre/post effects, the self-assessment; the
 * views of an employee for the atasan chain, anpeg and admin; recording
 * assessments; the dictionary and position standards (admin). */
#include "api/competency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/multipart.h"
#include "core/parse.h"
#include "svc/competency.h"

#define MAX_SCORES EO_COMPETENCY_MAX_PER_PROFILE

#define COMP_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10)) /* see api/competency.h */

void eo_comp_reply(eo_ctx *c, int status, json_t *body) { eo_reply_json_as(c, status, body, COMP_JSON_FLAGS); }

void eo_comp_reply_page(eo_ctx *c, eo_page *p, json_t *items, json_t *next)
{
    eo_reply_page_as(c, p, items, next, COMP_JSON_FLAGS);
}

static void reply_or_err(eo_ctx *c, eo_status st, int status, json_t *out, eo_err *err)
{
    if (st)
        eo_reply_err(c, err);
    else
        eo_comp_reply(c, status, out);
    eo_err_clear(err);
}

/* ---- the employee's own views ---- */

static void profile(eo_ctx *c, const char *nip)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_comp_profile(&c->uow, nip, &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void h_me_profile(eo_ctx *c) { profile(c, NULL); }
static void h_employee_profile(eo_ctx *c) { profile(c, eo_param(c, 0)); }

static void history(eo_ctx *c, const char *nip, const char *code)
{
    char scope[256];
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    snprintf(scope, sizeof scope, "competency.history|nip=%zu:%s|code=%zu:%s", nip ? strlen(nip) : 0, nip ? nip : "",
             strlen(code), code);
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    if (eo_svc_comp_history(&c->uow, nip, code, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        eo_err_clear(&err);
        return;
    }
    eo_comp_reply_page(c, &p, out.items, out.next);
}

static void h_me_history(eo_ctx *c) { history(c, NULL, eo_param(c, 0)); }
static void h_employee_history(eo_ctx *c) { history(c, eo_param(c, 0), eo_param(c, 1)); }

static void assessments(eo_ctx *c, const char *nip)
{
    char scope[256];
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    const char *type = eo_query(c, "type");
    if (type && !*type) type = NULL;
    if (type && strlen(type) > 32) {
        eo_err_field(&err, "type", "invalid_value");
        eo_reply_err(c, &err);
        return;
    }
    snprintf(scope, sizeof scope, "competency.assessments|nip=%zu:%s|type=%zu:%s", nip ? strlen(nip) : 0,
             nip ? nip : "", type ? strlen(type) : 0, type ? type : "");
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    if (eo_svc_comp_assessments(&c->uow, nip, type, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        eo_err_clear(&err);
        return;
    }
    eo_comp_reply_page(c, &p, out.items, out.next);
}

static void h_me_assessments(eo_ctx *c) { assessments(c, NULL); }
static void h_employee_assessments(eo_ctx *c) { assessments(c, eo_param(c, 0)); }

static void h_me_effects(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_comp_effects(&c->uow, &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

/* ---- self-assessment ---- */

static void h_self_form(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_comp_self_form(&c->uow, &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void h_self_submit(eo_ctx *c)
{
    static const char *const allowed[] = {"answers", NULL};
    static const char *const answer_keys[] = {"code", "level", "justification", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    json_t *list = json_object_get(body, "answers");
    eo_self_answer answers[MAX_SCORES];
    size_t n = 0;
    if (!list || json_is_null(list))
        eo_err_field(&err, "answers", "missing_field");
    else if (!json_is_array(list))
        eo_err_field(&err, "answers", "invalid_type");
    else if (json_array_size(list) > MAX_SCORES)
        eo_err_field(&err, "answers", "too_many_items");
    else {
        size_t i;
        json_t *a;
        json_array_foreach(list, i, a)
        {
            char f[64];
            if (!json_is_object(a)) {
                snprintf(f, sizeof f, "answers[%zu]", i);
                eo_err_field(&err, f, "invalid_type");
                continue;
            }
            eo_err sub;
            eo_err_init(&sub);
            eo_json_only(a, answer_keys, &sub);
            eo_self_answer *x = &answers[n++];
            x->code = eo_json_get_str(a, "code", true, 40, &sub);
            x->level = eo_json_get_int(a, "level", true, 1, 5, 0, &sub);
            /* the length rule is core's (eo_self_assessment_check); the body limit bounds it here */
            x->justification = eo_json_get_str(a, "justification", false, 1u << 20, &sub);
            for (int k = 0; k < sub.n_fields; k++) {
                snprintf(f, sizeof f, "answers[%zu].%.20s", i, sub.fields[k].field);
                eo_err_field(&err, f, sub.fields[k].code);
            }
            eo_err_clear(&sub);
        }
    }
    json_t *out = NULL;
    eo_status st = eo_svc_comp_self_submit(&c->uow, answers, n, &out, &err);
    reply_or_err(c, st, 201, out, &err);
    json_decref(body);
}

/* ---- recording an assessment ---- */

/* Reads "scores": [{code, score}] into s (at most MAX_SCORES). */
static size_t read_scores(json_t *body, eo_svc_comp_score *s, eo_err *err)
{
    static const char *const keys[] = {"code", "score", NULL};
    json_t *list = json_object_get(body, "scores");
    size_t n = 0, i;
    json_t *a;
    if (!list || json_is_null(list)) {
        eo_err_field(err, "scores", "missing_field");
        return 0;
    }
    if (!json_is_array(list)) {
        eo_err_field(err, "scores", "invalid_type");
        return 0;
    }
    if (json_array_size(list) == 0) {
        eo_err_field(err, "scores", "missing_field");
        return 0;
    }
    if (json_array_size(list) > MAX_SCORES) {
        eo_err_field(err, "scores", "too_many_items");
        return 0;
    }
    json_array_foreach(list, i, a)
    {
        char f[64];
        if (!json_is_object(a)) {
            snprintf(f, sizeof f, "scores[%zu]", i);
            eo_err_field(err, f, "invalid_type");
            continue;
        }
        eo_err sub;
        eo_err_init(&sub);
        eo_json_only(a, keys, &sub);
        const char *code = eo_json_get_str(a, "code", true, 40, &sub);
        double v = eo_json_get_num(a, "score", true, 0, 5, -1, &sub);
        int centi = 0;
        if (v >= 0 && !eo_competency_score_from_double(v, &centi)) eo_err_field(&sub, "score", "invalid_value");
        if (code && !eo_competency_code_valid(code)) eo_err_field(&sub, "code", "competency_not_found");
        for (int k = 0; k < sub.n_fields; k++) {
            snprintf(f, sizeof f, "scores[%zu].%.20s", i, sub.fields[k].field);
            eo_err_field(err, f, sub.fields[k].code);
        }
        if (sub.status == EO_OK) s[n++] = (eo_svc_comp_score){code, centi};
        eo_err_clear(&sub);
    }
    return n;
}

static void h_record(eo_ctx *c)
{
    static const char *const allowed[] = {"type", "assessed_on", "assessor", "programme_ref", "scores", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    eo_svc_comp_score scores[MAX_SCORES];
    eo_svc_comp_record_in in = {.nip = eo_param(c, 0),
                                .type = eo_json_get_str(body, "type", true, 32, &err),
                                .assessed_on = eo_json_get_str(body, "assessed_on", true, 10, &err),
                                .assessor = eo_json_get_str(body, "assessor", true, 200, &err),
                                .programme_ref = eo_json_get_str(body, "programme_ref", false, 200, &err),
                                .scores = scores};
    in.n_scores = read_scores(body, scores, &err);
    json_t *out = NULL;
    eo_status st = eo_svc_comp_record(&c->uow, &in, &out, &err);
    reply_or_err(c, st, 201, out, &err);
    json_decref(body);
}

/* ---- report documents ---- */

static void h_report_put(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_multipart_form form;
    long long id = 0;
    if (!eo_parse_id(eo_param(c, 1), &id)) id = 0;
    if (eo_multipart_parse(eo_header(c, "Content-Type"), c->req->binary_body, c->req->binary_body_length, &form,
                           &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    const eo_multipart_part *doc = eo_multipart_get(&form, "report");
    eo_attachment a;
    json_t *out = NULL;
    if (!doc || doc->len == 0)
        eo_err_field(&err, "report", "missing_field");
    else if (form.n != 1)
        eo_err_field(&err, "report", "invalid_value");
    if (err.status || eo_svc_attachment_check(&eo_attachment_assessment_report, doc->data, doc->len, &a, &err) ||
        eo_svc_comp_report_attach(&c->uow, eo_param(c, 0), id, &a, doc->data, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_comp_reply(c, 201, out);
    eo_err_clear(&err);
}

static void h_report_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "report_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_attachment_blob blob;
    if (eo_svc_comp_report_read(&c->uow, id, &blob, &err) != EO_OK) {
        eo_reply_err(c, &err);
        eo_err_clear(&err);
        return;
    }
    eo_set_header(c, "Content-Disposition", "attachment; filename=\"assessment-report.pdf\"");
    eo_reply_bytes(c, 200, blob.content_type, blob.data, blob.len);
    eo_svc_attachment_blob_free(&blob);
}

/* ---- the dictionary ---- */

static void h_dict_list(eo_ctx *c)
{
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    const char *all = eo_query(c, "include_inactive");
    bool active_only = !(all && strcmp(all, "true") == 0);
    if (!eo_page_or_reply(c, active_only ? "competency.dict|active" : "competency.dict|all", EO_PAGE_DEFAULT,
                          EO_PAGE_MAX, &p))
        return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    if (eo_svc_comp_dict_list(&c->uow, active_only, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        eo_err_clear(&err);
        return;
    }
    eo_comp_reply_page(c, &p, out.items, out.next);
}

static void h_dict_get(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_comp_dict_get(&c->uow, eo_param(c, 0), &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void dict_write(eo_ctx *c, bool create)
{
    static const char *const create_keys[] = {"code", "name", "category", "description", "active", NULL};
    static const char *const update_keys[] = {"name", "category", "description", "active", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, create ? create_keys : update_keys, &err);
    eo_svc_comp_def_in in = {
        .code = create ? eo_json_get_str(body, "code", true, 40, &err) : eo_param(c, 0),
        .name = eo_json_get_str(body, "name", create, 200, &err),
        .category = eo_json_get_str(body, "category", create, 16, &err),
        .description = eo_json_get_str(body, "description", false, 4000, &err),
        .active = eo_json_get_bool(body, "active", false, create ? 1 : -1, &err),
    };
    json_t *out = NULL;
    eo_status st =
        create ? eo_svc_comp_dict_create(&c->uow, &in, &out, &err) : eo_svc_comp_dict_update(&c->uow, &in, &out, &err);
    reply_or_err(c, st, create ? 201 : 200, out, &err);
    json_decref(body);
}

static void h_dict_create(eo_ctx *c) { dict_write(c, true); }
static void h_dict_update(eo_ctx *c) { dict_write(c, false); }

static void h_level_put(eo_ctx *c)
{
    static const char *const keys[] = {"description", "indicators", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, keys, &err);
    const char *description = eo_json_get_str(body, "description", true, 4000, &err);
    json_t *ind = json_object_get(body, "indicators");
    if (ind && !json_is_null(ind)) {
        size_t i;
        json_t *v;
        if (!json_is_array(ind))
            eo_err_field(&err, "indicators", "invalid_type");
        else if (json_array_size(ind) > 10)
            eo_err_field(&err, "indicators", "too_many_items");
        else
            json_array_foreach(ind, i, v)
            {
                if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 500) {
                    eo_err_field(&err, "indicators", "invalid_value");
                    break;
                }
            }
    } else {
        ind = NULL;
    }
    long long level = 0;
    if (!eo_parse_int(eo_param(c, 1), 1, 5, &level)) level = 0;
    json_t *out = NULL;
    eo_status st = eo_svc_comp_level_put(&c->uow, eo_param(c, 0), level, description, ind, &out, &err);
    reply_or_err(c, st, 200, out, &err);
    json_decref(body);
}

static long long position_param(eo_ctx *c)
{
    long long id = 0;
    return eo_parse_id(eo_param(c, 0), &id) ? id : 0;
}

static void h_standards_get(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_status st = eo_svc_comp_standards_get(&c->uow, position_param(c), &out, &err);
    reply_or_err(c, st, 200, out, &err);
}

static void h_standard_put(eo_ctx *c)
{
    static const char *const keys[] = {"required_level", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, keys, &err);
    long long level = eo_json_get_int(body, "required_level", true, 1, 5, 0, &err);
    json_t *out = NULL;
    eo_status st = eo_svc_comp_standard_put(&c->uow, position_param(c), eo_param(c, 1), (int)level, &out, &err);
    reply_or_err(c, st, 200, out, &err);
    json_decref(body);
}

static void h_standard_delete(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (eo_svc_comp_standard_put(&c->uow, position_param(c), eo_param(c, 1), 0, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_empty(c, 204);
    json_decref(out);
    eo_err_clear(&err);
}

#define R EO_R_AUTH | EO_R_NO_STORE
static const eo_route routes[] = {
    {"GET", "/api/v1/me/competencies", h_me_profile, R},
    {"GET", "/api/v1/me/competencies/effects", h_me_effects, R},
    {"GET", "/api/v1/me/competencies/{code}/history", h_me_history, R},
    {"GET", "/api/v1/me/assessments", h_me_assessments, R},
    {"GET", "/api/v1/me/self-assessment", h_self_form, R},
    {"POST", "/api/v1/me/self-assessments", h_self_submit, R},
    {"GET", "/api/v1/employees/{nip}/competencies", h_employee_profile, R},
    {"GET", "/api/v1/employees/{nip}/competencies/{code}/history", h_employee_history, R},
    {"GET", "/api/v1/employees/{nip}/assessments", h_employee_assessments, R},
    {"POST", "/api/v1/employees/{nip}/assessments", h_record, R},
    {"PUT", "/api/v1/employees/{nip}/assessments/{id}/report", h_report_put, R | EO_R_UPLOAD},
    {"GET", "/api/v1/assessments/{id}/report", h_report_get, R},
    {"GET", "/api/v1/competencies", h_dict_list, EO_R_AUTH},
    {"GET", "/api/v1/competencies/{code}", h_dict_get, EO_R_AUTH},
    {"POST", "/api/v1/admin/competencies", h_dict_create, R},
    {"PATCH", "/api/v1/admin/competencies/{code}", h_dict_update, R},
    {"PUT", "/api/v1/admin/competencies/{code}/levels/{level}", h_level_put, R},
    {"GET", "/api/v1/admin/positions/{id}/standards", h_standards_get, R},
    {"PUT", "/api/v1/admin/positions/{id}/standards/{code}", h_standard_put, R},
    {"DELETE", "/api/v1/admin/positions/{id}/standards/{code}", h_standard_delete, R},
    {NULL, NULL, NULL, 0},
};
#undef R

const eo_module eo_module_competency = {"competency", routes, NULL, NULL};
