/* The TPP rule format and monthly computation (core/tpp.c), table-driven.
 * The worked example is the one in docs/tpp.md: same numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/tpp.h"
#include "core/tpp_export.h"

#define HM(h, m) ((h)*60 + (m))
#define NONE     EO_PRESENSI_NONE

static const char *const RULES_6040 =
    "{\"weights\":{\"kinerja\":60,\"kehadiran\":40},"
    "\"deductions\":{\"TL\":[0.5,1,1.5,2],\"PSW\":[0.5,1,1.5,2],\"absent_day\":4},"
    "\"exempt_absence_kinds\":[\"cuti\",\"sakit\",\"dinas_luar\",\"perjalanan_dinas\",\"tugas_belajar\"],"
    "\"kinerja_source\":\"lkh\",\"caps\":{\"max_deduction_pct\":100,\"min_total_pct\":0},"
    "\"base_amounts\":{\"7\":5000000,\"9\":7000000}}";

static void rules_from(const char *text, eo_tpp_rules *r)
{
    json_t *doc = json_loads(text, 0, NULL);
    assert_non_null(doc);
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_tpp_rules_parse(doc, r, &err), EO_OK);
    json_decref(doc);
}

static void set_slot(eo_schedule *s, int season, int dow, int start, int end)
{
    s->slots[season][dow] = (eo_schedule_slot){true, start, end};
}

/* Perpres 21/2023 5-day week: Mon-Thu 07.30-16.00, Fri 07.30-16.30; Ramadan 08.00-15.00 / 15.30. */
static void schedule_5(eo_schedule *s)
{
    memset(s, 0, sizeof(*s));
    for (int d = 1; d <= 4; d++) {
        set_slot(s, 0, d, HM(7, 30), HM(16, 0));
        set_slot(s, 1, d, HM(8, 0), HM(15, 0));
    }
    set_slot(s, 0, 5, HM(7, 30), HM(16, 30));
    set_slot(s, 1, 5, HM(8, 0), HM(15, 30));
}

/* 6-day school week: Mon-Thu and Sat 07.30-13.45, Fri 07.30-11.30. */
static void schedule_6(eo_schedule *s)
{
    memset(s, 0, sizeof(*s));
    for (int d = 1; d <= 4; d++) set_slot(s, 0, d, HM(7, 30), HM(13, 45));
    set_slot(s, 0, 5, HM(7, 30), HM(11, 30));
    set_slot(s, 0, 6, HM(7, 30), HM(13, 45));
}

static int isodow(int y, int m, int d)
{
    int days = eo_tpp_days_from_civil(y, m, d); /* 1970-01-01 was a Thursday (4) */
    return ((days % 7) + 7 + 3) % 7 + 1;
}

/* A month where the employee is on time on every working day, with an approved
 * LKH for each, on schedule s; holidays and Ramadan days as given (bit per day). */
static void month_input(eo_tpp_input *in, int y, int m, const eo_schedule *s, unsigned holidays, unsigned ramadan,
                        const eo_tpp_rules *r)
{
    memset(in, 0, sizeof(*in));
    in->year = y;
    in->month = m;
    in->ndays = eo_tpp_month_days(y, m);
    in->class_grade = 7;
    in->rule_id = 1;
    in->rules = r;
    for (int i = 0; i < in->ndays; i++) {
        eo_tpp_day *d = &in->days[i];
        eo_presensi_day_resolve(s, isodow(y, m, i + 1), ramadan & (1u << (i + 1)), holidays & (1u << (i + 1)), &d->day);
        d->day_over = true;
        d->unit_id = 1;
        d->in_min = d->day.working_day ? d->day.start_min : NONE;
        d->out_min = d->day.working_day ? d->day.end_min : NONE;
        d->lkh_approved = d->day.working_day;
    }
}

static void attend(eo_tpp_input *in, int day, int in_min, int out_min)
{
    in->days[day - 1].in_min = in_min;
    in->days[day - 1].out_min = out_min;
}

