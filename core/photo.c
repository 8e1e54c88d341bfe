#include "core/photo.h"

/* jpeglib.h needs FILE and size_t declared before it. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>

#include <jpeglib.h>

#include <jerror.h> /* after jpeglib.h: its message codes */

#include <openssl/evp.h>
#include <png.h>
#include <sodium.h>
#include <string.h>

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static eo_status corrupt(eo_err *err) { return eo_fail(err, EO_ERR_INVALID, "photo_corrupt"); }

/* Header dimensions, judged before a single pixel is decoded: a few KB can
 * declare 50,000 x 50,000 pixels (a decompression bomb). */
static eo_status dimensions_ok(const eo_photo_info *info, eo_err *err)
{
    if (!info->width || !info->height) return corrupt(err);
    if (info->width > EO_PHOTO_MAX_SIDE || info->height > EO_PHOTO_MAX_SIDE ||
        (unsigned long long)info->width * info->height > EO_PHOTO_MAX_PIXELS)
        return eo_fail(err, EO_ERR_INVALID, "photo_dimensions_too_large");
    return EO_OK;
}

/* Metadata (JPEG APPn/COM segments, PNG ancillary chunks) is where a polyglot
 * hides a second file: a ZIP or PDF that another reader finds in the same bytes.
 * Pixel data is not searched: a signature there would be chance, not a file. */
static bool hides_a_file(const unsigned char *d, size_t n)
{
    static const char *const sig[] = {"PK\x03\x04", "PK\x01\x02", "PK\x05\x06", "%PDF-"};
    for (size_t k = 0; k < sizeof(sig) / sizeof(sig[0]); k++)
        if (memmem(d, n, sig[k], strlen(sig[k]))) return true;
    return false;
}

static int is_sof(unsigned char m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

/* Walks the marker segments up to the first SOS: they must follow each other
 * with nothing in between, a SOF must give the size, metadata must not carry
 * another file. What follows (entropy-coded data, further scans, EOI) is for
 * the decoder to judge. */
static eo_status walk_jpeg(const unsigned char *d, size_t n, eo_photo_info *info, eo_err *err)
{
    size_t i = 2;
    int seen_sof = 0;
    for (;;) {
        if (i + 4 > n) return corrupt(err);
        if (d[i] != 0xFF) return corrupt(err);
        unsigned char m = d[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0xD9 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) return corrupt(err);
        unsigned seglen = be16(d + i + 2);
        if (seglen < 2 || i + 2 + seglen > n) return corrupt(err);
        if (is_sof(m)) {
            if (seglen < 8 || seen_sof) return corrupt(err);
            info->height = be16(d + i + 5);
            info->width = be16(d + i + 7);
            seen_sof = 1;
        }
        if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE) {
            if (hides_a_file(d + i + 4, seglen - 2)) return corrupt(err);
        }
        i += 2 + seglen;
        if (m == 0xDA) break;
    }
    if (!seen_sof) return corrupt(err);
    return dimensions_ok(info, err);
}

/* ------------------------------------------------------------ JPEG decoding */

typedef struct {
    struct jpeg_error_mgr pub;
    struct jpeg_progress_mgr progress;
    jmp_buf jb;
    bool too_large; /* the decoder ran out of its memory budget */
} jpeg_guard;

static void jpeg_fail(j_common_ptr ci)
{
    jpeg_guard *g = (jpeg_guard *)ci->err;
    if (ci->err->msg_code == JERR_OUT_OF_MEMORY || ci->err->msg_code == JERR_NO_BACKING_STORE) g->too_large = true;
    longjmp(g->jb, 1);
}

/* Level -1 is a warning: libjpeg's word for corrupt data it would paper over
 * (bytes between markers, a premature end, a bad Huffman code, data after the
 * image). Every one of them refuses the file. Trace messages are ignored. */
static void jpeg_message(j_common_ptr ci, int level)
{
    if (level < 0) longjmp(((jpeg_guard *)ci->err)->jb, 1);
}

