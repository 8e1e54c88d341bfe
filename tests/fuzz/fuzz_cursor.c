/* Paging cursors (core/cursor.c) with a fixed key. Byte 0 picks the mode:
 *   even: the rest is a cursor as a client sends it (?cursor=...);
 *   odd:  the rest is a payload the harness seals with the key itself, so the
 *         JSON parsing behind the MAC check is reached too (a cursor is only
 *         as safe as that parser if the key ever leaks).
 * Whatever decodes must re-encode and decode to an equal position. */
#include <sodium.h>
#include <stdio.h>

#include "core/cursor.h"
#include "tests/fuzz/fuzz.h"

static const unsigned char KEY[32] = "fuzz-cursor-key-0123456789abcdef";
static const char SCOPE[] = "audit|action=|nip=";

/* The same construction as core/cursor.c: base64url(payload) "." base64url(MAC[0..16)). */
static char *seal(const uint8_t *payload, size_t len)
{
    unsigned char m[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, KEY, 32);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"eoffice-cursor-v1", 18);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)SCOPE, sizeof SCOPE);
    crypto_auth_hmacsha256_update(&st, payload, len);
    crypto_auth_hmacsha256_final(&st, m);
    size_t b = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    size_t mb = sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(b + mb + 1);
    if (!out) abort();
    sodium_bin2base64(out, b, payload, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    size_t at = strlen(out);
    out[at++] = '.';
    sodium_bin2base64(out + at, mb, m, 16, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (sodium_init() < 0) abort();
    char *cursor = (data[0] & 1) ? seal(data + 1, size - 1) : eo_fuzz_str(data + 1, size - 1);

    eo_err err;
    eo_err_init(&err);
    json_t *pos = NULL;
    if (eo_cursor_decode(KEY, SCOPE, cursor, &pos, &err) == EO_OK) {
        EO_FUZZ_ASSERT(json_is_array(pos));
        char *again = eo_cursor_encode(KEY, SCOPE, pos);
        if (again) {
            json_t *pos2 = NULL;
            EO_FUZZ_ASSERT(eo_cursor_decode(KEY, SCOPE, again, &pos2, &err) == EO_OK);
            EO_FUZZ_ASSERT(json_equal(pos, pos2));
            /* Bound to its scope: another list must refuse it. */
            json_t *pos3 = NULL;
            EO_FUZZ_ASSERT(eo_cursor_decode(KEY, "other", again, &pos3, &err) != EO_OK && !pos3);
            json_decref(pos2);
            free(again);
        }
        json_decref(pos);
    } else {
        EO_FUZZ_ASSERT(pos == NULL && err.n_fields >= 1);
    }
    eo_err_clear(&err);
    free(cursor);
    return 0;
}
