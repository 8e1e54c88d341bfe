#include "core/cursor.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define MAC_BYTES 16

static void mac(const unsigned char key[32], const char *scope, const char *payload, size_t len,
                unsigned char out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, 32);
    /* Domain separation: this key also seals other things. */
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"eoffice-cursor-v1", 18);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)scope, strlen(scope) + 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)payload, len);
    crypto_auth_hmacsha256_final(&st, out);
}

char *eo_cursor_encode(const unsigned char key[32], const char *scope, json_t *position)
{
    if (!json_is_array(position)) return NULL;
    char *payload = json_dumps(position, JSON_COMPACT);
    if (!payload) return NULL;
    size_t len = strlen(payload);
    char *out = NULL;
    size_t b64_len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    size_t mac_len = sodium_base64_ENCODED_LEN(MAC_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (b64_len + mac_len > EO_CURSOR_MAX_LEN) goto done;
    out = malloc(b64_len + mac_len + 1);
    if (!out) goto done;
    unsigned char m[crypto_auth_hmacsha256_BYTES];
    mac(key, scope, payload, len, m);
    sodium_bin2base64(out, b64_len, (const unsigned char *)payload, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    size_t at = strlen(out);
    out[at++] = '.';
    sodium_bin2base64(out + at, mac_len, m, MAC_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
done:
    free(payload);
    return out;
}

eo_status eo_cursor_decode(const unsigned char key[32], const char *scope, const char *cursor, json_t **position,
                           eo_err *err)
{
    *position = NULL;
    unsigned char payload[EO_CURSOR_MAX_LEN];
    unsigned char got[MAC_BYTES + 4], want[crypto_auth_hmacsha256_BYTES];
    size_t plen = 0, mlen = 0;
    const char *dot = cursor ? strchr(cursor, '.') : NULL;
    if (!dot || strlen(cursor) > EO_CURSOR_MAX_LEN) goto bad;
    if (sodium_base642bin(payload, sizeof(payload) - 1, cursor, (size_t)(dot - cursor), NULL, &plen, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        goto bad;
    const char *end = NULL;
    if (sodium_base642bin(got, sizeof(got), dot + 1, strlen(dot + 1), NULL, &mlen, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        mlen != MAC_BYTES || (end && *end))
        goto bad;
    mac(key, scope, (const char *)payload, plen, want);
    if (sodium_memcmp(got, want, MAC_BYTES) != 0) goto bad;
    json_error_t jerr;
    json_t *pos = json_loadb((const char *)payload, plen, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_array(pos)) {
        json_decref(pos);
        goto bad;
    }
    *position = pos;
    return EO_OK;
bad:
    eo_err_field(err, "cursor", "invalid_cursor");
    return err->status;
}
