#include "core/tpp.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const absence_names[] = {"cuti", "sakit", "dinas_luar", "perjalanan_dinas", "tugas_belajar"};

int eo_tpp_absence_kind(const char *name)
{
    for (int i = 0; name && i < EO_TPP_ABS_KINDS; i++)
        if (strcmp(name, absence_names[i]) == 0) return i;
    return -1;
}

const char *eo_tpp_absence_name(int kind) { return kind >= 0 && kind < EO_TPP_ABS_KINDS ? absence_names[kind] : NULL; }

/* ---------------------------------------------------------------- rule format */

/* A percentage 0..100 with at most two decimals, as basis points; -1 when not. */
static int pct_bp(const json_t *v)
{
    if (!json_is_number(v)) return -2;
    double x = json_number_value(v);
    if (!(x >= 0 && x <= 100)) return -1;
    double bp = x * 100.0;
    double r = floor(bp + 0.5);
    if (fabs(bp - r) > 1e-6) return -1;
    return (int)r;
}

static void pct_field(const json_t *obj, const char *key, const char *field, bool required, int fallback, int *out,
                      eo_err *err)
{
    const json_t *v = json_object_get(obj, key);
    *out = fallback;
    if (!v) {
        if (required) eo_err_field(err, field, "missing_field");
        return;
    }
    int bp = pct_bp(v);
    if (bp == -2)
        eo_err_field(err, field, "invalid_type");
    else if (bp < 0)
        eo_err_field(err, field, "out_of_range");
    else
        *out = bp;
}

static void only(const json_t *obj, const char *prefix, const char *const *allowed, eo_err *err)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        bool ok = false;
        for (int i = 0; allowed[i]; i++) ok = ok || strcmp(key, allowed[i]) == 0;
        if (!ok) {
            char f[64];
            snprintf(f, sizeof f, "%s.%.40s", prefix, key);
            eo_err_field(err, f, "unknown_field");
        }
    }
}

static const json_t *object_field(const json_t *doc, const char *key, const char *field, eo_err *err)
{
    const json_t *v = json_object_get(doc, key);
    if (!v) {
        eo_err_field(err, field, "missing_field");
        return NULL;
    }
    if (!json_is_object(v)) {
        eo_err_field(err, field, "invalid_type");
        return NULL;
    }
    return v;
}

static void class_list(const json_t *d, const char *key, const char *field, int *bp, eo_err *err)
{
    const json_t *a = json_object_get(d, key);
    if (!a) {
        eo_err_field(err, field, "missing_field");
        return;
    }
    if (!json_is_array(a)) {
        eo_err_field(err, field, "invalid_type");
        return;
    }
    if (json_array_size(a) != 4) {
        eo_err_field(err, field, "invalid_value"); /* one percentage per class 1..4 */
        return;
    }
    for (size_t i = 0; i < 4; i++) {
        int v = pct_bp(json_array_get(a, i));
        if (v < 0) {
            eo_err_field(err, field, v == -2 ? "invalid_type" : "out_of_range");
            return;
        }
        bp[i + 1] = v;
    }
}

static void rules_digest(eo_tpp_rules *r);

