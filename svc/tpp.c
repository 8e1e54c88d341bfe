#include "svc/tpp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/nip.h"
#include "core/tpp.h"
#include "core/tpp_export.h"
#include "db/tpp.h"
#include "svc/access.h"

#define BATCH      500        /* employees per round trip of the computation */
#define MAX_SCORES 1000       /* a request body is at most EOFFICE_MAX_BODY_BYTES (64 KiB) anyway */
#define WIB_OFFSET (7 * 3600) /* a month is over everywhere once it is over in WIB (UTC+7) */

typedef struct {
    int year, month;
    char text[8];   /* YYYY-MM */
    char first[11]; /* YYYY-MM-01 */
    char last[11];
} month_t;

static eo_status parse_month(const char *s, month_t *m, eo_err *err)
{
    memset(m, 0, sizeof(*m));
    if (!s || strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2) {
        eo_err_field(err, "month", s ? "invalid_value" : "missing_field");
        return err->status;
    }
    m->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m->month = (s[5] - '0') * 10 + (s[6] - '0');
    if (m->year < 2000 || m->year > 2100 || m->month < 1 || m->month > 12) {
        eo_err_field(err, "month", "invalid_value");
        return err->status;
    }
    snprintf(m->text, sizeof m->text, "%04d-%02d", m->year, m->month);
    snprintf(m->first, sizeof m->first, "%s-01", m->text);
    snprintf(m->last, sizeof m->last, "%s-%02d", m->text, eo_tpp_month_days(m->year, m->month));
    return EO_OK;
}

/* Days since 1970-01-01 of the WIB calendar day at now. */
static int today_wib(double now) { return (int)floor((now + WIB_OFFSET) / 86400.0); }

static int month_first_day(const month_t *m) { return eo_tpp_days_from_civil(m->year, m->month, 1); }
static int month_last_day(const month_t *m)
{
    return eo_tpp_days_from_civil(m->year, m->month, eo_tpp_month_days(m->year, m->month));
}

static eo_status require_admin(eo_uow *u, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    return eo_svc_access_is_admin(u) ? EO_OK : eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
}

/* The scope a caller may act on: admin anywhere, anpeg in their subtree. No
 * principal is the command line (eoffice tpp-scores): every route
 * authenticates, and each HTTP use case refuses a missing principal first. */
static eo_status scope(eo_uow *u, eo_db *db, const char *unit_code, long long *unit, eo_err *err)
{
    bool admin = !u->who || eo_svc_access_is_admin(u);
    if (!admin && !(u->who->roles & EO_ROLE_ANPEG)) return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
    if (!unit_code || !*unit_code) {
        eo_err_field(err, "unit_code", "missing_field");
        return err->status;
    }
    if (strlen(unit_code) > 64) {
        eo_err_field(err, "unit_code", "too_long");
        return err->status;
    }
    if (eo_db_tpp_unit(db, unit_code, unit, err) != EO_OK) return err->status;
    if (admin) return EO_OK;
    bool ok = false;
    if (eo_db_tpp_anpeg_covers_unit(db, u->who->employee_id, *unit, &ok, err) != EO_OK) return err->status;
    return ok ? EO_OK : eo_fail(err, EO_ERR_NOT_FOUND, "unit_not_found");
}

/* The connection and the unit (by code) the caller may act on (scope). */
static eo_status unit_db(eo_uow *u, const char *unit_code, eo_db **db, long long *unit, eo_err *err)
{
    if (eo_uow_db(u, db, err) != EO_OK) return err->status;
    return scope(u, *db, unit_code, unit, err);
}

/* A signed-in caller and the month "YYYY-MM" they asked for. */
static eo_status caller_month(const eo_uow *u, const char *month, month_t *m, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    return parse_month(month, m, err);
}

/* ---------------------------------------------------------------- rule versions */

static eo_status canonical_rules(const json_t *doc, char **text, eo_err *err)
{
    eo_tpp_rules r;
    if (eo_tpp_rules_parse(doc, &r, err) != EO_OK) return err->status;
    json_t *c = eo_tpp_rules_json(&r);
    *text = c ? json_dumps(c, JSON_COMPACT) : NULL;
    json_decref(c);
    return *text ? EO_OK : eo_fail(err, EO_ERR_INTERNAL, "internal");
}

