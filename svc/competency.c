#include "svc/competency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/presensi.h"
#include "db/authz.h"
#include "db/competency.h"
#include "db/keyset.h"
#include "svc/access.h"
#include "svc/notify.h"

json_t *eo_svc_comp_centi_json(int centi) { return json_real((double)centi / 100.0); }

static eo_status require_signed_in(const eo_uow *u, eo_err *err)
{
    return u->who ? EO_OK : eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
}

/* Field errors of the request are dropped: a non-admin learns nothing of it. */
static eo_status require_admin(const eo_uow *u, eo_err *err)
{
    if (eo_svc_access_is_admin(u)) return EO_OK;
    eo_err_clear(err);
    return eo_fail(err, u->who ? EO_ERR_FORBIDDEN : EO_ERR_UNAUTHORIZED, u->who ? "forbidden" : "unauthorized");
}

/* The employee named by nip (NULL: the caller) whom the caller may see;
 * anyone they may not see does not exist for them. */
static eo_status visible_employee(eo_uow *u, const char *nip, eo_db **db, eo_db_comp_employee *e, eo_err *err)
{
    if (require_signed_in(u, err) || eo_uow_db(u, db, err)) return err->status;
    if (!nip) return eo_db_comp_employee_by_id(*db, u->who->employee_id, e, err);
    bool found = false, ok = false;
    if (eo_db_comp_employee_by_nip(*db, nip, e, &found, err)) return err->status;
    if (found && eo_svc_access_can_view(u, *db, e->id, &ok, err)) return err->status;
    return found && ok ? EO_OK : eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
}

/* ---- read views ---- */

static json_t *profile_item(const eo_db_comp_row *w)
{
    json_t *o = json_pack("{s:s, s:s, s:s}", "code", w->code, "name", w->name, "category", w->category);
    json_object_set_new(o, "standard", w->standard ? json_integer(w->standard) : json_null());
    json_object_set_new(o, "score", w->has_score ? eo_svc_comp_centi_json(w->score_centi) : json_null());
    json_object_set_new(o, "assessed_on", w->has_score ? json_string(w->assessed_on) : json_null());
    json_object_set_new(o, "assessment_type", w->has_score ? json_string(w->type) : json_null());
    bool gap = w->has_score && w->standard > 0;
    json_object_set_new(o, "gap",
                        gap ? eo_svc_comp_centi_json(eo_competency_gap(w->score_centi, w->standard)) : json_null());
    const char *cls = eo_competency_class_name(eo_competency_classify(w->has_score, w->score_centi, w->standard));
    json_object_set_new(o, "class", cls ? json_string(cls) : json_null());
    json_object_set_new(o, "self_level", w->has_self ? eo_svc_comp_centi_json(w->self_centi) : json_null());
    json_object_set_new(o, "self_assessed_on", w->has_self ? json_string(w->self_on) : json_null());
    return o;
}

eo_status eo_svc_comp_profile(eo_uow *u, const char *nip, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    eo_db_comp_employee e;
    eo_db_comp_row *rows = NULL;
    int n = 0;
    if (visible_employee(u, nip, &db, &e, err) || eo_db_comp_profile(db, e.id, &rows, &n, err)) goto done;
    json_t *items = json_array();
    const char *last_self = NULL;
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, profile_item(&rows[i]));
        if (rows[i].has_self && (!last_self || strcmp(rows[i].self_on, last_self) > 0)) last_self = rows[i].self_on;
    }
    *out = json_pack("{s:s, s:s, s:o, s:o, s:o}", "nip", e.nip, "name", e.name, "position",
                     e.position_id ? json_pack("{s:I, s:s}", "id", (json_int_t)e.position_id, "name", e.position)
                                   : json_null(),
                     "last_self_assessment_on", last_self ? json_string(last_self) : json_null(), "items", items);
done:
    free(rows);
    return err->status;
}

eo_status eo_svc_comp_history(eo_uow *u, const char *nip, const char *code, const eo_svc_page_in *page,
                              eo_svc_page_out *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db = NULL;
    eo_db_comp_employee e;
    eo_db_keyset after;
    bool found = false;
    if (visible_employee(u, nip, &db, &e, err)) return err->status;
    if (!eo_competency_code_valid(code)) return eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
    if (eo_db_comp_exists(db, code, &found, err)) return err->status;
    if (!found) return eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
    if (eo_db_keyset_from(page->after, &after, err)) return err->status;
    return eo_db_comp_history(db, e.id, code, &after, page->limit, &out->items, &out->next, err);
}

