#include "core/attachment.h"

#include <stdio.h>
#include <string.h>

#include "core/photo.h"

const eo_attachment_policy eo_attachment_presensi_photo = {
    .kind = "presensi.photo",
    .allowed = EO_ATT_IMAGES,
    .min_bytes = EO_PHOTO_MIN_BYTES,
    .max_bytes = 0, /* the request size limit (EOFFICE_MAX_UPLOAD_BYTES) bounds it already */
    .code_too_small = "photo_too_small",
    .code_too_large = "payload_too_large",
    .code_unsupported = "photo_unsupported_type",
    .code_corrupt = "photo_corrupt",
    .code_dimensions = "photo_dimensions_too_large",
};

const char *eo_attachment_content_type(eo_attachment_type t)
{
    switch (t) {
    case EO_ATT_JPEG: return "image/jpeg";
    case EO_ATT_PNG: return "image/png";
    case EO_ATT_PDF: return "application/pdf";
    case EO_ATT_DOCX: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    default: return "application/octet-stream";
    }
}

const char *eo_attachment_ext(eo_attachment_type t)
{
    switch (t) {
    case EO_ATT_JPEG: return "jpg";
    case EO_ATT_PNG: return "png";
    case EO_ATT_PDF: return "pdf";
    case EO_ATT_DOCX: return "docx";
    default: return "";
    }
}

static unsigned u16le(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static unsigned long u32le(const unsigned char *p)
{
    return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

static bool pdf_sound(const unsigned char *d, size_t n)
{
    /* "%PDF-1.7" or "%PDF-2.0": then the trailer's "%%EOF" near the end (a PDF
     * may carry a little whitespace or junk after it; readers look at most 1 KiB back). */
    if (n < 16 || d[6] != '.' || d[5] < '1' || d[5] > '2' || d[7] < '0' || d[7] > '9') return false;
    size_t from = n > 1024 ? n - 1024 : 0;
    for (size_t i = n - 5; i + 1 > from; i--) {
        if (memcmp(d + i, "%%EOF", 5) == 0) return true;
        if (i == 0) break;
    }
    return false;
}

/* DOCX: the ZIP's end-of-central-directory record (last 22 + 65535 bytes), its
 * central directory in bounds, every entry's local header in bounds, and the
 * two entries every WordprocessingML package has. At most 4096 entries read. */
static bool zip_entries(const unsigned char *d, size_t n, bool *is_docx)
{
    *is_docx = false;
    if (n < 22) return false;
    size_t stop = n - 22 > 65535 ? n - 22 - 65535 : 0;
    size_t eocd = (size_t)-1;
    for (size_t i = n - 22;; i--) {
        if (memcmp(d + i, "PK\x05\x06", 4) == 0 && i + 22 + u16le(d + i + 20) == n) {
            eocd = i;
            break;
        }
        if (i == stop) break;
    }
    if (eocd == (size_t)-1) return false;
    unsigned entries = u16le(d + eocd + 10);
    unsigned long cd_size = u32le(d + eocd + 12), cd_off = u32le(d + eocd + 16);
    if (entries == 0 || entries > 4096 || cd_off > eocd || cd_size > eocd - cd_off) return false;
    bool types = false, word = false;
    size_t p = cd_off, end = cd_off + cd_size;
    for (unsigned k = 0; k < entries; k++) {
        if (end - p < 46 || memcmp(d + p, "PK\x01\x02", 4) != 0) return false;
        size_t name_len = u16le(d + p + 28), extra = u16le(d + p + 30), comment = u16le(d + p + 32);
        unsigned long local = u32le(d + p + 42);
        if (end - p - 46 < name_len + extra + comment) return false;
        if (local > cd_off || cd_off - local < 30 || memcmp(d + local, "PK\x03\x04", 4) != 0) return false;
        const char *name = (const char *)d + p + 46;
        if (name_len == 19 && memcmp(name, "[Content_Types].xml", 19) == 0) types = true;
        if (name_len > 5 && memcmp(name, "word/", 5) == 0) word = true;
        p += 46 + name_len + extra + comment;
    }
    *is_docx = types && word;
    return true;
}

/* eo_attachment_sniff, also saying whether a corrupt image was refused for its size. */
static eo_attachment_type sniff(const unsigned char *data, size_t len, bool *corrupt, bool *too_big)
{
    *corrupt = false;
    *too_big = false;
    if (!data || len < 4) return EO_ATT_UNKNOWN;
    eo_attachment_type t = EO_ATT_UNKNOWN;
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        t = EO_ATT_JPEG;
    else if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        t = EO_ATT_PNG;
    else if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        t = EO_ATT_PDF;
    else if (memcmp(data, "PK\x03\x04", 4) == 0)
        t = EO_ATT_DOCX;
    switch (t) {
    case EO_ATT_JPEG:
    case EO_ATT_PNG: {
        eo_photo_info info;
        eo_err e;
        eo_err_init(&e);
        *corrupt = eo_photo_inspect(data, len, &info, &e) != EO_OK;
        *too_big = *corrupt && e.code && strcmp(e.code, "photo_dimensions_too_large") == 0;
        eo_err_clear(&e);
        break;
    }
    case EO_ATT_PDF: *corrupt = !pdf_sound(data, len); break;
    case EO_ATT_DOCX: {
        bool docx = false;
        if (!zip_entries(data, len, &docx))
            *corrupt = true;
        else if (!docx)
            t = EO_ATT_UNKNOWN; /* a sound ZIP that is not a Word document */
        break;
    }
    default: break;
    }
    return t;
}

eo_attachment_type eo_attachment_sniff(const unsigned char *data, size_t len, bool *corrupt)
{
    bool too_big;
    return sniff(data, len, corrupt, &too_big);
}

eo_status eo_attachment_check(const eo_attachment_policy *p, const unsigned char *data, size_t len,
                              eo_attachment_meta *meta, eo_err *err)
{
    memset(meta, 0, sizeof(*meta));
    if (len < (p->min_bytes ? p->min_bytes : 1))
        return eo_fail(err, EO_ERR_INVALID, p->code_too_small ? p->code_too_small : "attachment_too_small");
    if (p->max_bytes && len > p->max_bytes)
        return eo_fail(err, EO_ERR_TOO_LARGE, p->code_too_large ? p->code_too_large : "attachment_too_large");
    bool corrupt = false, too_big = false;
    eo_attachment_type t = sniff(data, len, &corrupt, &too_big);
    if (t == EO_ATT_UNKNOWN || !(p->allowed & EO_ATT_BIT(t)))
        return eo_fail(err, EO_ERR_MEDIA_TYPE,
                       p->code_unsupported ? p->code_unsupported : "attachment_unsupported_type");
    if (too_big)
        return eo_fail(err, EO_ERR_INVALID,
                       p->code_dimensions ? p->code_dimensions : "attachment_dimensions_too_large");
    if (corrupt) return eo_fail(err, EO_ERR_INVALID, p->code_corrupt ? p->code_corrupt : "attachment_corrupt");
    meta->type = t;
    meta->content_type = eo_attachment_content_type(t);
    meta->ext = eo_attachment_ext(t);
    meta->size = len;
    eo_sha256_hex(data, len, meta->sha256);
    snprintf(meta->key, sizeof(meta->key), "%s.%s", meta->sha256, meta->ext);
    return EO_OK;
}
