/* Keyset positions of the db/ lists (db/keyset.c): what an opened cursor may
 * hold before it reaches the SQL casts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/keyset.h"

static void test_first_page(void **state)
{
    (void)state;
    eo_db_keyset k;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_db_keyset_from(NULL, &k, &err), EO_OK);
    assert_false(k.set);
}

static void test_position_opens(void **state)
{
    (void)state;
    eo_db_keyset k;
    eo_err err;
    eo_err_init(&err);
    json_t *pos = json_pack("[s, s]", "2026-11-30T07:12:03.123456Z", "4711");
    assert_int_equal(eo_db_keyset_from(pos, &k, &err), EO_OK);
    assert_true(k.set);
    assert_string_equal(k.at, "2026-11-30T07:12:03.123456Z");
    assert_string_equal(k.id, "4711");
    json_decref(pos);
}

static void test_other_shapes_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[]",
        "[1, 2]",
        "[\"2026-11-30T07:12:03.123456Z\"]",
        "[\"2026-11-30T07:12:03.123456Z\", 4711]",
        "[\"2026-11-30T07:12:03.123456Z\", \"0\"]",
        "[\"2026-11-30T07:12:03.123456Z\", \"-1\"]",
        "[\"2026-11-30 07:12:03+00\", \"1\"]",
        "[\"x'); drop table audit_log; --\", \"1\"]",
        "[\"2026-11-30T07:12:03.123456Z\", \"1\", 3]",
        "{\"at\": 1}",
        "[\"2026\", \"1\"]",
        "[\"2026-11-30T07:12:03.123456789012345678901234567890Z\", \"1\"]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        eo_db_keyset k;
        eo_err err;
        eo_err_init(&err);
        json_t *pos = json_loads(bad[i], 0, NULL);
        assert_non_null(pos);
        assert_int_equal(eo_db_keyset_from(pos, &k, &err), EO_ERR_INVALID);
        assert_false(k.set);
        assert_int_equal(err.n_fields, 1);
        assert_string_equal(err.fields[0].field, "cursor");
        assert_string_equal(err.fields[0].code, "invalid_cursor");
        eo_err_clear(&err);
        json_decref(pos);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_page),
        cmocka_unit_test(test_position_opens),
        cmocka_unit_test(test_other_shapes_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