eo_status eo_svc_tpp_rule_create(eo_uow *u, const eo_tpp_rule_req *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (require_admin(u, err) != EO_OK) return err->status;
    month_t m;
    if (!in->unit_code) eo_err_field(err, "unit_code", "missing_field");
    if (!in->effective_from)
        eo_err_field(err, "effective_from", "missing_field");
    else {
        eo_err tmp;
        eo_err_init(&tmp);
        if (parse_month(in->effective_from, &m, &tmp) != EO_OK) eo_err_field(err, "effective_from", "invalid_value");
        eo_err_clear(&tmp);
    }
    char *rules = NULL;
    canonical_rules(in->rules, &rules, err);
    if (err->status != EO_OK) {
        free(rules);
        return err->status;
    }
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) {
        free(rules);
        return err->status;
    }
    eo_db_tpp_rule_in q = {in->unit_code, m.first, rules, in->note};
    long long id = 0;
    char target[24];
    if (eo_db_begin(db, err) != EO_OK) goto fail;
    if (eo_db_tpp_rule_insert(db, &q, u->who->employee_id, out, &id, err) != EO_OK) goto fail;
    snprintf(target, sizeof target, "%lld", id);
    if (eo_uow_audit_commit(u, "tpp.rule.create", "tpp_rule_version", target, *out, err) != EO_OK) goto fail;
    free(rules);
    return EO_OK;
fail:
    free(rules);
    return eo_uow_rollback(db, out, err);
}

eo_status eo_svc_tpp_rule_update(eo_uow *u, long long id, const eo_tpp_rule_req *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (require_admin(u, err) != EO_OK) return err->status;
    char *rules = NULL;
    if (canonical_rules(in->rules, &rules, err) != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) {
        free(rules);
        return err->status;
    }
    bool locked = false;
    char target[24];
    snprintf(target, sizeof target, "%lld", id);
    json_t *before = NULL;
    if (eo_db_begin(db, err) != EO_OK) goto fail;
    if (eo_db_tpp_rule_lock(db, id, &locked, err) != EO_OK) goto fail;
    if (locked) {
        eo_fail(err, EO_ERR_CONFLICT, "tpp_rule_locked");
        goto fail;
    }
    if (eo_db_tpp_rule_get(db, id, &before, err) != EO_OK) goto fail;
    const char *note = in->has_note ? in->note : json_string_value(json_object_get(before, "note"));
    if (eo_db_tpp_rule_update(db, id, rules, note, out, err) != EO_OK) goto fail;
    json_t *details = json_pack("{s:O,s:O}", "before", before, "after", *out);
    eo_status st = eo_uow_audit(u, "tpp.rule.update", "tpp_rule_version", target, details, err);
    json_decref(details);
    if (st != EO_OK) goto fail;
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    json_decref(before);
    free(rules);
    return EO_OK;
fail:
    json_decref(before);
    free(rules);
    return eo_uow_rollback(db, out, err);
}

/* Rule versions are read by admins and anpeg (who compute with them). */
static eo_status require_reader(eo_uow *u, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_svc_access_is_admin(u) || (u->who->roles & EO_ROLE_ANPEG)) return EO_OK;
    return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
}

eo_status eo_svc_tpp_rule_get(eo_uow *u, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    if (require_reader(u, err) != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_tpp_rule_get(db, id, out, err);
}

eo_status eo_svc_tpp_rule_list(eo_uow *u, const char *unit_code, int limit, const json_t *after, json_t **items,
                               json_t **next, eo_err *err)
{
    *items = *next = NULL;
    if (require_reader(u, err) != EO_OK) return err->status;
    if (unit_code && strlen(unit_code) > 64) {
        eo_err_field(err, "unit_code", "too_long");
        return err->status;
    }
    eo_db_keyset pos;
    if (eo_db_keyset_from(after, &pos, err) != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_tpp_rule_page(db, unit_code, limit, &pos, items, next, err);
}

/* ---------------------------------------------------------------- the computation */

typedef struct {
    long long id;
    eo_tpp_rules rules;
} rule_slot;

typedef struct {
    rule_slot *v;
    int n;
} rule_set;

static const eo_tpp_rules *rule_find(const rule_set *s, long long id)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i].id == id) return &s->v[i].rules;
    return NULL;
}

