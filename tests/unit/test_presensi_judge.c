/* The geofence judgement of a punch (core/presensi.c eo_presensi_judge):
 * verdict and flag set for each mode, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/presensi.h"

/* Office in Jayapura (radius 100 m) and a duty-travel place in Jakarta (500 m). */
static const eo_geofence fences[2] = {
    {.id = 1, .extra = false, .lat = -2.5337, .lon = 140.7181, .radius_m = 100, .code = "JYP", .name = "Kantor"},
    {.id = 2, .extra = true, .lat = -6.2, .lon = 106.8, .radius_m = 500, .code = "EXTRA-2", .name = "Dinas"},
};

#define MOCK EO_PFLAG_MOCK_LOCATION
#define POOR EO_PFLAG_POOR_ACCURACY
#define OUT  EO_PFLAG_OUTSIDE_GEOFENCE

static void test_table(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        double lat, lon, acc;
        bool mock;
        eo_geofence_mode mode;
        int n_fences;
        eo_presensi_verdict verdict;
        eo_presensi_flags flags;
        int inside, nearest;
    } cases[] = {
        {"office, good fix", -2.5337, 140.7186, 10, false, EO_GEOFENCE_REJECT, 2, EO_VERDICT_ACCEPT, 0, 0, 0},
        {"duty travel place", -6.2005, 106.8, 20, false, EO_GEOFENCE_REJECT, 2, EO_VERDICT_ACCEPT, 0, 1, 1},
        {"mock inside: flagged only", -2.5337, 140.7181, 5, true, EO_GEOFENCE_REJECT, 2, EO_VERDICT_ACCEPT, MOCK, 0, 0},
        {"1.1 km away, reject", -2.5337, 140.7281, 5, false, EO_GEOFENCE_REJECT, 2, EO_VERDICT_OUTSIDE, OUT, -1, 0},
        {"1.1 km away, flag", -2.5337, 140.7281, 5, false, EO_GEOFENCE_FLAG, 2, EO_VERDICT_ACCEPT, OUT, -1, 0},
        {"poor fix inside, reject", -2.5337, 140.7181, 150, false, EO_GEOFENCE_REJECT, 2, EO_VERDICT_POOR_ACCURACY,
         POOR, 0, 0},
        {"poor fix outside: accuracy first", -2.5337, 140.7281, 150, false, EO_GEOFENCE_REJECT, 2,
         EO_VERDICT_POOR_ACCURACY, POOR | OUT, -1, 0},
        {"everything wrong, flag", -2.5337, 140.7281, 150, true, EO_GEOFENCE_FLAG, 2, EO_VERDICT_ACCEPT,
         MOCK | POOR | OUT, -1, 0},
        {"accuracy at the limit is fine", -2.5337, 140.7181, 100, false, EO_GEOFENCE_REJECT, 2, EO_VERDICT_ACCEPT, 0, 0,
         0},
        {"office only, at Jakarta", -6.2, 106.8, 5, false, EO_GEOFENCE_REJECT, 1, EO_VERDICT_OUTSIDE, OUT, -1, 0},
        {"no fence at all", -6.2, 106.8, 5, false, EO_GEOFENCE_REJECT, 0, EO_VERDICT_OUTSIDE, OUT, -1, -1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        eo_presensi_judgement j;
        eo_presensi_judge(fences, cases[i].n_fences, cases[i].lat, cases[i].lon, cases[i].acc, cases[i].mock, 100,
                          cases[i].mode, &j);
        if (j.verdict != cases[i].verdict || j.flags != cases[i].flags || j.g.inside != cases[i].inside ||
            j.g.nearest != cases[i].nearest)
            fail_msg("%s: verdict %d flags %u inside %d nearest %d", cases[i].what, j.verdict, j.flags, j.g.inside,
                     j.g.nearest);
    }
}

static void test_distance_reported(void **state)
{
    (void)state;
    eo_presensi_judgement j;
    eo_presensi_judge(fences, 2, -2.5337, 140.7281, 5, false, 100, EO_GEOFENCE_REJECT, &j);
    assert_int_equal(j.verdict, EO_VERDICT_OUTSIDE);
    assert_true(j.g.distance_m > 1000 && j.g.distance_m < 1200); /* to the office centre */
}

static void test_flag_names(void **state)
{
    (void)state;
    static const char *const names[] = {"mock_location", "poor_accuracy", "outside_geofence", "photo_reused",
                                        "slow_upload"};
    eo_presensi_flags all = 0;
    for (int i = 0; i < EO_PFLAG_COUNT; i++) {
        assert_string_equal(eo_presensi_flag_name(i), names[i]);
        assert_true(eo_presensi_flag_parse(names[i], &all));
    }
    assert_int_equal(all, (1u << EO_PFLAG_COUNT) - 1);
    assert_null(eo_presensi_flag_name(EO_PFLAG_COUNT));
    assert_null(eo_presensi_flag_name(-1));
    eo_presensi_flags none = 0;
    assert_false(eo_presensi_flag_parse("corrected", &none));
    assert_false(eo_presensi_flag_parse(NULL, &none));
    assert_int_equal(none, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_distance_reported),
        cmocka_unit_test(test_flag_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