eo_status eo_svc_comp_assessments(eo_uow *u, const char *nip, const char *type, const eo_svc_page_in *page,
                                  eo_svc_page_out *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db = NULL;
    eo_db_comp_employee e;
    eo_db_keyset after;
    eo_assessment_type t;
    if (visible_employee(u, nip, &db, &e, err)) return err->status;
    if (type && !eo_assessment_type_parse(type, &t)) {
        eo_err_field(err, "type", "invalid_value");
        return err->status;
    }
    if (eo_db_keyset_from(page->after, &after, err)) return err->status;
    return eo_db_comp_assessments(db, e.id, type, &after, page->limit, &out->items, &out->next, err);
}

json_t *eo_svc_comp_effect_json(const eo_db_comp_effect_row *w)
{
    json_t *o = json_pack("{s:s, s:s}", "code", w->code, "name", w->name);
    json_object_set_new(o, "standard", w->standard ? json_integer(w->standard) : json_null());
    json_object_set_new(o, "pre_score", w->has_pre ? eo_svc_comp_centi_json(w->pre_centi) : json_null());
    json_object_set_new(o, "pre_assessed_on", w->has_pre ? json_string(w->pre_on) : json_null());
    json_object_set_new(o, "post_score", w->has_post ? eo_svc_comp_centi_json(w->post_centi) : json_null());
    json_object_set_new(o, "post_assessed_on", w->has_post ? json_string(w->post_on) : json_null());
    bool std = w->standard > 0;
    json_object_set_new(o, "gap_before",
                        w->has_pre && std ? eo_svc_comp_centi_json(eo_competency_gap(w->pre_centi, w->standard))
                                          : json_null());
    json_object_set_new(o, "gap_after",
                        w->has_post && std ? eo_svc_comp_centi_json(eo_competency_gap(w->post_centi, w->standard))
                                           : json_null());
    json_object_set_new(o, "change",
                        w->has_pre && w->has_post ? eo_svc_comp_centi_json(w->post_centi - w->pre_centi) : json_null());
    return o;
}

eo_status eo_svc_comp_effects(eo_uow *u, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    eo_db_comp_employee e;
    eo_db_comp_effect_row *rows = NULL;
    int n = 0;
    if (visible_employee(u, NULL, &db, &e, err) || eo_db_comp_effects(db, e.id, &rows, &n, err)) goto done;
    json_t *programmes = json_array(), *cur = NULL;
    for (int i = 0; i < n; i++) {
        if (i == 0 || strcmp(rows[i].programme_ref, rows[i - 1].programme_ref) != 0) {
            cur = json_array();
            json_array_append_new(programmes, json_pack("{s:s, s:s, s:o}", "programme_ref", rows[i].programme_ref,
                                                        "last_assessed_on", rows[i].last_on, "competencies", cur));
        }
        json_array_append_new(cur, eo_svc_comp_effect_json(&rows[i]));
    }
    *out = json_pack("{s:o}", "programmes", programmes);
done:
    free(rows);
    return err->status;
}

/* ---- self-assessment ---- */

eo_status eo_svc_comp_self_form(eo_uow *u, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    eo_db_comp_employee e;
    json_t *items = NULL;
    if (visible_employee(u, NULL, &db, &e, err) || eo_db_comp_self_form(db, e.id, &items, err)) return err->status;
    *out = json_pack("{s:s, s:o, s:i, s:o}", "nip", e.nip, "position",
                     e.position_id ? json_pack("{s:I, s:s}", "id", (json_int_t)e.position_id, "name", e.position)
                                   : json_null(),
                     "justification_max_length", EO_COMPETENCY_JUSTIFY_MAX, "competencies", items);
    return EO_OK;
}