/* Each progressive scan walks every block again: a small file with thousands
 * of scans costs minutes. Real encoders write about ten. */
static void jpeg_progress(j_common_ptr ci)
{
    if (ci->is_decompressor && ((j_decompress_ptr)ci)->input_scan_number > EO_PHOTO_MAX_SCANS)
        longjmp(((jpeg_guard *)ci->err)->jb, 1);
}

/* Decodes every scan (at 1/8 scale: the entropy-coded data is still read in
 * full, only the inverse DCT is cheaper) and requires EOI at the end, with at
 * most zero padding after it. */
static eo_status decode_jpeg(const unsigned char *d, size_t n, eo_err *err)
{
    struct jpeg_decompress_struct ci;
    jpeg_guard g;
    memset(&g, 0, sizeof(g));
    ci.err = jpeg_std_error(&g.pub);
    g.pub.error_exit = jpeg_fail;
    g.pub.emit_message = jpeg_message;
    jpeg_create_decompress(&ci);
    if (setjmp(g.jb)) {
        jpeg_destroy_decompress(&ci);
        return g.too_large ? eo_fail(err, EO_ERR_INVALID, "photo_dimensions_too_large") : corrupt(err);
    }
    ci.mem->max_memory_to_use = EO_PHOTO_DECODE_MEMORY;
    g.progress.progress_monitor = jpeg_progress;
    ci.progress = &g.progress;
    jpeg_mem_src(&ci, d, (unsigned long)n);
    if (jpeg_read_header(&ci, TRUE) != JPEG_HEADER_OK) jpeg_fail((j_common_ptr)&ci);
    ci.scale_num = 1;
    ci.scale_denom = 8;
    ci.dct_method = JDCT_IFAST;
    ci.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&ci);
    JSAMPARRAY row =
        (*ci.mem->alloc_sarray)((j_common_ptr)&ci, JPOOL_IMAGE, ci.output_width * (JDIMENSION)ci.output_components, 1);
    while (ci.output_scanline < ci.output_height) jpeg_read_scanlines(&ci, row, 1);
    jpeg_finish_decompress(&ci);
    /* Past EOI: nothing but zero padding (an appended file starts here). */
    const unsigned char *tail = ci.src->next_input_byte;
    size_t rest = ci.src->bytes_in_buffer;
    jpeg_destroy_decompress(&ci);
    for (size_t k = 0; k < rest; k++)
        if (tail[k] != 0x00) return corrupt(err);
    return EO_OK;
}

/* ------------------------------------------------------------- PNG */

/* Walks the chunks: IHDR first, every chunk in bounds, IDAT, IEND as the very
 * last bytes, no file hidden in an ancillary chunk. */
static eo_status walk_png(const unsigned char *d, size_t n, eo_photo_info *info, eo_err *err)
{
    size_t i = 8;
    int first = 1, seen_idat = 0;
    while (i + 12 <= n) {
        unsigned long len = be32(d + i);
        const unsigned char *type = d + i + 4;
        if (len > 0x7FFFFFFFul || len > n - i - 12) return corrupt(err);
        if (first) {
            if (memcmp(type, "IHDR", 4) != 0 || len != 13) return corrupt(err);
            unsigned long w = be32(d + i + 8), h = be32(d + i + 12);
            if (w > 0x7FFFFFFFul || h > 0x7FFFFFFFul) return corrupt(err);
            info->width = (unsigned)w;
            info->height = (unsigned)h;
            first = 0;
        }
        if (memcmp(type, "IDAT", 4) == 0) seen_idat = 1;
        if ((type[0] & 0x20) && hides_a_file(d + i + 8, len)) return corrupt(err); /* ancillary chunk */
        if (memcmp(type, "IEND", 4) == 0) {
            if (!seen_idat || i + 12 + len != n) return corrupt(err);
            return dimensions_ok(info, err);
        }
        i += 12 + len;
    }
    return corrupt(err);
}

