#include "core/qr.h"

#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

eo_status eo_qr_matrix(const char *text, int *width, unsigned char **modules, eo_err *err)
{
    *modules = NULL;
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "QRcode_encodeString failed");
    size_t n = (size_t)qr->width * (size_t)qr->width;
    unsigned char *m = malloc(n);
    if (!m) {
        QRcode_free(qr);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    for (size_t i = 0; i < n; i++) m[i] = qr->data[i] & 1;
    *width = qr->width;
    *modules = m;
    QRcode_free(qr);
    return EO_OK;
}

typedef struct {
    unsigned char *data;
    size_t len, cap;
    int failed;
} membuf;

static void png_write_mem(png_structp png, png_bytep data, png_size_t len)
{
    membuf *b = png_get_io_ptr(png);
    if (b->failed) return;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + len) cap *= 2;
        unsigned char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

static void png_flush_mem(png_structp png) { (void)png; }

eo_status eo_qr_png(const char *text, int scale, unsigned char **png_out, size_t *len, eo_err *err)
{
    int w = 0;
    unsigned char *m = NULL;
    *png_out = NULL;
    *len = 0;
    if (scale < 1 || scale > 16) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    eo_status st = eo_qr_matrix(text, &w, &m, err);
    if (st) return st;

    int side = (w + 2 * EO_QR_QUIET) * scale;
    size_t row_bytes = ((size_t)side + 7) / 8;
    unsigned char *row = calloc(1, row_bytes);
    membuf buf = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!row || !png || !info) {
        st = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    if (setjmp(png_jmpbuf(png))) {
        st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "libpng error");
        goto done;
    }
    png_set_write_fn(png, &buf, png_write_mem, png_flush_mem);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int py = 0; py < side; py++) {
        int my = py / scale - EO_QR_QUIET;
        memset(row, 0xFF, row_bytes); /* white */
        for (int px = 0; px < side; px++) {
            int mx = px / scale - EO_QR_QUIET;
            if (mx >= 0 && mx < w && my >= 0 && my < w && m[my * w + mx])
                row[px / 8] &= (unsigned char)~(0x80u >> (px % 8)); /* black */
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    if (buf.failed) {
        st = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    *png_out = buf.data;
    *len = buf.len;
    buf.data = NULL;
done:
    if (png) png_destroy_write_struct(&png, info ? &info : NULL);
    free(buf.data);
    free(row);
    free(m);
    return st;
}

eo_status eo_qr_svg(const char *text, char **svg, eo_err *err)
{
    int w = 0;
    unsigned char *m = NULL;
    *svg = NULL;
    eo_status st = eo_qr_matrix(text, &w, &m, err);
    if (st) return st;
    int side = w + 2 * EO_QR_QUIET;
    /* One "Mxyh1v1h-1z" path segment per dark module (< 24 bytes each). */
    size_t cap = 512 + (size_t)w * (size_t)w * 24;
    char *out = malloc(cap);
    if (!out) {
        free(m);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    size_t pos = (size_t)snprintf(out, cap,
                                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                                  "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
                                  "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                                  side, side, side * 8, side * 8);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (m[y * w + x])
                pos += (size_t)snprintf(out + pos, cap - pos, "M%d %dh1v1h-1z", x + EO_QR_QUIET, y + EO_QR_QUIET);
    snprintf(out + pos, cap - pos, "\"/></svg>\n");
    free(m);
    *svg = out;
    return EO_OK;
}
