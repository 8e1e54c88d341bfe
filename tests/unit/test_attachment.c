/* Attachment sniffing and policy (core/attachment.c) against real small files
 * (tests/data) and damaged copies of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/attachment.h"
#include "core/storage.h"

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
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static eo_attachment_type sniff_file(const char *name, bool *corrupt)
{
    size_t n;
    unsigned char *d = load(name, &n);
    eo_attachment_type t = eo_attachment_sniff(d, n, corrupt);
    free(d);
    return t;
}

static void test_real_files(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        eo_attachment_type type;
        const char *ext;
    } cases[] = {
        {"selfie.jpg", EO_ATT_JPEG, "jpg"},
        {"selfie.png", EO_ATT_PNG, "png"},
        {"letter.pdf", EO_ATT_PDF, "pdf"},
        {"report.docx", EO_ATT_DOCX, "docx"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool corrupt = true;
        assert_int_equal(sniff_file(cases[i].file, &corrupt), cases[i].type);
        assert_false(corrupt);
        assert_string_equal(eo_attachment_ext(cases[i].type), cases[i].ext);
    }
}

static void test_not_recognised(void **state)
{
    (void)state;
    bool corrupt = true;
    /* A sound ZIP without [Content_Types].xml and word/: not a document we take. */
    assert_int_equal(sniff_file("not_docx.zip", &corrupt), EO_ATT_UNKNOWN);
    assert_false(corrupt);
    assert_int_equal(sniff_file("not_a_photo.jpg", &corrupt), EO_ATT_UNKNOWN);
    static const unsigned char text[] = "hello, this is plain text and nothing else";
    assert_int_equal(eo_attachment_sniff(text, sizeof(text) - 1, &corrupt), EO_ATT_UNKNOWN);
    assert_int_equal(eo_attachment_sniff(text, 2, &corrupt), EO_ATT_UNKNOWN);
    assert_int_equal(eo_attachment_sniff(NULL, 0, &corrupt), EO_ATT_UNKNOWN);
}

/* Every strict prefix of each real file is corrupt (or, when too short to show
 * its magic, unknown) and never read out of bounds (ASan watches). */
static void test_truncated(void **state)
{
    (void)state;
    static const char *const files[] = {"selfie.jpg", "selfie.png", "letter.pdf", "report.docx"};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        size_t n;
        unsigned char *d = load(files[f], &n);
        for (size_t cut = 0; cut < n; cut += (cut < 64 ? 1 : 7)) {
            unsigned char *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any overread */
            memcpy(copy, d, cut);
            bool corrupt = false;
            eo_attachment_type t = eo_attachment_sniff(copy, cut, &corrupt);
            assert_true(t == EO_ATT_UNKNOWN || corrupt);
            free(copy);
        }
        free(d);
    }
}

static void test_pdf_header_with_garbage(void **state)
{
    (void)state;
    unsigned char buf[600];
    memset(buf, 'x', sizeof(buf));
    memcpy(buf, "%PDF-1.7\n", 9);
    bool corrupt = false;
    assert_int_equal(eo_attachment_sniff(buf, sizeof(buf), &corrupt), EO_ATT_PDF);
    assert_true(corrupt);
    memcpy(buf, "%PDF-9.x\n", 9); /* no such version */
    memcpy(buf + sizeof(buf) - 6, "%%EOF\n", 6);
    assert_int_equal(eo_attachment_sniff(buf, sizeof(buf), &corrupt), EO_ATT_PDF);
    assert_true(corrupt);
    memcpy(buf, "%PDF-1.7\n", 9);
    assert_int_equal(eo_attachment_sniff(buf, sizeof(buf), &corrupt), EO_ATT_PDF);
    assert_false(corrupt);
}

/* A ZIP whose central directory points outside the file, and one whose end
 * record claims entries it does not have. */
static void test_zip_lies(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = load("report.docx", &n);
    unsigned char *eocd = d + n - 22;
    assert_memory_equal(eocd, "PK\x05\x06", 4);
    bool corrupt = false;
    unsigned char save[4];
    memcpy(save, eocd + 16, 4);
    memset(eocd + 16, 0xFF, 4); /* central directory offset far beyond the end */
    eo_attachment_sniff(d, n, &corrupt);
    assert_true(corrupt);
    memcpy(eocd + 16, save, 4);
    eocd[10] = 200; /* 200 entries claimed, 3 present */
    eo_attachment_sniff(d, n, &corrupt);
    assert_true(corrupt);
    free(d);
}

