/* Attachments: uploaded objects (selfies, PDM documents, LKH evidence,
 * assessment reports) judged by their content, never by the client's file name
 * or Content-Type. Pure functions: sniffing, the per-kind policy, and the
 * content-addressed storage key "<sha256 hex>.<ext>". Storing and referencing
 * live in svc/attachments.h. */
#ifndef EO_ATTACHMENT_H
#define EO_ATTACHMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

typedef enum {
    EO_ATT_UNKNOWN = 0,
    EO_ATT_JPEG = 1,
    EO_ATT_PNG = 2,
    EO_ATT_PDF = 3,
    EO_ATT_DOCX = 4,
} eo_attachment_type;

#define EO_ATT_BIT(t)    (1u << (unsigned)(t))
#define EO_ATT_IMAGES    (EO_ATT_BIT(EO_ATT_JPEG) | EO_ATT_BIT(EO_ATT_PNG))
#define EO_ATT_DOCUMENTS (EO_ATT_BIT(EO_ATT_PDF) | EO_ATT_BIT(EO_ATT_DOCX))

/* What one kind of attachment accepts. Error codes default to the generic
 * attachment_* codes; a kind with an older wire contract (presensi photos)
 * names its own. */
typedef struct {
    const char *kind; /* stored with the row, e.g. "presensi.photo" */
    unsigned allowed; /* EO_ATT_BIT set */
    size_t min_bytes, max_bytes;
    const char *code_too_small, *code_too_large, *code_unsupported, *code_corrupt;
    const char *code_dimensions; /* an image over core/photo.h's size bounds */
} eo_attachment_policy;

/* Selfies: JPEG or PNG, with the codes clients already switch on. */
extern const eo_attachment_policy eo_attachment_presensi_photo;

typedef struct {
    eo_attachment_type type;
    const char *content_type; /* static string */
    const char *ext;          /* static string, no dot */
    size_t size;
    char sha256[65];
    char key[72]; /* "<sha256>.<ext>": the only storage key form (eo_storage_key_valid) */
} eo_attachment_meta;

/* What the bytes are: a recognised type whose structure is sound (JPEG/PNG as
 * core/photo.h inspects them; PDF: header "%PDF-d.d" and "%%EOF" in the last
 * 1024 bytes; DOCX: a ZIP whose end record and central directory are in bounds
 * and whose entries include "[Content_Types].xml" and "word/..."). Returns
 * EO_ATT_UNKNOWN for anything else; *corrupt when the magic matched a type but
 * its structure did not hold (truncated, garbage after a header, an image
 * that does not decode or declares more pixels than core/photo.h allows). */
eo_attachment_type eo_attachment_sniff(const unsigned char *data, size_t len, bool *corrupt);

/* Applies a policy: size bounds, sniffing, allowed types; fills meta including
 * the sha256 and key. 422 too small/corrupt/image dimensions too large, 413 too
 * large, 415 unsupported. */
eo_status eo_attachment_check(const eo_attachment_policy *p, const unsigned char *data, size_t len,
                              eo_attachment_meta *meta, eo_err *err);

const char *eo_attachment_content_type(eo_attachment_type t);
const char *eo_attachment_ext(eo_attachment_type t);

#endif
