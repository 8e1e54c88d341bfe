#include "core/photo.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int is_sof(unsigned char m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

/* Walks the marker segments up to the first SOS; the entropy-coded data after it
 * is opaque, so the file must then end with EOI (trailing zero padding allowed). */
static eo_status inspect_jpeg(const unsigned char *d, size_t n, eo_photo_info *info, eo_err *err)
{
    size_t i = 2;
    int seen_sof = 0;
    for (;;) {
        if (i + 4 > n) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
        if (d[i] != 0xFF) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
        unsigned char m = d[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0xD9 || (m >= 0xD0 && m <= 0xD7) || m == 0x01)
            return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
        unsigned seglen = be16(d + i + 2);
        if (seglen < 2 || i + 2 + seglen > n) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
        if (is_sof(m)) {
            if (seglen < 8) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
            info->height = be16(d + i + 5);
            info->width = be16(d + i + 7);
            if (!info->width || !info->height) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
            seen_sof = 1;
        }
        i += 2 + seglen;
        if (m == 0xDA) break;
    }
    if (!seen_sof) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
    size_t end = n;
    while (end > i && d[end - 1] == 0x00) end--;
    if (end < i + 2 || d[end - 2] != 0xFF || d[end - 1] != 0xD9) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
    return EO_OK;
}

static eo_status inspect_png(const unsigned char *d, size_t n, eo_photo_info *info, eo_err *err)
{
    size_t i = 8;
    int first = 1, seen_idat = 0;
    while (i + 12 <= n) {
        unsigned long len = be32(d + i);
        const unsigned char *type = d + i + 4;
        if (len > 0x7FFFFFFFul || len > n - i - 12) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
        if (first) {
            if (memcmp(type, "IHDR", 4) != 0 || len != 13) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
            info->width = (unsigned)be32(d + i + 8);
            info->height = (unsigned)be32(d + i + 12);
            if (!info->width || !info->height) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
            first = 0;
        }
        if (memcmp(type, "IDAT", 4) == 0) seen_idat = 1;
        if (memcmp(type, "IEND", 4) == 0) {
            if (!seen_idat) return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
            return EO_OK;
        }
        i += 12 + len;
    }
    return eo_fail(err, EO_ERR_INVALID, "photo_corrupt");
}

eo_status eo_photo_inspect(const unsigned char *data, size_t len, eo_photo_info *info, eo_err *err)
{
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memset(info, 0, sizeof(*info));
    if (!data || len < EO_PHOTO_MIN_BYTES) return eo_fail(err, EO_ERR_INVALID, "photo_too_small");
    if (data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        info->type = EO_PHOTO_JPEG;
        info->content_type = "image/jpeg";
        info->ext = "jpg";
        return inspect_jpeg(data, len, info, err);
    }
    if (memcmp(data, png_sig, sizeof(png_sig)) == 0) {
        info->type = EO_PHOTO_PNG;
        info->content_type = "image/png";
        info->ext = "png";
        return inspect_png(data, len, info, err);
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