/* Days from..to (1-based) with no attendance and no approved LKH. */
static void absent(eo_tpp_input *in, int from, int to)
{
    for (int d = from; d <= to; d++) {
        attend(in, d, NONE, NONE);
        in->days[d - 1].lkh_approved = false;
    }
}

/* The month most tests use: March 2027 (no holiday, no Ramadan) on the 5-day
 * week under the rules `json`, on time with an approved LKH every working day. */
typedef struct {
    eo_tpp_rules r;
    eo_schedule s;
    eo_tpp_input in;
} march_2027;

static void march_2027_init(march_2027 *f, const char *json)
{
    rules_from(json, &f->r);
    schedule_5(&f->s);
    month_input(&f->in, 2027, 3, &f->s, 0, 0, &f->r);
}

/* The lines as "day:code:bp" joined by spaces, for compact expectations. */
static void lines_text(const eo_tpp_result *r, char *buf, size_t n)
{
    buf[0] = '\0';
    size_t at = 0;
    for (int i = 0; i < r->nlines && at < n; i++) {
        int w = snprintf(buf + at, n - at, "%s%d:%s:%d", i ? " " : "", r->lines[i].day, eo_tpp_line_code(&r->lines[i]),
                         r->lines[i].bp);
        if (w < 0) break;
        at += (size_t)w;
    }
}

/* docs/tpp.md "Worked example": March 2027 has no Ramadan in it for this test
 * (holidays none), class 7 = Rp 5.000.000, 60/40. */
static void test_worked_example(void **state)
{
    (void)state;
    march_2027 f;
    march_2027_init(&f, RULES_6040);         /* 23 working days: Mon 1 .. Wed 31 */
    attend(&f.in, 2, HM(7, 45), HM(16, 0));  /* Tue: 15 min late -> TL1 0.5 % */
    attend(&f.in, 4, HM(7, 30), HM(15, 20)); /* Thu: 40 min early -> PSW2 1 % */
    absent(&f.in, 10, 10);                   /* Wed: absent -> 4 % */
    eo_tpp_absence cuti = {EO_TPP_ABS_CUTI, eo_tpp_days_from_civil(2027, 3, 15), eo_tpp_days_from_civil(2027, 3, 16)};
    absent(&f.in, 15, 16);
    f.in.absences = &cuti;
    f.in.nabsences = 1;
    eo_tpp_result o;
    eo_tpp_compute(&f.in, &o);
    char text[512];
    lines_text(&o, text, sizeof text);
    assert_string_equal(text, "2:TL1:50 4:PSW2:100 10:ABSENT:400");
    assert_int_equal(o.working_days, 23);
    assert_int_equal(o.exempt_days, 2);
    assert_int_equal(o.expected_days, 21);
    assert_int_equal(o.lkh_days, 20);
    assert_int_equal(o.score_bp, 9524); /* 20/21 = 95.238 % -> 95.24 % */
    assert_int_equal(o.base, 5000000);
    assert_int_equal(o.kinerja_max, 3000000);
    assert_int_equal(o.kehadiran_max, 2000000);
    assert_int_equal(o.kinerja_amount, 2857200);
    assert_int_equal(o.lines[0].amount, 10000);
    assert_int_equal(o.lines[1].amount, 20000);
    assert_int_equal(o.lines[2].amount, 80000);
    assert_int_equal(o.deduction_amount, 110000);
    assert_int_equal(o.kehadiran_amount, 1890000);
    assert_int_equal(o.total, 4747200);
    assert_int_equal(o.issues, 0);
    json_t *b = eo_tpp_breakdown_json(&f.in, &o);
    assert_non_null(b);
    json_t *l0 = json_array_get(json_object_get(json_object_get(b, "kehadiran"), "deductions"), 0);
    assert_string_equal(json_string_value(json_object_get(l0, "date")), "2027-03-02");
    assert_string_equal(json_string_value(json_object_get(l0, "code")), "TL1");
    assert_int_equal(json_integer_value(json_object_get(b, "total_amount")), 4747200);
    json_decref(b);
}

