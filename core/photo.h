/* Attendance selfies: accept only real JPEG or PNG, judged by content. */
#ifndef EO_PHOTO_H
#define EO_PHOTO_H

#include <stddef.h>

#include "core/status.h"

/* Smaller than this cannot be a usable selfie (a 1x1 PNG is ~70 bytes). */
#define EO_PHOTO_MIN_BYTES 256

/* Decoding bounds (decompression bombs): the header's size is judged before any
 * pixel is decoded. 40 megapixels (8000 x 5000) is more than any phone's
 * front camera writes (32 MP); either side at most 16384.
 * A progressive JPEG keeps all its coefficients in memory (2 bytes per sample):
 * the decoder may use at most EO_PHOTO_DECODE_MEMORY and EO_PHOTO_MAX_SCANS scans. */
#define EO_PHOTO_MAX_PIXELS    40000000ull
#define EO_PHOTO_MAX_SIDE      16384u
#define EO_PHOTO_DECODE_MEMORY (160l * 1024 * 1024)
#define EO_PHOTO_MAX_SCANS     64

typedef enum { EO_PHOTO_JPEG = 1, EO_PHOTO_PNG = 2 } eo_photo_type;

typedef struct {
    eo_photo_type type;
    const char *content_type; /* "image/jpeg" | "image/png" */
    const char *ext;          /* "jpg" | "png" */
    unsigned width, height;
} eo_photo_info;

/* Judges the whole file, not its ends. Magic bytes pick the type; then the
 * structure is walked (JPEG: segments back to back up to the first SOS, one
 * SOF; PNG: IHDR first, chunks in bounds, IEND as the last bytes), metadata
 * (JPEG APPn/COM, PNG ancillary chunks) must not carry a ZIP or PDF signature
 * (polyglots), the size must be within the bounds above, and then the image is
 * decoded in full by libjpeg-turbo / libpng: every scan, every row, every CRC,
 * any decoder warning refuses it, and nothing may follow EOI (but zero padding)
 * or IEND. Errors: 422 photo_too_small, 415 photo_unsupported_type,
 * 422 photo_corrupt, 422 photo_dimensions_too_large. */
eo_status eo_photo_inspect(const unsigned char *data, size_t len, eo_photo_info *info, eo_err *err);

/* Lower-case hex SHA-256 of data into out[65]. */
void eo_sha256_hex(const void *data, size_t len, char out[65]);

#endif
