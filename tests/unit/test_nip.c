/* NIP / NI PPPK / NIK validation (core/nip.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/nip.h"
#include "core/resources.h"

/* Validates nip and asserts the single field error code (NULL = valid). */
static void expect_nip(const char *nip, const char *code)
{
    eo_err err;
    eo_err_init(&err);
    eo_nip_info info;
    eo_status st = eo_nip_validate(nip, &info, &err);
    if (!code) {
        assert_int_equal(st, EO_OK);
        assert_int_equal(err.n_fields, 0);
    } else {
        assert_int_equal(st, EO_ERR_INVALID);
        assert_int_equal(err.n_fields, 1);
        assert_string_equal(err.fields[0].field, "nip");
        assert_string_equal(err.fields[0].code, code);
    }
    eo_err_clear(&err);
}

static void expect_nik(const char *nik, const char *code)
{
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_nik_validate(nik, NULL, &err);
    if (!code) {
        assert_int_equal(st, EO_OK);
    } else {
        assert_int_equal(st, EO_ERR_INVALID);
        assert_int_equal(err.n_fields, 1);
        assert_string_equal(err.fields[0].field, "nik");
        assert_string_equal(err.fields[0].code, code);
    }
    eo_err_clear(&err);
}

static void test_pns_male(void **state)
{
    (void)state;
    eo_nip_info info;
    assert_int_equal(eo_nip_validate("198503122010121003", &info, NULL), EO_OK);
    assert_int_equal(info.type, EO_NIP_PNS);
    assert_int_equal(info.birth.year, 1985);
    assert_int_equal(info.birth.month, 3);
    assert_int_equal(info.birth.day, 12);
    assert_int_equal(info.tmt_year, 2010);
    assert_int_equal(info.tmt_month, 12);
    assert_int_equal(info.gender, 'L');
    assert_int_equal(info.sequence, 3);
    assert_int_equal(info.pppk_phase, 0);
}

static void test_pns_female(void **state)
{
    (void)state;
    eo_nip_info info;
    assert_int_equal(eo_nip_validate("199001152015032001", &info, NULL), EO_OK);
    assert_int_equal(info.type, EO_NIP_PNS);
    assert_int_equal(info.gender, 'P');
    assert_int_equal(info.tmt_year, 2015);
    assert_int_equal(info.tmt_month, 3);
    /* Leap day birth and TMT in the very month of the 18th birthday. */
    expect_nip("198402292002021001", NULL);
}

static void test_pppk(void **state)
{
    (void)state;
    eo_nip_info info;
    assert_int_equal(eo_nip_validate("198702022022212001", &info, NULL), EO_OK);
    assert_int_equal(info.type, EO_NIP_PPPK);
    assert_int_equal(info.birth.year, 1987);
    assert_int_equal(info.tmt_year, 2022);
    assert_int_equal(info.tmt_month, 0);
    assert_int_equal(info.pppk_phase, 1);
    assert_int_equal(info.gender, 'P');
    assert_int_equal(info.sequence, 1);
    expect_nip("199511202023221015", NULL); /* phase 2, male */
}

static void test_nip_format(void **state)
{
    (void)state;
    expect_nip("19850312201012100", "nip_format");   /* 17 digits */
    expect_nip("1985031220101210030", "nip_format"); /* 19 digits */
    expect_nip("19850312201012100A", "nip_format");
    expect_nip("198503122010 21003", "nip_format");
    expect_nip("", "nip_format");
    expect_nip(NULL, "nip_format");
}

static void test_nip_birth_date(void **state)
{
    (void)state;
    expect_nip("198502302010121003", "nip_birth_date"); /* 30 February */
    expect_nip("198302292010121003", "nip_birth_date"); /* 1983 not leap */
    expect_nip("198513122010121003", "nip_birth_date"); /* month 13 */
    expect_nip("198500122010121003", "nip_birth_date"); /* month 00 */
    expect_nip("198503002010121003", "nip_birth_date"); /* day 00 */
    expect_nip("198504312010121003", "nip_birth_date"); /* 31 April */
    expect_nip("193912312000121003", "nip_birth_date"); /* before 1940 */
    expect_nip("201101012030121003", "nip_birth_date"); /* after 2010 */
}

static void test_nip_tmt(void **state)
{
    (void)state;
    expect_nip("198503122010131003", "nip_tmt"); /* month 13: neither month nor PPPK */
    expect_nip("198503122010001003", "nip_tmt"); /* month 00 */
    expect_nip("198503122010201003", "nip_tmt"); /* '20': PPPK phase 0 does not exist */
    expect_nip("198503122010301003", "nip_tmt");
    expect_nip("199005102007051001", "nip_tmt"); /* TMT at 17 */
    expect_nip("199005102008041001", "nip_tmt"); /* one month before turning 18 */
    expect_nip("199005102008051001", NULL);      /* the month of the 18th birthday */
    expect_nip("198503122041121003", "nip_tmt"); /* beyond EO_NIP_MAX_TMT_YEAR */
    expect_nip("198702022018212001", "nip_tmt"); /* PPPK before the first intake */
    expect_nip("200805052022212001", "nip_tmt"); /* PPPK at 14 */
}

static void test_nip_gender_sequence(void **state)
{
    (void)state;
    expect_nip("198503122010123003", "nip_gender");
    expect_nip("198503122010120003", "nip_gender");
    expect_nip("198702022022213001", "nip_gender");
    expect_nip("198503122010121000", "nip_sequence");
    expect_nip("198702022022212000", "nip_sequence");
}