typedef struct {
    const char *name;
    int sched; /* 5 or 6 */
    int y, m;
    unsigned holidays; /* bit per day of month */
    unsigned ramadan;
    int day, in_min, out_min; /* one day's attendance (day 0 = none changed) */
    int working_days;
    const char *lines;
} day_case;

static void test_day_table(void **state)
{
    (void)state;
    /* 2027-03: Mon 1st. Ramadan 1448 H is around 2027-02-08 .. 2027-03-09. */
    static const day_case t[] = {
        /* Friday 5th ends 16.30: leaving at 16.00 is PSW1; on Thursday 4th it is on time. */
        {"friday early", 5, 2027, 3, 0, 0, 5, HM(7, 30), HM(16, 0), 23, "5:PSW1:50"},
        {"thursday 16.00", 5, 2027, 3, 0, 0, 4, HM(7, 30), HM(16, 0), 23, ""},
        /* Ramadan (1st..9th) starts 08.00: 07.55 is on time, 08.10 is TL1 (40 min on a normal day = TL2). */
        {"ramadan on time", 5, 2027, 3, 0, 0x3FEu, 3, HM(7, 55), HM(15, 0), 23, ""},
        {"ramadan late", 5, 2027, 3, 0, 0x3FEu, 3, HM(8, 10), HM(15, 0), 23, "3:TL1:50"},
        {"normal late", 5, 2027, 3, 0, 0, 3, HM(8, 10), HM(16, 0), 23, "3:TL2:100"},
        /* 6-day school week: Saturdays work (27 days), Saturday 6th absent costs 4 %. */
        {"school saturday absent", 6, 2027, 3, 0, 0, 6, NONE, NONE, 27, "6:ABSENT:400"},
        {"school friday 11.30", 6, 2027, 3, 0, 0, 5, HM(7, 30), HM(11, 30), 27, ""},
        /* A holiday is no working day: nobody is absent on it. */
        {"holiday", 5, 2027, 3, 1u << 11, 0, 11, NONE, NONE, 22, ""},
        {"no holiday absent", 5, 2027, 3, 0, 0, 11, NONE, NONE, 23, "11:ABSENT:400"},
        /* Check-out missing on a finished day: PSW4; check-in missing: TL4. */
        {"missing check-out", 5, 2027, 3, 0, 0, 8, HM(7, 30), NONE, 23, "8:PSW4:200"},
        {"missing check-in", 5, 2027, 3, 0, 0, 8, NONE, HM(16, 0), 23, "8:TL4:200"},
    };
    eo_tpp_rules r;
    rules_from(RULES_6040, &r);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        eo_schedule s;
        if (t[i].sched == 5)
            schedule_5(&s);
        else
            schedule_6(&s);
        eo_tpp_input in;
        month_input(&in, t[i].y, t[i].m, &s, t[i].holidays, t[i].ramadan, &r);
        if (t[i].day) attend(&in, t[i].day, t[i].in_min, t[i].out_min);
        eo_tpp_result o;
        eo_tpp_compute(&in, &o);
        char text[512];
        lines_text(&o, text, sizeof text);
        print_message("%s\n", t[i].name);
        assert_string_equal(text, t[i].lines);
        assert_int_equal(o.working_days, t[i].working_days);
    }
}

/* An approved correction rewrote the day's times: the day is judged on them,
 * and the inputs' fingerprint changes. */
static void test_correction(void **state)
{
    (void)state;
    march_2027 f;
    march_2027_init(&f, RULES_6040);
    attend(&f.in, 9, HM(7, 20), NONE); /* forgot to check out */
    eo_tpp_result before, after;
    eo_tpp_compute(&f.in, &before);
    assert_int_equal(before.nlines, 1);
    assert_string_equal(eo_tpp_line_code(&before.lines[0]), "PSW4");
    attend(&f.in, 9, HM(7, 20), HM(16, 5));
    f.in.days[8].corrected = true;
    eo_tpp_compute(&f.in, &after);
    assert_int_equal(after.nlines, 0);
    assert_int_equal(after.total, 5000000);
    assert_string_not_equal(before.fingerprint, after.fingerprint);
    eo_tpp_result again;
    eo_tpp_compute(&f.in, &again);
    assert_string_equal(after.fingerprint, again.fingerprint);
    assert_int_equal(strlen(again.fingerprint), 64);
}