eo_status eo_svc_comp_self_submit(eo_uow *u, const eo_self_answer *answers, size_t n, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    eo_db_comp_employee e;
    char **codes = NULL, today[11];
    int n_codes = 0;
    eo_db_comp_score *scores = NULL;
    if (err->status) goto done; /* the request's own field errors (shape) */
    if (visible_employee(u, NULL, &db, &e, err) || eo_db_comp_standard_codes(db, e.id, &codes, &n_codes, err) ||
        eo_self_assessment_check((const char *const *)codes, (size_t)n_codes, answers, n, err) ||
        eo_db_comp_local_date(db, e.id, u->now, today, err))
        goto done;
    scores = calloc(n ? n : 1, sizeof(*scores));
    if (!scores) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        scores[i] = (eo_db_comp_score){answers[i].code, (int)answers[i].level * 100, answers[i].justification};
    eo_db_comp_assessment a = {.employee_id = e.id,
                               .type = "self",
                               .assessed_on = today,
                               .assessor = e.name,
                               .source = "self",
                               .created_by = e.id,
                               .scores = scores,
                               .n_scores = (int)n};
    long long id = 0, owner = 0;
    bool existed = false, same = false;
    char idt[24];
    if (eo_db_begin(db, err) || eo_db_comp_assessment_insert(db, &a, &id, &existed, &same, err)) goto rollback;
    snprintf(idt, sizeof idt, "%lld", id);
    eo_notice notice = {.kind = "assessment.self_submitted",
                        .title = "Asesmen mandiri bawahan Anda telah diisi",
                        .body = e.name,
                        .target_type = "assessment",
                        .target_id = idt};
    if (eo_db_comp_assessment_get(db, id, out, &owner, err) ||
        eo_uow_audit(u, "competency.self_assessment", "assessment", idt, NULL, err) ||
        eo_svc_notify(u, EO_NOTIFY_SUPERVISOR, e.id, &notice, NULL, err) || eo_db_commit(db, err))
        goto rollback;
    goto done;
rollback:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
done:
    free(scores);
    eo_db_comp_codes_free(codes, n_codes);
    return err->status;
}

/* ---- recording ---- */

/* Admin, or an anpeg whose unit covers the employee; never the employee themselves
 * (an anpeg's subtree holds their own unit: nobody records their own official score). */
static eo_status may_record(eo_uow *u, eo_db *db, long long target, eo_err *err)
{
    if (u->who->employee_id == target) return eo_fail(err, EO_ERR_FORBIDDEN, "assessment_own");
    bool ok = eo_svc_access_is_admin(u);
    if (!ok && (u->who->roles & EO_ROLE_ANPEG) && eo_db_authz_anpeg_covers(db, u->who->employee_id, target, &ok, err))
        return err->status;
    return ok ? EO_OK : eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
}

static void validate_record(const eo_svc_comp_record_in *in, eo_err *err)
{
    eo_assessment_type t;
    int y, m, d;
    if (in->type && (!eo_assessment_type_parse(in->type, &t) || t == EO_ASSESS_SELF))
        eo_err_field(err, "type", "invalid_value");
    if (in->assessed_on && !eo_presensi_parse_date(in->assessed_on, &y, &m, &d))
        eo_err_field(err, "assessed_on", "invalid_value");
    bool prepost = in->type && (strcmp(in->type, "pre") == 0 || strcmp(in->type, "post") == 0);
    if (prepost && !in->programme_ref) eo_err_field(err, "programme_ref", "missing_field");
    if (in->type && !prepost && in->programme_ref && strcmp(in->type, "assessment_centre") == 0)
        eo_err_field(err, "programme_ref", "not_allowed");
    for (size_t i = 0; i < in->n_scores; i++)
        for (size_t k = 0; k < i; k++)
            if (in->scores[i].code && in->scores[k].code && strcmp(in->scores[i].code, in->scores[k].code) == 0) {
                char f[48];
                snprintf(f, sizeof f, "scores[%zu].code", i);
                eo_err_field(err, f, "answer_repeated");
            }
}

