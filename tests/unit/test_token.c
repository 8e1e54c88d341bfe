/* ES256 access tokens: sign/verify and every rejection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/token.h"

/* A fixed P-256 test key (PKCS#8, as `openssl genpkey` writes it). */
static const char *test_key = "-----BEGIN PRIVATE KEY-----\n"
                              "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQglYfUYBHX1GpDXPSy\n"
                              "d4Lc6QaqYO4PneLRF3aPqBIJnXyhRANCAASuuDsy6/1DOjbda95FcZjZ8Iq8aXIv\n"
                              "1tkXV8Ht+dA/EjFS/7vFcyqUPKM5Vt1IMm2wnvBP4Lxm/ch3yqmKbrzW\n"
                              "-----END PRIVATE KEY-----\n";

static struct eo_jwt_keys *keys;

static int setup(void **state)
{
    (void)state;
    eo_err err;
    eo_err_init(&err);
    if (sodium_init() < 0) return -1;
    return eo_token_keys_from_pem(test_key, strlen(test_key), &keys, &err) == EO_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    eo_token_keys_free(keys);
    return 0;
}

static void mint(char *out, size_t n, long long now)
{
    eo_err err;
    eo_err_init(&err);
    eo_token_claims c = {.sub = "199305212019032001", .eid = 7, .sid = 9, .iat = now, .nbf = now, .exp = now + 300};
    assert_int_equal(eo_token_mint(keys, "https://eoffice.test", "eoffice", &c, out, n, &err), EO_OK);
}

static void roundtrip_and_jwks(void **state)
{
    (void)state;
    char tok[EO_TOKEN_MAX];
    eo_token_claims out;
    eo_err err;
    eo_err_init(&err);
    mint(tok, sizeof tok, 1000);
    assert_int_equal(eo_token_verify(keys, tok, "https://eoffice.test", "eoffice", 1001, &out, &err), EO_OK);
    assert_string_equal(out.sub, "199305212019032001");
    assert_int_equal(out.eid, 7);
    assert_int_equal(out.sid, 9);
    assert_true(strlen(out.jti) >= 16);
    /* RFC 7638 thumbprint: 43 base64url characters. */
    assert_int_equal(strlen(keys->kid), 43);
    json_t *jwks = eo_token_jwks(keys);
    json_t *k = json_array_get(json_object_get(jwks, "keys"), 0);
    assert_string_equal(json_string_value(json_object_get(k, "alg")), "ES256");
    assert_string_equal(json_string_value(json_object_get(k, "kid")), keys->kid);
    json_decref(jwks);
}

static eo_status verify(const char *tok, long long now)
{
    eo_token_claims out;
    eo_err err;
    eo_err_init(&err);
    return eo_token_verify(keys, tok, "https://eoffice.test", "eoffice", now, &out, &err);
}

/* Replaces the header of tok with the JSON text h (keeping payload and signature). */
static void with_header(const char *tok, const char *h, char *out, size_t n)
{
    char b64[512];
    eo_b64url((const unsigned char *)h, strlen(h), b64, sizeof b64);
    snprintf(out, n, "%s%s", b64, strchr(tok, '.'));
}

static void rejections(void **state)
{
    (void)state;
    char tok[EO_TOKEN_MAX], bad[EO_TOKEN_MAX];
    mint(tok, sizeof tok, 1000);
    assert_int_equal(verify(tok, 1300), EO_ERR_UNAUTHORIZED); /* expired */
    assert_int_equal(verify(tok, 900), EO_ERR_UNAUTHORIZED);  /* not yet valid (beyond leeway) */
    eo_token_claims out;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_token_verify(keys, tok, "https://eoffice.test", "other", 1001, &out, &err),
                     EO_ERR_UNAUTHORIZED);
    assert_int_equal(eo_token_verify(keys, tok, "https://evil", "eoffice", 1001, &out, &err), EO_ERR_UNAUTHORIZED);
    char hdr[256];
    const char *algs[] = {"none", "HS256", "es256", "ES384", "RS256"};
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        snprintf(hdr, sizeof hdr, "{\"alg\":\"%s\",\"typ\":\"at+jwt\",\"kid\":\"%s\"}", algs[i], keys->kid);
        with_header(tok, hdr, bad, sizeof bad);
        assert_int_equal(verify(bad, 1001), EO_ERR_UNAUTHORIZED);
    }
    snprintf(hdr, sizeof hdr, "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", keys->kid);
    with_header(tok, hdr, bad, sizeof bad);
    assert_int_equal(verify(bad, 1001), EO_ERR_UNAUTHORIZED);
    /* alg none with an empty signature */
    snprintf(bad, sizeof bad, "%s", tok);
    strrchr(bad, '.')[1] = '\0';
    assert_int_equal(verify(bad, 1001), EO_ERR_UNAUTHORIZED);
    /* tampered payload */
    snprintf(bad, sizeof bad, "%s", tok);
    char *p = strchr(bad, '.') + 5;
    *p = *p == 'A' ? 'B' : 'A';
    assert_int_equal(verify(bad, 1001), EO_ERR_UNAUTHORIZED);
    /* tampered signature */
    snprintf(bad, sizeof bad, "%s", tok);
    p = strrchr(bad, '.') + 3;
    *p = *p == 'A' ? 'B' : 'A';
    assert_int_equal(verify(bad, 1001), EO_ERR_UNAUTHORIZED);
    assert_int_equal(verify("", 1001), EO_ERR_UNAUTHORIZED);
    assert_int_equal(verify("a.b.c.d", 1001), EO_ERR_UNAUTHORIZED);
}