eo_status eo_tpp_rules_parse(const json_t *doc, eo_tpp_rules *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    for (int i = 0; i <= EO_TPP_CLASSES; i++) out->base[i] = -1;
    if (!json_is_object(doc)) {
        eo_err_field(err, "rules", doc ? "invalid_type" : "missing_field");
        return err->status;
    }
    static const char *const top[] = {"weights",      "deductions", "exempt_absence_kinds", "kinerja_source", "caps",
                                      "base_amounts", NULL};
    only(doc, "rules", top, err);

    const json_t *w = object_field(doc, "weights", "rules.weights", err);
    if (w) {
        static const char *const wk[] = {"kinerja", "kehadiran", NULL};
        only(w, "rules.weights", wk, err);
        const json_t *k = json_object_get(w, "kinerja"), *h = json_object_get(w, "kehadiran");
        if (!k || !h)
            eo_err_field(err, k ? "rules.weights.kehadiran" : "rules.weights.kinerja", "missing_field");
        else if (!json_is_integer(k) || !json_is_integer(h))
            eo_err_field(err, json_is_integer(k) ? "rules.weights.kehadiran" : "rules.weights.kinerja", "invalid_type");
        else if (json_integer_value(k) < 0 || json_integer_value(k) > 100 || json_integer_value(h) < 0 ||
                 json_integer_value(h) > 100)
            eo_err_field(err, "rules.weights", "out_of_range");
        else if (json_integer_value(k) + json_integer_value(h) != 100)
            eo_err_field(err, "rules.weights", "weights_sum_invalid");
        else {
            out->weight_kinerja = (int)json_integer_value(k);
            out->weight_kehadiran = (int)json_integer_value(h);
        }
    }

    const json_t *d = object_field(doc, "deductions", "rules.deductions", err);
    if (d) {
        static const char *const dk[] = {"TL", "PSW", "absent_day", NULL};
        only(d, "rules.deductions", dk, err);
        class_list(d, "TL", "rules.deductions.TL", out->tl_bp, err);
        class_list(d, "PSW", "rules.deductions.PSW", out->psw_bp, err);
        pct_field(d, "absent_day", "rules.deductions.absent_day", true, 0, &out->absent_bp, err);
    }

    const json_t *ex = json_object_get(doc, "exempt_absence_kinds");
    if (!ex)
        eo_err_field(err, "rules.exempt_absence_kinds", "missing_field");
    else if (!json_is_array(ex))
        eo_err_field(err, "rules.exempt_absence_kinds", "invalid_type");
    else {
        size_t i;
        const json_t *v;
        json_array_foreach(ex, i, v)
        {
            int kind = json_is_string(v) ? eo_tpp_absence_kind(json_string_value(v)) : -1;
            if (kind < 0 || (out->exempt_mask & (1u << kind))) {
                eo_err_field(err, "rules.exempt_absence_kinds", json_is_string(v) ? "invalid_value" : "invalid_type");
                break;
            }
            out->exempt_mask |= 1u << kind;
        }
    }

    const json_t *src = json_object_get(doc, "kinerja_source");
    if (!src)
        eo_err_field(err, "rules.kinerja_source", "missing_field");
    else if (!json_is_string(src))
        eo_err_field(err, "rules.kinerja_source", "invalid_type");
    else if (strcmp(json_string_value(src), "lkh") == 0)
        out->kinerja_source = EO_TPP_KINERJA_LKH;
    else if (strcmp(json_string_value(src), "imported") == 0)
        out->kinerja_source = EO_TPP_KINERJA_IMPORTED;
    else
        eo_err_field(err, "rules.kinerja_source", "invalid_value");

    out->max_deduction_bp = 10000;
    const json_t *c = json_object_get(doc, "caps");
    if (c && !json_is_object(c))
        eo_err_field(err, "rules.caps", "invalid_type");
    else if (c) {
        static const char *const ck[] = {"max_deduction_pct", "min_total_pct", NULL};
        only(c, "rules.caps", ck, err);
        pct_field(c, "max_deduction_pct", "rules.caps.max_deduction_pct", false, 10000, &out->max_deduction_bp, err);
        pct_field(c, "min_total_pct", "rules.caps.min_total_pct", false, 0, &out->min_total_bp, err);
    }

    const json_t *b = object_field(doc, "base_amounts", "rules.base_amounts", err);
    if (b) {
        const char *key;
        const json_t *v;
        int n = 0;
        json_object_foreach((json_t *)b, key, v)
        {
            char *end = NULL;
            long cls = strtol(key, &end, 10);
            if (!*key || *end || key[0] == '0' || cls < 1 || cls > EO_TPP_CLASSES) {
                eo_err_field(err, "rules.base_amounts", "invalid_value");
                break;
            }
            if (!json_is_integer(v)) {
                eo_err_field(err, "rules.base_amounts", "invalid_type");
                break;
            }
            long long amount = json_integer_value(v);
            if (amount < 0 || amount > EO_TPP_MAX_AMOUNT) {
                eo_err_field(err, "rules.base_amounts", "out_of_range");
                break;
            }
            out->base[cls] = amount;
            n++;
        }
        if (n == 0 && err->status == EO_OK) eo_err_field(err, "rules.base_amounts", "missing_field");
    }
    if (err->status == EO_OK) rules_digest(out);
    return err->status;
}

