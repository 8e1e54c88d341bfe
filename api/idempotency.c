#include "api/idempotency.h"

#include <stdlib.h>
#include <string.h>

bool eo_idem_begin(eo_ctx *c, eo_idem *idem)
{
    memset(idem, 0, sizeof(*idem));
    crypto_hash_sha256_init(&idem->st);
    const char *key = eo_header(c, "Idempotency-Key");
    if (!key) return true;
    size_t n = strlen(key);
    bool ok = n >= 1 && n <= 255;
    for (size_t i = 0; ok && i < n; i++) ok = key[i] > 0x20 && key[i] < 0x7F;
    if (!ok) {
        eo_reply_problem(c, EO_ERR_BAD_REQUEST, "idempotency_key_invalid");
        return false;
    }
    idem->key = key;
    return true;
}

void eo_idem_update(eo_idem *idem, const char *name, const void *data, size_t len)
{
    unsigned char hdr[16];
    size_t nl = strlen(name);
    for (int i = 0; i < 8; i++) hdr[i] = (unsigned char)(nl >> (8 * i));
    for (int i = 0; i < 8; i++) hdr[8 + i] = (unsigned char)((unsigned long long)len >> (8 * i));
    crypto_hash_sha256_update(&idem->st, hdr, sizeof(hdr));
    crypto_hash_sha256_update(&idem->st, (const unsigned char *)name, nl);
    if (len) crypto_hash_sha256_update(&idem->st, data, len);
}

void eo_idem_final(eo_idem *idem)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&idem->st, h);
    sodium_bin2hex(idem->hash, sizeof(idem->hash), h, sizeof(h));
}
