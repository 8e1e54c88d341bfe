/* Access-token verification (core/token.c) of attacker tokens, with a fixed
 * test key (generated for this harness only; it signs nothing real). Byte 0:
 *   even: the rest is the bearer token as sent (header, alg pinning, base64url,
 *         signature length checks; signatures never verify);
 *   odd:  the rest is a claims payload that the harness signs correctly under a
 *         valid header, so the claim checks behind the signature are reached. */
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <stdio.h>

#include "core/token.h"
#include "tests/fuzz/fuzz.h"

static const char PEM[] = "-----BEGIN PRIVATE KEY-----\n"
                          "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmYmcplD/zZ+4ZaAv\n"
                          "z1czElP4Wub78SV3RPg0s3ileZihRANCAASk2FGGXc409aVK7CMK3LgKjw6izzIV\n"
                          "wI9gJ3rlCrPeEX4rM2LlN5gIa3LVHhAEIYHr1RggqxVZIg0q7LBfMi/X\n"
                          "-----END PRIVATE KEY-----\n";
static const char ISS[] = "https://eoffice.test", AUD[] = "eoffice-api";
static const long long NOW = 1800000000;

static struct eo_jwt_keys *keys;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    eo_err err;
    eo_err_init(&err);
    if (eo_token_keys_from_pem(PEM, sizeof PEM - 1, &keys, &err) != EO_OK) {
        fprintf(stderr, "fuzz_token: test key refused: %s\n", err.log_detail);
        abort();
    }
    return 0;
}

/* ES256 over msg into out as raw R||S base64url (86 characters). */
static void sign(const char *msg, size_t len, char *out, size_t outlen)
{
    unsigned char der[80], raw[64];
    size_t dlen = sizeof der;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, keys->pkey) != 1 ||
        EVP_DigestSign(md, der, &dlen, (const unsigned char *)msg, len) != 1)
        abort();
    EVP_MD_CTX_free(md);
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
    if (!sig) abort();
    const BIGNUM *r, *s;
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_bn2binpad(r, raw, 32) != 32 || BN_bn2binpad(s, raw + 32, 32) != 32) abort();
    ECDSA_SIG_free(sig);
    if (!eo_b64url(raw, sizeof raw, out, outlen)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    char *token;
    if (data[0] & 1) {
        /* header.payload.signature with a valid header and signature */
        size_t cap = EO_TOKEN_MAX * 2 + 4 * size / 3 + 256;
        token = malloc(cap);
        if (!token) abort();
        char head[160];
        int hn = snprintf(head, sizeof head, "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"%s\"}", keys->kid);
        size_t n = eo_b64url((const unsigned char *)head, (size_t)hn, token, cap);
        token[n++] = '.';
        n += eo_b64url(data + 1, size - 1, token + n, cap - n);
        token[n] = '\0';
        if (n >= EO_TOKEN_MAX - 90) {
            free(token);
            return 0;
        }
        token[n++] = '.';
        sign(token, n - 1, token + n, cap - n);
    } else {
        token = eo_fuzz_str(data + 1, size - 1);
    }

    eo_err err;
    eo_err_init(&err);
    eo_token_claims c;
    if (eo_token_verify(keys, token, ISS, AUD, NOW, &c, &err) == EO_OK) {
        EO_FUZZ_ASSERT(data[0] & 1); /* nobody forges a signature by fuzzing */
        EO_FUZZ_ASSERT(NOW < c.exp);
        EO_FUZZ_ASSERT(strlen(c.sub) < sizeof c.sub && strlen(c.jti) < sizeof c.jti);
    } else {
        EO_FUZZ_ASSERT(err.status == EO_ERR_UNAUTHORIZED);
    }
    /* EO_FUZZ_VERBOSE=1 build-fuzz/fuzz_token FILE: why a seed is refused. */
    if (getenv("EO_FUZZ_VERBOSE")) fprintf(stderr, "fuzz_token: %s\n", err.code ? err.log_detail : "accepted");
    eo_err_clear(&err);
    free(token);
    return 0;
}
