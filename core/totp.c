#include "core/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static void oath_start(void) { oath_init(); }

void eo_totp_new_secret(unsigned char secret[EO_TOTP_SECRET_LEN]) { randombytes_buf(secret, EO_TOTP_SECRET_LEN); }

void eo_totp_base32(const unsigned char secret[EO_TOTP_SECRET_LEN], char out[EO_TOTP_B32_LEN])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /* 20 bytes = 160 bits = exactly 32 symbols: no padding. */
    size_t o = 0;
    for (size_t i = 0; i < EO_TOTP_SECRET_LEN; i += 5) {
        unsigned long long v = 0;
        for (size_t j = 0; j < 5; j++) v = (v << 8) | secret[i + j];
        for (int s = 35; s >= 0; s -= 5) out[o++] = alphabet[(v >> s) & 31];
    }
    out[o] = '\0';
}

/* RFC 3986 unreserved characters stay; everything else is %XX. */
static bool pct_encode(const char *in, char *out, size_t outlen, size_t *pos)
{
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        bool keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                    *p == '.' || *p == '_' || *p == '~';
        int n =
            keep ? snprintf(out + *pos, outlen - *pos, "%c", *p) : snprintf(out + *pos, outlen - *pos, "%%%02X", *p);
        if (n < 0 || (size_t)n >= outlen - *pos) return false;
        *pos += (size_t)n;
    }
    return true;
}

eo_status eo_totp_uri(const char *issuer, const char *account, const char *b32, char *out, size_t outlen, eo_err *err)
{
    size_t pos = 0;
    int n = snprintf(out, outlen, "otpauth://totp/");
    if (n < 0 || (size_t)n >= outlen) goto too_long;
    pos = (size_t)n;
    if (!pct_encode(issuer, out, outlen, &pos)) goto too_long;
    if (pos + 1 >= outlen) goto too_long;
    out[pos++] = ':';
    out[pos] = '\0';
    if (!pct_encode(account, out, outlen, &pos)) goto too_long;
    n = snprintf(out + pos, outlen - pos, "?secret=%s&issuer=", b32);
    if (n < 0 || (size_t)n >= outlen - pos) goto too_long;
    pos += (size_t)n;
    if (!pct_encode(issuer, out, outlen, &pos)) goto too_long;
    n = snprintf(out + pos, outlen - pos, "&algorithm=SHA1&digits=%d&period=%d", EO_TOTP_DIGITS, EO_TOTP_PERIOD);
    if (n < 0 || (size_t)n >= outlen - pos) goto too_long;
    return EO_OK;
too_long:
    return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "otpauth URI too long");
}

void eo_totp_seal(const unsigned char key[32], const unsigned char secret[EO_TOTP_SECRET_LEN],
                  unsigned char sealed[EO_TOTP_SEALED_LEN], unsigned char nonce[EO_TOTP_NONCE_LEN])
{
    randombytes_buf(nonce, EO_TOTP_NONCE_LEN);
    crypto_secretbox_easy(sealed, secret, EO_TOTP_SECRET_LEN, nonce, key);
}

eo_status eo_totp_open(const unsigned char key[32], const unsigned char *sealed, size_t sealed_len,
                       const unsigned char *nonce, size_t nonce_len, unsigned char secret[EO_TOTP_SECRET_LEN],
                       eo_err *err)
{
    if (!sealed || !nonce || sealed_len != EO_TOTP_SEALED_LEN || nonce_len != EO_TOTP_NONCE_LEN ||
        crypto_secretbox_open_easy(secret, sealed, sealed_len, nonce, key) != 0)
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal",
                           "TOTP secret does not decrypt (wrong EOFFICE_SECRET_KEY?)");
    return EO_OK;
}

long long eo_totp_step(long long unix_time) { return unix_time / EO_TOTP_PERIOD; }

void eo_totp_code_at(const unsigned char *secret, size_t secret_len, long long step, unsigned digits, char *out,
                     size_t outlen)
{
    pthread_once(&oath_once, oath_start);
    char buf[16];
    if (oath_hotp_generate((const char *)secret, secret_len, (uint64_t)step, digits, false,
                           OATH_HOTP_DYNAMIC_TRUNCATION, buf) != OATH_OK)
        buf[0] = '\0';
    snprintf(out, outlen, "%s", buf);
}

bool eo_totp_check(const unsigned char secret[EO_TOTP_SECRET_LEN], const char *code, long long now, long long last_step,
                   long long *matched_step)
{
    if (!code || strlen(code) != EO_TOTP_DIGITS || strspn(code, "0123456789") != EO_TOTP_DIGITS) return false;
    long long base = eo_totp_step(now);
    bool found = false;
    for (long long s = base - EO_TOTP_WINDOW; s <= base + EO_TOTP_WINDOW; s++) {
        char want[8];
        eo_totp_code_at(secret, EO_TOTP_SECRET_LEN, s, EO_TOTP_DIGITS, want, sizeof want);
        bool eq = sodium_memcmp(want, code, EO_TOTP_DIGITS) == 0;
        if (eq && s > last_step && !found) {
            found = true;
            *matched_step = s;
        }
    }
    return found;
}