eo_status eo_svc_comp_record(eo_uow *u, const eo_svc_comp_record_in *in, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    eo_db_comp_employee e;
    /* who may act is settled before the request's shape is judged: set its field errors aside */
    eo_err shape = *err;
    eo_err_init(err);
    if (visible_employee(u, in->nip, &db, &e, err) || may_record(u, db, e.id, err)) {
        eo_err_clear(&shape);
        return err->status;
    }
    *err = shape;
    validate_record(in, err);
    if (err->status) return err->status;
    char today[11];
    if (eo_db_comp_local_date(db, e.id, u->now, today, err)) return err->status;
    if (strcmp(in->assessed_on, today) > 0) {
        eo_err_field(err, "assessed_on", "date_in_future");
        return err->status;
    }
    json_t *codes = json_array(), *unknown = NULL;
    for (size_t i = 0; i < in->n_scores; i++) json_array_append_new(codes, json_string(in->scores[i].code));
    eo_status st = eo_db_comp_unknown_codes(db, codes, &unknown, err);
    json_decref(codes);
    if (st) return st;
    size_t k;
    json_t *v;
    json_array_foreach(unknown, k, v)
    {
        for (size_t i = 0; i < in->n_scores; i++)
            if (strcmp(in->scores[i].code, json_string_value(v)) == 0) {
                char f[48];
                snprintf(f, sizeof f, "scores[%zu].code", i);
                eo_err_field(err, f, "competency_not_found");
            }
    }
    json_decref(unknown);
    if (err->status) return err->status;

    eo_db_comp_score *scores = calloc(in->n_scores ? in->n_scores : 1, sizeof(*scores));
    if (!scores) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    for (size_t i = 0; i < in->n_scores; i++)
        scores[i] = (eo_db_comp_score){in->scores[i].code, in->scores[i].score_centi, NULL};
    eo_db_comp_assessment a = {.employee_id = e.id,
                               .type = in->type,
                               .assessed_on = in->assessed_on,
                               .assessor = in->assessor,
                               .source = "manual",
                               .programme_ref = in->programme_ref,
                               .created_by = u->who->employee_id,
                               .scores = scores,
                               .n_scores = (int)in->n_scores};
    long long id = 0, owner = 0;
    bool existed = false, same = false;
    char idt[24];
    if (eo_db_begin(db, err) || eo_db_comp_assessment_insert(db, &a, &id, &existed, &same, err)) goto rollback;
    snprintf(idt, sizeof idt, "%lld", id);
    eo_notice notice = {.kind = "assessment.recorded",
                        .title = "Hasil asesmen kompetensi Anda telah dicatat",
                        .body = in->type,
                        .target_type = "assessment",
                        .target_id = idt};
    if (eo_db_comp_assessment_get(db, id, out, &owner, err) ||
        eo_uow_audit(u, "competency.assessment_record", "assessment", idt, *out, err) ||
        eo_svc_notify(u, EO_NOTIFY_EMPLOYEE, e.id, &notice, NULL, err) || eo_db_commit(db, err))
        goto rollback;
    free(scores);
    return EO_OK;
rollback:
    eo_db_rollback(db);
    free(scores);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

/* ---- dictionary ---- */

eo_status eo_svc_comp_dict_list(eo_uow *u, bool active_only, const eo_svc_page_in *page, eo_svc_page_out *out,
                                eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db = NULL;
    eo_db_keyset after;
    if (require_signed_in(u, err) || eo_uow_db(u, &db, err) || eo_db_keyset_from(page->after, &after, err))
        return err->status;
    return eo_db_comp_list(db, active_only, &after, page->limit, &out->items, &out->next, err);
}

eo_status eo_svc_comp_dict_get(eo_uow *u, const char *code, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_signed_in(u, err)) return err->status;
    if (!eo_competency_code_valid(code)) return eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_db_comp_get(db, code, out, err);
}

static void validate_def(const eo_svc_comp_def_in *in, eo_err *err)
{
    if (in->code && !eo_competency_code_valid(in->code)) eo_err_field(err, "code", "invalid_value");
    if (in->category && !eo_competency_category_valid(in->category)) eo_err_field(err, "category", "invalid_value");
    if (in->name && strspn(in->name, " \t\r\n") == strlen(in->name)) eo_err_field(err, "name", "missing_field");
}

static eo_status dict_write(eo_uow *u, const eo_svc_comp_def_in *in, bool create, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_admin(u, err)) return err->status;
    if (!create && !eo_competency_code_valid(in->code)) {
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
    }
    validate_def(in, err);
    if (err->status || eo_uow_db(u, &db, err)) return err->status;
    eo_db_comp_def d = {in->code, in->name, in->category, in->description, in->active};
    if (eo_db_begin(db, err) || (create ? eo_db_comp_create(db, &d, err) : eo_db_comp_update(db, &d, err)) ||
        eo_db_comp_get(db, in->code, out, err) ||
        eo_uow_audit(u, create ? "competency.create" : "competency.update", "competency", in->code, *out, err) ||
        eo_db_commit(db, err)) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
    }
    return err->status;
}

eo_status eo_svc_comp_dict_create(eo_uow *u, const eo_svc_comp_def_in *in, json_t **out, eo_err *err)
{
    return dict_write(u, in, true, out, err);
}

eo_status eo_svc_comp_dict_update(eo_uow *u, const eo_svc_comp_def_in *in, json_t **out, eo_err *err)
{
    return dict_write(u, in, false, out, err);
}