/* Moved on the 16th from an office (5-day week) to a school (6-day week):
 * each day is judged on the schedule in force that day. */
static void test_half_month_transfer(void **state)
{
    (void)state;
    eo_tpp_rules r;
    rules_from(RULES_6040, &r);
    eo_schedule s5, s6;
    schedule_5(&s5);
    schedule_6(&s6);
    eo_tpp_input in, second;
    month_input(&in, 2027, 3, &s5, 0, 0, &r);
    month_input(&second, 2027, 3, &s6, 0, 0, &r);
    for (int i = 15; i < in.ndays; i++) {
        in.days[i] = second.days[i];
        in.days[i].unit_id = 2;
    }
    attend(&in, 6, NONE, NONE);  /* Saturday in the office: no working day */
    attend(&in, 20, NONE, NONE); /* Saturday at the school: absent */
    in.days[19].lkh_approved = false;
    eo_tpp_result o;
    eo_tpp_compute(&in, &o);
    /* Office 1..15: 11 working days; school 16..31: 14 (Sat 20 and 27 included). */
    assert_int_equal(o.working_days, 25);
    char text[256];
    lines_text(&o, text, sizeof text);
    assert_string_equal(text, "20:ABSENT:400");
    assert_int_equal(o.expected_days, 25);
    assert_int_equal(o.lkh_days, 24);
}

/* Cuti from 2027-02-25 to 2027-03-03: only March 1..3 fall in the month. */
static void test_absence_crossing_month(void **state)
{
    (void)state;
    march_2027 f;
    march_2027_init(&f, RULES_6040);
    absent(&f.in, 1, 4);
    eo_tpp_absence a[] = {
        {EO_TPP_ABS_CUTI, eo_tpp_days_from_civil(2027, 2, 25), eo_tpp_days_from_civil(2027, 3, 3)},
        {EO_TPP_ABS_SAKIT, eo_tpp_days_from_civil(2027, 3, 30), eo_tpp_days_from_civil(2027, 4, 2)},
    };
    f.in.absences = a;
    f.in.nabsences = 2;
    eo_tpp_result o;
    eo_tpp_compute(&f.in, &o);
    char text[256];
    lines_text(&o, text, sizeof text);
    assert_string_equal(text, "4:ABSENT:400");
    assert_int_equal(o.exempt_days, 5); /* 1, 2, 3, 30, 31 */
    assert_int_equal(o.absence_kind[0], EO_TPP_ABS_CUTI);
    assert_int_equal(o.absence_kind[3], -1);
    assert_int_equal(o.absence_kind[30], EO_TPP_ABS_SAKIT);
    /* A kind the rules do not exempt is judged like any other day. */
    eo_tpp_rules strict = f.r;
    strict.exempt_mask = 1u << EO_TPP_ABS_SAKIT;
    f.in.rules = &strict;
    eo_tpp_compute(&f.in, &o);
    lines_text(&o, text, sizeof text);
    assert_string_equal(text, "1:ABSENT:400 2:ABSENT:400 3:ABSENT:400 4:ABSENT:400");
}