static void test_nik_valid(void **state)
{
    (void)state;
    eo_nik_info nik;
    assert_int_equal(eo_nik_validate("3174051203850001", &nik, NULL), EO_OK);
    assert_int_equal(nik.province, 31);
    assert_string_equal(nik.region, "317405");
    assert_int_equal(nik.birth_day, 12);
    assert_int_equal(nik.birth_month, 3);
    assert_int_equal(nik.birth_yy, 85);
    assert_int_equal(nik.gender, 'L');
    assert_int_equal(nik.sequence, 1);

    assert_int_equal(eo_nik_validate("1606025501900002", &nik, NULL), EO_OK); /* woman: 15+40 */
    assert_int_equal(nik.gender, 'P');
    assert_int_equal(nik.birth_day, 15);
    assert_int_equal(nik.birth_month, 1);
    expect_nik("9171016902000003", NULL); /* woman born 29 Feb 2000 */
}

static void test_nik_invalid(void **state)
{
    (void)state;
    expect_nik("317405120385000", "nik_format");
    expect_nik("31740512038500011", "nik_format");
    expect_nik("31740512038500x1", "nik_format");
    expect_nik(NULL, "nik_format");
    expect_nik("1074051203850001", "nik_region");     /* province 10 */
    expect_nik("9574051203850001", "nik_region");     /* province 95 */
    expect_nik("3100051203850001", "nik_region");     /* regency 00 */
    expect_nik("3174001203850001", "nik_region");     /* district 00 */
    expect_nik("3174053203850001", "nik_birth_date"); /* day 32 */
    expect_nik("3174057203850001", "nik_birth_date"); /* woman, day 32 */
    expect_nik("3174050003850001", "nik_birth_date"); /* day 00 */
    expect_nik("3174054003850001", "nik_birth_date"); /* 40 = woman, day 0 */
    expect_nik("3174053002850001", "nik_birth_date"); /* 30 February */
    expect_nik("3174052902850001", "nik_birth_date"); /* 29 Feb 1985/2085 */
    expect_nik("3174051213850001", "nik_birth_date"); /* month 13 */
    expect_nik("3174051203850000", "nik_sequence");
}

static void test_nik_consistency(void **state)
{
    (void)state;
    eo_nik_info nik;
    assert_int_equal(eo_nik_validate("1606025501900002", &nik, NULL), EO_OK);
    eo_nip_date b = {1990, 1, 15};
    assert_true(eo_nik_consistent_with(&nik, b, 'P'));
    assert_false(eo_nik_consistent_with(&nik, b, 'L'));
    eo_nip_date other_day = {1990, 1, 16};
    assert_false(eo_nik_consistent_with(&nik, other_day, 'P'));
    eo_nip_date other_year = {1991, 1, 15};
    assert_false(eo_nik_consistent_with(&nik, other_year, 'P'));
    assert_false(eo_nik_consistent_with(NULL, b, 'P'));
}

static void test_date_parse(void **state)
{
    (void)state;
    eo_nip_date d;
    assert_true(eo_nip_date_parse("2024-02-29", &d));
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
    assert_false(eo_nip_date_parse("2023-02-29", &d));
    assert_false(eo_nip_date_parse("2023-2-28", &d));
    assert_false(eo_nip_date_parse("2023-02-28x", &d));
    assert_false(eo_nip_date_parse("20230228", &d));
    assert_false(eo_nip_date_parse(NULL, &d));
}

/* Every employee row of the embedded demo seed has a valid NIP and a NIK that
 * agrees with its birth date, gender and employee type. Rows look like
 *     ('NIP', 'NIK', 'name', 'L', 'YYYY-MM-DD', 'PNS', ... */
static void test_demo_seed_identifiers(void **state)
{
    (void)state;
    const eo_resource *seed = eo_resource_find("db/seed/demo.sql");
    assert_non_null(seed);
    int n = 0;
    for (const char *line = seed->data; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char nip[19], nik[17], gender, birth[11], type[5];
        if (sscanf(line, " ('%18[0-9]', '%16[0-9]', '%*[^']', '%c', '%10[0-9-]', '%4[A-Z]'", nip, nik, &gender, birth,
                   type) != 5)
            continue;
        eo_nip_info info;
        eo_nik_info nk;
        eo_nip_date b;
        assert_int_equal(eo_nip_validate(nip, &info, NULL), EO_OK);
        assert_int_equal(eo_nik_validate(nik, &nk, NULL), EO_OK);
        assert_true(eo_nip_date_parse(birth, &b));
        assert_true(b.year == info.birth.year && b.month == info.birth.month && b.day == info.birth.day);
        assert_int_equal(info.gender, gender);
        assert_true(eo_nik_consistent_with(&nk, b, gender));
        assert_int_equal(info.type == EO_NIP_PNS, strcmp(type, "PNS") == 0);
        n++;
    }
    assert_true(n >= 45); /* the seed has ~50 employees: the pattern must not silently miss them */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pns_male),
        cmocka_unit_test(test_pns_female),
        cmocka_unit_test(test_pppk),
        cmocka_unit_test(test_nip_format),
        cmocka_unit_test(test_nip_birth_date),
        cmocka_unit_test(test_nip_tmt),
        cmocka_unit_test(test_nip_gender_sequence),
        cmocka_unit_test(test_nik_valid),
        cmocka_unit_test(test_nik_invalid),
        cmocka_unit_test(test_nik_consistency),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_demo_seed_identifiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