/* The stored documents of every version the members use, parsed once. */
static eo_status load_rules(eo_db *db, const eo_db_tpp_member *m, int n, rule_set *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    long long *ids = calloc((size_t)n + 1, sizeof(long long));
    if (!ids) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!m[i].rule_id) continue;
        bool seen = false;
        for (int j = 0; j < k && !seen; j++) seen = ids[j] == m[i].rule_id;
        if (!seen) ids[k++] = m[i].rule_id;
    }
    PGresult *r = NULL;
    eo_status st = eo_db_tpp_rules_of(db, ids, k, &r, err);
    free(ids);
    if (st != EO_OK) return st;
    int rows = PQntuples(r);
    out->v = calloc((size_t)rows + 1, sizeof(rule_slot));
    if (!out->v) {
        PQclear(r);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    for (int i = 0; i < rows; i++) {
        json_t *doc = json_loads(eo_db_str(r, i, 1), 0, NULL);
        eo_err perr;
        eo_err_init(&perr);
        out->v[i].id = eo_db_get_ll(r, i, 0);
        st = eo_tpp_rules_parse(doc, &out->v[i].rules, &perr);
        eo_err_clear(&perr);
        json_decref(doc);
        if (st != EO_OK) {
            PQclear(r);
            return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "tpp rule version %lld does not parse", out->v[i].id);
        }
        out->n++;
    }
    PQclear(r);
    return EO_OK;
}

static int minutes_or_none(PGresult *r, int row, int col)
{
    return eo_db_get(r, row, col) ? (int)eo_db_get_ll(r, row, col) : -1;
}

/* Fills in->days from the rows of this employee starting at *row. */
static void take_days(PGresult *days, int *row, long long emp, eo_tpp_input *in)
{
    int n = PQntuples(days);
    for (; *row < n && eo_db_get_ll(days, *row, 0) == emp; (*row)++) {
        int r = *row;
        int d = (int)eo_db_get_ll(days, r, 1);
        if (d < 1 || d > in->ndays) continue;
        eo_tpp_day *day = &in->days[d - 1];
        int dow = (int)eo_db_get_ll(days, r, 2);
        eo_schedule s;
        memset(&s, 0, sizeof s);
        int ns = minutes_or_none(days, r, 3), ne = minutes_or_none(days, r, 4);
        int rs = minutes_or_none(days, r, 5), re = minutes_or_none(days, r, 6);
        if (dow >= 1 && dow <= 7) {
            if (ns >= 0 && ne >= 0) s.slots[0][dow] = (eo_schedule_slot){true, ns, ne};
            if (rs >= 0 && re >= 0) s.slots[1][dow] = (eo_schedule_slot){true, rs, re};
        }
        eo_presensi_day_resolve(&s, dow, eo_db_bool(days, r, 8), eo_db_bool(days, r, 7), &day->day);
        day->day_over = eo_db_bool(days, r, 9);
        day->in_min = eo_db_get(days, r, 10) ? (int)eo_db_get_ll(days, r, 10) : EO_PRESENSI_NONE;
        day->out_min = eo_db_get(days, r, 11) ? (int)eo_db_get_ll(days, r, 11) : EO_PRESENSI_NONE;
        day->corrected = eo_db_bool(days, r, 12);
        day->lkh_approved = eo_db_bool(days, r, 13);
        day->unit_id = eo_db_get_ll(days, r, 14);
    }
}

#define MAX_ABSENCES 64

static int take_absences(PGresult *abs, int *row, long long emp, eo_tpp_absence *out)
{
    int n = PQntuples(abs), k = 0;
    for (; *row < n && eo_db_get_ll(abs, *row, 0) == emp; (*row)++) {
        int kind = eo_tpp_absence_kind(eo_db_str(abs, *row, 1));
        if (kind < 0 || k >= MAX_ABSENCES) continue;
        out[k++] = (eo_tpp_absence){kind, (int)eo_db_get_ll(abs, *row, 2), (int)eo_db_get_ll(abs, *row, 3)};
    }
    return k;
}