/* A token verified once is answered from the cache, but still only within
 * its time window and only for the exact bytes, issuer and audience. */
static void verified_once(void **state)
{
    (void)state;
    char tok[EO_TOKEN_MAX], bad[EO_TOKEN_MAX];
    unsigned long long h0, m0, h1, m1;
    mint(tok, sizeof tok, 5000);
    eo_token_cache_stats(keys, &h0, &m0);
    assert_int_equal(verify(tok, 5001), EO_OK);
    assert_int_equal(verify(tok, 5002), EO_OK);
    assert_int_equal(verify(tok, 5003), EO_OK);
    eo_token_cache_stats(keys, &h1, &m1);
    assert_int_equal(m1 - m0, 1);
    assert_int_equal(h1 - h0, 2);
    /* cached, yet expired once the clock passes exp, and not yet valid before nbf - 30 s */
    assert_int_equal(verify(tok, 5300), EO_ERR_UNAUTHORIZED);
    assert_int_equal(verify(tok, 4900), EO_ERR_UNAUTHORIZED);
    assert_int_equal(verify(tok, 5004), EO_OK);
    /* another audience or issuer does not share the cached answer */
    eo_token_claims out;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_token_verify(keys, tok, "https://eoffice.test", "other", 5004, &out, &err),
                     EO_ERR_UNAUTHORIZED);
    assert_int_equal(out.eid, 0);
    assert_int_equal(eo_token_verify(keys, tok, "https://evil", "eoffice", 5004, &out, &err), EO_ERR_UNAUTHORIZED);
    /* a one-character change of a cached token is verified afresh and fails */
    snprintf(bad, sizeof bad, "%s", tok);
    char *p = strrchr(bad, '.') + 3;
    *p = *p == 'A' ? 'B' : 'A';
    assert_int_equal(verify(bad, 5004), EO_ERR_UNAUTHORIZED);
    assert_int_equal(verify(bad, 5005), EO_ERR_UNAUTHORIZED);
}

/* A working set of tokens stays cached: 1,500 live tokens verified twice
 * miss the second time only when a set of the cache overflows (4 ways in
 * 8,192 sets: well under one token expected). A direct-mapped table of 32,768
 * slots had about 70 misses here, two tokens of one slot evicting each other. */
static void working_set_stays_cached(void **state)
{
    (void)state;
    enum { N = 1500 };
    static char toks[N][EO_TOKEN_MAX];
    eo_err err;
    eo_err_init(&err);
    for (int i = 0; i < N; i++) {
        eo_token_claims c = {
            .sub = "199305212019032001", .eid = 7, .sid = 100000 + i, .iat = 7000, .nbf = 7000, .exp = 7300};
        assert_int_equal(eo_token_mint(keys, "https://eoffice.test", "eoffice", &c, toks[i], EO_TOKEN_MAX, &err),
                         EO_OK);
        assert_int_equal(verify(toks[i], 7001), EO_OK);
    }
    unsigned long long h0, m0, h1, m1;
    eo_token_cache_stats(keys, &h0, &m0);
    for (int i = 0; i < N; i++) {
        eo_token_claims out;
        assert_int_equal(eo_token_verify(keys, toks[i], "https://eoffice.test", "eoffice", 7002, &out, &err), EO_OK);
        assert_int_equal(out.sid, 100000 + i); /* each token its own claims, hit or miss */
    }
    eo_token_cache_stats(keys, &h1, &m1);
    assert_int_equal((h1 - h0) + (m1 - m0), N);
    assert_true(m1 - m0 <= 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(roundtrip_and_jwks), cmocka_unit_test(rejections),
                                       cmocka_unit_test(verified_once), cmocka_unit_test(working_set_stays_cached)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
