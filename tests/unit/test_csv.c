/* Bounded RFC 4180 reader (core/csv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

static eo_csv *open_str(const char *s, const eo_csv_limits *lim)
{
    eo_csv *c = eo_csv_open_mem(s, strlen(s), lim);
    assert_non_null(c);
    return c;
}

static void expect_record(eo_csv *c, int line, int n, const char *const *want)
{
    eo_csv_record r;
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_RECORD);
    assert_int_equal(r.line, line);
    assert_int_equal(r.n_fields, n);
    for (int i = 0; i < n; i++) assert_string_equal(r.fields[i], want[i]);
}

static void expect_error(const char *input, const eo_csv_limits *lim, const char *code, int line)
{
    eo_csv *c = open_str(input, lim);
    eo_csv_record r;
    eo_csv_result res;
    while ((res = eo_csv_read(c, &r)) == EO_CSV_RECORD) {}
    assert_int_equal(res, EO_CSV_ERROR);
    assert_string_equal(eo_csv_error_code(c), code);
    assert_int_equal(eo_csv_error_line(c), line);
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_ERROR); /* sticky */
    eo_csv_close(c);
}

static void test_simple_lf_and_crlf(void **state)
{
    (void)state;
    eo_csv *c = open_str("a,b,c\n1,2,3\r\nx,,z", NULL);
    expect_record(c, 1, 3, (const char *[]){"a", "b", "c"});
    expect_record(c, 2, 3, (const char *[]){"1", "2", "3"});
    expect_record(c, 3, 3, (const char *[]){"x", "", "z"});
    eo_csv_record r;
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_EOF);
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_EOF);
    assert_null(eo_csv_error_code(c));
    eo_csv_close(c);
}

static void test_quotes(void **state)
{
    (void)state;
    eo_csv *c = open_str("\"Dinas \"\"Pendidikan\"\"\",\"a,b\",\"\"\n"
                         "\"two\nlines\",x\r\n"
                         "after,\"\"\"\"\n",
                         NULL);
    expect_record(c, 1, 3, (const char *[]){"Dinas \"Pendidikan\"", "a,b", ""});
    expect_record(c, 2, 2, (const char *[]){"two\nlines", "x"});
    expect_record(c, 4, 2, (const char *[]){"after", "\""}); /* line count includes the embedded newline */
    eo_csv_close(c);
}

static void test_bom_blank_lines_trailing_comma(void **state)
{
    (void)state;
    eo_csv *c = open_str("\xEF\xBB\xBFnip,name\n\n\r\nS\xC3\xA9kayu,\n", NULL);
    expect_record(c, 1, 2, (const char *[]){"nip", "name"});
    expect_record(c, 4, 2, (const char *[]){"S\xC3\xA9kayu", ""});
    eo_csv_record r;
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_EOF);
    eo_csv_close(c);
}

static void test_empty_input(void **state)
{
    (void)state;
    eo_csv_record r;
    eo_csv *c = open_str("", NULL);
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_EOF);
    eo_csv_close(c);
    c = open_str("\xEF\xBB", NULL); /* half a BOM is data */
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_ERROR);
    assert_string_equal(eo_csv_error_code(c), "csv_invalid_utf8");
    eo_csv_close(c);
}

static void test_limits(void **state)
{
    (void)state;
    eo_csv_limits lim = {.max_record_bytes = 8, .max_fields = 3};
    eo_csv *c = open_str("12345678\na,b,c\n", &lim);
    expect_record(c, 1, 1, (const char *[]){"12345678"}); /* exactly at the limit */
    expect_record(c, 2, 3, (const char *[]){"a", "b", "c"});
    eo_csv_close(c);
    expect_error("ok\n123456789\n", &lim, "csv_record_too_long", 2);
    expect_error("\"1234\",\"56789\"\n", &lim, "csv_record_too_long", 1);
    expect_error("a\na,b,c,d\n", &lim, "csv_too_many_fields", 2);
    expect_error("a,b,c,\n", &lim, "csv_too_many_fields", 1);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("a,b\n\"open,c\nd\n", NULL, "csv_unterminated_quote", 2);
    expect_error("a,\"b\"x,c\n", NULL, "csv_bad_quote", 1);
    expect_error("ok\na\"b,c\n", NULL, "csv_bad_quote", 2);
    expect_error("a,\xC0\xAF\n", NULL, "csv_invalid_utf8", 1);     /* overlong '/' */
    expect_error("a,\xED\xA0\x80\n", NULL, "csv_invalid_utf8", 1); /* surrogate */
    expect_error("a,\xE2\x82\n", NULL, "csv_invalid_utf8", 1);     /* truncated */
    expect_error("ok\nok\nx\xFFy\n", NULL, "csv_invalid_utf8", 3);
    static const char nul[] = "a,b\0c\n";
    eo_csv *c = eo_csv_open_mem(nul, sizeof(nul) - 1, NULL);
    eo_csv_record r;
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_ERROR);
    assert_string_equal(eo_csv_error_code(c), "csv_nul_byte");
    eo_csv_close(c);
}

static void test_file_source(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("\xEF\xBB\xBF"
          "code,name\r\nU1,\"Biro, SDM\"\r\n",
          f);
    rewind(f);
    eo_csv *c = eo_csv_open_file(f, NULL);
    expect_record(c, 1, 2, (const char *[]){"code", "name"});
    expect_record(c, 2, 2, (const char *[]){"U1", "Biro, SDM"});
    eo_csv_record r;
    assert_int_equal(eo_csv_read(c, &r), EO_CSV_EOF);
    eo_csv_close(c);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_lf_and_crlf),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_bom_blank_lines_trailing_comma),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_file_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