static void test_policy(void **state)
{
    (void)state;
    size_t n;
    unsigned char *pdf = load("letter.pdf", &n);
    eo_attachment_meta m;
    eo_err err;
    eo_err_init(&err);
    /* The selfie policy refuses a PDF with the photo codes clients know. */
    assert_int_equal(eo_attachment_check(&eo_attachment_presensi_photo, pdf, n, &m, &err), EO_ERR_MEDIA_TYPE);
    assert_string_equal(err.code, "photo_unsupported_type");
    eo_err_clear(&err);
    assert_int_equal(eo_attachment_check(&eo_attachment_presensi_photo, pdf, 100, &m, &err), EO_ERR_INVALID);
    assert_string_equal(err.code, "photo_too_small");
    eo_err_clear(&err);
    /* A documents policy takes it, names it by content and bounds its size. */
    eo_attachment_policy docs = {.kind = "pdm.document", .allowed = EO_ATT_DOCUMENTS, .max_bytes = 400};
    assert_int_equal(eo_attachment_check(&docs, pdf, n, &m, &err), EO_ERR_TOO_LARGE);
    assert_string_equal(err.code, "attachment_too_large");
    eo_err_clear(&err);
    docs.max_bytes = 1 << 20;
    assert_int_equal(eo_attachment_check(&docs, pdf, n, &m, &err), EO_OK);
    assert_string_equal(m.content_type, "application/pdf");
    assert_int_equal(strlen(m.sha256), 64);
    assert_int_equal(strlen(m.key), 68);
    assert_true(eo_storage_key_valid(m.key));
    assert_string_equal(m.key + 64, ".pdf");
    free(pdf);
    unsigned char *docx = load("report.docx", &n);
    assert_int_equal(eo_attachment_check(&docs, docx, n, &m, &err), EO_OK);
    assert_true(eo_storage_key_valid(m.key));
    assert_string_equal(m.key + 64, ".docx");
    const unsigned char *e = docx + n - 22;
    size_t cd = (size_t)e[16] | (size_t)e[17] << 8 | (size_t)e[18] << 16 | (size_t)e[19] << 24;
    docx[cd] ^= 0xFF; /* damage the central directory's first signature */
    assert_int_equal(eo_attachment_check(&docs, docx, n, &m, &err), EO_ERR_INVALID);
    assert_string_equal(err.code, "attachment_corrupt");
    eo_err_clear(&err);
    free(docx);
    unsigned char *jpg = load("selfie.jpg", &n);
    assert_int_equal(eo_attachment_check(&docs, jpg, n, &m, &err), EO_ERR_MEDIA_TYPE);
    assert_string_equal(err.code, "attachment_unsupported_type");
    eo_err_clear(&err);
    assert_int_equal(eo_attachment_check(&eo_attachment_presensi_photo, jpg, n, &m, &err), EO_OK);
    assert_string_equal(m.content_type, "image/jpeg");
    free(jpg);
    /* Every image policy refuses a decompression bomb with its own code. */
    unsigned char *png = load("selfie.png", &n);
    png[16] = 0x00, png[17] = 0x00, png[18] = 0xC3, png[19] = 0x50; /* IHDR width 50,000 */
    png[20] = 0x00, png[21] = 0x00, png[22] = 0xC3, png[23] = 0x50; /* height 50,000 */
    assert_int_equal(eo_attachment_check(&eo_attachment_presensi_photo, png, n, &m, &err), EO_ERR_INVALID);
    assert_string_equal(err.code, "photo_dimensions_too_large");
    eo_err_clear(&err);
    eo_attachment_policy images = {.kind = "lkh.evidence", .allowed = EO_ATT_IMAGES};
    assert_int_equal(eo_attachment_check(&images, png, n, &m, &err), EO_ERR_INVALID);
    assert_string_equal(err.code, "attachment_dimensions_too_large");
    eo_err_clear(&err);
    free(png);
    assert_false(eo_storage_key_valid("../etc/passwd"));
    assert_false(eo_storage_key_valid("0000000000000000000000000000000000000000000000000000000000000000.exe"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_files), cmocka_unit_test(test_not_recognised),
        cmocka_unit_test(test_truncated),  cmocka_unit_test(test_pdf_header_with_garbage),
        cmocka_unit_test(test_zip_lies),   cmocka_unit_test(test_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
