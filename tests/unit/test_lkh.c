/* LKH rules (core/lkh.c): activity spans (bounds, overlap, totals) and the
 * working-day window (schedule, holidays, Ramadan, backfill, permits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/lkh.h"

#define HM(h, m) ((h)*60 + (m))
#define DUR      (-1)

static void set_slot(eo_schedule *s, int season, int dow, int start, int end)
{
    s->slots[season][dow] = (eo_schedule_slot){true, start, end};
}

/* 5 working days, Friday longer; Ramadan rows Mon-Fri. */
static void schedule_5hk(eo_schedule *s)
{
    memset(s, 0, sizeof(*s));
    for (int d = 1; d <= 5; d++) {
        set_slot(s, 0, d, HM(7, 30), HM(16, 0));
        set_slot(s, 1, d, HM(8, 0), HM(15, 0));
    }
}

/* 6-day school week (Saturday works), no Ramadan rows (normal hours apply). */
static void schedule_6hks(eo_schedule *s)
{
    memset(s, 0, sizeof(*s));
    for (int d = 1; d <= 6; d++) set_slot(s, 0, d, HM(7, 30), HM(13, 45));
}

static void test_parse_hhmm(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool allow_24, ok;
        int min;
    } t[] = {
        {"00:00", false, true, 0},   {"07:30", false, true, 450}, {"23:59", false, true, 1439},
        {"24:00", true, true, 1440}, {"24:00", false, false, 0},  {"24:01", true, false, 0},
        {"7:30", false, false, 0},   {"07:60", false, false, 0},  {"0a:00", false, false, 0},
        {"", false, false, 0},       {"07:300", false, false, 0}, {"25:00", true, false, 0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int m = -7;
        assert_int_equal(eo_lkh_parse_hhmm(t[i].s, t[i].allow_24, &m), t[i].ok);
        if (t[i].ok) assert_int_equal(m, t[i].min);
    }
    assert_false(eo_lkh_parse_hhmm(NULL, true, &(int){0}));
}

#define MAXA 4
static void test_spans(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t n;
        eo_lkh_span a[MAXA];
        int total;         /* when ok */
        const char *field; /* first field error, NULL = ok */
        const char *code;
    } t[] = {
        {"one span", 1, {{HM(8, 0), HM(9, 30), 0}}, 90, NULL, NULL},
        {"touching spans", 2, {{HM(8, 0), HM(9, 0), 0}, {HM(9, 0), HM(10, 0), 0}}, 120, NULL, NULL},
        {"span and duration", 2, {{HM(8, 0), HM(9, 0), 0}, {DUR, DUR, 45}}, 105, NULL, NULL},
        {"whole day", 1, {{0, HM(24, 0), 0}}, 1440, NULL, NULL},
        {"overlap",
         2,
         {{HM(8, 0), HM(10, 0), 0}, {HM(9, 30), HM(11, 0), 0}},
         0,
         "activities[1].start_time",
         "lkh_activity_overlap"},
        {"contained",
         3,
         {{HM(8, 0), HM(12, 0), 0}, {HM(13, 0), HM(14, 0), 0}, {HM(9, 0), HM(9, 10), 0}},
         0,
         "activities[2].start_time",
         "lkh_activity_overlap"},
        {"same span twice",
         2,
         {{HM(8, 0), HM(9, 0), 0}, {HM(8, 0), HM(9, 0), 0}},
         0,
         "activities[1].start_time",
         "lkh_activity_overlap"},
        {"end before start", 1, {{HM(9, 0), HM(8, 0), 0}}, 0, "activities[0].end_time", "out_of_range"},
        {"empty span", 1, {{HM(9, 0), HM(9, 0), 0}}, 0, "activities[0].end_time", "out_of_range"},
        {"past midnight", 1, {{HM(23, 0), HM(24, 0) + 1, 0}}, 0, "activities[0].end_time", "out_of_range"},
        {"zero duration", 1, {{DUR, DUR, 0}}, 0, "activities[0].duration_min", "out_of_range"},
        {"duration over a day", 1, {{DUR, DUR, 1441}}, 0, "activities[0].duration_min", "out_of_range"},
        {"total over a day", 2, {{0, HM(20, 0), 0}, {DUR, DUR, HM(5, 0)}}, 0, "activities", "lkh_day_exceeded"},
        {"durations over a day",
         3,
         {{DUR, DUR, 600}, {DUR, DUR, 600}, {DUR, DUR, 241}},
         0,
         "activities",
         "lkh_day_exceeded"},
        {"durations exactly a day", 3, {{DUR, DUR, 600}, {DUR, DUR, 600}, {DUR, DUR, 240}}, 1440, NULL, NULL},
        {"nothing", 0, {{0}}, 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        eo_lkh_span a[MAXA];
        memcpy(a, t[i].a, sizeof(a));
        eo_err err;
        eo_err_init(&err);
        int total = -1;
        eo_status st = eo_lkh_check_spans(a, t[i].n, &total, &err);
        if (!t[i].field) {
            if (st != EO_OK) fail_msg("%s: unexpected %s", t[i].name, err.fields[0].field);
            assert_int_equal(total, t[i].total);
        } else {
            if (st != EO_ERR_INVALID) fail_msg("%s: accepted", t[i].name);
            assert_true(err.n_fields >= 1);
            assert_string_equal(err.fields[0].field, t[i].field);
            assert_string_equal(err.fields[0].code, t[i].code);
        }
        eo_err_clear(&err);
    }
}

