#include "db/rpi.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"

#define UTC_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
#define TS(col) "to_char(" col " at time zone 'UTC', " UTC_FMT ")"

// clang-format off
#define PROGRAMME_JSON                                                                                                 \
    "jsonb_build_object('id', p.id, 'title', p.title, 'description', p.description, 'method', p.method,"              \
    " 'category', p.category, 'jp', p.jp,"                                                                             \
    " 'organiser', (select jsonb_build_object('code', u.code, 'name', u.name) from org_units u"                        \
    "   where u.id = p.organiser_unit_id),"                                                                            \
    " 'competencies', coalesce((select jsonb_agg(jsonb_build_object('code', k.code, 'name', k.name) order by k.code)"  \
    "   from dev_programme_competencies pc join competencies k on k.id = pc.competency_id"                             \
    "   where pc.programme_id = p.id), '[]'::jsonb),"                                                                  \
    " 'mandatory_for', jsonb_build_object('everyone', p.mandatory_all,"                                                \
    "   'positions', coalesce((select jsonb_agg(x.name order by x.name) from positions x"                              \
    "     where x.id = any(p.mandatory_positions)), '[]'::jsonb),"                                                     \
    "   'ranks', to_jsonb(p.mandatory_ranks)),"                                                                        \
    " 'source', p.source, 'external_id', p.external_id,"                                                               \
    " 'created_at', " TS("p.created_at") ", 'updated_at', " TS("p.updated_at") ")"

/* Is programme p mandatory for employee e? */
#define MANDATORY_FOR(p, e)                                                                                            \
    "(" p ".active and (" p ".mandatory_all or " e ".position_id = any(" p ".mandatory_positions)"                    \
    " or " e ".rank = any(" p ".mandatory_ranks)))"

/* (competency_id, gap) of employee $1: the latest score (latest assessed_on,
 * then id, self-assessments excluded: they are the employee's own view, shown
 * beside the score, as in docs/competency.md) minus the position's required
 * level; competencies never assessed have no gap. */
#define GAPS_CTE                                                                                                       \
    "latest as (select distinct on (s.competency_id) s.competency_id, s.score from assessments a"                      \
    "   join assessment_scores s on s.assessment_id = a.id where a.employee_id = $1 and a.type <> 'self'"              \
    "   order by s.competency_id, a.assessed_on desc, a.id desc),"                                                     \
    " gaps as (select ps.competency_id, l.score - ps.required_level as gap from employees e"                           \
    "   join position_standards ps on ps.position_id = e.position_id"                                                  \
    "   join latest l on l.competency_id = ps.competency_id where e.id = $1)"
// clang-format on

static void ll(char *buf, size_t n, long long v) { snprintf(buf, n, "%lld", v); }

/* ------------------------------------------------------------ catalogue */

eo_status eo_db_programme_check_refs(eo_db *db, const eo_db_programme_in *in, eo_err *err)
{
    const char *p[] = {in->organiser, in->competencies, in->positions};
    PGresult *r = eo_db_exec(db, NULL,
                             "select $1::text is null or exists (select 1 from org_units where code = $1),"
                             " not exists (select 1 from jsonb_array_elements_text($2::jsonb) c(code)"
                             "   where not exists (select 1 from competencies k where k.code = c.code)),"
                             " not exists (select 1 from jsonb_array_elements_text($3::jsonb) n(name)"
                             "   where not exists (select 1 from positions x where x.name = n.name))",
                             3, p, err);
    if (!r) return err->status;
    if (!eo_db_bool(r, 0, 0)) eo_err_field(err, "organiser", "unit_not_found");
    if (!eo_db_bool(r, 0, 1)) eo_err_field(err, "competencies", "competency_not_found");
    if (!eo_db_bool(r, 0, 2)) eo_err_field(err, "mandatory_for.positions", "position_not_found");
    PQclear(r);
    return err->status;
}