typedef struct {
    const unsigned char *d;
    size_t n, off;
} png_source;

static void png_read_mem(png_structp p, png_bytep out, size_t len)
{
    png_source *s = png_get_io_ptr(p);
    if (len > s->n - s->off) png_error(p, "truncated");
    memcpy(out, s->d + s->off, len);
    s->off += len;
}

static void png_fail(png_structp p, png_const_charp msg)
{
    (void)msg;
    png_longjmp(p, 1);
}

/* Plain warnings (e.g. a known-bad sRGB profile) do not make a file corrupt;
 * benign errors and CRC mismatches are made errors below. */
static void png_quiet(png_structp p, png_const_charp msg)
{
    (void)p;
    (void)msg;
}

/* Inflates and unfilters every row (one row buffer, every interlace pass),
 * checks every CRC, and reads to IEND. */
static eo_status decode_png(const unsigned char *d, size_t n, eo_err *err)
{
    png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_quiet);
    if (!p) return eo_fail(err, EO_ERR_INTERNAL, "internal_error");
    png_infop info = png_create_info_struct(p);
    png_source src = {d, n, 0};
    png_bytep volatile row = NULL;
    if (!info || setjmp(png_jmpbuf(p))) {
        if (row) png_free(p, row);
        png_destroy_read_struct(&p, info ? &info : NULL, NULL);
        return corrupt(err);
    }
    png_set_read_fn(p, &src, png_read_mem);
    png_set_user_limits(p, EO_PHOTO_MAX_SIDE, EO_PHOTO_MAX_SIDE);
    png_set_chunk_cache_max(p, 64);           /* ancillary chunks kept */
    png_set_chunk_malloc_max(p, 1024 * 1024); /* an iCCP or zTXt may not inflate beyond this */
    png_set_crc_action(p, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_benign_errors(p, 0);
    png_read_info(p, info);
    int passes = png_set_interlace_handling(p);
    png_read_update_info(p, info);
    png_uint_32 height = png_get_image_height(p, info);
    row = png_malloc(p, png_get_rowbytes(p, info));
    for (int pass = 0; pass < passes; pass++)
        for (png_uint_32 y = 0; y < height; y++) png_read_row(p, row, NULL);
    png_read_end(p, NULL);
    png_free(p, row);
    row = NULL;
    bool all_read = src.off == n;
    png_destroy_read_struct(&p, &info, NULL);
    return all_read ? EO_OK : corrupt(err);
}

eo_status eo_photo_inspect(const unsigned char *data, size_t len, eo_photo_info *info, eo_err *err)
{
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memset(info, 0, sizeof(*info));
    if (!data || len < EO_PHOTO_MIN_BYTES) return eo_fail(err, EO_ERR_INVALID, "photo_too_small");
    eo_status st;
    if (data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        info->type = EO_PHOTO_JPEG;
        info->content_type = "image/jpeg";
        info->ext = "jpg";
        st = walk_jpeg(data, len, info, err);
        return st == EO_OK ? decode_jpeg(data, len, err) : st;
    }
    if (memcmp(data, png_sig, sizeof(png_sig)) == 0) {
        info->type = EO_PHOTO_PNG;
        info->content_type = "image/png";
        info->ext = "png";
        st = walk_png(data, len, info, err);
        return st == EO_OK ? decode_png(data, len, err) : st;
    }
    return eo_fail(err, EO_ERR_MEDIA_TYPE, "photo_unsupported_type");
}

/* OpenSSL's SHA-256 uses the CPU's SHA extensions where present: several
 * times faster than libsodium's portable one on a 100 KB selfie. */
void eo_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[32];
    unsigned int n = 0;
    if (EVP_Digest(data, len, h, &n, EVP_sha256(), NULL) != 1 || n != sizeof(h)) {
        crypto_hash_sha256(h, data, len);
    }
    sodium_bin2hex(out, 65, h, sizeof(h));
}
