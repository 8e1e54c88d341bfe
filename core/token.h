/* Access tokens: compact JWS, ES256 only, typ "at+jwt" (RFC 9068).
 *
 * libjwt 1.10.2 cannot be used as-is: jwt_encode forces typ "JWT",
 * jwt_decode refuses any other typ and takes the algorithm from the token,
 * and every call re-parses the PEM key. So this module builds and parses the
 * three parts itself, pins the algorithm to ES256 before any signature work,
 * and signs/verifies with OpenSSL (libjwt's back-end) using the key parsed
 * once at start-up.
 */
#ifndef EO_TOKEN_H
#define EO_TOKEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define EO_TOKEN_MAX  2048 /* longest access token accepted */
#define EO_OPAQUE_LEN 44   /* base64url of 32 random bytes (43) + NUL */

typedef struct evp_pkey_st EVP_PKEY;

struct eo_token_cache; /* tokens this key already verified (core/token.c) */

struct eo_jwt_keys {
    EVP_PKEY *pkey;    /* EC P-256 key pair, parsed once; shared read-only by threads */
    char kid[48];      /* RFC 7638 JWK thumbprint (base64url SHA-256) */
    char x[48], y[48]; /* base64url public coordinates */
    struct eo_token_cache *cache;
};

typedef struct {
    char sub[32];  /* NIP */
    long long eid; /* employee id */
    long long sid; /* session id */
    long long iat, nbf, exp;
    char jti[48];
    bool mobile; /* claim "cli":"mobile" */
} eo_token_claims;

/* Parses an EC P-256 private key PEM (PKCS#8 or SEC1, public point included,
 * as `openssl genpkey` writes it) and checks it by signing once. */
eo_status eo_token_keys_from_pem(const char *pem, size_t len, struct eo_jwt_keys **out, eo_err *err);
eo_status eo_token_keys_load(const char *path, struct eo_jwt_keys **out, eo_err *err);
void eo_token_keys_free(struct eo_jwt_keys *keys);

/* {"keys":[{kty,crv,x,y,kid,alg:"ES256",use:"sig"}]} (new reference). */
json_t *eo_token_jwks(const struct eo_jwt_keys *keys);

/* Signs claims into out (NUL-terminated). A fresh jti is generated when claims->jti is empty. */
eo_status eo_token_mint(const struct eo_jwt_keys *keys, const char *iss, const char *aud, const eo_token_claims *claims,
                        char *out, size_t outlen, eo_err *err);

/* Verifies signature (ES256 only, our kid), typ, iss, aud, exp, nbf at `now`.
 * Every failure is EO_ERR_UNAUTHORIZED "unauthorized" with the reason in log_detail.
 *
 * The signature check (an ECDSA verify, ~40 us: most of an authenticated
 * read) is done once per token: the claims of a token that passed are kept
 * in a direct-mapped table under SHA-256(iss, aud, token), so the same bytes
 * are only re-checked for time (exp, nbf) afterwards. Only byte-identical
 * tokens hit, so nothing unverified is ever trusted; whether the session is
 * still alive is not this function's question (svc/session_cache.h). */
eo_status eo_token_verify(const struct eo_jwt_keys *keys, const char *token, const char *iss, const char *aud,
                          long long now, eo_token_claims *out, eo_err *err);

/* Verifications answered from the table, and those that were not (tests, /metrics). */
void eo_token_cache_stats(const struct eo_jwt_keys *keys, unsigned long long *hits, unsigned long long *misses);

/* base64url without padding; returns the length written (out must hold 4*n/3+2). */
size_t eo_b64url(const unsigned char *in, size_t n, char *out, size_t outlen);
/* 32 random bytes as base64url: refresh tokens, enrolment tokens. */
void eo_token_opaque(char out[EO_OPAQUE_LEN]);
/* SHA-256 of a NUL-terminated string (what the database stores for opaque tokens). */
void eo_token_hash(const char *token, unsigned char out[32]);

#endif
