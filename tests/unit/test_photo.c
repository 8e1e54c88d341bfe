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

/* A copy of a tests/data file with extra room, for splicing. */
static unsigned char *load_spare(const char *name, size_t *len, size_t spare)
{
    unsigned char *d = load(name, len);
    unsigned char *out = realloc(d, *len + spare);
    assert_non_null(out);
    return out;
}

/* Inserts ins (n bytes) at offset at of d (len bytes, with room). */
static size_t splice(unsigned char *d, size_t len, size_t at, const void *ins, size_t n)
{
    memmove(d + at + n, d + at, len - at);
    memcpy(d + at, ins, n);
    return len + n;
}

/* Offset of the first marker m (FF m) at or after from; the SOS's data follows it. */
static size_t find_marker(const unsigned char *d, size_t len, unsigned char m)
{
    for (size_t i = 2; i + 1 < len; i++)
        if (d[i] == 0xFF && d[i + 1] == m) return i;
    fail_msg("marker %02x not found", m);
    return 0;
}

static void test_valid_still_accepted(void **state)
{
    (void)state;
    const char *names[] = {"selfie.jpg", "selfie2.jpg", "selfie_progressive.jpg", "selfie.png"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        size_t n;
        unsigned char *d = load_spare(names[k], &n, 16);
        eo_photo_info info;
        assert_int_equal(eo_photo_inspect(d, n, &info, NULL), EO_OK);
        assert_true(info.width > 0 && info.height > 0);
        /* Zero padding after EOI is what some encoders write: still accepted. */
        if (info.type == EO_PHOTO_JPEG) {
            memset(d + n, 0, 16);
            assert_int_equal(eo_photo_inspect(d, n + 16, &info, NULL), EO_OK);
        }
        free(d);
    }
}

static void test_appended_payload(void **state)
{
    (void)state;
    size_t n;
    /* Anything after EOI, even when the file ends in FF D9 again. */
    unsigned char *d = load_spare("selfie.jpg", &n, 64);
    static const unsigned char tail[] = "<?php system($_GET['c']); ?>\xff\xd9";
    memcpy(d + n, tail, sizeof(tail) - 1);
    expect(d, n + sizeof(tail) - 1, EO_ERR_INVALID, "photo_corrupt");
    free(d);
    /* After IEND. */
    d = load_spare("selfie.png", &n, 64);
    memcpy(d + n, tail, sizeof(tail) - 1);
    expect(d, n + sizeof(tail) - 1, EO_ERR_INVALID, "photo_corrupt");
    free(d);
}

static void test_payload_between_segments(void **state)
{
    (void)state;
    size_t n;
    static const unsigned char junk[] = "JUNKJUNKJUNKJUNK";
    /* Between two header segments (before the first SOS). */
    unsigned char *d = load_spare("selfie.jpg", &n, 64);
    size_t at = find_marker(d, n, 0xDB); /* the first DQT */
    size_t m = splice(d, n, at, junk, sizeof(junk) - 1);
    expect(d, m, EO_ERR_INVALID, "photo_corrupt");
    free(d);
    /* Between the scan data and EOI: libjpeg's "extraneous bytes before marker". */
    d = load_spare("selfie.jpg", &n, 64);
    m = splice(d, n, n - 2, junk, sizeof(junk) - 1);
    expect(d, m, EO_ERR_INVALID, "photo_corrupt");
    free(d);
    /* Between the scans of a progressive JPEG. */
    d = load_spare("selfie_progressive.jpg", &n, 64);
    size_t sos = find_marker(d, n, 0xDA);
    at = 0;
    for (size_t i = sos + 2; i + 1 < n; i++) /* the first marker after the first scan's data */
        if (d[i] == 0xFF && d[i + 1] != 0x00 && (d[i + 1] < 0xD0 || d[i + 1] > 0xD7)) {
            at = i;
            break;
        }
    assert_true(at > sos && at < n - 2);
    m = splice(d, n, at, junk, sizeof(junk) - 1);
    expect(d, m, EO_ERR_INVALID, "photo_corrupt");
    free(d);
}

