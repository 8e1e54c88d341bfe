/* Selfie checks (core/photo.c): the bytes of an uploaded JPEG or PNG. */
#include <stdio.h>

#include "core/photo.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size heap copy: ASan then reports any read past the end. */
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) abort();
    if (size) memcpy(buf, data, size);
    eo_err err;
    eo_err_init(&err);
    eo_photo_info info;
    eo_status st = eo_photo_inspect(buf, size, &info, &err);
    if (st == EO_OK) {
        EO_FUZZ_ASSERT(size >= EO_PHOTO_MIN_BYTES);
        EO_FUZZ_ASSERT(info.type == EO_PHOTO_JPEG || info.type == EO_PHOTO_PNG);
        EO_FUZZ_ASSERT(info.width > 0 && info.height > 0);
        EO_FUZZ_ASSERT(info.content_type && info.ext);
    } else {
        EO_FUZZ_ASSERT(err.code != NULL);
    }
    eo_err_clear(&err);
    free(buf);
    return 0;
}
