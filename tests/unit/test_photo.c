/* Photo content checks (core/photo.c) against real files and crafted bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/photo.h"

/* tests/data next to this source file. */
static unsigned char *load(const char *name, size_t *len)
{
    char path[1024];
    const char *src = __FILE__;
    const char *slash = strrchr(src, '/');
    int dirlen = slash ? (int)(slash - src) : 1;
    snprintf(path, sizeof(path), "%.*s/../data/%s", dirlen, slash ? src : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void expect(const unsigned char *d, size_t n, eo_status st, const char *code)
{
    eo_err err;
    eo_err_init(&err);
    eo_photo_info info;
    assert_int_equal(eo_photo_inspect(d, n, &info, &err), st);
    if (code) assert_string_equal(err.code, code);
    eo_err_clear(&err);
}

static void test_real_files(void **state)
{
    (void)state;
    size_t n;
    eo_photo_info info;
    unsigned char *jpg = load("selfie.jpg", &n);
    assert_int_equal(eo_photo_inspect(jpg, n, &info, NULL), EO_OK);
    assert_int_equal(info.type, EO_PHOTO_JPEG);
    assert_string_equal(info.content_type, "image/jpeg");
    assert_int_equal(info.width, 64);
    assert_int_equal(info.height, 64);

    expect(jpg, n - 2, EO_ERR_INVALID, "photo_corrupt"); /* truncated: no EOI */
    expect(jpg, 300, EO_ERR_INVALID, "photo_corrupt");   /* cut in the headers */
    expect(jpg, 100, EO_ERR_INVALID, "photo_too_small");
    jpg[2] = 0x00; /* not FF D8 FF */
    expect(jpg, n, EO_ERR_MEDIA_TYPE, "photo_unsupported_type");
    free(jpg);

    unsigned char *png = load("selfie.png", &n);
    assert_int_equal(eo_photo_inspect(png, n, &info, NULL), EO_OK);
    assert_int_equal(info.type, EO_PHOTO_PNG);
    assert_string_equal(info.ext, "png");
    assert_int_equal(info.width, 32);
    expect(png, n - 12, EO_ERR_INVALID, "photo_corrupt"); /* IEND missing */
    memcpy(png + 12, "IHDX", 4);
    expect(png, n, EO_ERR_INVALID, "photo_corrupt");
    free(png);

    unsigned char *txt = load("not_a_photo.jpg", &n);
    expect(txt, n, EO_ERR_MEDIA_TYPE, "photo_unsupported_type");
    free(txt);
}

static void test_crafted(void **state)
{
    (void)state;
    unsigned char buf[512];
    /* JPEG magic followed by garbage: magic bytes alone are not enough. */
    memset(buf, 'A', sizeof(buf));
    buf[0] = 0xFF, buf[1] = 0xD8, buf[2] = 0xFF, buf[3] = 0xE0;
    expect(buf, sizeof(buf), EO_ERR_INVALID, "photo_corrupt");
    /* Segment length pointing past the end. */
    buf[4] = 0xFF, buf[5] = 0xFF;
    expect(buf, sizeof(buf), EO_ERR_INVALID, "photo_corrupt");
    /* SOI, SOS without SOF, EOI. */
    memset(buf, 0, sizeof(buf));
    unsigned char nosof[] = {0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02};
    memcpy(buf, nosof, sizeof(nosof));
    buf[300] = 0xFF, buf[301] = 0xD9;
    expect(buf, 302, EO_ERR_INVALID, "photo_corrupt");
    /* PNG signature only. */
    unsigned char png[300] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    expect(png, sizeof(png), EO_ERR_INVALID, "photo_corrupt");
    expect(NULL, 0, EO_ERR_INVALID, "photo_too_small");
    /* GIF, PDF, ELF are refused. */
    memset(buf, 0, sizeof(buf));
    memcpy(buf, "GIF89a", 6);
    expect(buf, sizeof(buf), EO_ERR_MEDIA_TYPE, "photo_unsupported_type");
    memcpy(buf, "%PDF-1.7", 8);
    expect(buf, sizeof(buf), EO_ERR_MEDIA_TYPE, "photo_unsupported_type");
}

static void test_sha256(void **state)
{
    (void)state;
    char hex[65];
    eo_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_files),
        cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
