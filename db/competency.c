#include "db/competency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rows.h"

#define ID_TEXT 24

static void ll_text(char *buf, long long v) { snprintf(buf, ID_TEXT, "%lld", v); }

/* A nullable score in hundredths: *has tells NULL from 0. */
static int opt_centi(PGresult *r, int row, int col, bool *has)
{
    *has = eo_db_get(r, row, col) != NULL;
    return (int)eo_db_get_ll(r, row, col);
}

/* Zeroed room for r's rows of `size` bytes each (one at least), *count = the
 * number of rows; NULL, r cleared and err set when out of memory. */
static void *rows_alloc(PGresult *r, size_t size, int *count, eo_err *err)
{
    *count = PQntuples(r);
    void *rows = calloc((size_t)(*count ? *count : 1), size);
    if (!rows) {
        PQclear(r);
        eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    return rows;
}

static void fill_employee(PGresult *r, eo_db_comp_employee *out)
{
    memset(out, 0, sizeof(*out));
    out->id = eo_db_get_ll(r, 0, 0);
    out->position_id = eo_db_get_ll(r, 0, 1);
    eo_db_copy(out->nip, sizeof out->nip, r, 0, 2);
    eo_db_copy(out->name, sizeof out->name, r, 0, 3);
    eo_db_copy(out->position, sizeof out->position, r, 0, 4);
}

// clang-format off
#define EMPLOYEE_SQL \
    "select e.id, e.position_id, e.nip, e.name, coalesce(p.name, '') " \
    "from employees e left join positions p on p.id = e.position_id "
// clang-format on

eo_status eo_db_comp_employee_by_nip(eo_db *db, const char *nip, eo_db_comp_employee *out, bool *found, eo_err *err)
{
    *found = false;
    if (!nip || strlen(nip) != 18 || strspn(nip, "0123456789") != 18) return EO_OK;
    const char *p[] = {nip};
    PGresult *r = eo_db_one(db, "comp_emp_nip", EMPLOYEE_SQL "where e.nip = $1", 1, p, NULL, err);
    if (!r) return err->status;
    fill_employee(r, out);
    *found = true;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_comp_employee_by_id(eo_db *db, long long id, eo_db_comp_employee *out, eo_err *err)
{
    char t[ID_TEXT];
    ll_text(t, id);
    const char *p[] = {t};
    PGresult *r = eo_db_one(db, "comp_emp_id", EMPLOYEE_SQL "where e.id = $1", 1, p, "employee_not_found", err);
    if (!r) return err->status;
    fill_employee(r, out);
    PQclear(r);
    return EO_OK;
}

/* ---- the dictionary ---- */

eo_status eo_db_comp_create(eo_db *db, const eo_db_comp_def *d, eo_err *err)
{
    const char *p[] = {d->code, d->name, d->category, d->description ? d->description : "",
                       d->active == 0 ? "false" : "true"};
    PGresult *r = eo_db_exec(db, NULL,
                             "insert into competencies (code, name, category, description, active) "
                             "values ($1, $2, $3, $4, $5::boolean) on conflict (code) do nothing returning id",
                             5, p, err);
    if (!r) return eo_db_value_error(db, err);
    bool created = PQntuples(r) == 1;
    PQclear(r);
    return created ? EO_OK : eo_fail(err, EO_ERR_CONFLICT, "competency_exists");
}

eo_status eo_db_comp_update(eo_db *db, const eo_db_comp_def *d, eo_err *err)
{
    const char *active = d->active < 0 ? NULL : (d->active ? "true" : "false");
    const char *p[] = {d->code, d->name, d->category, d->description, active};
    PGresult *r = eo_db_exec(db, NULL,
                             "update competencies set name = coalesce($2, name), category = coalesce($3, category), "
                             "  description = coalesce($4, description), active = coalesce($5::boolean, active) "
                             "where code = $1 returning id",
                             5, p, err);
    if (!r) return eo_db_value_error(db, err);
    bool found = PQntuples(r) == 1;
    PQclear(r);
    return found ? EO_OK : eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
}

eo_status eo_db_comp_level_put(eo_db *db, const char *code, int level, const char *description,
                               const json_t *indicators, eo_err *err)
{
    char lv[8];
    snprintf(lv, sizeof lv, "%d", level);
    char *ind = json_dumps(indicators, JSON_COMPACT);
    if (!ind) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    const char *p[] = {code, lv, description, ind};
    PGresult *r = eo_db_exec(db, NULL,
                             "insert into competency_levels (competency_id, level, description, indicators) "
                             "select id, $2::smallint, $3, $4::jsonb from competencies where code = $1 "
                             "on conflict (competency_id, level) do update set description = excluded.description, "
                             "  indicators = excluded.indicators returning competency_id",
                             4, p, err);
    free(ind);
    if (!r) return eo_db_value_error(db, err);
    bool found = PQntuples(r) == 1;
    PQclear(r);
    if (found) {
        const char *q[] = {code};
        return eo_db_run(db, "update competencies set updated_at = now() where code = $1", 1, q, err);
    }
    return eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
}

// clang-format off
#define COMP_JSON \
    "json_build_object('code', c.code, 'name', c.name, 'category', c.category, " \
    "  'description', c.description, 'active', c.active, " \
    "  'updated_at', " EO_DB_TS("c.updated_at") ", " \
    "  'levels', coalesce((select json_agg(json_build_object('level', l.level, " \
    "      'description', l.description, 'indicators', l.indicators) order by l.level) " \
    "    from competency_levels l where l.competency_id = c.id), '[]'::json))::text"
// clang-format on

eo_status eo_db_comp_get(eo_db *db, const char *code, json_t **out, eo_err *err)
{
    const char *p[] = {code};
    PGresult *r = eo_db_one(db, NULL, "select " COMP_JSON " from competencies c where c.code = $1", 1, p,
                            "competency_not_found", err);
    return eo_db_json_take(r, 0, out, err);
}

eo_status eo_db_comp_list(eo_db *db, bool active_only, const eo_db_keyset *after, int limit, json_t **items,
                          json_t **next, eo_err *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {after->set ? after->at : NULL, after->set ? after->id : NULL, lim,
                       active_only ? "true" : "false"};
    PGresult *r = eo_db_exec(
        db, "comp_list",
        "select " COMP_JSON ", " EO_DB_KEYSET_TS(
            "c.created_at") ", c.id from competencies c "
                            "where ($1::timestamptz is null or (c.created_at, c.id) > ($1::timestamptz, $2::bigint)) "
                            "  and (not $4::boolean or c.active) "
                            "order by c.created_at, c.id limit $3::int",
        4, p, err);
    return eo_db_json_page_take(r, limit, items, next, err);
}

/* ---- position standards ---- */

eo_status eo_db_comp_standards_get(eo_db *db, long long position_id, json_t **out, eo_err *err)
{
    char t[ID_TEXT];
    ll_text(t, position_id);
    const char *p[] = {t};
    PGresult *r = eo_db_one(
        db, NULL,
        "select json_build_object('position', json_build_object('id', p.id, 'name', p.name, 'type', p.type), "
        "  'items', coalesce((select json_agg(json_build_object('code', c.code, 'name', c.name, "
        "      'category', c.category, 'required_level', s.required_level, "
        "      'updated_at', " EO_DB_TS(
            "s.updated_at") ") order by c.category, c.code) "
                            "    from position_standards s join competencies c on c.id = s.competency_id "
                            "    where s.position_id = p.id), '[]'::json))::text from positions p where p.id = $1",
        1, p, "position_not_found", err);
    return eo_db_json_take(r, 0, out, err);
}

eo_status eo_db_comp_standard_put(eo_db *db, long long position_id, const char *code, int level, eo_err *err)
{
    char t[ID_TEXT], lv[8];
    ll_text(t, position_id);
    snprintf(lv, sizeof lv, "%d", level);
    const char *p[] = {t, code};
    PGresult *r = eo_db_one(db, NULL,
                            "select (select id from positions where id = $1), (select id from competencies "
                            "where code = $2)",
                            2, p, NULL, err);
    if (!r) return err->status;
    bool has_pos = eo_db_get(r, 0, 0) != NULL, has_comp = eo_db_get(r, 0, 1) != NULL;
    PQclear(r);
    if (!has_pos) return eo_fail(err, EO_ERR_NOT_FOUND, "position_not_found");
    if (!has_comp) return eo_fail(err, EO_ERR_NOT_FOUND, "competency_not_found");
    if (level == 0) {
        r = eo_db_exec(db, NULL,
                       "delete from position_standards where position_id = $1 and competency_id = "
                       "(select id from competencies where code = $2)",
                       2, p, err);
        if (!r) return err->status;
        long long n = eo_db_affected(r);
        PQclear(r);
        return n ? EO_OK : eo_fail(err, EO_ERR_NOT_FOUND, "standard_not_found");
    }
    const char *q[] = {t, code, lv};
    return eo_db_run(db,
                     "insert into position_standards (position_id, competency_id, required_level) "
                     "select $1, id, $3::smallint from competencies where code = $2 "
                     "on conflict (position_id, competency_id) do update set required_level = "
                     "excluded.required_level, updated_at = now()",
                     3, q, err);
}

/* ---- an employee's profile ---- */

// clang-format off
#define LATEST_CTE(name, cond) \
    name " as (select distinct on (s.competency_id) s.competency_id, (s.score * 100)::int as centi, " \
    "  a.assessed_on, a.type from assessments a join assessment_scores s on s.assessment_id = a.id " \
    "  where a.employee_id = $1 and " cond \
    "  order by s.competency_id, a.assessed_on desc, a.id desc)"
#define CATEGORY_ORDER "case c.category when 'managerial' then 1 when 'sociocultural' then 2 else 3 end"
// clang-format on

eo_status eo_db_comp_profile(eo_db *db, long long employee_id, eo_db_comp_row **rows, int *n, eo_err *err)
{
    *rows = NULL;
    *n = 0;
    char t[ID_TEXT];
    ll_text(t, employee_id);
    const char *p[] = {t};
    PGresult *r = eo_db_exec(
        db, "comp_profile",
        "with std as (select s.competency_id, s.required_level from position_standards s "
        "  join employees e on e.position_id = s.position_id where e.id = $1), " LATEST_CTE(
            "latest",
            "a.type <> 'self'") ", " LATEST_CTE("selfl",
                                                "a.type = 'self'") " select c.code, c.name, c.category, "
                                                                   "coalesce(std.required_level, 0), latest.centi, "
                                                                   "  latest.assessed_on::text, latest.type, "
                                                                   "selfl.centi, selfl.assessed_on::text "
                                                                   "from competencies c left join std on "
                                                                   "std.competency_id = c.id "
                                                                   "left join latest on latest.competency_id = c.id "
                                                                   "left join selfl on selfl.competency_id = c.id "
                                                                   "where std.competency_id is not null or "
                                                                   "latest.competency_id is not null "
                                                                   "   or selfl.competency_id is not null "
                                                                   "order by " CATEGORY_ORDER ", c.code",
        1, p, err);
    if (!r) return err->status;
    int count;
    *rows = rows_alloc(r, sizeof(**rows), &count, err);
    if (!*rows) return err->status;
    for (int i = 0; i < count; i++) {
        eo_db_comp_row *w = &(*rows)[i];
        eo_db_copy(w->code, sizeof w->code, r, i, 0);
        eo_db_copy(w->name, sizeof w->name, r, i, 1);
        eo_db_copy(w->category, sizeof w->category, r, i, 2);
        w->standard = (int)eo_db_get_ll(r, i, 3);
        w->score_centi = opt_centi(r, i, 4, &w->has_score);
        eo_db_copy(w->assessed_on, sizeof w->assessed_on, r, i, 5);
        eo_db_copy(w->type, sizeof w->type, r, i, 6);
        w->self_centi = opt_centi(r, i, 7, &w->has_self);
        eo_db_copy(w->self_on, sizeof w->self_on, r, i, 8);
    }
    *n = count;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_comp_self_form(eo_db *db, long long employee_id, json_t **items, eo_err *err)
{
    char t[ID_TEXT];
    ll_text(t, employee_id);
    const char *p[] = {t};
    PGresult *r = eo_db_one(
        db, NULL,
        "select coalesce(json_agg(json_build_object('code', c.code, 'name', c.name, 'category', c.category, "
        "  'description', c.description, 'required_level', s.required_level, "
        "  'levels', coalesce((select json_agg(json_build_object('level', l.level, 'description', l.description, "
        "      'indicators', l.indicators) order by l.level) from competency_levels l "
        "    where l.competency_id = c.id), '[]'::json)) "
        "  order by " CATEGORY_ORDER ", c.code), '[]'::json)::text "
        "from position_standards s join employees e on e.position_id = s.position_id "
        "join competencies c on c.id = s.competency_id where e.id = $1",
        1, p, NULL, err);
    return eo_db_json_take(r, 0, items, err);
}

eo_status eo_db_comp_standard_codes(eo_db *db, long long employee_id, char ***codes, int *n, eo_err *err)
{
    *codes = NULL;
    *n = 0;
    char t[ID_TEXT];
    ll_text(t, employee_id);
    const char *p[] = {t};
    PGresult *r = eo_db_exec(db, NULL,
                             "select c.code from position_standards s join employees e on e.position_id = "
                             "s.position_id join competencies c on c.id = s.competency_id where e.id = $1 "
                             "order by c.code",
                             1, p, err);
    if (!r) return err->status;
    int count = PQntuples(r);
    *codes = calloc((size_t)(count ? count : 1), sizeof(char *));
    for (int i = 0; *codes && i < count; i++) (*codes)[i] = strdup(eo_db_str(r, i, 0));
    PQclear(r);
    if (!*codes) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    *n = count;
    for (int i = 0; i < count; i++)
        if (!(*codes)[i]) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    return EO_OK;
}

void eo_db_comp_codes_free(char **codes, int n)
{
    for (int i = 0; codes && i < n; i++) free(codes[i]);
    free(codes);
}

eo_status eo_db_comp_exists(eo_db *db, const char *code, bool *found, eo_err *err)
{
    const char *p[] = {code};
    PGresult *r = eo_db_exec(db, NULL, "select 1 from competencies where code = $1", 1, p, err);
    if (!r) return err->status;
    *found = PQntuples(r) == 1;
    PQclear(r);
    return EO_OK;
}

// clang-format off
#define SCORES_JSON \
    "coalesce((select json_agg(json_build_object('code', c.code, 'name', c.name, 'score', s.score, " \
    "    'justification', s.justification) order by " CATEGORY_ORDER ", c.code) " \
    "  from assessment_scores s join competencies c on c.id = s.competency_id " \
    "  where s.assessment_id = a.id), '[]'::json)"
#define ASSESSMENT_JSON \
    "json_build_object('id', a.id, 'nip', e.nip, 'type', a.type, 'assessed_on', a.assessed_on, " \
    "  'assessor', a.assessor, 'source', a.source, 'partner', a.partner, " \
    "  'partner_result_id', a.partner_result_id, 'programme_ref', a.programme_ref, " \
    "  'has_report', a.report_attachment_id is not null, " \
    "  'created_at', " EO_DB_TS("a.created_at") ", 'scores', " SCORES_JSON ")::text"
// clang-format on

eo_status eo_db_comp_history(eo_db *db, long long employee_id, const char *code, const eo_db_keyset *after, int limit,
                             json_t **items, json_t **next, eo_err *err)
{
    char t[ID_TEXT], lim[16];
    ll_text(t, employee_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {t, code, after->set ? after->at : NULL, after->set ? after->id : NULL, lim};
    PGresult *r =
        eo_db_exec(db, "comp_history",
                   "select json_build_object('assessment_id', a.id, 'type', a.type, 'assessed_on', a.assessed_on, "
                   "  'assessor', a.assessor, 'source', a.source, 'score', s.score, "
                   "  'justification', s.justification, 'programme_ref', a.programme_ref)::text, "
                   "  a.assessed_on::text, a.id "
                   "from assessments a join assessment_scores s on s.assessment_id = a.id "
                   "join competencies c on c.id = s.competency_id "
                   "where a.employee_id = $1 and c.code = $2 "
                   "  and ($3::date is null or (a.assessed_on, a.id) < ($3::date, $4::bigint)) "
                   "order by a.assessed_on desc, a.id desc limit $5::int",
                   5, p, err);
    return eo_db_json_page_take(r, limit, items, next, err);
}

eo_status eo_db_comp_assessments(eo_db *db, long long employee_id, const char *type, const eo_db_keyset *after,
                                 int limit, json_t **items, json_t **next, eo_err *err)
{
    char t[ID_TEXT], lim[16];
    ll_text(t, employee_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {t, type, after->set ? after->at : NULL, after->set ? after->id : NULL, lim};
    PGresult *r = eo_db_exec(db, "comp_assessments",
                             "select " ASSESSMENT_JSON ", a.assessed_on::text, a.id "
                             "from assessments a join employees e on e.id = a.employee_id "
                             "where a.employee_id = $1 and ($2::text is null or a.type = $2) "
                             "  and ($3::date is null or (a.assessed_on, a.id) < ($3::date, $4::bigint)) "
                             "order by a.assessed_on desc, a.id desc limit $5::int",
                             5, p, err);
    return eo_db_json_page_take(r, limit, items, next, err);
}

eo_status eo_db_comp_effects(eo_db *db, long long employee_id, eo_db_comp_effect_row **rows, int *n, eo_err *err)
{
    *rows = NULL;
    *n = 0;
    char t[ID_TEXT];
    ll_text(t, employee_id);
    const char *p[] = {t};
    PGresult *r = eo_db_exec(
        db, "comp_effects",
        "with x as (select distinct on (a.programme_ref, a.type, s.competency_id) a.programme_ref, a.type, "
        "    s.competency_id, (s.score * 100)::int as centi, a.assessed_on "
        "  from assessments a join assessment_scores s on s.assessment_id = a.id "
        "  where a.employee_id = $1 and a.type in ('pre', 'post') and a.programme_ref is not null "
        "  order by a.programme_ref, a.type, s.competency_id, a.assessed_on desc, a.id desc), "
        "refs as (select programme_ref, max(assessed_on) as last_on from x group by programme_ref "
        "  order by last_on desc, programme_ref limit 100), "
        "k as (select distinct programme_ref, competency_id from x) "
        "select r.programme_ref, r.last_on::text, c.code, c.name, coalesce(ps.required_level, 0), "
        "  pre.centi, pre.assessed_on::text, post.centi, post.assessed_on::text "
        "from refs r join k on k.programme_ref = r.programme_ref join competencies c on c.id = k.competency_id "
        "left join x pre on pre.programme_ref = k.programme_ref and pre.competency_id = k.competency_id "
        "  and pre.type = 'pre' "
        "left join x post on post.programme_ref = k.programme_ref and post.competency_id = k.competency_id "
        "  and post.type = 'post' "
        "left join position_standards ps on ps.competency_id = k.competency_id "
        "  and ps.position_id = (select position_id from employees where id = $1) "
        "order by r.last_on desc, r.programme_ref, c.code",
        1, p, err);
    if (!r) return err->status;
    int count;
    *rows = rows_alloc(r, sizeof(**rows), &count, err);
    if (!*rows) return err->status;
    for (int i = 0; i < count; i++) {
        eo_db_comp_effect_row *w = &(*rows)[i];
        eo_db_copy(w->programme_ref, sizeof w->programme_ref, r, i, 0);
        eo_db_copy(w->last_on, sizeof w->last_on, r, i, 1);
        eo_db_copy(w->code, sizeof w->code, r, i, 2);
        eo_db_copy(w->name, sizeof w->name, r, i, 3);
        w->standard = (int)eo_db_get_ll(r, i, 4);
        w->pre_centi = opt_centi(r, i, 5, &w->has_pre);
        eo_db_copy(w->pre_on, sizeof w->pre_on, r, i, 6);
        w->post_centi = opt_centi(r, i, 7, &w->has_post);
        eo_db_copy(w->post_on, sizeof w->post_on, r, i, 8);
    }
    *n = count;
    PQclear(r);
    return EO_OK;
}

/* ---- recording ---- */

eo_status eo_db_comp_unknown_codes(eo_db *db, const json_t *codes, json_t **unknown, eo_err *err)
{
    char *text = json_dumps(codes, JSON_COMPACT);
    if (!text) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    const char *p[] = {text};
    PGresult *r = eo_db_one(db, NULL,
                            "select coalesce(json_agg(distinct x.v), '[]'::json)::text "
                            "from json_array_elements_text($1::json) as x(v) "
                            "where not exists (select 1 from competencies c where c.code = x.v and c.active)",
                            1, p, NULL, err);
    free(text);
    return eo_db_json_take(r, 0, unknown, err);
}

eo_status eo_db_comp_assessment_insert(eo_db *db, const eo_db_comp_assessment *a, long long *id, bool *existed,
                                       bool *same_subject, eo_err *err)
{
    *id = 0;
    *existed = false;
    *same_subject = false;
    json_t *scores = json_array();
    for (int i = 0; i < a->n_scores; i++) {
        char score[16];
        snprintf(score, sizeof score, "%d.%02d", a->scores[i].score_centi / 100, a->scores[i].score_centi % 100);
        json_array_append_new(scores, json_pack("{s:s, s:s, s:s?}", "code", a->scores[i].code, "score", score,
                                                "justification", a->scores[i].justification));
    }
    char *scores_text = json_dumps(scores, JSON_COMPACT);
    json_decref(scores);
    if (!scores_text) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    char emp[ID_TEXT], by[ID_TEXT], key[ID_TEXT], report[ID_TEXT];
    ll_text(emp, a->employee_id);
    ll_text(by, a->created_by);
    ll_text(key, a->api_key_id);
    ll_text(report, a->report_attachment_id);
    const char *p[] = {emp,
                       a->type,
                       a->assessed_on,
                       a->assessor ? a->assessor : "",
                       a->source,
                       a->partner,
                       a->partner_result_id,
                       a->programme_ref,
                       a->created_by ? by : NULL,
                       a->api_key_id ? key : NULL,
                       a->report_attachment_id ? report : NULL,
                       scores_text};
    PGresult *r =
        eo_db_exec(db, "comp_assessment_insert",
                   "with a as (insert into assessments (employee_id, type, assessed_on, assessor, source, partner, "
                   "    partner_result_id, programme_ref, created_by, api_key_id, report_attachment_id) "
                   "  values ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11) "
                   "  on conflict (partner, partner_result_id) where partner is not null do nothing returning id), "
                   "s as (insert into assessment_scores (assessment_id, competency_id, score, justification) "
                   "  select a.id, c.id, (x->>'score')::numeric, x->>'justification' "
                   "  from a, json_array_elements($12::json) x join competencies c on c.code = x->>'code') "
                   "select id from a",
                   12, p, err);
    free(scores_text);
    if (!r) return eo_db_value_error(db, err);
    if (PQntuples(r) == 1) {
        *id = eo_db_get_ll(r, 0, 0);
        PQclear(r);
        return EO_OK;
    }
    PQclear(r);
    const char *q[] = {a->partner, a->partner_result_id, emp, a->assessed_on};
    r = eo_db_one(db, NULL,
                  "select id, employee_id = $3::bigint and assessed_on = $4::date from assessments "
                  "where partner = $1 and partner_result_id = $2",
                  4, q, "internal", err);
    if (!r) return err->status;
    *id = eo_db_get_ll(r, 0, 0);
    *existed = true;
    *same_subject = eo_db_bool(r, 0, 1);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_comp_assessment_get(eo_db *db, long long id, json_t **out, long long *employee_id, eo_err *err)
{
    char t[ID_TEXT];
    ll_text(t, id);
    const char *p[] = {t};
    PGresult *r = eo_db_one(db, NULL,
                            "select " ASSESSMENT_JSON ", a.employee_id from assessments a "
                            "join employees e on e.id = a.employee_id where a.id = $1",
                            1, p, "assessment_not_found", err);
    if (!r) return err->status;
    *employee_id = eo_db_get_ll(r, 0, 1);
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_comp_local_date(eo_db *db, long long employee_id, double now, char out[11], eo_err *err)
{
    char t[ID_TEXT], at[32];
    ll_text(t, employee_id);
    snprintf(at, sizeof at, "%.3f", now);
    const char *p[] = {t, at};
    PGresult *r = eo_db_one(db, "comp_local_date",
                            "select (to_timestamp($2::double precision) at time zone coalesce((select l.time_zone "
                            "  from employees e join office_locations l on l.id = e.office_location_id "
                            "  where e.id = $1::bigint), 'Asia/Jakarta'))::date::text",
                            2, p, "internal", err);
    if (!r) return err->status;
    eo_db_copy(out, 11, r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_comp_report_state(eo_db *db, long long id, bool lock, long long *employee_id,
                                  long long *report_attachment_id, long long *db_now, eo_err *err)
{
    char t[ID_TEXT];
    ll_text(t, id);
    const char *p[] = {t};
    PGresult *r = eo_db_one(db, NULL,
                            lock ? "select employee_id, report_attachment_id, extract(epoch from now())::bigint "
                                   "from assessments where id = $1 for update"
                                 : "select employee_id, report_attachment_id, extract(epoch from now())::bigint "
                                   "from assessments where id = $1",
                            1, p, "assessment_not_found", err);
    if (!r) return err->status;
    *employee_id = eo_db_get_ll(r, 0, 0);
    *report_attachment_id = eo_db_get_ll(r, 0, 1);
    *db_now = eo_db_get_ll(r, 0, 2);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_comp_report_set(eo_db *db, long long id, long long attachment_id, eo_err *err)
{
    char t[ID_TEXT], a[ID_TEXT];
    ll_text(t, id);
    ll_text(a, attachment_id);
    const char *p[] = {t, a};
    PGresult *r = eo_db_exec(db, NULL,
                             "update assessments set report_attachment_id = $2 where id = $1 "
                             "and report_attachment_id is null",
                             2, p, err);
    if (!r) return err->status;
    long long n = eo_db_affected(r);
    PQclear(r);
    return n == 1 ? EO_OK : eo_fail(err, EO_ERR_CONFLICT, "report_exists");
}