static const char *const *programme_params(const eo_db_programme_in *in, char *jp, size_t n, const char **p)
{
    snprintf(jp, n, "%d", in->jp);
    p[0] = in->title;
    p[1] = in->description ? in->description : "";
    p[2] = in->method;
    p[3] = in->category;
    p[4] = jp;
    p[5] = in->organiser;
    p[6] = in->mandatory_all ? "true" : "false";
    p[7] = in->positions ? in->positions : "[]";
    p[8] = in->ranks ? in->ranks : "[]";
    p[9] = in->competencies ? in->competencies : "[]";
    return p;
}

eo_status eo_db_programme_create(eo_db *db, const eo_db_programme_in *in, long long *id, eo_err *err)
{
    static const char sql[] =
        "with p as (insert into dev_programmes (title, description, method, category, jp, organiser_unit_id,"
        "  mandatory_all, mandatory_positions, mandatory_ranks)"
        " values ($1, $2, $3, $4, $5::int, (select id from org_units where code = $6), $7::boolean,"
        "  array(select x.id from positions x where x.name in (select jsonb_array_elements_text($8::jsonb))),"
        "  array(select distinct jsonb_array_elements_text($9::jsonb))) returning id),"
        " c as (insert into dev_programme_competencies (programme_id, competency_id)"
        "  select p.id, k.id from p, competencies k"
        "  where k.code in (select jsonb_array_elements_text($10::jsonb)))"
        " select id from p";
    char jp[16];
    const char *p[10];
    programme_params(in, jp, sizeof(jp), p);
    if (eo_db_one_ll(db, NULL, sql, 10, p, NULL, id, err) != EO_OK) return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_programme_update(eo_db *db, long long id, const eo_db_programme_in *in, eo_err *err)
{
    static const char sql[] =
        "with p as (update dev_programmes set title = $1, description = $2, method = $3, category = $4,"
        "  jp = $5::int, organiser_unit_id = (select id from org_units where code = $6), mandatory_all = $7::boolean,"
        "  mandatory_positions = array(select x.id from positions x"
        "    where x.name in (select jsonb_array_elements_text($8::jsonb))),"
        "  mandatory_ranks = array(select distinct jsonb_array_elements_text($9::jsonb))"
        "  where id = $11 and active returning id),"
        /* one statement sees one snapshot: drop the codes no longer named, add the new ones */
        " d as (delete from dev_programme_competencies pc using p where pc.programme_id = p.id"
        "  and pc.competency_id not in (select k.id from competencies k"
        "   where k.code in (select jsonb_array_elements_text($10::jsonb)))),"
        " c as (insert into dev_programme_competencies (programme_id, competency_id)"
        "  select p.id, k.id from p, competencies k"
        "  where k.code in (select jsonb_array_elements_text($10::jsonb)) on conflict do nothing)"
        " select id from p";
    char jp[16], sid[24];
    const char *p[11];
    programme_params(in, jp, sizeof(jp), p);
    ll(sid, sizeof(sid), id);
    p[10] = sid;
    long long got;
    if (eo_db_one_ll(db, NULL, sql, 11, p, "programme_not_found", &got, err) != EO_OK)
        return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_programme_archive(eo_db *db, long long id, eo_err *err)
{
    char sid[24];
    ll(sid, sizeof(sid), id);
    const char *p[] = {sid};
    long long got;
    return eo_db_one_ll(db, NULL, "update dev_programmes set active = false where id = $1 and active returning id", 1,
                        p, "programme_not_found", &got, err);
}

eo_status eo_db_programme_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    char sid[24];
    ll(sid, sizeof(sid), id);
    const char *p[] = {sid};
    *out = NULL;
    PGresult *r =
        eo_db_one(db, NULL, "select " PROGRAMME_JSON "::text from dev_programmes p where p.id = $1 and p.active", 1, p,
                  "programme_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_programme_list(eo_db *db, const eo_db_programme_filter *f, json_t **items, json_t **next, eo_err *err)
{
    static const char sql[] = "select " PROGRAMME_JSON "::text, " EO_DB_KEYSET_TS(
        "p.created_at") ", p.id from dev_programmes p"
                        " where p.active and ($1::text is null or p.method = $1)"
                        "  and ($2::text is null or p.organiser_unit_id = (select id from org_units where code = $2))"
                        "  and ($3::text is null or exists (select 1 from dev_programme_competencies pc"
                        "    join competencies k on k.id = pc.competency_id where pc.programme_id = p.id and k.code = "
                        "$3))"
                        "  and ($4::timestamptz is null or (p.created_at, p.id) < ($4::timestamptz, $5::bigint))"
                        " order by p.created_at desc, p.id desc limit $6";
    char lim[16];
    snprintf(lim, sizeof(lim), "%d", f->limit + 1);
    const char *p[] = {
        f->method, f->organiser, f->competency, f->after.set ? f->after.at : NULL, f->after.set ? f->after.id : NULL,
        lim};
    *items = *next = NULL;
    PGresult *r = eo_db_exec(db, "prog_list", sql, 6, p, err);
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, f->limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_rpi_recommendations(eo_db *db, long long employee_id, json_t **out, eo_err *err)
{
    static const char sql[] =
        "with " GAPS_CTE ","
        " ranked as (select p.id, min(g.gap) as worst,"
        "   jsonb_agg(jsonb_build_object('code', k.code, 'name', k.name, 'gap', g.gap) order by g.gap, k.code) as why"
        "   from dev_programmes p join dev_programme_competencies pc on pc.programme_id = p.id"
        "   join gaps g on g.competency_id = pc.competency_id join competencies k on k.id = g.competency_id"
        "   join employees e on e.id = $1"
        "   where g.gap < 0 and p.active and not " MANDATORY_FOR(
            "p", "e") " group by p.id)"
                      " select coalesce(jsonb_agg(" PROGRAMME_JSON
                      " || jsonb_build_object('gap', r.worst, 'gap_competencies', r.why)"
                      "   order by r.worst, p.title, p.id), '[]'::jsonb)::text"
                      " from ranked r join dev_programmes p on p.id = r.id";
    char emp[24];
    ll(emp, sizeof(emp), employee_id);
    const char *p[] = {emp};
    *out = NULL;
    PGresult *r = eo_db_one(db, NULL, sql, 1, p, NULL, err);
    if (!r) return err->status == EO_OK ? eo_fail(err, EO_ERR_INTERNAL, "internal") : err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_programme_upsert_external(eo_db *db, const char *external_id, const eo_db_programme_in *in,
                                          bool *created, eo_err *err)
{
    static const char sql[] =
        "with p as (insert into dev_programmes as d (title, description, method, category, jp, organiser_unit_id,"
        "  source, external_id)"
        " values ($1, $2, $3, $4, $5::int, (select id from org_units where code = $6), 'plataran', $7)"
        " on conflict (source, external_id) where external_id is not null do update set"
        "  title = excluded.title, description = excluded.description, method = excluded.method,"
        "  category = excluded.category, jp = excluded.jp,"
        "  organiser_unit_id = coalesce(excluded.organiser_unit_id, d.organiser_unit_id), active = true"
        " returning id, (xmax = 0) as created),"
        " d as (delete from dev_programme_competencies pc using p where pc.programme_id = p.id"
        "  and pc.competency_id not in (select k.id from competencies k"
        "   where k.code in (select jsonb_array_elements_text($8::jsonb)))),"
        " c as (insert into dev_programme_competencies (programme_id, competency_id)"
        "  select p.id, k.id from p, competencies k"
        "  where k.code in (select jsonb_array_elements_text($8::jsonb)) on conflict do nothing)"
        " select id, created from p";
    char jp[16];
    snprintf(jp, sizeof(jp), "%d", in->jp);
    const char *p[] = {
        in->title,   in->description ? in->description : "",    in->method, in->category, jp, in->organiser,
        external_id, in->competencies ? in->competencies : "[]"};
    PGresult *r = eo_db_one(db, NULL, sql, 8, p, NULL, err);
    if (!r) return err->status == EO_OK ? eo_fail(err, EO_ERR_INTERNAL, "internal") : eo_db_value_error(db, err);
    *created = eo_db_bool(r, 0, 1);
    PQclear(r);
    return EO_OK;
}

/* ------------------------------------------------------------ RPI */

eo_status eo_db_rpi_create(eo_db *db, long long employee_id, int year, double now, long long *id, eo_err *err)
{
    static const char sql[] =
        "with r as (insert into rpis (employee_id, year, created_at) values ($1, $2::smallint, to_timestamp($3))"
        "  returning id),"
        " i as (insert into rpi_items (rpi_id, programme_id, kind, added_at)"
        "  select r.id, p.id, 'mandatory', to_timestamp($3) from r, dev_programmes p, employees e"
        "  where e.id = $1 and " MANDATORY_FOR(
            "p", "e") "),"
                      " ev as (insert into rpi_events (rpi_id, revision, action, to_status, actor_id, at)"
                      "  select r.id, 1, 'create', 'draft', $1, to_timestamp($3) from r)"
                      " select id from r";
    char emp[24], y[16], at[32];
    ll(emp, sizeof(emp), employee_id);
    snprintf(y, sizeof(y), "%d", year);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {emp, y, at};
    if (eo_db_one_ll(db, NULL, sql, 3, p, NULL, id, err) != EO_OK) {
        if (err->status == EO_ERR_CONFLICT) {
            eo_err_clear(err);
            return eo_fail(err, EO_ERR_CONFLICT, "rpi_exists");
        }
        return eo_db_value_error(db, err);
    }
    return EO_OK;
}

eo_status eo_db_rpi_find(eo_db *db, long long employee_id, int year, long long *id, eo_err *err)
{
    char emp[24], y[16];
    ll(emp, sizeof(emp), employee_id);
    snprintf(y, sizeof(y), "%d", year);
    const char *p[] = {emp, y};
    return eo_db_one_ll(db, NULL, "select id from rpis where employee_id = $1 and year = $2::smallint", 2, p,
                        "rpi_not_found", id, err);
}

eo_status eo_db_rpi_load(eo_db *db, long long id, long long caller, bool lock, eo_db_rpi_row *row, eo_err *err)
{
    // clang-format off
#define LOAD_SQL(tail)                                                                                                 \
    "select r.id, r.employee_id, coalesce(e.supervisor_id, 0), r.year, r.revision, r.status,"                         \
    " exists (select 1 from role_grants g join org_units u on u.id = e.unit_id where g.employee_id = $2"               \
    "   and g.role = 'anpeg' and g.revoked_at is null and g.unit_id = any(u.path))"                                    \
    " from rpis r join employees e on e.id = r.employee_id where r.id = $1" tail
    // clang-format on
    char sid[24], who[24];
    ll(sid, sizeof(sid), id);
    ll(who, sizeof(who), caller);
    const char *p[] = {sid, who};
    memset(row, 0, sizeof(*row));
    PGresult *r = eo_db_one(db, NULL, lock ? LOAD_SQL(" for update of r") : LOAD_SQL(""), 2, p, "rpi_not_found", err);
#undef LOAD_SQL
    if (!r) return err->status;
    row->id = eo_db_get_ll(r, 0, 0);
    row->employee_id = eo_db_get_ll(r, 0, 1);
    row->supervisor_id = eo_db_get_ll(r, 0, 2);
    row->year = (int)eo_db_get_ll(r, 0, 3);
    row->revision = (int)eo_db_get_ll(r, 0, 4);
    eo_db_copy(row->status, sizeof(row->status), r, 0, 5);
    row->verifier = eo_db_bool(r, 0, 6);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_rpi_item_add(eo_db *db, long long rpi_id, long long programme_id, eo_err *err)
{
    static const char sql[] =
        "with " GAPS_CTE " insert into rpi_items (rpi_id, programme_id, kind)"
        " select $2, p.id, case when " MANDATORY_FOR(
            "p", "e") " then 'mandatory'"
                      "   when exists (select 1 from dev_programme_competencies pc join gaps g on g.competency_id = "
                      "pc.competency_id"
                      "     where pc.programme_id = p.id and g.gap < 0) then 'recommended' else 'additional' end"
                      " from dev_programmes p, employees e where p.id = $3 and p.active and e.id = $1"
                      " returning kind";
    char rid[24], pid[24], emp[24];
    ll(rid, sizeof(rid), rpi_id);
    ll(pid, sizeof(pid), programme_id);
    const char *q[] = {rid};
    long long author;
    if (eo_db_one_ll(db, NULL, "select employee_id from rpis where id = $1", 1, q, "rpi_not_found", &author, err) !=
        EO_OK)
        return err->status;
    ll(emp, sizeof(emp), author);
    const char *p[] = {emp, rid, pid};
    PGresult *r = eo_db_one(db, NULL, sql, 3, p, NULL, err);
    if (!r) {
        if (err->status == EO_ERR_CONFLICT) {
            eo_err_clear(err);
            return eo_fail(err, EO_ERR_CONFLICT, "rpi_item_exists");
        }
        if (err->status == EO_OK) eo_err_field(err, "programme_id", "programme_not_found");
        return err->status;
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_rpi_item_remove(eo_db *db, long long rpi_id, long long programme_id, eo_err *err)
{
    char rid[24], pid[24];
    ll(rid, sizeof(rid), rpi_id);
    ll(pid, sizeof(pid), programme_id);
    const char *p[] = {rid, pid};
    PGresult *r = eo_db_one(db, NULL, "select kind from rpi_items where rpi_id = $1 and programme_id = $2 for update",
                            2, p, "rpi_item_not_found", err);
    if (!r) return err->status;
    bool mandatory = strcmp(eo_db_str(r, 0, 0), "mandatory") == 0;
    PQclear(r);
    if (mandatory) return eo_fail(err, EO_ERR_CONFLICT, "rpi_item_mandatory");
    return eo_db_run(db, "delete from rpi_items where rpi_id = $1 and programme_id = $2", 2, p, err);
}

// clang-format off
#define ITEMS_JSON                                                                                                     \
    "coalesce((select jsonb_agg(jsonb_build_object('programme_id', p.id, 'title', p.title, 'method', p.method,"       \
    "   'category', p.category, 'jp', p.jp, 'kind', i.kind, 'source', p.source, 'external_id', p.external_id,"         \
    "   'added_at', " TS("i.added_at") ")"                                                                             \
    "   order by case i.kind when 'mandatory' then 0 when 'recommended' then 1 else 2 end, p.title, p.id)"             \
    "  from rpi_items i join dev_programmes p on p.id = i.programme_id where i.rpi_id = r.id), '[]'::jsonb)"
#define PERSON(col) "(select jsonb_build_object('nip', x.nip, 'name', x.name) from employees x where x.id = " col ")"
// clang-format on

eo_status eo_db_rpi_step(eo_db *db, long long id, const char *action, const char *from, const char *to, long long actor,
                         const char *note, double now, eo_err *err)
{
    static const char sql[] =
        "with r as (update rpis r set status = $4,"
        "  revision = r.revision + case when $2 = 'return' then 1 else 0 end,"
        "  submitted_at = case when $2 = 'submit' then to_timestamp($7) else r.submitted_at end,"
        "  verified_by = case when $2 = 'verify' then $5::bigint when $4 = 'draft' then null else r.verified_by end,"
        "  verified_at = case when $2 = 'verify' then to_timestamp($7) when $4 = 'draft' then null"
        "    else r.verified_at end,"
        "  approved_by = case when $2 = 'approve' then $5::bigint else r.approved_by end,"
        "  approved_at = case when $2 = 'approve' then to_timestamp($7) else r.approved_at end"
        "  where r.id = $1 and r.status = $3 returning r.id, r.revision)"
        " insert into rpi_events (rpi_id, revision, action, from_status, to_status, actor_id, note, snapshot, at)"
        " select r.id, case when $2 = 'return' then r.revision - 1 else r.revision end, $2, $3, $4, $5::bigint, $6,"
        "  case when $2 = 'submit' then " ITEMS_JSON " end, to_timestamp($7) from r"
        " returning id";
    char sid[24], who[24], at[32];
    ll(sid, sizeof(sid), id);
    ll(who, sizeof(who), actor);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {sid, action, from, to, who, note, at};
    long long ev;
    if (eo_db_one_ll(db, NULL, sql, 7, p, NULL, &ev, err) != EO_OK) {
        if (err->status == EO_OK) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "rpi %lld: not %s", id, from);
        return eo_db_value_error(db, err);
    }
    return EO_OK;
}

eo_status eo_db_rpi_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    static const char
        sql[] =
            "select jsonb_build_object('id', r.id, 'year', r.year, 'status', r.status, 'revision', r.revision,"
            " 'employee', jsonb_build_object('nip', e.nip, 'name', e.name,"
            "   'unit', (select jsonb_build_object('code', u.code, 'name', u.name) from org_units u where u.id = "
            "e.unit_id),"
            "   'position', (select x.name from positions x where x.id = e.position_id), 'rank', e.rank),"
            " 'items', " ITEMS_JSON ","
            " 'missing_mandatory', coalesce((select jsonb_agg(jsonb_build_object('programme_id', p.id, 'title', "
            "p.title,"
            "   'jp', p.jp) order by p.title, p.id) from dev_programmes p where " MANDATORY_FOR(
                "p",
                "e") "   and not exists (select 1 from rpi_items i where i.rpi_id = r.id and i.programme_id = p.id)), "
                     "'[]'::jsonb),"
                     " 'self_assessed', exists (select 1 from assessments a where a.employee_id = r.employee_id and "
                     "a.type "
                     "= 'self'"
                     "   and extract(year from a.assessed_on) = r.year),"
                     " 'submitted_at', " TS(
                         "r.submitted_at") ","
                                           " 'verified_by', " PERSON("r.verified_by") ", 'verified_at', " TS(
                                               "r.verified_at") ","
                                                                " 'approved_by', " PERSON(
                                                                    "r.approved_by") ", "
                                                                                     "'approved_at',"
                                                                                     " " TS(
                                                                                         "r.approved_"
                                                                                         "at") ","
                                                                                               " '"
                                                                                               "creat"
                                                                                               "ed_"
                                                                                               "at',"
                                                                                               " " TS("r.created_at") ", 'updated_at', " TS(
                                                                                                   "r"
                                                                                                   "."
                                                                                                   "u"
                                                                                                   "p"
                                                                                                   "d"
                                                                                                   "a"
                                                                                                   "t"
                                                                                                   "e"
                                                                                                   "d"
                                                                                                   "_"
                                                                                                   "a"
                                                                                                   "t") ","
                                                                                                        " 'history', "
                                                                                                        "coalesce(("
                                                                                                        "select "
                                                                                                        "jsonb_agg("
                                                                                                        "jsonb_build_"
                                                                                                        "object('"
                                                                                                        "revision', "
                                                                                                        "v.revision, "
                                                                                                        "'action', "
                                                                                                        "v.action,"
                                                                                                        "   'from', "
                                                                                                        "v.from_status,"
                                                                                                        " 'to', "
                                                                                                        "v.to_status, "
                                                                                                        "'actor',"
                                                                                                        " " PERSON(
                                                                                                            "v.actor_"
                                                                                                            "id") ", "
                                                                                                                  "'not"
                                                                                                                  "e', "
                                                                                                                  "v."
                                                                                                                  "note"
                                                                                                                  ","
                                                                                                                  "   "
                                                                                                                  "'at'"
                                                                                                                  ","
                                                                                                                  " " TS(
                                                                                                                      "v.at") ") order by v.id) from rpi_events v where v.rpi_id = r.id), '[]'::jsonb))::text"
                                                                                                                              " from rpis r join employees e on e.id = r.employee_id where r.id = $1";
    char sid[24];
    ll(sid, sizeof(sid), id);
    const char *p[] = {sid};
    *out = NULL;
    PGresult *r = eo_db_one(db, "rpi_get", sql, 1, p, "rpi_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_rpi_compact(eo_db *db, long long id, json_t **out, eo_err *err)
{
    static const char sql[] =
        "select jsonb_build_object('id', r.id, 'year', r.year, 'status', r.status,"
        " 'total_jp', coalesce((select sum(p.jp) from rpi_items i join dev_programmes p on p.id = i.programme_id"
        "   where i.rpi_id = r.id), 0),"
        " 'items', coalesce((select jsonb_agg(jsonb_build_object('programme_id', p.id, 'title', p.title, 'jp', p.jp,"
        "   'category', p.category, 'kind', i.kind) order by p.title, p.id) from rpi_items i join dev_programmes p on "
        "p.id = i.programme_id"
        "   where i.rpi_id = r.id), '[]'::jsonb),"
        " 'approved_at', " TS("r.approved_at") ","
                                               " 'last_note', (select v.note from rpi_events v where v.rpi_id = r.id "
                                               "and v.note is not null"
                                               "   order by v.id desc limit 1))::text"
                                               " from rpis r where r.id = $1";
    char sid[24];
    ll(sid, sizeof(sid), id);
    const char *p[] = {sid};
    *out = NULL;
    PGresult *r = eo_db_one(db, NULL, sql, 1, p, "rpi_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_rpi_queue(eo_db *db, long long caller, const char *status, const eo_db_keyset *after, int limit,
                          json_t **items, json_t **next, eo_err *err)
{
    /* submitted: keyed by submitted_at; verified: by verified_at (set by that step). */
    static const char sql[] =
        "select jsonb_build_object('id', r.id, 'year', r.year, 'status', r.status, 'revision', r.revision,"
        "  'employee', jsonb_build_object('nip', e.nip, 'name', e.name,"
        "    'unit', (select u.code from org_units u where u.id = e.unit_id)),"
        "  'total_jp', coalesce((select sum(p.jp) from rpi_items i join dev_programmes p on p.id = i.programme_id"
        "    where i.rpi_id = r.id), 0),"
        "  'submitted_at', " TS("r.submitted_at") ", 'verified_at', " TS(
            "r.verified_at") ")::text,"
                             " " EO_DB_KEYSET_TS(
                                 "k.at") ", r.id"
                                         " from rpis r join employees e on e.id = r.employee_id"
                                         " cross join lateral (select case when $2 = 'submitted' then r.submitted_at "
                                         "else r.verified_at end as at) k"
                                         " where r.status = $2 and r.employee_id <> $1 and k.at is not null"
                                         "  and case when $2 = 'submitted' then exists (select 1 from role_grants g "
                                         "join org_units u on u.id = e.unit_id"
                                         "    where g.employee_id = $1 and g.role = 'anpeg' and g.revoked_at is null "
                                         "and g.unit_id = any(u.path))"
                                         "   else e.supervisor_id = $1 end"
                                         "  and ($3::timestamptz is null or (k.at, r.id) < ($3::timestamptz, "
                                         "$4::bigint))"
                                         " order by k.at desc, r.id desc limit $5";
    char who[24], lim[16];
    ll(who, sizeof(who), caller);
    snprintf(lim, sizeof(lim), "%d", limit + 1);
    const char *p[] = {who, status, after->set ? after->at : NULL, after->set ? after->id : NULL, lim};
    *items = *next = NULL;
    PGresult *r = eo_db_exec(db, "rpi_queue", sql, 5, p, err);
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}