static json_t *pct_json(int bp) { return bp % 100 == 0 ? json_integer(bp / 100) : json_real((double)bp / 100.0); }

json_t *eo_tpp_rules_json(const eo_tpp_rules *r)
{
    json_t *tl = json_array(), *psw = json_array(), *ex = json_array(), *base = json_object();
    for (int i = 1; i <= 4; i++) {
        json_array_append_new(tl, pct_json(r->tl_bp[i]));
        json_array_append_new(psw, pct_json(r->psw_bp[i]));
    }
    for (int k = 0; k < EO_TPP_ABS_KINDS; k++)
        if (r->exempt_mask & (1u << k)) json_array_append_new(ex, json_string(absence_names[k]));
    for (int c = 1; c <= EO_TPP_CLASSES; c++) {
        if (r->base[c] < 0) continue;
        char key[4];
        snprintf(key, sizeof key, "%d", c);
        json_object_set_new(base, key, json_integer(r->base[c]));
    }
    return json_pack("{s:{s:i,s:i},s:{s:o,s:o,s:o},s:o,s:s,s:{s:o,s:o},s:o}", "weights", "kinerja", r->weight_kinerja,
                     "kehadiran", r->weight_kehadiran, "deductions", "TL", tl, "PSW", psw, "absent_day",
                     pct_json(r->absent_bp), "exempt_absence_kinds", ex, "kinerja_source",
                     r->kinerja_source == EO_TPP_KINERJA_LKH ? "lkh" : "imported", "caps", "max_deduction_pct",
                     pct_json(r->max_deduction_bp), "min_total_pct", pct_json(r->min_total_bp), "base_amounts", base);
}

/* The digest of the canonical document, so a fingerprint names the rules' content. */
static void rules_digest(eo_tpp_rules *r)
{
    memset(r->digest, 0, sizeof r->digest);
    json_t *doc = eo_tpp_rules_json(r);
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    if (!text) return;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, (unsigned long long)strlen(text));
    free(text);
    for (size_t i = 0; i < sizeof h; i++) snprintf(r->digest + 2 * i, 3, "%02x", h[i]);
}

/* ---------------------------------------------------------------- calendar */

int eo_tpp_month_days(int year, int month)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return mdays[month - 1] + (month == 2 && leap);
}

/* Howard Hinnant's days_from_civil. */
int eo_tpp_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ---------------------------------------------------------------- the computation */

static long long pct_of(long long amount, int bp) { return (amount * bp + 5000) / 10000; }

static void add_line(eo_tpp_result *r, int day, int kind, int cls, int bp)
{
    if (r->nlines >= EO_TPP_MAX_LINES || bp == 0) return;
    eo_tpp_line *l = &r->lines[r->nlines++];
    l->day = day;
    l->kind = kind;
    l->cls = cls;
    l->bp = bp;
    l->amount = pct_of(r->kehadiran_max, bp);
    r->deduction_bp += bp;
    r->deduction_sum += l->amount;
}

/* The canonical inputs, hashed: the same inputs give the same fingerprint. */
static void fingerprint(const eo_tpp_input *in, eo_tpp_result *r)
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    char buf[256];
    int n = snprintf(buf, sizeof buf, "tpp-v1|%04d-%02d|employee=%lld|rule=%lld|class=%d|score=%d:%d|", in->year,
                     in->month, in->employee_id, in->rule_id, in->class_grade, in->has_score, in->score_bp);
    crypto_hash_sha256_update(&st, (const unsigned char *)buf, (unsigned long long)n);
    if (in->rules) crypto_hash_sha256_update(&st, (const unsigned char *)in->rules->digest, 64);
    for (int i = 0; i < in->ndays; i++) {
        const eo_tpp_day *d = &in->days[i];
        n = snprintf(buf, sizeof buf, "|%d:%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%lld", i + 1, d->day.working_day,
                     d->day.holiday, d->day.ramadan, d->day.start_min, d->day.end_min, d->day_over, d->in_min,
                     d->out_min, d->corrected, d->lkh_approved, d->unit_id);
        crypto_hash_sha256_update(&st, (const unsigned char *)buf, (unsigned long long)n);
    }
    /* Only what falls inside the month counts, in day order. */
    for (int i = 0; i < in->ndays; i++) {
        n = snprintf(buf, sizeof buf, "|a%d:%d", i + 1, r->absence_kind[i]);
        crypto_hash_sha256_update(&st, (const unsigned char *)buf, (unsigned long long)n);
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    for (size_t i = 0; i < sizeof h; i++) snprintf(r->fingerprint + 2 * i, 3, "%02x", h[i]);
}

