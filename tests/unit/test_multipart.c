/* Strict multipart/form-data (core/multipart.c): what clients send is read,
 * anything two parsers could read differently is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static eo_status parse(const char *ct, const char *body, eo_multipart_form *f, const char **code)
{
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_multipart_parse(ct, (const unsigned char *)body, strlen(body), f, &err);
    *code = err.code;
    eo_err_clear(&err);
    return st;
}

static void refused(const char *ct, const char *body, eo_status want, const char *want_code)
{
    static eo_multipart_form f;
    const char *code = NULL;
    eo_status st = parse(ct, body, &f, &code);
    if (st != want || !code || strcmp(code, want_code) != 0)
        fail_msg("%s / %s: got %d %s, want %d %s", ct, body, st, code ? code : "-", want, want_code);
}

static void test_boundary(void **state)
{
    (void)state;
    char b[EO_MULTIPART_MAX_BOUNDARY + 1];
    assert_true(eo_multipart_boundary("multipart/form-data; boundary=abc", b));
    assert_string_equal(b, "abc");
    assert_true(eo_multipart_boundary("Multipart/Form-Data;boundary=\"a b'()+_,-./:=?\"", b));
    assert_string_equal(b, "a b'()+_,-./:=?");
    assert_true(eo_multipart_boundary("multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundaryX1", b));
    assert_string_equal(b, "----WebKitFormBoundaryX1");
    const char *bad[] = {
        "multipart/form-data",                                 /* the reported case: no boundary */
        "multipart/form-data;",                                /* empty parameter */
        "multipart/form-data; boundary=",                      /* empty */
        "multipart/form-data; boundary=\"\"",                  /* empty, quoted */
        "multipart/form-data; boundary=\"",                    /* unterminated */
        "multipart/form-data; BOUNDARY=abc",                   /* libmicrohttpd looks for "boundary=" only */
        "multipart/form-data; boundary=abc; x=y",              /* not last: libmicrohttpd would take "abc; x=y" */
        "multipart/form-data; boundary=abc ",                  /* trailing space */
        "multipart/form-data; a=\"boundary=z\"; boundary=abc", /* a second "boundary=" earlier */
        "multipart/form-data; boundary=a; boundary=b",
        "multipart/form-data; boundary=\"abc \"", /* ends with a space */
        "multipart/form-data; boundary=a\\b",
        "multipart/form-data boundary=abc",
        "multipart/form-dataX; boundary=abc",
        "multipart/mixed; boundary=abc",
        "multipart/form-data; boundary="
        "01234567890123456789012345678901234567890123456789012345678901234567890", /* 71 */
        NULL,
    };
    for (const char **ct = bad; *ct; ct++)
        if (eo_multipart_boundary(*ct, b)) fail_msg("accepted: %s", *ct);
    assert_true(eo_multipart_is_form("multipart/form-data"));
    assert_false(eo_multipart_is_form("multipart/form-dataX"));
    assert_false(eo_multipart_is_form(NULL));
}

