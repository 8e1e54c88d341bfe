/* Attendance selfies: accept only real JPEG or PNG, judged by content. */
#ifndef EO_PHOTO_H
#define EO_PHOTO_H

#include <stddef.h>

#include "core/status.h"

/* Smaller than this cannot be a usable selfie (a 1x1 PNG is ~70 bytes). */
#define EO_PHOTO_MIN_BYTES 256

typedef enum { EO_PHOTO_JPEG = 1, EO_PHOTO_PNG = 2 } eo_photo_type;

typedef struct {
    eo_photo_type type;
    const char *content_type; /* "image/jpeg" | "image/png" */
    const char *ext;          /* "jpg" | "png" */
    unsigned width, height;
} eo_photo_info;

/* Checks magic bytes and structure (JPEG: SOI, well-formed segments, a SOF with
 * non-zero size, SOS, EOI; PNG: signature, IHDR first with non-zero size, chunks
 * in bounds, IDAT, IEND). Errors: 422 photo_too_small, 415 photo_unsupported_type,
 * 422 photo_corrupt. */
eo_status eo_photo_inspect(const unsigned char *data, size_t len, eo_photo_info *info, eo_err *err);

/* Lower-case hex SHA-256 of data into out[65]. */
void eo_sha256_hex(const void *data, size_t len, char out[65]);

#endif