static json_t *issues_json(unsigned issues)
{
    json_t *a = json_array();
    if (issues & EO_TPP_ISSUE_NO_RULE) json_array_append_new(a, json_string("no_rule_version"));
    if (issues & EO_TPP_ISSUE_NO_CLASS) json_array_append_new(a, json_string("position_class_missing"));
    if (issues & EO_TPP_ISSUE_NO_BASE) json_array_append_new(a, json_string("base_amount_missing"));
    if (issues & EO_TPP_ISSUE_NO_SCORE) json_array_append_new(a, json_string("kinerja_score_missing"));
    return a;
}

typedef struct {
    long long employees, frozen, changed, with_issues, total_amount;
} compute_stats;

/* Computes and stores one batch of open members. */
static eo_status compute_batch(eo_uow *u, eo_db *db, const month_t *m, const eo_db_tpp_member *mem, int n,
                               const rule_set *rules, compute_stats *st, eo_err *err)
{
    long long ids[BATCH];
    for (int i = 0; i < n; i++) ids[i] = mem[i].id;
    PGresult *days = NULL, *abs = NULL;
    if (eo_db_tpp_days(db, ids, n, m->first, m->last, u->now, &days, &abs, err) != EO_OK) return err->status;
    json_t *batch = json_array();
    eo_tpp_input *in = malloc(sizeof(*in));
    eo_tpp_result *res = malloc(sizeof(*res));
    eo_tpp_absence absences[MAX_ABSENCES];
    int drow = 0, arow = 0;
    eo_status status = EO_OK;
    if (!batch || !in || !res) {
        status = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        memset(in, 0, sizeof(*in));
        in->year = m->year;
        in->month = m->month;
        in->ndays = eo_tpp_month_days(m->year, m->month);
        for (int d = 0; d < in->ndays; d++) in->days[d].in_min = in->days[d].out_min = EO_PRESENSI_NONE;
        take_days(days, &drow, mem[i].id, in);
        in->nabsences = take_absences(abs, &arow, mem[i].id, absences);
        in->absences = absences;
        in->class_grade = mem[i].class_grade;
        in->has_score = mem[i].has_score;
        in->score_bp = mem[i].score_bp;
        in->rules = mem[i].rule_id ? rule_find(rules, mem[i].rule_id) : NULL;
        in->rule_id = in->rules ? mem[i].rule_id : 0;
        in->employee_id = mem[i].id;
        eo_tpp_compute(in, res);
        st->with_issues += res->issues != 0;
        st->total_amount += res->total;
        if (strcmp(res->fingerprint, mem[i].fingerprint) == 0) continue; /* same inputs: nothing to write */
        json_t *b = eo_tpp_breakdown_json(in, res);
        json_t *rec = json_pack("{s:I,s:I,s:o,s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "e", (json_int_t)mem[i].id, "u",
                                (json_int_t)mem[i].unit_id, "r", in->rule_id ? json_integer(in->rule_id) : json_null(),
                                "f", res->fingerprint, "b", (json_int_t)res->base, "k", (json_int_t)res->kinerja_amount,
                                "h", (json_int_t)res->kehadiran_amount, "d", (json_int_t)res->deduction_amount, "t",
                                (json_int_t)res->total, "i", issues_json(res->issues), "j", b);
        if (!rec || json_array_append_new(batch, rec) != 0) {
            status = eo_fail(err, EO_ERR_INTERNAL, "internal");
            goto done;
        }
    }
    if (json_array_size(batch) == 0) goto done;
    char *text = json_dumps(batch, JSON_COMPACT);
    if (!text) {
        status = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    long long changed = 0;
    status = eo_db_tpp_store(db, m->first, u->now, u->who ? u->who->employee_id : 0, text, &changed, err);
    free(text);
    st->changed += changed;
done:
    json_decref(batch);
    free(in);
    free(res);
    PQclear(days);
    PQclear(abs);
    return status;
}

static eo_status compute_scope(eo_uow *u, eo_db *db, const month_t *m, long long unit, long long employee,
                               compute_stats *st, eo_err *err)
{
    eo_db_tpp_member *mem = NULL;
    int n = 0;
    rule_set rules = {0};
    if (eo_db_tpp_members(db, unit, employee, m->first, m->last, &mem, &n, err) != EO_OK) return err->status;
    eo_status status = load_rules(db, mem, n, &rules, err);
    /* Closed results are frozen: drop them, keep the open ones in id order. */
    int open = 0;
    for (int i = 0; i < n; i++) {
        if (mem[i].closed)
            st->frozen++;
        else
            mem[open++] = mem[i];
    }
    st->employees = n;
    for (int at = 0; status == EO_OK && at < open; at += BATCH)
        status = compute_batch(u, db, m, mem + at, open - at < BATCH ? open - at : BATCH, &rules, st, err);
    free(rules.v);
    free(mem);
    return status;
}

static eo_status month_not_future(const eo_uow *u, const month_t *m, eo_err *err)
{
    if (month_first_day(m) > today_wib(u->now)) {
        eo_err_field(err, "month", "out_of_range");
        return err->status;
    }
    return EO_OK;
}

eo_status eo_svc_tpp_compute(eo_uow *u, const char *month, const char *unit_code, json_t **out, eo_err *err)
{
    *out = NULL;
    month_t m;
    if (caller_month(u, month, &m, err) != EO_OK || month_not_future(u, &m, err) != EO_OK) return err->status;
    eo_db *db;
    long long unit;
    if (unit_db(u, unit_code, &db, &unit, err) != EO_OK) return err->status;
    compute_stats st = {0};
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_tpp_lock_month(db, m.first, err) != EO_OK) goto fail;
    if (compute_scope(u, db, &m, unit, 0, &st, err) != EO_OK) goto fail;
    *out = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "month", m.text, "unit_code", unit_code, "employees",
                     (json_int_t)st.employees, "frozen", (json_int_t)st.frozen, "changed", (json_int_t)st.changed,
                     "with_issues", (json_int_t)st.with_issues, "total_amount", (json_int_t)st.total_amount);
    if (eo_uow_audit_commit(u, "tpp.month.compute", "tpp_month", m.text, *out, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    return eo_uow_rollback(db, out, err);
}

eo_status eo_svc_tpp_close(eo_uow *u, const char *month, const char *unit_code, json_t **out, eo_err *err)
{
    *out = NULL;
    month_t m;
    if (caller_month(u, month, &m, err) != EO_OK) return err->status;
    eo_db *db;
    long long unit;
    if (unit_db(u, unit_code, &db, &unit, err) != EO_OK) return err->status;
    if (month_last_day(&m) >= today_wib(u->now)) return eo_fail(err, EO_ERR_CONFLICT, "tpp_month_not_over");
    long long missing = 0, closed = 0, total = 0, all_closed = 0;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_tpp_lock_month(db, m.first, err) != EO_OK) goto fail;
    if (eo_db_tpp_missing(db, unit, m.first, m.last, &missing, err) != EO_OK) goto fail;
    if (missing > 0) {
        eo_fail(err, EO_ERR_CONFLICT, "tpp_not_computed");
        eo_err_extra(err, "missing", json_integer(missing));
        goto fail;
    }
    if (eo_db_tpp_close(db, unit, m.first, u->now, u->who->employee_id, &closed, err) != EO_OK) goto fail;
    if (eo_db_tpp_counts(db, unit, m.first, &total, &all_closed, err) != EO_OK) goto fail;
    *out = json_pack("{s:s,s:s,s:s,s:I,s:I}", "month", m.text, "unit_code", unit_code, "status", "closed", "closed",
                     (json_int_t)closed, "results", (json_int_t)total);
    if (eo_uow_audit_commit(u, "tpp.month.close", "tpp_month", m.text, *out, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    return eo_uow_rollback(db, out, err);
}

eo_status eo_svc_tpp_reopen(eo_uow *u, const char *month, const char *unit_code, const char *reason, json_t **out,
                            eo_err *err)
{
    *out = NULL;
    if (require_admin(u, err) != EO_OK) return err->status;
    month_t m;
    if (parse_month(month, &m, err) != EO_OK) return err->status;
    if (!reason || strspn(reason, " \t\r\n") == strlen(reason)) {
        eo_err_field(err, "reason", "missing_field");
        return err->status;
    }
    eo_db *db;
    long long unit, reopened = 0;
    if (unit_db(u, unit_code, &db, &unit, err) != EO_OK) return err->status;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_tpp_lock_month(db, m.first, err) != EO_OK) goto fail;
    if (eo_db_tpp_reopen(db, unit, m.first, &reopened, err) != EO_OK) goto fail;
    if (reopened == 0) {
        eo_fail(err, EO_ERR_CONFLICT, "tpp_month_not_closed");
        goto fail;
    }
    *out = json_pack("{s:s,s:s,s:s,s:I,s:s}", "month", m.text, "unit_code", unit_code, "status", "open", "reopened",
                     (json_int_t)reopened, "reason", reason);
    if (eo_uow_audit_commit(u, "tpp.month.reopen", "tpp_month", m.text, *out, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    return eo_uow_rollback(db, out, err);
}

eo_status eo_svc_tpp_results(eo_uow *u, const char *month, const char *unit_code, int limit, const json_t *after,
                             json_t **items, json_t **next, eo_err *err)
{
    *items = *next = NULL;
    month_t m;
    if (caller_month(u, month, &m, err) != EO_OK) return err->status;
    eo_db_keyset pos;
    if (eo_db_keyset_from(after, &pos, err) != EO_OK) return err->status;
    eo_db *db;
    long long unit;
    if (unit_db(u, unit_code, &db, &unit, err) != EO_OK) return err->status;
    return eo_db_tpp_result_page(db, unit, m.first, limit, &pos, items, next, err);
}

eo_status eo_svc_tpp_mine(eo_uow *u, const char *month, json_t **out, eo_err *err)
{
    *out = NULL;
    month_t m;
    if (caller_month(u, month, &m, err) != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_tpp_result_of(db, u->who->employee_id, m.first, out, err);
}

/* ---------------------------------------------------------------- exports */

eo_status eo_svc_tpp_export(eo_uow *u, const char *month, const char *unit_code, eo_tpp_export_format fmt, char **bytes,
                            size_t *len, eo_err *err)
{
    *bytes = NULL;
    *len = 0;
    month_t m;
    if (caller_month(u, month, &m, err) != EO_OK) return err->status;
    eo_db *db;
    long long unit;
    if (unit_db(u, unit_code, &db, &unit, err) != EO_OK) return err->status;
    PGresult *r = NULL;
    if (eo_db_tpp_export_rows(db, unit, m.first, &r, err) != EO_OK) return err->status;
    int n = PQntuples(r);
    eo_tpp_export_row *rows = calloc((size_t)n + 1, sizeof(*rows));
    json_t **docs = calloc((size_t)n + 1, sizeof(json_t *));
    eo_status st = EO_OK;
    if (!rows || !docs) {
        st = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        eo_tpp_export_row *x = &rows[i];
        x->nip = eo_db_str(r, i, 0);
        x->name = eo_db_str(r, i, 1);
        x->unit_code = eo_db_str(r, i, 2);
        x->unit_name = eo_db_str(r, i, 3);
        x->class_grade = (int)eo_db_get_ll(r, i, 4);
        x->base = eo_db_get_ll(r, i, 5);
        x->kinerja = eo_db_get_ll(r, i, 6);
        x->kehadiran = eo_db_get_ll(r, i, 7);
        x->deduction = eo_db_get_ll(r, i, 8);
        x->total = eo_db_get_ll(r, i, 9);
        x->status = eo_db_str(r, i, 10);
        x->fingerprint = eo_db_str(r, i, 11);
        x->issues = eo_db_str(r, i, 13);
        if (fmt == EO_TPP_EXPORT_XLSX) x->deductions = docs[i] = json_loads(eo_db_str(r, i, 12), 0, NULL);
    }
    if (fmt == EO_TPP_EXPORT_CSV)
        st = eo_tpp_export_csv(rows, (size_t)n, bytes, len, err);
    else
        st = eo_tpp_export_xlsx(rows, (size_t)n, m.text, getenv("TMPDIR"), bytes, len, err);
    if (st == EO_OK) {
        json_t *details = json_pack("{s:s,s:s,s:s,s:i}", "month", m.text, "unit_code", unit_code, "format",
                                    fmt == EO_TPP_EXPORT_CSV ? "csv" : "xlsx", "rows", n);
        st = eo_uow_audit(u, "tpp.month.export", "tpp_month", m.text, details, err);
        json_decref(details);
    }
done:
    for (int i = 0; docs && i < n; i++) json_decref(docs[i]);
    free(docs);
    free(rows);
    PQclear(r);
    if (st != EO_OK) {
        free(*bytes);
        *bytes = NULL;
        *len = 0;
    }
    return st;
}

/* ---------------------------------------------------------------- imported scores */

eo_status eo_svc_tpp_scores_import(eo_uow *u, const char *month, const char *unit_code, const json_t *items,
                                   json_t **out, eo_err *err)
{
    *out = NULL; /* u->who NULL: the command line (eoffice tpp-scores) */
    month_t m;
    if (parse_month(month, &m, err) != EO_OK) return err->status;
    if (!items) {
        eo_err_field(err, "items", "missing_field");
        return err->status;
    }
    if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > MAX_SCORES) {
        eo_err_field(err, "items", json_is_array(items) ? "out_of_range" : "invalid_type");
        return err->status;
    }
    json_t *clean = json_array(), *seen = json_object();
    size_t i;
    const json_t *it;
    bool own = false; /* the caller's own score: nobody sets an input of their own pay */
    json_array_foreach(items, i, it)
    {
        char field[48];
        const json_t *nip = json_object_get(it, "nip"), *score = json_object_get(it, "score");
        snprintf(field, sizeof field, "items[%zu]", i);
        if (!json_is_object(it) || json_object_size(it) != 2 || !json_is_string(nip) || !json_is_number(score)) {
            eo_err_field(err, field, "invalid_value");
            break;
        }
        double s = json_number_value(score) * 100.0, r = floor(s + 0.5);
        if (!(s >= 0 && s <= 10000) || fabs(s - r) > 1e-6 || json_string_length(nip) != 18 ||
            strspn(json_string_value(nip), "0123456789") != 18) {
            eo_err_field(err, field, "out_of_range");
            break;
        }
        if (json_object_get(seen, json_string_value(nip))) {
            eo_err_field(err, field, "duplicate_value");
            break;
        }
        if (u->who && strcmp(json_string_value(nip), u->who->nip) == 0) own = true;
        json_object_set_new(seen, json_string_value(nip), json_true());
        json_array_append_new(clean, json_pack("{s:s,s:i}", "nip", json_string_value(nip), "score_bp", (int)r));
    }
    json_decref(seen);
    if (err->status != EO_OK) {
        json_decref(clean);
        return err->status;
    }
    if (own) {
        json_decref(clean);
        return eo_fail(err, EO_ERR_FORBIDDEN, "tpp_score_own");
    }
    char *text = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    if (!text) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    eo_db *db;
    long long unit = 0, stored = 0;
    json_t *unknown = NULL;
    if (unit_db(u, unit_code, &db, &unit, err) != EO_OK) {
        free(text);
        return err->status;
    }
    if (eo_db_begin(db, err) != EO_OK) goto fail;
    if (eo_db_tpp_scores_import(db, unit, m.first, text, u->who ? u->who->employee_id : 0, &stored, &unknown, err) !=
        EO_OK)
        goto fail;
    *out = json_pack("{s:s,s:s,s:I,s:O}", "month", m.text, "unit_code", unit_code, "stored", (json_int_t)stored,
                     "unknown_nips", unknown);
    if (eo_uow_audit_commit(u, "tpp.scores.import", "tpp_month", m.text, *out, err) != EO_OK) goto fail;
    json_decref(unknown);
    free(text);
    return EO_OK;
fail:
    json_decref(unknown);
    free(text);
    return eo_uow_rollback(db, out, err);
}
