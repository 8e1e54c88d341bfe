#include "db/realisation.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"

// clang-format off
/* Does training t belong to programme p? Plataran's id when the partner named
 * one, else the catalogue id it named (migration 0052). */
#define MATCHES(t, p) \
    "((" t ".programme_external_id is not null and " p ".source = 'plataran'" \
    "   and " p ".external_id = " t ".programme_external_id)" \
    " or (" t ".programme_external_id is null and " p ".id = " t ".programme_id))"

/* Trainings of the plan's employee finished in the plan's year. */
#define IN_YEAR(t, r) \
    t ".employee_id = " r ".employee_id and " t ".finished_on >= make_date(" r ".year, 1, 1)" \
    " and " t ".finished_on < make_date(" r ".year + 1, 1, 1)"

/* Is every item of plan r realised (and is there one)? */
#define ALL_REALISED(r) \
    "(exists (select 1 from rpi_items i where i.rpi_id = " r ".id) and not exists (" \
    "  select 1 from rpi_items i join dev_programmes p on p.id = i.programme_id where i.rpi_id = " r ".id" \
    "   and not exists (select 1 from training_completions t where " IN_YEAR("t", r) " and " MATCHES("t", "p") ")))"

#define TRAINING_JSON(t) \
    "jsonb_build_object('id', " t ".id, 'title', " t ".title, 'organiser', " t ".organiser, 'jp', " t ".jp_hours," \
    " 'started_on', " t ".started_on::text, 'finished_on', " t ".finished_on::text, 'partner', " t ".partner," \
    " 'partner_training_id', " t ".partner_training_id, 'programme_external_id', " t ".programme_external_id," \
    " 'programme_ref', " t ".programme_ref)"
// clang-format on

eo_status eo_db_training_profile_record(eo_db *db, long long training_id, bool *created, eo_err *err)
{
    *created = false;
    char t[24];
    snprintf(t, sizeof t, "%lld", training_id);
    const char *p[] = {t};
    /* JP as a whole number when it is one (the section's own records are whole JP). */
    PGresult *r = eo_db_exec(
        db, "training_profile_record",
        "insert into profile_records (employee_id, section, data, training_id) "
        "select t.employee_id, 'competency', jsonb_build_object('activity', t.title, 'organiser', t.organiser, "
        "  'jp', case when t.jp_hours = trunc(t.jp_hours) then to_jsonb(t.jp_hours::int) else to_jsonb(t.jp_hours) "
        "end, "
        "  'start_date', t.started_on::text, 'end_date', t.finished_on::text), t.id "
        "from training_completions t where t.id = $1::bigint "
        "on conflict (training_id) where training_id is not null do nothing returning id",
        1, p, err);
    if (!r) return err->status;
    *created = PQntuples(r) == 1;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_rpi_mark_realised(eo_db *db, long long employee_id, double at, long long *ids, int *years, int max,
                                  int *n, eo_err *err)
{
    *n = 0;
    char e[24], a[32];
    snprintf(e, sizeof e, "%lld", employee_id);
    snprintf(a, sizeof a, "%.6f", at);
    const char *p[] = {e, a};
    PGresult *r = eo_db_exec(db, "rpi_mark_realised",
                             "update rpis r set realised_at = to_timestamp($2::double precision) "
                             "where r.employee_id = $1::bigint and r.status = 'approved' and r.realised_at is null "
                             "  and " ALL_REALISED("r") " returning r.id, r.year",
                             2, p, err);
    if (!r) return err->status;
    for (int i = 0; i < PQntuples(r) && *n < max; i++) {
        ids[*n] = eo_db_get_ll(r, i, 0);
        years[*n] = (int)eo_db_get_ll(r, i, 1);
        (*n)++;
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_rpi_realisation(eo_db *db, long long id, long long *employee_id, json_t **out, eo_err *err)
{
    *out = NULL;
    *employee_id = 0;
    // clang-format off
    static const char sql[] =
        "with r as (select id, employee_id, year, realised_at from rpis where id = $1::bigint),"
        " t as (select t.*, (select i.programme_id from rpi_items i join dev_programmes p on p.id = i.programme_id"
        "   where i.rpi_id = r.id and " MATCHES("t", "p") " order by i.programme_id limit 1) as item"
        "   from r join training_completions t on " IN_YEAR("t", "r") "),"
        " it as (select i.programme_id, p.category, p.jp,"
        "   coalesce((select sum(t.jp_hours) from t where t.item = i.programme_id), 0) as jp_realised,"
        "   (select max(t.finished_on) from t where t.item = i.programme_id) as completed_on,"
        "   coalesce((select jsonb_agg(" TRAINING_JSON("t") " order by t.finished_on, t.id) from t"
        "     where t.item = i.programme_id), '[]'::jsonb) as trainings,"
        "   coalesce((select jsonb_agg(k.code order by k.code) from dev_programme_competencies pc"
        "     join competencies k on k.id = pc.competency_id where pc.programme_id = i.programme_id), '[]'::jsonb)"
        "     as competencies"
        "   from r join rpi_items i on i.rpi_id = r.id join dev_programmes p on p.id = i.programme_id)"
        " select r.employee_id, jsonb_build_object("
        "  'items', coalesce((select jsonb_agg(jsonb_build_object('programme_id', it.programme_id,"
        "     'realised', it.completed_on is not null, 'jp_realised', it.jp_realised,"
        "     'completed_on', it.completed_on::text, 'trainings', it.trainings, 'competencies', it.competencies)"
        "     order by it.programme_id) from it), '[]'::jsonb),"
        "  'summary', jsonb_build_object("
        "   'jp_planned', (select coalesce(sum(it.jp), 0) from it),"
        "   'jp_realised', (select coalesce(sum(it.jp_realised), 0) from it),"
        "   'per_category', (select jsonb_object_agg(c.name, jsonb_build_object("
        "      'planned', (select coalesce(sum(it.jp), 0) from it where it.category = c.name),"
        "      'realised', (select coalesce(sum(it.jp_realised), 0) from it where it.category = c.name)))"
        "     from (values ('formal'), ('social'), ('experiential')) as c(name)),"
        "   'other_realised_jp', (select coalesce(sum(t.jp_hours), 0) from t where t.item is null),"
        "   'other_trainings', coalesce((select jsonb_agg(" TRAINING_JSON("t") " order by t.finished_on, t.id)"
        "     from t where t.item is null), '[]'::jsonb),"
        "   'items_total', (select count(*) from it),"
        "   'items_realised', (select count(*) from it where it.completed_on is not null),"
        "   'all_realised', exists (select 1 from it) and not exists (select 1 from it where it.completed_on is null),"
        "   'realised_at', " EO_DB_TS("r.realised_at") "))::text"
        " from r";
    // clang-format on
    char s[24];
    snprintf(s, sizeof s, "%lld", id);
    const char *p[] = {s};
    PGresult *r = eo_db_one(db, "rpi_realisation", sql, 1, p, "rpi_not_found", err);
    if (!r) return err->status;
    *employee_id = eo_db_get_ll(r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, out, err);
    PQclear(r);
    return st;
}