eo_status eo_svc_comp_level_put(eo_uow *u, const char *code, long long level, const char *description,
                                const json_t *indicators, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_admin(u, err)) return err->status;
    if (!eo_competency_code_valid(code) || level < 1 || level > 5) {
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_NOT_FOUND,
                       eo_competency_code_valid(code) ? "level_not_found" : "competency_not_found");
    }
    if (description && strspn(description, " \t\r\n") == strlen(description))
        eo_err_field(err, "description", "missing_field");
    if (err->status || eo_uow_db(u, &db, err)) return err->status;
    json_t *empty = json_array();
    char target[48];
    snprintf(target, sizeof target, "%s/%lld", code, level);
    if (eo_db_begin(db, err) ||
        eo_db_comp_level_put(db, code, (int)level, description, indicators ? indicators : empty, err) ||
        eo_db_comp_get(db, code, out, err) ||
        eo_uow_audit(u, "competency.level_put", "competency_level", target, NULL, err) || eo_db_commit(db, err)) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
    }
    json_decref(empty);
    return err->status;
}

eo_status eo_svc_comp_standards_get(eo_uow *u, long long position_id, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_admin(u, err)) return err->status;
    if (position_id <= 0) return eo_fail(err, EO_ERR_NOT_FOUND, "position_not_found");
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_db_comp_standards_get(db, position_id, out, err);
}

eo_status eo_svc_comp_standard_put(eo_uow *u, long long position_id, const char *code, int level, json_t **out,
                                   eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_admin(u, err)) return err->status;
    if (position_id <= 0) {
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_NOT_FOUND, "position_not_found");
    }
    if (!eo_competency_code_valid(code)) {
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
    }
    if (err->status || eo_uow_db(u, &db, err)) return err->status;
    char target[64];
    snprintf(target, sizeof target, "%lld/%s", position_id, code);
    json_t *details = json_pack("{s:i}", "required_level", level);
    if (eo_db_begin(db, err) || eo_db_comp_standard_put(db, position_id, code, level, err) ||
        eo_db_comp_standards_get(db, position_id, out, err) ||
        eo_uow_audit(u, level ? "competency.standard_put" : "competency.standard_delete", "position_standard", target,
                     details, err) ||
        eo_db_commit(db, err)) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
    }
    json_decref(details);
    return err->status;
}

/* ---- report documents ---- */

eo_status eo_svc_comp_report_attach(eo_uow *u, const char *nip, long long id, eo_attachment *a,
                                    const unsigned char *bytes, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    eo_db_comp_employee e;
    long long owner = 0, report = 0, db_now = 0;
    if (visible_employee(u, nip, &db, &e, err) || may_record(u, db, e.id, err)) return err->status;
    if (id <= 0) return eo_fail(err, EO_ERR_NOT_FOUND, "assessment_not_found");
    if (eo_db_comp_report_state(db, id, false, &owner, &report, &db_now, err)) return err->status;
    if (owner != e.id) return eo_fail(err, EO_ERR_NOT_FOUND, "assessment_not_found");
    if (report) return eo_fail(err, EO_ERR_CONFLICT, "report_exists");
    /* the object is durable before any row names it; no connection is held meanwhile */
    eo_uow_db_release(u);
    if (eo_svc_attachment_put(u, a, bytes, err) || eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    long long now_after = 0;
    if (eo_db_comp_report_state(db, id, true, &owner, &report, &now_after, err)) goto rollback;
    if (report) {
        eo_fail(err, EO_ERR_CONFLICT, "report_exists");
        goto rollback;
    }
    if (eo_svc_attachment_insert(u, a, e.id, db_now, err) || eo_db_comp_report_set(db, id, a->id, err) ||
        eo_db_comp_assessment_get(db, id, out, &owner, err) ||
        eo_uow_audit(u, "competency.report_attach", "assessment", idt, NULL, err) || eo_db_commit(db, err))
        goto rollback;
    return EO_OK;
rollback:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

static eo_status may_read_report(eo_uow *u, long long owner, bool *allowed, eo_err *err)
{
    eo_db *db = NULL;
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_svc_access_can_view(u, db, owner, allowed, err);
}

eo_status eo_svc_comp_report_read(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db = NULL;
    long long owner = 0, report = 0, db_now = 0;
    if (require_signed_in(u, err) || eo_uow_db(u, &db, err)) return err->status;
    if (id <= 0) return eo_fail(err, EO_ERR_NOT_FOUND, "report_not_found");
    if (eo_db_comp_report_state(db, id, false, &owner, &report, &db_now, err)) {
        if (err->status != EO_ERR_NOT_FOUND) return err->status;
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_NOT_FOUND, "report_not_found");
    }
    if (!report) return eo_fail(err, EO_ERR_NOT_FOUND, "report_not_found");
    return eo_svc_attachment_read(u, "assessment.report", report, may_read_report, "report_not_found", out, err);
}