/* Deductions are capped (of the kehadiran part); the total has a floor (of the base). */
static void test_caps_and_floors(void **state)
{
    (void)state;
    march_2027 f;
    march_2027_init(&f, "{\"weights\":{\"kinerja\":60,\"kehadiran\":40},"
                        "\"deductions\":{\"TL\":[0.5,1,1.5,2],\"PSW\":[0.5,1,1.5,2],\"absent_day\":4},"
                        "\"exempt_absence_kinds\":[],\"kinerja_source\":\"lkh\","
                        "\"caps\":{\"max_deduction_pct\":50,\"min_total_pct\":25},\"base_amounts\":{\"7\":5000000}}");
    absent(&f.in, 1, 20);
    eo_tpp_result o;
    eo_tpp_compute(&f.in, &o);
    assert_int_equal(o.absent_days, 15);
    assert_int_equal(o.deduction_sum, 15 * 80000);
    assert_int_equal(o.deduction_cap, 1000000);
    assert_int_equal(o.deduction_amount, 1000000);
    assert_int_equal(o.kehadiran_amount, 1000000);
    /* 8 of 23 LKH: 34.78 % of 3.000.000 = 1.043.400; total 2.043.400 > floor 1.250.000 */
    assert_int_equal(o.kinerja_amount, 1043400);
    assert_false(o.floor_applied);
    for (int d = 21; d <= 31; d++) f.in.days[d - 1].lkh_approved = false;
    eo_tpp_compute(&f.in, &o);
    assert_int_equal(o.kinerja_amount, 0);
    assert_int_equal(o.floor_amount, 1250000);
    assert_true(o.floor_applied);
    assert_int_equal(o.total, 1250000);
}

/* Imported kinerja scores; missing class or score are issues, not failures. */
static void test_imported_and_issues(void **state)
{
    (void)state;
    march_2027 f;
    march_2027_init(&f, RULES_6040);
    f.r.kinerja_source = EO_TPP_KINERJA_IMPORTED;
    f.in.has_score = true;
    f.in.score_bp = 8750;
    eo_tpp_result o;
    eo_tpp_compute(&f.in, &o);
    assert_int_equal(o.kinerja_amount, 2625000);
    f.in.has_score = false;
    eo_tpp_compute(&f.in, &o);
    assert_int_equal(o.issues, EO_TPP_ISSUE_NO_SCORE);
    assert_int_equal(o.kinerja_amount, 0);
    f.in.class_grade = 3; /* no base amount for class 3 */
    eo_tpp_compute(&f.in, &o);
    assert_true(o.issues & EO_TPP_ISSUE_NO_BASE);
    assert_int_equal(o.total, 0);
    f.in.rules = NULL;
    f.in.rule_id = 0;
    eo_tpp_compute(&f.in, &o);
    assert_true(o.issues & EO_TPP_ISSUE_NO_RULE);
    assert_int_equal(o.total, 0);
}

/* Running days are not over: no absence, and no LKH expected yet. */
static void test_running_month(void **state)
{
    (void)state;
    march_2027 f;
    march_2027_init(&f, RULES_6040);
    absent(&f.in, 20, 31);
    for (int d = 20; d <= 31; d++) f.in.days[d - 1].day_over = false;
    eo_tpp_result o;
    eo_tpp_compute(&f.in, &o);
    assert_int_equal(o.nlines, 0);
    assert_int_equal(o.expected_days, 15);
    assert_int_equal(o.score_bp, 10000);
}

typedef struct {
    const char *doc;
    const char *field;
    const char *code;
} refusal;

