/* Haversine distance, coordinate checks and the geofence decision (core/geo.c, core/presensi.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/parse.h"
#include "core/geo.h"
#include "core/presensi.h"

static void test_distance_table(void **state)
{
    (void)state;
    static const struct {
        double lat1, lon1, lat2, lon2, metres, tol;
    } t[] = {
        {-6.2000, 106.8166, -6.2000, 106.8166, 0, 0.001},
        {0, 0, 0, 1, 111195.08, 1}, /* one degree on the equator */
        {0, 0, 1, 0, 111195.08, 1},
        {-6.175392, 106.827153, -6.175392, 106.828153, 110.55, 0.5}, /* 0.001 deg lon at Monas */
        {-2.5337, 140.7181, -2.5337, 140.7181 + 0.0009, 100.0, 1},   /* Jayapura ~100 m */
        {-6.2, 106.8, -5.1477, 119.4327, 1402650, 2000},             /* Jakarta - Makassar */
        {0, 0, 0, 180, M_PI * EO_GEO_EARTH_RADIUS_M, 1},             /* antipodes */
        {89.9, 0, 89.9, 180, 22239, 5},                              /* across the pole */
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        double d = eo_geo_distance_m(t[i].lat1, t[i].lon1, t[i].lat2, t[i].lon2);
        print_message("case %zu: %f\n", i, d);
        assert_true(fabs(d - t[i].metres) <= t[i].tol);
        double back = eo_geo_distance_m(t[i].lat2, t[i].lon2, t[i].lat1, t[i].lon1);
        assert_true(fabs(d - back) < 1e-6);
    }
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(eo_geo_valid(0, 0));
    assert_true(eo_geo_valid(-90, 180));
    assert_false(eo_geo_valid(90.0001, 0));
    assert_false(eo_geo_valid(0, -180.5));
    assert_false(eo_geo_valid(NAN, 0));
    assert_false(eo_geo_valid(0, INFINITY));
}

static void test_parse_number(void **state)
{
    (void)state;
    double v;
    assert_true(eo_parse_decimal("-6.175392", -90, 90, &v));
    assert_true(fabs(v + 6.175392) < 1e-9);
    assert_true(eo_parse_decimal("12", 0, 100, &v));
    static const char *bad[] = {"", "NaN", "nan", "inf", "1e5", "0x10", "91", "1.2.3", "12abc", " 1", "-", "."};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) assert_false(eo_parse_decimal(bad[i], -90, 90, &v));
    assert_false(eo_parse_decimal(NULL, -90, 90, &v));
}

static void test_geofence(void **state)
{
    (void)state;
    eo_geofence f[2] = {
        {.id = 1, .lat = -2.5337, .lon = 140.7181, .radius_m = 100, .code = "OFFICE"},
        {.id = 2, .extra = true, .lat = -6.2, .lon = 106.8, .radius_m = 200, .code = "TRAVEL"},
    };
    eo_geofence_result r;
    eo_presensi_geofence(f, 2, -2.5337, 140.7181 + 0.0005, 10, 100, &r);
    assert_int_equal(r.inside, 0);
    assert_false(r.poor_accuracy);
    assert_true(r.distance_m < 100);

    eo_presensi_geofence(f, 2, -6.2005, 106.8, 150, 100, &r); /* inside the duty-travel place */
    assert_int_equal(r.inside, 1);
    assert_true(r.poor_accuracy);

    eo_presensi_geofence(f, 2, -2.5337, 140.7281, 5, 100, &r); /* ~1.1 km east of the office */
    assert_int_equal(r.inside, -1);
    assert_int_equal(r.nearest, 0);
    assert_true(r.distance_m > 1000 && r.distance_m < 1200);

    eo_presensi_geofence(f, 0, 0, 0, 5, 100, &r);
    assert_int_equal(r.inside, -1);
    assert_int_equal(r.nearest, -1);
}

static void test_rfc3339_and_versions(void **state)
{
    (void)state;
    long long t;
    assert_true(eo_presensi_parse_rfc3339("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(eo_presensi_parse_rfc3339("2024-03-11T07:25:00+09:00", &t));
    assert_int_equal(t, 1710109500LL);
    assert_true(eo_presensi_parse_rfc3339("2024-03-10T22:25:00.123Z", &t));
    assert_int_equal(t, 1710109500LL);
    static const char *bad[] = {"2024-03-11",           "2024-03-11T07:25:00",      "2024-02-30T00:00:00Z",
                                "2024-03-11T25:00:00Z", "2024-03-11T07:25:00+0900", "garbage-here-xxxxxxxx"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) assert_false(eo_presensi_parse_rfc3339(bad[i], &t));

    assert_true(eo_presensi_version_cmp("1.10.0", "1.9.9") > 0);
    assert_true(eo_presensi_version_cmp("1.0", "1.0.0") == 0);
    assert_true(eo_presensi_version_cmp("0.9.1", "1.0.0") < 0);
    assert_true(eo_presensi_version_cmp("2.0.0-beta", "2.0.0") == 0);
    assert_true(eo_presensi_version_cmp("abc", "1.0.0") < 0);

    int y, m, d, mins;
    assert_true(eo_presensi_parse_date("2024-02-29", &y, &m, &d));
    assert_false(eo_presensi_parse_date("2023-02-29", &y, &m, &d));
    assert_true(eo_presensi_parse_hhmm("07:25", &mins));
    assert_int_equal(mins, 445);
    assert_false(eo_presensi_parse_hhmm("24:00", &mins));
}

/* A time stamp that ends inside its offset ("+0", "+07", "-07:"): the parser
 * must not read past the terminating NUL. Each case is an exact-size heap copy
 * so ASan reports any over-read (found by tests/fuzz/fuzz_presensi). */
static void test_rfc3339_truncated_offset(void **state)
{
    (void)state;
    static const char *cut[] = {"2026-11-15T07:12:23+0", "2026-11-15T07:12:23+", "2026-11-15T07:12:23+07",
                                "2026-11-15T07:12:23-07:", "2026-11-15T07:12:23.5+07:0"};
    long long t;
    for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
        char *s = strdup(cut[i]);
        assert_non_null(s);
        assert_false(eo_presensi_parse_rfc3339(s, &t));
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance_table),       cmocka_unit_test(test_valid),
        cmocka_unit_test(test_parse_number),         cmocka_unit_test(test_geofence),
        cmocka_unit_test(test_rfc3339_and_versions), cmocka_unit_test(test_rfc3339_truncated_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
