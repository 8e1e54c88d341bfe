/* Lateness / early-leave classes and day resolution (core/presensi_rules.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/presensi_rules.h"

#define HM(h, m) ((h)*60 + (m))
#define NONE     EO_PRESENSI_NONE

static void set_slot(eo_schedule *s, int season, int dow, int start, int end)
{
    s->slots[season][dow].works = true;
    s->slots[season][dow].start_min = start;
    s->slots[season][dow].end_min = end;
}

/* Perpres 21/2023, 5 working days: Mon-Thu 07.30-16.00, Fri 07.30-16.30 (90 min
 * Friday break); Ramadan starts 08.00 and ends earlier. */
static void schedule_5hk(eo_schedule *s)
{
    memset(s, 0, sizeof(*s));
    for (int d = 1; d <= 4; d++) {
        set_slot(s, 0, d, HM(7, 30), HM(16, 0));
        set_slot(s, 1, d, HM(8, 0), HM(15, 0));
    }
    set_slot(s, 0, 5, HM(7, 30), HM(16, 30));
    set_slot(s, 1, 5, HM(8, 0), HM(15, 30));
}

/* 6-day school week: Mon-Thu and Sat 07.30-13.45, Fri 07.30-11.30; no Ramadan rows. */
static void schedule_6hks(eo_schedule *s)
{
    memset(s, 0, sizeof(*s));
    for (int d = 1; d <= 4; d++) set_slot(s, 0, d, HM(7, 30), HM(13, 45));
    set_slot(s, 0, 5, HM(7, 30), HM(11, 30));
    set_slot(s, 0, 6, HM(7, 30), HM(13, 45));
}

static void test_class_boundaries(void **state)
{
    (void)state;
    static const struct {
        int minutes, cls;
    } t[] = {{-5, 0}, {0, 0}, {1, 1}, {30, 1}, {31, 2}, {60, 2}, {61, 3}, {90, 3}, {91, 4}, {600, 4}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) assert_int_equal(eo_presensi_class(t[i].minutes), t[i].cls);
    assert_null(eo_presensi_tl_code(0));
    assert_string_equal(eo_presensi_tl_code(1), "TL1");
    assert_string_equal(eo_presensi_tl_code(4), "TL4");
    assert_string_equal(eo_presensi_psw_code(2), "PSW2");
    assert_null(eo_presensi_psw_code(5));
}