static void test_polyglot(void **state)
{
    (void)state;
    size_t n, zn;
    unsigned char *zip = load("report.docx", &zn); /* a ZIP */
    /* JPEG + ZIP: the ZIP's end record is at the end of the file, where unzip looks. */
    unsigned char *d = load_spare("selfie.jpg", &n, zn + 8);
    memcpy(d + n, zip, zn);
    expect(d, n + zn, EO_ERR_INVALID, "photo_corrupt");
    free(d);
    /* The ZIP inside a COM segment, the JPEG otherwise sound. */
    d = load_spare("selfie.jpg", &n, zn + 8);
    unsigned char com[4] = {0xFF, 0xFE, (unsigned char)((zn + 2) >> 8), (unsigned char)((zn + 2) & 0xFF)};
    size_t m = splice(d, n, 2, zip, zn);
    m = splice(d, m, 2, com, sizeof(com));
    expect(d, m, EO_ERR_INVALID, "photo_corrupt");
    /* The same COM segment with harmless text is fine (unique_jpeg in the API tests). */
    memset(d + 6, 'x', zn);
    assert_int_equal(eo_photo_inspect(d, m, &(eo_photo_info){0}, NULL), EO_OK);
    free(d);
    /* PNG with the ZIP in an ancillary chunk before IEND. */
    d = load_spare("selfie.png", &n, zn + 16);
    unsigned char hdr[8] = {(unsigned char)(zn >> 24),
                            (unsigned char)(zn >> 16),
                            (unsigned char)(zn >> 8),
                            (unsigned char)zn,
                            'z',
                            'I',
                            'P',
                            'x'};
    unsigned char crc[4] = {0, 0, 0, 0};
    m = splice(d, n, n - 12, crc, 4);
    m = splice(d, m, n - 12, zip, zn);
    m = splice(d, m, n - 12, hdr, 8);
    expect(d, m, EO_ERR_INVALID, "photo_corrupt");
    free(d);
    free(zip);
}

static void test_truncated(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = load("selfie.jpg", &n);
    size_t sos = find_marker(d, n, 0xDA);
    /* Cut in the middle of the scan data, and an EOI put back at the end. */
    size_t cut = sos + (n - sos) / 2;
    d[cut] = 0xFF, d[cut + 1] = 0xD9;
    expect(d, cut + 2, EO_ERR_INVALID, "photo_corrupt");
    free(d);
    d = load("selfie_progressive.jpg", &n);
    expect(d, n - 200, EO_ERR_INVALID, "photo_corrupt");
    free(d);
    /* PNG: cut inside IDAT, IEND put back. */
    d = load("selfie.png", &n);
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    memcpy(d + n / 2, iend, sizeof(iend));
    expect(d, n / 2 + sizeof(iend), EO_ERR_INVALID, "photo_corrupt");
    free(d);
    /* A flipped byte in the pixel data: the IDAT CRC no longer holds. */
    d = load("selfie.png", &n);
    d[n / 2] ^= 0x55;
    expect(d, n, EO_ERR_INVALID, "photo_corrupt");
    free(d);
}

static void put_be32(unsigned char *p, unsigned long v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8),
    p[3] = (unsigned char)v;
}

static void test_bomb(void **state)
{
    (void)state;
    size_t n;
    /* selfie.png declaring 50,000 x 50,000: refused from the header, nothing inflated. */
    unsigned char *d = load("selfie.png", &n);
    put_be32(d + 16, 50000);
    put_be32(d + 20, 50000);
    expect(d, n, EO_ERR_INVALID, "photo_dimensions_too_large");
    put_be32(d + 16, 16384);
    put_be32(d + 20, 16384); /* each side allowed, the pixel count is not */
    expect(d, n, EO_ERR_INVALID, "photo_dimensions_too_large");
    free(d);
    /* A JPEG SOF declaring 65,000 x 65,000. */
    d = load("selfie.jpg", &n);
    size_t sof = find_marker(d, n, 0xC0);
    d[sof + 5] = 0xFD, d[sof + 6] = 0xE8, d[sof + 7] = 0xFD, d[sof + 8] = 0xE8;
    expect(d, n, EO_ERR_INVALID, "photo_dimensions_too_large");
    /* Within bounds but far more blocks than the data holds: the decoder runs out of data. */
    d[sof + 5] = 0x0F, d[sof + 6] = 0xA0, d[sof + 7] = 0x0F, d[sof + 8] = 0xA0; /* 4000 x 4000 */
    expect(d, n, EO_ERR_INVALID, "photo_corrupt");
    free(d);
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
        cmocka_unit_test(test_valid_still_accepted),
        cmocka_unit_test(test_appended_payload),
        cmocka_unit_test(test_payload_between_segments),
        cmocka_unit_test(test_polyglot),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bomb),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
