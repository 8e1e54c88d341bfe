/* Upload content sniffing and policy (core/attachment.c): the bytes of an uploaded
 * document as every upload route hands them over (PDM and profile documents, absence
 * documents, LKH evidence, assessment reports): JPEG/PNG decoded through core/photo.c,
 * PDF header/trailer, DOCX as a ZIP whose central directory is walked. Byte 0 picks the
 * policy (images only, PDF only, PDF + DOCX, everything); the rest is the file. */
#include <stdio.h>

#include "core/attachment.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const unsigned masks[] = {EO_ATT_IMAGES, EO_ATT_BIT(EO_ATT_PDF),
                                     EO_ATT_BIT(EO_ATT_PDF) | EO_ATT_BIT(EO_ATT_DOCX),
                                     EO_ATT_IMAGES | EO_ATT_BIT(EO_ATT_PDF) | EO_ATT_BIT(EO_ATT_DOCX)};
    eo_attachment_policy p = {.kind = "fuzz",
                              .allowed = masks[data[0] % 4],
                              .min_bytes = data[0] >> 4,
                              .max_bytes = (data[0] & 8) ? 4096 : 0};
    size_t len = size - 1;
    /* An exact-size heap copy: ASan then reports any read past the end. */
    unsigned char *file = malloc(len ? len : 1);
    if (!file) abort();
    if (len) memcpy(file, data + 1, len);

    bool corrupt = false;
    eo_attachment_type t = eo_attachment_sniff(file, len, &corrupt);
    EO_FUZZ_ASSERT(t == EO_ATT_UNKNOWN || eo_attachment_content_type(t) != NULL);
    EO_FUZZ_ASSERT(t != EO_ATT_UNKNOWN || !corrupt);

    eo_attachment_meta meta;
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_attachment_check(&p, file, len, &meta, &err);
    if (st == EO_OK) {
        /* accepted: a sound file of an allowed type, its key the sha256 and the type's extension */
        EO_FUZZ_ASSERT(meta.type == t && !corrupt && (p.allowed & EO_ATT_BIT(t)));
        EO_FUZZ_ASSERT(meta.size == len && len >= p.min_bytes && (!p.max_bytes || len <= p.max_bytes));
        EO_FUZZ_ASSERT(strlen(meta.sha256) == 64 && strncmp(meta.key, meta.sha256, 64) == 0);
        EO_FUZZ_ASSERT(meta.key[64] == '.' && strcmp(meta.key + 65, meta.ext) == 0);
    } else {
        EO_FUZZ_ASSERT(err.code != NULL);
        EO_FUZZ_ASSERT(st == EO_ERR_INVALID || st == EO_ERR_TOO_LARGE || st == EO_ERR_MEDIA_TYPE);
    }
    eo_err_clear(&err);
    free(file);
    return 0;
}