static void test_parse_ok(void **state)
{
    (void)state;
    static eo_multipart_form f;
    const char *code;
    const char *good = "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"latitude\"\r\n"
                       "\r\n"
                       "-6.2\r\n"
                       "--XyZ\r\n"
                       "content-disposition: form-data; name=photo; filename=\"a.jpg\"\r\n"
                       "Content-Type: image/jpeg\r\n"
                       "Content-Length: 9\r\n"
                       "\r\n"
                       "ab\r\n-XyZ\n\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"empty\"\r\n"
                       "\r\n"
                       "\r\n"
                       "--XyZ--\r\n";
    assert_int_equal(parse(CT, good, &f, &code), EO_OK);
    assert_int_equal(f.n, 3);
    const eo_multipart_part *lat = eo_multipart_get(&f, "latitude");
    assert_non_null(lat);
    assert_int_equal(lat->len, 4);
    assert_memory_equal(lat->data, "-6.2", 4);
    assert_false(lat->has_filename);
    const eo_multipart_part *ph = eo_multipart_get(&f, "photo");
    assert_non_null(ph);
    assert_true(ph->has_filename);
    assert_int_equal(ph->len, 9); /* the CRLF before a delimiter belongs to it */
    assert_memory_equal(ph->data, "ab\r\n-XyZ\n", 9);
    assert_int_equal(eo_multipart_get(&f, "empty")->len, 0);
    assert_null(eo_multipart_get(&f, "missing"));
    /* No epilogue at all; no parts at all. */
    assert_int_equal(parse(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--", &f, &code),
                     EO_OK);
    assert_int_equal(parse(CT, "--XyZ--\r\n", &f, &code), EO_OK);
    assert_int_equal(f.n, 0);
}

static void test_repeated(void **state)
{
    (void)state;
    const char *two_photos = "--XyZ\r\n"
                             "Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n"
                             "AAAA\r\n"
                             "--XyZ\r\n"
                             "Content-Disposition: form-data; name=\"photo\"; filename=\"b.jpg\"\r\n\r\n"
                             "BBBB\r\n"
                             "--XyZ--\r\n";
    refused(CT, two_photos, EO_ERR_BAD_REQUEST, "multipart_field_repeated");
    eo_err err;
    eo_err_init(&err);
    static eo_multipart_form f;
    assert_int_equal(eo_multipart_parse(CT, (const unsigned char *)two_photos, strlen(two_photos), &f, &err),
                     EO_ERR_BAD_REQUEST);
    assert_string_equal(json_string_value(json_object_get(err.extra, "field")), "photo");
    eo_err_clear(&err);
    refused(CT,
            "--XyZ\r\nContent-Disposition: form-data; name=lat\r\n\r\n1\r\n"
            "--XyZ\r\nContent-Disposition: form-data; name=\"lat\"\r\n\r\n2\r\n--XyZ--\r\n",
            EO_ERR_BAD_REQUEST, "multipart_field_repeated");
}

static void test_malformed(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv",                      /* never closed */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ",             /* no -- */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--\r\nmore",   /* epilogue */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZX\r\n--XyZ--", /* XyZX */
        "--XyZ \r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--",          /* padding */
        "--XyZ\r\n\r\nv\r\n--XyZ--",                                                     /* no headers */
        "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--",                         /* no disposition */
        "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--", /* no name */
        "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\\\"b\"\r\n\r\nv\r\n--XyZ--", /* escapes */
        "--XyZ\r\nContent-Disposition: form-data; name=a; filename=x; filename=y\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\n"
        "v\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition : form-data; name=a\r\n\r\nv\r\n--XyZ--",      /* space before colon */
        "--XyZ\r\n Content-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--",      /* folded */
        "--XyZ\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nv\r\n--XyZ--", /* bare LF */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "dg==\r\n--XyZ--",
        NULL,
    };
    for (const char **b = bad; *b; b++) refused(CT, *b, EO_ERR_BAD_REQUEST, "multipart_invalid");
    refused("multipart/form-data", "--XyZ--\r\n", EO_ERR_BAD_REQUEST, "multipart_boundary_invalid");
    refused("application/json", "{}", EO_ERR_MEDIA_TYPE, "multipart_required");
    refused(NULL, "", EO_ERR_MEDIA_TYPE, "multipart_required");
}

static void test_limits(void **state)
{
    (void)state;
    /* Part count. */
    char *body = malloc(64 * 80 + 16);
    size_t n = 0;
    for (int i = 0; i <= EO_MULTIPART_MAX_PARTS; i++)
        n += (size_t)snprintf(body + n, 80, "--XyZ\r\nContent-Disposition: form-data; name=f%d\r\n\r\nv\r\n", i);
    snprintf(body + n, 16, "--XyZ--\r\n");
    refused(CT, body, EO_ERR_BAD_REQUEST, "multipart_invalid");
    free(body);
    /* One header line over the limit. */
    body = malloc(EO_MULTIPART_MAX_HEADER + 200);
    n = (size_t)snprintf(body, 100, "--XyZ\r\nContent-Disposition: form-data; name=a; x=\"");
    memset(body + n, 'x', EO_MULTIPART_MAX_HEADER);
    snprintf(body + n + EO_MULTIPART_MAX_HEADER, 100, "\"\r\n\r\nv\r\n--XyZ--\r\n");
    refused(CT, body, EO_ERR_BAD_REQUEST, "multipart_invalid");
    free(body);
    /* A name over 64 bytes. */
    refused(CT,
            "--XyZ\r\nContent-Disposition: form-data; "
            "name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\nv\r\n--XyZ--",
            EO_ERR_BAD_REQUEST, "multipart_invalid");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary),  cmocka_unit_test(test_parse_ok), cmocka_unit_test(test_repeated),
        cmocka_unit_test(test_malformed), cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
