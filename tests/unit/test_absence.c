/* core/absence.h: kinds, day counts, the sakit document rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/absence.h"

static void test_days(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        bool ok;
        int days;
    } cases[] = {
        {"2026-11-30", "2026-11-30", true, 1},  {"2026-11-30", "2026-12-01", true, 2},
        {"2024-02-28", "2024-03-01", true, 3},  {"2026-02-28", "2026-03-01", true, 2},
        {"2026-12-31", "2027-01-01", true, 2},  {"2026-12-01", "2026-11-30", false, 0},
        {"2026-02-30", "2026-03-01", false, 0}, {"2026-1-01", "2026-01-02", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int d = 0;
        assert_int_equal(eo_absence_days(cases[i].from, cases[i].to, &d), cases[i].ok);
        if (cases[i].ok) assert_int_equal(d, cases[i].days);
    }
}

static void test_rules(void **state)
{
    (void)state;
    assert_true(eo_absence_kind_valid("cuti"));
    assert_true(eo_absence_kind_valid("tugas_belajar"));
    assert_false(eo_absence_kind_valid("alpha"));
    assert_false(eo_absence_kind_valid(NULL));
    assert_true(eo_absence_cuti_type_valid("cltn"));
    assert_false(eo_absence_cuti_type_valid("liburan"));
    assert_false(eo_absence_needs_document("sakit", 2, 2));
    assert_true(eo_absence_needs_document("sakit", 3, 2));
    assert_false(eo_absence_needs_document("cuti", 30, 2));
    assert_true(eo_absence_needs_document("sakit", 1, 0));
    assert_true(eo_absence_takes_locations("dinas_luar"));
    assert_true(eo_absence_takes_locations("perjalanan_dinas"));
    assert_false(eo_absence_takes_locations("sakit"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_days), cmocka_unit_test(test_rules)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