static void test_rules_refused(void **state)
{
    (void)state;
#define W "\"weights\":{\"kinerja\":60,\"kehadiran\":40}"
#define D "\"deductions\":{\"TL\":[0.5,1,1.5,2],\"PSW\":[0.5,1,1.5,2],\"absent_day\":4}"
#define E "\"exempt_absence_kinds\":[\"cuti\"]"
#define K "\"kinerja_source\":\"lkh\""
#define B "\"base_amounts\":{\"1\":100}"
    static const refusal t[] = {
        {"{\"weights\":{\"kinerja\":60,\"kehadiran\":30}," D "," E "," K "," B "}", "rules.weights",
         "weights_sum_invalid"},
        {"{\"weights\":{\"kinerja\":160,\"kehadiran\":-60}," D "," E "," K "," B "}", "rules.weights", "out_of_range"},
        {"{\"weights\":{\"kinerja\":\"60\",\"kehadiran\":40}," D "," E "," K "," B "}", "rules.weights.kinerja",
         "invalid_type"},
        {"{" W "," D "," E "," K "," B ",\"caps\":{\"max_deduction_pct\":-1}}", "rules.caps.max_deduction_pct",
         "out_of_range"},
        {"{" W "," D "," E "," K "," B ",\"caps\":{\"min_total_pct\":101}}", "rules.caps.min_total_pct",
         "out_of_range"},
        {"{" W ",\"deductions\":{\"TL\":[0.5,1,1.5],\"PSW\":[0.5,1,1.5,2],\"absent_day\":4}," E "," K "," B "}",
         "rules.deductions.TL", "invalid_value"},
        {"{" W ",\"deductions\":{\"TL\":[0.5,1,1.5,2],\"PSW\":[0.5,1,1.5,2],\"absent_day\":4.125}," E "," K "," B "}",
         "rules.deductions.absent_day", "out_of_range"},
        {"{" W "," D ",\"exempt_absence_kinds\":[\"libur\"]," K "," B "}", "rules.exempt_absence_kinds",
         "invalid_value"},
        {"{" W "," D "," E ",\"kinerja_source\":\"skp\"," B "}", "rules.kinerja_source", "invalid_value"},
        {"{" W "," D "," E "," K ",\"base_amounts\":{\"18\":100}}", "rules.base_amounts", "invalid_value"},
        {"{" W "," D "," E "," K ",\"base_amounts\":{\"1\":-5}}", "rules.base_amounts", "out_of_range"},
        {"{" W "," D "," E "," K ",\"base_amounts\":{}}", "rules.base_amounts", "missing_field"},
        {"{" W "," D "," E "," K "," B ",\"bonus\":1}", "rules.bonus", "unknown_field"},
        {"{" D "," E "," K "," B "}", "rules.weights", "missing_field"},
        {"[]", "rules", "invalid_type"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        json_t *doc = json_loads(t[i].doc, 0, NULL);
        assert_non_null(doc);
        eo_tpp_rules r;
        eo_err err;
        eo_err_init(&err);
        print_message("%s\n", t[i].doc);
        assert_int_equal(eo_tpp_rules_parse(doc, &r, &err), EO_ERR_INVALID);
        assert_string_equal(err.fields[0].field, t[i].field);
        assert_string_equal(err.fields[0].code, t[i].code);
        json_decref(doc);
    }
}

/* The canonical document parses back to the same rules. */
static void test_rules_round_trip(void **state)
{
    (void)state;
    eo_tpp_rules r, back;
    rules_from(RULES_6040, &r);
    json_t *doc = eo_tpp_rules_json(&r);
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_tpp_rules_parse(doc, &back, &err), EO_OK);
    assert_memory_equal(&r, &back, sizeof r);
    json_decref(doc);
}

/* CSV cells: quoted when needed, a leading = + - @ cannot become a formula. */
static void test_csv_cells(void **state)
{
    (void)state;
    eo_tpp_export_row rows[] = {
        {"198709232012031001", "Ahmad, S.Pd.", "U1", "=HYPERLINK(\"x\")", "open", "", "ab", 9, 3500000, 2100000,
         1400000, 0, 3500000, NULL},
    };
    char *out = NULL;
    size_t len = 0;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_tpp_export_csv(rows, 1, &out, &len, &err), EO_OK);
    assert_non_null(strstr(out, "\r\n198709232012031001,\"Ahmad, S.Pd.\",U1,\"'=HYPERLINK(\"\"x\"\")\",9,3500000,"
                                "2100000,1400000,0,3500000,open,,ab\r\n"));
    assert_int_equal(strncmp(out, "nip,nama,", 9), 0);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_day_table),
        cmocka_unit_test(test_correction),
        cmocka_unit_test(test_half_month_transfer),
        cmocka_unit_test(test_absence_crossing_month),
        cmocka_unit_test(test_caps_and_floors),
        cmocka_unit_test(test_imported_and_issues),
        cmocka_unit_test(test_running_month),
        cmocka_unit_test(test_rules_refused),
        cmocka_unit_test(test_csv_cells),
        cmocka_unit_test(test_rules_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