/* A run of days starting on the given weekday; holidays/ramadan by index. */
static size_t run(eo_lkh_cal_day *d, size_t n, int first_isodow, unsigned holidays, unsigned ramadan)
{
    for (size_t i = 0; i < n; i++) {
        d[i].isodow = (int)((size_t)(first_isodow - 1 + (int)i) % 7) + 1;
        d[i].holiday = (holidays >> i) & 1u;
        d[i].ramadan = (ramadan >> i) & 1u;
    }
    return n;
}

static void test_day_window(void **state)
{
    (void)state;
    eo_schedule s5, s6;
    schedule_5hk(&s5);
    schedule_6hks(&s6);
    static const struct {
        const char *name;
        int six; /* 6-day school week */
        int first_isodow;
        size_t n; /* days from the date to today inclusive */
        unsigned holidays, ramadan;
        bool truncated, future, permitted;
        int backfill;
        eo_lkh_day_verdict want;
    } t[] = {
        {"today, Monday", 0, 1, 1, 0, 0, false, false, false, 3, EO_LKH_DAY_OK},
        {"Saturday, 5-day", 0, 6, 1, 0, 0, false, false, false, 3, EO_LKH_DAY_NOT_WORKING},
        {"Saturday, school week", 1, 6, 1, 0, 0, false, false, false, 3, EO_LKH_DAY_OK},
        {"Sunday, school week", 1, 7, 1, 0, 0, false, false, false, 3, EO_LKH_DAY_NOT_WORKING},
        {"holiday", 0, 3, 1, 1u, 0, false, false, false, 3, EO_LKH_DAY_NOT_WORKING},
        {"holiday with permit", 0, 3, 1, 1u, 0, false, false, true, 3, EO_LKH_DAY_NOT_WORKING},
        {"Ramadan weekday", 0, 2, 1, 0, 1u, false, false, false, 3, EO_LKH_DAY_OK},
        {"Ramadan, school week without Ramadan rows", 1, 6, 1, 0, 1u, false, false, false, 3, EO_LKH_DAY_OK},
        {"future", 0, 1, 1, 0, 0, false, true, true, 3, EO_LKH_DAY_FUTURE},
        /* Monday filed on Thursday: Tue, Wed, Thu follow = 3 */
        {"3 working days back", 0, 1, 4, 0, 0, false, false, false, 3, EO_LKH_DAY_OK},
        /* Monday filed on Friday: 4 follow */
        {"4 working days back", 0, 1, 5, 0, 0, false, false, false, 3, EO_LKH_DAY_TOO_OLD},
        {"4 back with permit", 0, 1, 5, 0, 0, false, false, true, 3, EO_LKH_DAY_OK},
        /* Thursday filed on Tuesday: Fri, (Sat, Sun off), Mon, Tue = 3 */
        {"over a weekend", 0, 4, 6, 0, 0, false, false, false, 3, EO_LKH_DAY_OK},
        /* the same on a school week: Fri, Sat, Mon, Tue = 4 */
        {"over a school weekend", 1, 4, 6, 0, 0, false, false, false, 3, EO_LKH_DAY_TOO_OLD},
        /* Monday filed on Friday with Wednesday a holiday: Tue, Thu, Fri = 3 */
        {"holiday not counted", 0, 1, 5, 1u << 2, 0, false, false, false, 3, EO_LKH_DAY_OK},
        {"backfill 0, yesterday", 0, 1, 2, 0, 0, false, false, false, 0, EO_LKH_DAY_TOO_OLD},
        {"backfill 0, Friday on Monday", 0, 5, 4, 0, 0, false, false, false, 0, EO_LKH_DAY_TOO_OLD},
        {"backfill 0, Friday on Saturday", 0, 5, 2, 0, 0, false, false, false, 0, EO_LKH_DAY_OK},
        {"truncated range", 0, 1, 3, 0, 0, true, false, false, 3, EO_LKH_DAY_TOO_OLD},
        {"truncated with permit", 0, 1, 3, 0, 0, true, false, true, 3, EO_LKH_DAY_OK},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        eo_lkh_cal_day d[16];
        size_t n = run(d, t[i].n, t[i].first_isodow, t[i].holidays, t[i].ramadan);
        eo_lkh_day_verdict v =
            eo_lkh_day_check(t[i].six ? &s6 : &s5, d, n, t[i].truncated, t[i].future, t[i].backfill, t[i].permitted);
        if (v != t[i].want) fail_msg("%s: got %d, want %d", t[i].name, (int)v, (int)t[i].want);
    }
    assert_null(eo_lkh_day_code(EO_LKH_DAY_OK));
    assert_string_equal(eo_lkh_day_code(EO_LKH_DAY_TOO_OLD), "lkh_too_far_back");
    assert_string_equal(eo_lkh_day_code(EO_LKH_DAY_FUTURE), "lkh_future_date");
    assert_string_equal(eo_lkh_day_code(EO_LKH_DAY_NOT_WORKING), "lkh_not_working_day");
}

