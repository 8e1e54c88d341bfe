#include "db/tpp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rows.h"

#define KEY_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'"

static void ll_text(char *buf, size_t n, long long v) { snprintf(buf, n, "%lld", v); }

/* "{1,2,3}" for $n::bigint[]; caller frees. */
static char *id_array(const long long *ids, int n)
{
    size_t cap = (size_t)n * 21 + 3, at = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    s[at++] = '{';
    for (int i = 0; i < n; i++) {
        int w = snprintf(s + at, cap - at, "%s%lld", i ? "," : "", ids[i]);
        if (w < 0) break;
        at += (size_t)w;
    }
    snprintf(s + at, cap - at, "}");
    return s;
}

/* ---------------------------------------------------------------- rule versions */

static eo_status rule_json(eo_db *db, const char *name, long long id, json_t **out, eo_err *err)
{
    char sid[24];
    ll_text(sid, sizeof sid, id);
    const char *p[] = {sid};
    PGresult *r =
        eo_db_one(db, name,
                  "select " EO_DB_TPP_RULE_JSON " from tpp_rule_versions v join org_units u on u.id = v.unit_id"
                  " where v.id = $1",
                  1, p, "tpp_rule_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_tpp_rule_insert(eo_db *db, const eo_db_tpp_rule_in *in, long long by, json_t **out, long long *id,
                                eo_err *err)
{
    long long unit;
    if (eo_db_tpp_unit(db, in->unit_code, &unit, err) != EO_OK) return err->status;
    char su[24], sb[24];
    ll_text(su, sizeof su, unit);
    ll_text(sb, sizeof sb, by);
    const char *p[] = {su, in->effective_from, in->rules, in->note, by ? sb : NULL};
    PGresult *r =
        eo_db_exec(db, "tpp_rule_ins",
                   "insert into tpp_rule_versions (unit_id, effective_from, rules, note, created_by)"
                   " values ($1, $2::date, $3::jsonb, $4, $5) on conflict (unit_id, effective_from) do nothing"
                   " returning id",
                   5, p, err);
    if (!r) return eo_db_value_error(db, err);
    bool inserted = PQntuples(r) == 1;
    if (inserted) *id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    if (!inserted) return eo_fail(err, EO_ERR_CONFLICT, "tpp_rule_exists");
    return rule_json(db, "tpp_rule_json", *id, out, err);
}

eo_status eo_db_tpp_rule_lock(eo_db *db, long long id, bool *locked, eo_err *err)
{
    char sid[24];
    ll_text(sid, sizeof sid, id);
    const char *p[] = {sid};
    PGresult *r =
        eo_db_one(db, "tpp_rule_lock", "select locked_at is not null from tpp_rule_versions where id = $1 for update",
                  1, p, "tpp_rule_not_found", err);
    if (!r) return err->status;
    *locked = eo_db_bool(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_tpp_rule_update(eo_db *db, long long id, const char *rules, const char *note, json_t **out, eo_err *err)
{
    char sid[24];
    ll_text(sid, sizeof sid, id);
    const char *p[] = {sid, rules, note};
    if (eo_db_run(db, "update tpp_rule_versions set rules = $2::jsonb, note = $3 where id = $1 and locked_at is null",
                  3, p, err) != EO_OK)
        return eo_db_value_error(db, err);
    return rule_json(db, "tpp_rule_json", id, out, err);
}

eo_status eo_db_tpp_rule_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    return rule_json(db, "tpp_rule_json", id, out, err);
}

eo_status eo_db_tpp_rule_page(eo_db *db, const char *unit_code, int limit, const eo_db_keyset *after, json_t **items,
                              json_t **next, eo_err *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {unit_code, after->set ? after->at : NULL, after->set ? after->id : NULL, lim};
    PGresult *r =
        eo_db_exec(db, "tpp_rule_page",
                   "select " EO_DB_TPP_RULE_JSON ", to_char(v.created_at at time zone 'UTC', " KEY_FMT "), v.id"
                   " from tpp_rule_versions v join org_units u on u.id = v.unit_id"
                   " where ($1::text is null or u.code = $1)"
                   "   and ($2::timestamptz is null or (v.created_at, v.id) < ($2::timestamptz, $3::bigint))"
                   " order by v.created_at desc, v.id desc limit $4",
                   4, p, err);
    if (!r) return err->status;
    eo_status st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}

/* ---------------------------------------------------------------- scope */

eo_status eo_db_tpp_unit(eo_db *db, const char *code, long long *unit_id, eo_err *err)
{
    const char *p[] = {code};
    return eo_db_one_ll(db, "tpp_unit", "select id from org_units where code = $1", 1, p, "unit_not_found", unit_id,
                        err);
}

eo_status eo_db_tpp_anpeg_covers_unit(eo_db *db, long long anpeg, long long unit_id, bool *ok, eo_err *err)
{
    char sa[24], su[24];
    ll_text(sa, sizeof sa, anpeg);
    ll_text(su, sizeof su, unit_id);
    const char *p[] = {sa, su};
    PGresult *r = eo_db_exec(db, "tpp_anpeg_unit",
                             "select exists (select 1 from role_grants g join org_units u on u.path @> array[g.unit_id]"
                             " where g.employee_id = $1 and g.role = 'anpeg' and g.revoked_at is null and u.id = $2)",
                             2, p, err);
    if (!r) return err->status;
    *ok = eo_db_bool(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

/* ---------------------------------------------------------------- inputs */

eo_status eo_db_tpp_members(eo_db *db, long long unit_id, long long employee_id, const char *month_first,
                            const char *month_last, eo_db_tpp_member **out, int *n, eo_err *err)
{
    // clang-format off
    static const char q[] =
        "select e.id, e.nip, s.unit_id, p.class_grade,"
        " (select v.id from tpp_rule_versions v join org_units vu on vu.id = v.unit_id"
        "   where u.path @> array[v.unit_id] and v.effective_from <= $4::date"
        "   order by cardinality(vu.path) desc, v.effective_from desc limit 1),"
        " ks.score_bp, coalesce(tr.status = 'closed', false), tr.fingerprint"
        " from eo_employee_settings_between($3::date, $3::date) s"
        " join employees e on e.id = s.employee_id"
        " join org_units u on u.id = s.unit_id"
        " left join positions p on p.id = e.position_id"
        " left join tpp_kinerja_scores ks on ks.employee_id = e.id and ks.month = $4::date"
        " left join tpp_results tr on tr.employee_id = e.id and tr.month = $4::date"
        " where e.status = 'active'"
        "   and case when $1::bigint is null then e.id = $2::bigint else u.path @> array[$1::bigint] end"
        " order by e.id";
    // clang-format on
    char su[24], se[24];
    ll_text(su, sizeof su, unit_id);
    ll_text(se, sizeof se, employee_id);
    const char *p[] = {unit_id ? su : NULL, employee_id ? se : NULL, month_last, month_first};
    *out = NULL;
    *n = 0;
    PGresult *r = eo_db_exec(db, "tpp_members", q, 4, p, err);
    if (!r) return err->status;
    int count = PQntuples(r);
    if (count > 0 && !(*out = calloc((size_t)count, sizeof(eo_db_tpp_member)))) {
        PQclear(r);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    for (int i = 0; i < count; i++) {
        eo_db_tpp_member *m = &(*out)[i];
        m->id = eo_db_get_ll(r, i, 0);
        eo_db_copy(m->nip, sizeof m->nip, r, i, 1);
        m->unit_id = eo_db_get_ll(r, i, 2);
        m->class_grade = (int)eo_db_get_ll(r, i, 3);
        m->rule_id = eo_db_get_ll(r, i, 4);
        m->has_score = eo_db_get(r, i, 5) != NULL;
        m->score_bp = (int)eo_db_get_ll(r, i, 5);
        m->closed = eo_db_bool(r, i, 6);
        eo_db_copy(m->fingerprint, sizeof m->fingerprint, r, i, 7);
    }
    *n = count;
    PQclear(r);
    return EO_OK;
}

#define MINUTES(col) "(extract(epoch from " col ") / 60)::int"
#define LOCAL_MIN(p)                                                                                                   \
    "(extract(hour from a." p "_at at time zone a.time_zone) * 60 + "                                                  \
    "extract(minute from a." p "_at at time zone a.time_zone))::int"

eo_status eo_db_tpp_days(eo_db *db, const long long *ids, int n, const char *month_first, const char *month_last,
                         double now, PGresult **days, PGresult **absences, eo_err *err)
{
    // clang-format off
    static const char sql[] =
        /* the month's calendar once (31 rows), not per employee-day */
        "with cal as materialized (select d::date as day, extract(isodow from d)::int as dow,"
        "   exists (select 1 from public_holidays h where h.holiday_date = d::date) as holiday,"
        "   exists (select 1 from ramadan_periods rp where d::date between rp.start_date and rp.end_date) as ramadan"
        "   from generate_series($2::date, $3::date, interval '1 day') d),"
        " sd as (select s.employee_id, s.day, s.unit_id, s.work_schedule_id, s.office_location_id"
        "   from eo_employee_settings_between($2::date, $3::date, $1::bigint[]) s)"
        " select sd.employee_id, extract(day from sd.day)::int, cal.dow,"
        " " MINUTES("wn.start_time") ", " MINUTES("wn.end_time") ","
        " " MINUTES("wr.start_time") ", " MINUTES("wr.end_time") ","
        " cal.holiday, cal.ramadan,"
        " sd.day < (to_timestamp($4) at time zone coalesce(l.time_zone, 'Asia/Jakarta'))::date,"
        " " LOCAL_MIN("check_in") ", " LOCAL_MIN("check_out") ","
        " a.corrected_by is not null, k.employee_id is not null, sd.unit_id"
        " from sd join cal on cal.day = sd.day"
        " left join office_locations l on l.id = sd.office_location_id"
        " left join work_schedule_days wn on wn.schedule_id = sd.work_schedule_id and wn.season = 'normal'"
        "   and wn.isodow = cal.dow"
        " left join work_schedule_days wr on wr.schedule_id = sd.work_schedule_id and wr.season = 'ramadan'"
        "   and wr.isodow = cal.dow"
        /* the batch's rows only: index scans, not a hash of the whole table per batch */
        " left join (select employee_id, work_date, time_zone, check_in_at, check_out_at, corrected_by"
        "   from attendance where employee_id = any($1::bigint[]) and work_date between $2::date and $3::date) a"
        "   on a.employee_id = sd.employee_id and a.work_date = sd.day"
        " left join (select employee_id, work_date from lkh_reports where employee_id = any($1::bigint[])"
        "   and work_date between $2::date and $3::date and status = 'approved') k"
        "   on k.employee_id = sd.employee_id and k.work_date = sd.day"
        /* a day without hours and without a record cannot change the result: not read */
        " where wn.schedule_id is not null or wr.schedule_id is not null or a.employee_id is not null"
        " order by sd.employee_id, sd.day";
    // clang-format on
    *days = *absences = NULL;
    char *arr = id_array(ids, n);
    if (!arr) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    char at[32];
    snprintf(at, sizeof at, "%.6f", now);
    const char *p[] = {arr, month_first, month_last, at};
    *days = eo_db_exec(db, "tpp_days", sql, 4, p, err);
    if (*days) {
        const char *pa[] = {arr, month_first, month_last};
        *absences = eo_db_exec(db, "tpp_absences",
                               "select employee_id, kind, date_from - date '1970-01-01', date_to - date '1970-01-01'"
                               " from absence_requests where status = 'approved' and employee_id = any($1::bigint[])"
                               "   and date_to >= $2::date and date_from <= $3::date"
                               " order by employee_id, date_from, id",
                               3, pa, err);
    }
    free(arr);
    if (!*days || !*absences) {
        PQclear(*days);
        *days = NULL;
        return err->status;
    }
    return EO_OK;
}

eo_status eo_db_tpp_rules_of(eo_db *db, const long long *ids, int n, PGresult **out, eo_err *err)
{
    char *arr = id_array(ids, n);
    if (!arr) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    const char *p[] = {arr};
    *out = eo_db_exec(db, "tpp_rules_of", "select id, rules::text from tpp_rule_versions where id = any($1::bigint[])",
                      1, p, err);
    free(arr);
    return *out ? EO_OK : err->status;
}

eo_status eo_db_tpp_store(eo_db *db, const char *month_first, double now, long long by, const char *results,
                          long long *changed, eo_err *err)
{
    // clang-format off
    static const char sql[] =
        "insert into tpp_results (employee_id, month, unit_id, rule_version_id, fingerprint, base_amount,"
        "  kinerja_amount, kehadiran_amount, deduction_amount, total_amount, issues, breakdown, computed_at, computed_by)"
        " select x.e, $1::date, x.u, x.r, x.f, x.b, x.k, x.h, x.d, x.t, x.i, x.j, to_timestamp($2), $3"
        " from jsonb_to_recordset($4::jsonb) as x(e bigint, u bigint, r bigint, f text, b bigint, k bigint,"
        "   h bigint, d bigint, t bigint, i text[], j jsonb)"
        " on conflict (employee_id, month) do update set unit_id = excluded.unit_id,"
        "  rule_version_id = excluded.rule_version_id, fingerprint = excluded.fingerprint,"
        "  base_amount = excluded.base_amount, kinerja_amount = excluded.kinerja_amount,"
        "  kehadiran_amount = excluded.kehadiran_amount, deduction_amount = excluded.deduction_amount,"
        "  total_amount = excluded.total_amount, issues = excluded.issues, breakdown = excluded.breakdown,"
        "  computed_at = excluded.computed_at, computed_by = excluded.computed_by"
        " where tpp_results.status = 'open' and tpp_results.fingerprint <> excluded.fingerprint";
    // clang-format on
    char at[32], sb[24];
    snprintf(at, sizeof at, "%.6f", now);
    ll_text(sb, sizeof sb, by);
    const char *p[] = {month_first, at, by ? sb : NULL, results};
    PGresult *r = eo_db_exec(db, NULL, sql, 4, p, err);
    if (!r) return err->status;
    *changed = eo_db_affected(r);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_tpp_lock_month(eo_db *db, const char *month_first, eo_err *err)
{
    const char *p[] = {month_first};
    /* JIT compiles each batch's plan anew for more than the batch costs: off for this transaction. */
    return eo_db_run(db,
                     "select set_config('jit', 'off', true),"
                     " pg_advisory_xact_lock(hashtext('tpp.month'), ($1::date - date '1970-01-01'))",
                     1, p, err);
}

eo_status eo_db_tpp_missing(eo_db *db, long long unit_id, const char *month_first, const char *month_last,
                            long long *missing, eo_err *err)
{
    char su[24];
    ll_text(su, sizeof su, unit_id);
    const char *p[] = {su, month_last, month_first};
    return eo_db_one_ll(
        db, "tpp_missing",
        "select count(*) from eo_employee_settings_between($2::date, $2::date) s"
        " join employees e on e.id = s.employee_id join org_units u on u.id = s.unit_id"
        " where e.status = 'active' and u.path @> array[$1::bigint]"
        "   and not exists (select 1 from tpp_results t where t.employee_id = e.id and t.month = $3::date)",
        3, p, NULL, missing, err);
}

// clang-format off
#define IN_SUBTREE "unit_id in (select id from org_units where path @> array[$1::bigint])"
// clang-format on

eo_status eo_db_tpp_close(eo_db *db, long long unit_id, const char *month_first, double now, long long by,
                          long long *closed, eo_err *err)
{
    char su[24], at[32], sb[24];
    ll_text(su, sizeof su, unit_id);
    snprintf(at, sizeof at, "%.6f", now);
    ll_text(sb, sizeof sb, by);
    const char *p[] = {su, month_first, at, by ? sb : NULL};
    PGresult *r = eo_db_exec(db, "tpp_close",
                             "with c as (update tpp_results set status = 'closed', closed_at = to_timestamp($3),"
                             "  closed_by = $4 where month = $2::date and status = 'open' and " IN_SUBTREE
                             "  returning rule_version_id),"
                             " l as (update tpp_rule_versions set locked_at = to_timestamp($3)"
                             "  where locked_at is null and id in (select rule_version_id from c) returning 1)"
                             " select (select count(*) from c), (select count(*) from l)",
                             4, p, err);
    if (!r) return err->status;
    *closed = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_tpp_reopen(eo_db *db, long long unit_id, const char *month_first, long long *reopened, eo_err *err)
{
    char su[24];
    ll_text(su, sizeof su, unit_id);
    const char *p[] = {su, month_first};
    PGresult *r = eo_db_exec(db, "tpp_reopen",
                             "update tpp_results set status = 'open', closed_at = null, closed_by = null"
                             " where month = $2::date and status = 'closed' and " IN_SUBTREE,
                             2, p, err);
    if (!r) return err->status;
    *reopened = eo_db_affected(r);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_tpp_counts(eo_db *db, long long unit_id, const char *month_first, long long *total, long long *closed,
                           eo_err *err)
{
    char su[24];
    ll_text(su, sizeof su, unit_id);
    const char *p[] = {su, month_first};
    PGresult *r = eo_db_exec(db, "tpp_counts",
                             "select count(*), count(*) filter (where status = 'closed') from tpp_results"
                             " where month = $2::date and " IN_SUBTREE,
                             2, p, err);
    if (!r) return err->status;
    *total = eo_db_get_ll(r, 0, 0);
    *closed = eo_db_get_ll(r, 0, 1);
    PQclear(r);
    return EO_OK;
}

/* ---------------------------------------------------------------- reading */

// clang-format off
#define RESULT_JSON \
    "jsonb_build_object('nip', e.nip, 'name', e.name, 'unit_code', u.code, 'unit_name', u.name," \
    " 'month', to_char(t.month, 'YYYY-MM'), 'status', t.status, 'rule_version_id', t.rule_version_id," \
    " 'base_amount', t.base_amount, 'kinerja_amount', t.kinerja_amount," \
    " 'kehadiran_amount', t.kehadiran_amount, 'deduction_amount', t.deduction_amount," \
    " 'total_amount', t.total_amount, 'issues', to_jsonb(t.issues), 'fingerprint', t.fingerprint," \
    " 'computed_at', " EO_DB_TS("t.computed_at") ", 'closed_at', " EO_DB_TS("t.closed_at") ")"
// clang-format on

eo_status eo_db_tpp_result_page(eo_db *db, long long unit_id, const char *month_first, int limit,
                                const eo_db_keyset *after, json_t **items, json_t **next, eo_err *err)
{
    char su[24], lim[16];
    ll_text(su, sizeof su, unit_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {su, month_first, after->set ? after->at : NULL, after->set ? after->id : NULL, lim};
    PGresult *r = eo_db_exec(db, "tpp_result_page",
                             "select " RESULT_JSON "::text, e.nip::text, t.id"
                             " from tpp_results t join employees e on e.id = t.employee_id"
                             " join org_units u on u.id = t.unit_id"
                             " where t.month = $2::date and u.path @> array[$1::bigint]"
                             "   and ($3::text is null or (e.nip::text, t.id) > ($3::text, $4::bigint))"
                             " order by e.nip::text, t.id limit $5",
                             5, p, err);
    if (!r) return err->status;
    eo_status st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_tpp_result_of(eo_db *db, long long employee_id, const char *month_first, json_t **out, eo_err *err)
{
    char se[24];
    ll_text(se, sizeof se, employee_id);
    const char *p[] = {se, month_first};
    PGresult *r = eo_db_one(db, "tpp_result_of",
                            "select (" RESULT_JSON " || jsonb_build_object('breakdown', t.breakdown))::text"
                            " from tpp_results t join employees e on e.id = t.employee_id"
                            " join org_units u on u.id = t.unit_id where t.employee_id = $1 and t.month = $2::date",
                            2, p, "tpp_result_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_tpp_export_rows(eo_db *db, long long unit_id, const char *month_first, PGresult **out, eo_err *err)
{
    char su[24];
    ll_text(su, sizeof su, unit_id);
    const char *p[] = {su, month_first};
    *out = eo_db_exec(db, "tpp_export",
                      "select e.nip, e.name, u.code, u.name, coalesce((t.breakdown->>'class_grade')::int, 0),"
                      " t.base_amount, t.kinerja_amount, t.kehadiran_amount, t.deduction_amount, t.total_amount,"
                      " t.status, t.fingerprint, (t.breakdown->'kehadiran'->'deductions')::text,"
                      " array_to_string(t.issues, ' ')"
                      " from tpp_results t join employees e on e.id = t.employee_id"
                      " join org_units u on u.id = t.unit_id"
                      " where t.month = $2::date and u.path @> array[$1::bigint]"
                      " order by u.code, e.nip",
                      2, p, err);
    return *out ? EO_OK : err->status;
}

/* ---------------------------------------------------------------- scores */

eo_status eo_db_tpp_scores_import(eo_db *db, long long unit_id, const char *month_first, const char *items,
                                  long long by, long long *stored, json_t **unknown, eo_err *err)
{
    // clang-format off
    static const char sql[] =
        "with x as (select * from jsonb_to_recordset($3::jsonb) as x(nip text, score_bp int)),"
        " m as (select x.nip, x.score_bp, e.id from x left join employees e on e.nip = x.nip"
        "   and ($1::bigint is null or e.unit_id in (select id from org_units where path @> array[$1::bigint]))),"
        " ins as (insert into tpp_kinerja_scores (employee_id, month, score_bp, imported_by, imported_at)"
        "   select id, $2::date, score_bp, $4, now() from m where id is not null"
        "   on conflict (employee_id, month) do update set score_bp = excluded.score_bp,"
        "   imported_by = excluded.imported_by, imported_at = excluded.imported_at returning 1)"
        " select (select count(*) from ins),"
        "  (select coalesce(jsonb_agg(nip order by nip), '[]'::jsonb)::text from m where id is null)";
    // clang-format on
    char su[24], sb[24];
    ll_text(su, sizeof su, unit_id);
    ll_text(sb, sizeof sb, by);
    const char *p[] = {unit_id ? su : NULL, month_first, items, by ? sb : NULL};
    *unknown = NULL;
    PGresult *r = eo_db_exec(db, NULL, sql, 4, p, err);
    if (!r) return eo_db_value_error(db, err);
    *stored = eo_db_get_ll(r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, unknown, err);
    PQclear(r);
    return st;
}