static void test_day_resolve(void **state)
{
    (void)state;
    eo_schedule s5, s6;
    schedule_5hk(&s5);
    schedule_6hks(&s6);
    static const struct {
        int six; /* 0 = 5HK, 1 = 6HKS */
        int dow;
        bool ramadan, holiday;
        bool working;
        int start, end;
    } t[] = {
        {0, 1, false, false, true, HM(7, 30), HM(16, 0)},  /* Monday */
        {0, 5, false, false, true, HM(7, 30), HM(16, 30)}, /* Friday: longer break */
        {0, 6, false, false, false, 0, 0},                 /* Saturday off */
        {0, 7, false, false, false, 0, 0},                 /* Sunday off */
        {0, 2, true, false, true, HM(8, 0), HM(15, 0)},    /* Ramadan Tuesday */
        {0, 5, true, false, true, HM(8, 0), HM(15, 30)},   /* Ramadan Friday */
        {0, 3, false, true, false, 0, 0},                  /* holiday on a Wednesday */
        {0, 3, true, true, false, 0, 0},                   /* holiday in Ramadan */
        {1, 6, false, false, true, HM(7, 30), HM(13, 45)}, /* school Saturday */
        {1, 5, false, false, true, HM(7, 30), HM(11, 30)}, /* school Friday */
        {1, 7, false, false, false, 0, 0},                 /* school Sunday */
        {1, 2, true, false, true, HM(7, 30), HM(13, 45)},  /* Ramadan without Ramadan rows: normal */
        {0, 0, false, false, false, 0, 0},                 /* bad weekday */
        {0, 8, false, false, false, 0, 0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        eo_presensi_day d;
        eo_presensi_day_resolve(t[i].six ? &s6 : &s5, t[i].dow, t[i].ramadan, t[i].holiday, &d);
        assert_int_equal(d.working_day, t[i].working);
        assert_int_equal(d.holiday, t[i].holiday);
        if (t[i].working) {
            assert_int_equal(d.start_min, t[i].start);
            assert_int_equal(d.end_min, t[i].end);
        }
    }
    eo_presensi_day d;
    eo_presensi_day_resolve(NULL, 1, false, false, &d);
    assert_false(d.working_day);
}

static void test_evaluate_table(void **state)
{
    (void)state;
    eo_presensi_day mon = {.working_day = true, .start_min = HM(7, 30), .end_min = HM(16, 0)};
    eo_presensi_day fri = {.working_day = true, .start_min = HM(7, 30), .end_min = HM(16, 30)};
    eo_presensi_day ram = {.working_day = true, .ramadan = true, .start_min = HM(8, 0), .end_min = HM(15, 0)};
    eo_presensi_day hol = {.working_day = false, .holiday = true};
    eo_presensi_day off = {.working_day = false};
    static const struct {
        const char *name;
        int day; /* 0 mon, 1 fri, 2 ramadan, 3 holiday, 4 off */
        int in, out;
        bool over;
        bool absent;
        int late, tl;
        bool miss_in;
        int early, psw;
        bool miss_out;
    } t[] = {
        {"on time, full day", 0, HM(7, 25), HM(16, 5), true, false, 0, 0, false, 0, 0, false},
        {"07.29 is on time", 0, HM(7, 29), HM(16, 0), true, false, 0, 0, false, 0, 0, false},
        {"exactly at start", 0, HM(7, 30), HM(16, 0), true, false, 0, 0, false, 0, 0, false},
        {"TL1 1 min", 0, HM(7, 31), HM(16, 0), true, false, 1, 1, false, 0, 0, false},
        {"TL1 30 min", 0, HM(8, 0), HM(16, 0), true, false, 30, 1, false, 0, 0, false},
        {"TL2 31 min", 0, HM(8, 1), HM(16, 0), true, false, 31, 2, false, 0, 0, false},
        {"TL2 60 min", 0, HM(8, 30), HM(16, 0), true, false, 60, 2, false, 0, 0, false},
        {"TL3 61 min", 0, HM(8, 31), HM(16, 0), true, false, 61, 3, false, 0, 0, false},
        {"TL3 90 min", 0, HM(9, 0), HM(16, 0), true, false, 90, 3, false, 0, 0, false},
        {"TL4 91 min", 0, HM(9, 1), HM(16, 0), true, false, 91, 4, false, 0, 0, false},
        {"PSW1 1 min", 0, HM(7, 0), HM(15, 59), true, false, 0, 0, false, 1, 1, false},
        {"PSW2 45 min", 0, HM(7, 0), HM(15, 15), true, false, 0, 0, false, 45, 2, false},
        {"PSW3 90 min", 0, HM(7, 0), HM(14, 30), true, false, 0, 0, false, 90, 3, false},
        {"PSW4 91 min", 0, HM(7, 0), HM(14, 29), true, false, 0, 0, false, 91, 4, false},
        {"late and early", 0, HM(8, 15), HM(15, 0), true, false, 45, 2, false, 60, 2, false},
        {"Friday 16.00 is early", 1, HM(7, 30), HM(16, 0), true, false, 0, 0, false, 30, 1, false},
        {"Friday 16.30 on time", 1, HM(7, 30), HM(16, 30), true, false, 0, 0, false, 0, 0, false},
        {"Ramadan 07.55 on time", 2, HM(7, 55), HM(15, 0), true, false, 0, 0, false, 0, 0, false},
        {"Ramadan 08.10 TL1", 2, HM(8, 10), HM(15, 0), true, false, 10, 1, false, 0, 0, false},
        {"missing check-out, day over", 0, HM(7, 20), NONE, true, false, 0, 0, false, 0, 4, true},
        {"missing check-out, day running", 0, HM(7, 20), NONE, false, false, 0, 0, false, 0, 0, false},
        {"check-out without check-in: TL4", 0, NONE, HM(16, 0), true, false, 0, 4, true, 0, 0, false},
        {"absent, day over", 0, NONE, NONE, true, true, 0, 0, false, 0, 0, false},
        {"no record yet today", 0, NONE, NONE, false, false, 0, 0, false, 0, 0, false},
        {"holiday: never absent", 3, NONE, NONE, true, false, 0, 0, false, 0, 0, false},
        {"holiday: work is not late", 3, HM(10, 0), HM(11, 0), true, false, 0, 0, false, 0, 0, false},
        {"weekend", 4, NONE, NONE, true, false, 0, 0, false, 0, 0, false},
    };
    const eo_presensi_day *days[] = {&mon, &fri, &ram, &hol, &off};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        eo_presensi_eval e;
        eo_presensi_evaluate(days[t[i].day], t[i].in, t[i].out, t[i].over, &e);
        print_message("case: %s\n", t[i].name);
        assert_int_equal(e.absent, t[i].absent);
        assert_int_equal(e.late_min, t[i].late);
        assert_int_equal(e.late_class, t[i].tl);
        assert_int_equal(e.missing_check_in, t[i].miss_in);
        assert_int_equal(e.early_min, t[i].early);
        assert_int_equal(e.early_class, t[i].psw);
        assert_int_equal(e.missing_check_out, t[i].miss_out);
    }
}

/* A Jayapura teacher at 07.25 WIT: the caller passes local minutes, so on time. */
static void test_local_time_is_what_counts(void **state)
{
    (void)state;
    eo_schedule s6;
    schedule_6hks(&s6);
    eo_presensi_day d;
    eo_presensi_day_resolve(&s6, 6, false, false, &d);
    eo_presensi_eval e;
    eo_presensi_evaluate(&d, HM(7, 25), NONE, false, &e);
    assert_int_equal(e.late_class, 0);
    assert_false(e.absent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_boundaries),
        cmocka_unit_test(test_day_resolve),
        cmocka_unit_test(test_evaluate_table),
        cmocka_unit_test(test_local_time_is_what_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