/* EOFFICE_LKH_BACKFILL_WORKDAYS: default 3, 0..60, a bad value names the variable. */
static void test_backfill_config(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        eo_status st;
        int want;
    } t[] = {{NULL, EO_OK, 3},          {"0", EO_OK, 0},           {"60", EO_OK, 60}, {"61", EO_ERR_INVALID, 0},
             {"-1", EO_ERR_INVALID, 0}, {"3x", EO_ERR_INVALID, 0}, {"", EO_OK, 3}};
    if (!getenv("DATABASE_URL")) setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/eoffice", 1);
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (t[i].value)
            setenv("EOFFICE_LKH_BACKFILL_WORKDAYS", t[i].value, 1);
        else
            unsetenv("EOFFICE_LKH_BACKFILL_WORKDAYS");
        eo_config cfg;
        char msg[256] = "";
        eo_status st = eo_config_load(&cfg, msg, sizeof(msg));
        if (st != t[i].st) fail_msg("%s: status %d (%s)", t[i].value ? t[i].value : "(unset)", (int)st, msg);
        if (st == EO_OK)
            assert_int_equal(cfg.lkh_backfill_workdays, t[i].want);
        else
            assert_non_null(strstr(msg, "EOFFICE_LKH_BACKFILL_WORKDAYS"));
    }
    unsetenv("EOFFICE_LKH_BACKFILL_WORKDAYS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_hhmm),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_day_window),
        cmocka_unit_test(test_backfill_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