void eo_tpp_compute(const eo_tpp_input *in, eo_tpp_result *out)
{
    memset(out, 0, sizeof(*out));
    const eo_tpp_rules *rules = in->rules;
    int first = eo_tpp_days_from_civil(in->year, in->month, 1);
    for (int i = 0; i < in->ndays; i++) {
        out->absence_kind[i] = -1;
        for (int k = 0; k < in->nabsences; k++)
            if (first + i >= in->absences[k].from && first + i <= in->absences[k].to)
                out->absence_kind[i] = in->absences[k].kind;
    }
    if (!rules) out->issues |= EO_TPP_ISSUE_NO_RULE;
    if (in->class_grade < 1 || in->class_grade > EO_TPP_CLASSES)
        out->issues |= EO_TPP_ISSUE_NO_CLASS;
    else if (rules && rules->base[in->class_grade] < 0)
        out->issues |= EO_TPP_ISSUE_NO_BASE;
    if (rules && !(out->issues & (EO_TPP_ISSUE_NO_CLASS | EO_TPP_ISSUE_NO_BASE)))
        out->base = rules->base[in->class_grade];
    if (rules) {
        out->kinerja_max = pct_of(out->base, rules->weight_kinerja * 100);
        out->kehadiran_max = out->base - out->kinerja_max;
    }

    for (int i = 0; i < in->ndays; i++) {
        const eo_tpp_day *d = &in->days[i];
        if (!d->day.working_day) continue;
        out->working_days++;
        int kind = out->absence_kind[i];
        if (kind >= 0 && rules && (rules->exempt_mask & (1u << kind))) {
            out->exempt_days++;
            continue;
        }
        if (d->day_over) {
            out->expected_days++;
            out->lkh_days += d->lkh_approved;
        }
        eo_presensi_eval ev;
        eo_presensi_evaluate(&d->day, d->in_min, d->out_min, d->day_over, &ev);
        if (!rules) continue;
        if (ev.absent) {
            out->absent_days++;
            add_line(out, i + 1, EO_TPP_LINE_ABSENT, 0, rules->absent_bp);
            continue;
        }
        if (ev.late_class) add_line(out, i + 1, EO_TPP_LINE_TL, ev.late_class, rules->tl_bp[ev.late_class]);
        if (ev.early_class) add_line(out, i + 1, EO_TPP_LINE_PSW, ev.early_class, rules->psw_bp[ev.early_class]);
    }
    if (rules) {
        if (rules->kinerja_source == EO_TPP_KINERJA_IMPORTED) {
            if (in->has_score)
                out->score_bp = in->score_bp;
            else
                out->issues |= EO_TPP_ISSUE_NO_SCORE;
        } else {
            /* Nothing was expected of the employee: full score. */
            out->score_bp =
                out->expected_days ? (out->lkh_days * 10000 + out->expected_days / 2) / out->expected_days : 10000;
        }
        out->kinerja_amount = pct_of(out->kinerja_max, out->score_bp);
        out->deduction_cap = pct_of(out->kehadiran_max, rules->max_deduction_bp);
        out->deduction_amount = out->deduction_sum < out->deduction_cap ? out->deduction_sum : out->deduction_cap;
        out->kehadiran_amount = out->kehadiran_max - out->deduction_amount;
        out->floor_amount = pct_of(out->base, rules->min_total_bp);
        out->total = out->kinerja_amount + out->kehadiran_amount;
        if (out->total < out->floor_amount) {
            out->total = out->floor_amount;
            out->floor_applied = true;
        }
    }
    fingerprint(in, out);
}

const char *eo_tpp_line_code(const eo_tpp_line *l)
{
    if (l->kind == EO_TPP_LINE_ABSENT) return "ABSENT";
    const char *c = l->kind == EO_TPP_LINE_TL ? eo_presensi_tl_code(l->cls) : eo_presensi_psw_code(l->cls);
    return c ? c : "?";
}

json_t *eo_tpp_breakdown_json(const eo_tpp_input *in, const eo_tpp_result *r)
{
    char date[16];
    json_t *lines = json_array();
    for (int i = 0; i < r->nlines; i++) {
        const eo_tpp_line *l = &r->lines[i];
        snprintf(date, sizeof date, "%04d-%02d-%02d", in->year % 10000, in->month % 100, l->day % 100);
        json_array_append_new(lines, json_pack("{s:s,s:s,s:o,s:I}", "date", date, "code", eo_tpp_line_code(l), "pct",
                                               pct_json(l->bp), "amount", (json_int_t)l->amount));
    }
    json_t *exempt = json_array();
    for (int i = 0; i < in->ndays; i++) {
        if (r->absence_kind[i] < 0 || !in->days[i].day.working_day) continue;
        if (!in->rules || !(in->rules->exempt_mask & (1u << r->absence_kind[i]))) continue;
        snprintf(date, sizeof date, "%04d-%02d-%02d", in->year % 10000, in->month % 100, (i + 1) % 100);
        json_array_append_new(exempt,
                              json_pack("{s:s,s:s}", "date", date, "kind", eo_tpp_absence_name(r->absence_kind[i])));
    }
    json_t *issues = json_array();
    if (r->issues & EO_TPP_ISSUE_NO_RULE) json_array_append_new(issues, json_string("no_rule_version"));
    if (r->issues & EO_TPP_ISSUE_NO_CLASS) json_array_append_new(issues, json_string("position_class_missing"));
    if (r->issues & EO_TPP_ISSUE_NO_BASE) json_array_append_new(issues, json_string("base_amount_missing"));
    if (r->issues & EO_TPP_ISSUE_NO_SCORE) json_array_append_new(issues, json_string("kinerja_score_missing"));
    const eo_tpp_rules *ru = in->rules;
    char month[16];
    snprintf(month, sizeof month, "%04d-%02d", in->year % 10000, in->month % 100);
    json_t *rule = in->rule_id ? json_integer(in->rule_id) : json_null();
    return json_pack(
        "{s:s,s:o,s:i,s:I,"
        "s:{s:i,s:s,s:I,s:i,s:i,s:o,s:I},"
        "s:{s:i,s:I,s:i,s:i,s:i,s:o,s:o,s:o,s:I,s:I,s:I,s:I},"
        "s:I,s:b,s:I,s:o,s:s}",
        "month", month, "rule_version_id", rule, "class_grade", in->class_grade, "base_amount", (json_int_t)r->base,
        /* kinerja */
        "kinerja", "weight_pct", ru ? ru->weight_kinerja : 0, "source",
        ru && ru->kinerja_source == EO_TPP_KINERJA_IMPORTED ? "imported" : "lkh", "max_amount",
        (json_int_t)r->kinerja_max, "approved_lkh_days", r->lkh_days, "expected_days", r->expected_days, "score_pct",
        pct_json(r->score_bp), "amount", (json_int_t)r->kinerja_amount,
        /* kehadiran */
        "kehadiran", "weight_pct", ru ? ru->weight_kehadiran : 0, "max_amount", (json_int_t)r->kehadiran_max,
        "working_days", r->working_days, "exempt_days", r->exempt_days, "absent_days", r->absent_days, "exempt", exempt,
        "deductions", lines, "deduction_pct", pct_json(r->deduction_bp), "deduction_sum", (json_int_t)r->deduction_sum,
        "deduction_cap", (json_int_t)r->deduction_cap, "deduction_amount", (json_int_t)r->deduction_amount, "amount",
        (json_int_t)r->kehadiran_amount,
        /* totals */
        "floor_amount", (json_int_t)r->floor_amount, "floor_applied", r->floor_applied, "total_amount",
        (json_int_t)r->total, "issues", issues, "fingerprint", r->fingerprint);
}
