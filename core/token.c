#include "core/token.h"

#include <errno.h>
#include <jwt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exported by libjwt 1.10.2 but not declared in <jwt.h>: the raw ECDSA
 * primitives over "header.payload" (signature as raw R||S). */
int jwt_sign_sha_pem(jwt_t *jwt, char **out, unsigned int *len, const char *str);
int jwt_verify_sha_pem(jwt_t *jwt, const char *head, const char *sig_b64);

/* DER prefix of a P-256 SubjectPublicKeyInfo, followed by the 65-byte point. */
static const unsigned char spki_prefix[] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
static const unsigned char p256_oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

size_t eo_b64url(const unsigned char *in, size_t n, char *out, size_t outlen)
{
    if (outlen < sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING)) {
        if (outlen) out[0] = '\0';
        return 0;
    }
    sodium_bin2base64(out, outlen, in, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return strlen(out);
}

void eo_token_opaque(char out[EO_OPAQUE_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    eo_b64url(raw, sizeof raw, out, EO_OPAQUE_LEN);
    sodium_memzero(raw, sizeof raw);
}

void eo_token_hash(const char *token, unsigned char out[32])
{
    crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

/* Decodes base64url (no padding) into out; -1 when malformed or too long. */
static long b64url_decode(const char *in, size_t inlen, unsigned char *out, size_t outmax)
{
    size_t bin_len = 0;
    const char *end = NULL;
    if (sodium_base642bin(out, outmax, in, inlen, NULL, &bin_len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != in + inlen)
        return -1;
    return (long)bin_len;
}

static bool mem_find(const unsigned char *hay, size_t n, const unsigned char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0) return true;
    return false;
}

eo_status eo_token_keys_from_pem(const char *pem, size_t len, struct eo_jwt_keys **out, eo_err *err)
{
    eo_status st = EO_OK;
    struct eo_jwt_keys *k = NULL;
    unsigned char der[512];
    size_t der_len = 0;
    char b64[1024];
    jwt_t *jwt = NULL;
    char *sig = NULL;

    *out = NULL;
    const char *begin = strstr(pem, "-----BEGIN ");
    if (!begin || (!strstr(begin, "PRIVATE KEY-----")))
        return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key: no PEM private key");
    const char *body = strstr(begin, "-----\n");
    const char *endm = body ? strstr(body + 6, "-----END ") : NULL;
    if (!body || !endm || (size_t)(endm - body) >= sizeof b64)
        return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key: malformed PEM");
    body += 6;
    if (sodium_base642bin(der, sizeof der, body, (size_t)(endm - body), "\r\n", &der_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key: bad base64");
    /* Both PKCS#8 and SEC1 keys from OpenSSL end with the public point as
     * BIT STRING 03 42 00 04 X Y; the curve must be P-256. */
    if (der_len < 70 || !mem_find(der, der_len, p256_oid, sizeof p256_oid) ||
        memcmp(der + der_len - 68, "\x03\x42\x00\x04", 4) != 0)
        return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid",
                           "JWT key: not an EC P-256 key with its public point");

    k = calloc(1, sizeof *k);
    if (!k) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    k->private_pem = malloc(len + 1);
    if (!k->private_pem) {
        st = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    memcpy(k->private_pem, pem, len);
    k->private_pem[len] = '\0';
    k->private_len = len;

    const unsigned char *point = der + der_len - 65; /* 04 X Y */
    unsigned char spki[sizeof spki_prefix + 65];
    memcpy(spki, spki_prefix, sizeof spki_prefix);
    memcpy(spki + sizeof spki_prefix, point, 65);
    sodium_bin2base64(b64, sizeof b64, spki, sizeof spki, sodium_base64_VARIANT_ORIGINAL);
    /* 91 bytes -> 124 base64 chars: two PEM lines of 64 + 60. */
    k->public_len = (size_t)snprintf(k->public_pem, sizeof k->public_pem,
                                     "-----BEGIN PUBLIC KEY-----\n%.64s\n%s\n-----END PUBLIC KEY-----\n",
                                     b64, b64 + 64);
    eo_b64url(point + 1, 32, k->x, sizeof k->x);
    eo_b64url(point + 33, 32, k->y, sizeof k->y);

    /* RFC 7638: SHA-256 over the required members in lexicographic order. */
    char canon[256];
    int cn = snprintf(canon, sizeof canon, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                      k->x, k->y);
    unsigned char digest[32];
    crypto_hash_sha256(digest, (const unsigned char *)canon, (unsigned long long)cn);
    eo_b64url(digest, sizeof digest, k->kid, sizeof k->kid);

    /* Prove the private key works (and matches the point) before serving. */
    eo_token_claims probe = {.sub = "probe", .eid = 1, .sid = 1, .iat = 1, .nbf = 1, .exp = 4102444800LL};
    char tok[EO_TOKEN_MAX];
    eo_token_claims back;
    eo_err tmp;
    eo_err_init(&tmp);
    if (eo_token_mint(k, "probe", "probe", &probe, tok, sizeof tok, &tmp) != EO_OK ||
        eo_token_verify(k, tok, "probe", "probe", 2, &back, &tmp) != EO_OK) {
        st = eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key: self-test failed (%s)",
                         tmp.log_detail);
        goto done;
    }
    *out = k;
    k = NULL;
done:
    sodium_memzero(der, sizeof der);
    free(sig);
    if (jwt) jwt_free(jwt);
    eo_token_keys_free(k);
    return st;
}

eo_status eo_token_keys_load(const char *path, struct eo_jwt_keys **out, eo_err *err)
{
    char buf[8192];
    *out = NULL;
    if (!path || !*path) return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key file not set");
    FILE *f = fopen(path, "rb");
    if (!f) return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key file: %s", strerror(errno));
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    eo_status st = eo_token_keys_from_pem(buf, n, out, err);
    sodium_memzero(buf, sizeof buf);
    return st;
}

void eo_token_keys_free(struct eo_jwt_keys *keys)
{
    if (!keys) return;
    if (keys->private_pem) {
        sodium_memzero(keys->private_pem, keys->private_len);
        free(keys->private_pem);
    }
    free(keys);
}

json_t *eo_token_jwks(const struct eo_jwt_keys *keys)
{
    json_t *key = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256", "x",
                            keys->x, "y", keys->y, "kid", keys->kid, "alg", "ES256", "use", "sig");
    return json_pack("{s:[o]}", "keys", key);
}

static size_t b64url_json(json_t *obj, char *out, size_t outlen)
{
    char *s = json_dumps(obj, JSON_COMPACT);
    if (!s) return 0;
    size_t n = eo_b64url((const unsigned char *)s, strlen(s), out, outlen);
    free(s);
    return n;
}

eo_status eo_token_mint(const struct eo_jwt_keys *keys, const char *iss, const char *aud,
                        const eo_token_claims *claims, char *out, size_t outlen, eo_err *err)
{
    eo_status st = EO_OK;
    jwt_t *jwt = NULL;
    char *sig = NULL;
    unsigned int sig_len = 0;
    char jti[48];
    if (claims->jti[0]) {
        snprintf(jti, sizeof jti, "%s", claims->jti);
    } else {
        unsigned char r[16];
        randombytes_buf(r, sizeof r);
        eo_b64url(r, sizeof r, jti, sizeof jti);
    }
    json_t *head = json_pack("{s:s, s:s, s:s}", "alg", "ES256", "typ", "at+jwt", "kid", keys->kid);
    json_t *body = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s}", "iss", iss, "aud", aud,
                             "sub", claims->sub, "eid", (json_int_t)claims->eid, "sid",
                             (json_int_t)claims->sid, "iat", (json_int_t)claims->iat, "nbf",
                             (json_int_t)claims->nbf, "exp", (json_int_t)claims->exp, "jti", jti);
    if (!head || !body) {
        st = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    if (claims->mobile) json_object_set_new(body, "cli", json_string("mobile"));

    size_t n = b64url_json(head, out, outlen);
    if (!n || n + 2 >= outlen) goto too_long;
    out[n++] = '.';
    size_t m = b64url_json(body, out + n, outlen - n);
    if (!m) goto too_long;
    n += m;

    if (jwt_new(&jwt) != 0 ||
        jwt_set_alg(jwt, JWT_ALG_ES256, keys->private_pem, (int)keys->private_len) != 0 ||
        jwt_sign_sha_pem(jwt, &sig, &sig_len, out) != 0 || sig_len != 64) {
        st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "ES256 signing failed");
        goto done;
    }
    if (n + 2 >= outlen) goto too_long;
    out[n++] = '.';
    if (!eo_b64url((const unsigned char *)sig, sig_len, out + n, outlen - n)) goto too_long;
    goto done;
too_long:
    st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "token buffer too small");
done:
    free(sig);
    if (jwt) jwt_free(jwt);
    json_decref(head);
    json_decref(body);
    return st;
}

static eo_status reject(eo_err *err, const char *why)
{
    return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized", "token rejected: %s", why);
}

static json_t *decode_part(const char *s, size_t len)
{
    unsigned char buf[EO_TOKEN_MAX];
    long n = b64url_decode(s, len, buf, sizeof buf - 1);
    if (n < 0) return NULL;
    json_t *j = json_loadb((const char *)buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
    if (j && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static bool get_int(json_t *obj, const char *key, long long *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v)) return false;
    *out = json_integer_value(v);
    return true;
}

static bool aud_matches(json_t *aud, const char *want)
{
    if (json_is_string(aud)) return strcmp(json_string_value(aud), want) == 0;
    if (json_is_array(aud)) {
        size_t i;
        json_t *v;
        json_array_foreach(aud, i, v) if (json_is_string(v) && strcmp(json_string_value(v), want) == 0) return true;
    }
    return false;
}

eo_status eo_token_verify(const struct eo_jwt_keys *keys, const char *token, const char *iss,
                          const char *aud, long long now, eo_token_claims *out, eo_err *err)
{
    eo_status st = EO_OK;
    json_t *head = NULL, *body = NULL;
    jwt_t *jwt = NULL;
    char signing_input[EO_TOKEN_MAX];

    memset(out, 0, sizeof *out);
    size_t len = token ? strlen(token) : 0;
    if (len == 0 || len >= EO_TOKEN_MAX) return reject(err, "empty or too long");
    const char *d1 = strchr(token, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.') || d2[1] == '\0') return reject(err, "not a signed compact JWS");

    head = decode_part(token, (size_t)(d1 - token));
    if (!head) {
        st = reject(err, "bad header");
        goto done;
    }
    /* The algorithm is pinned: exact, case-sensitive "ES256"; none, HS256 and lower-case variants all fail here. */
    const char *alg = json_string_value(json_object_get(head, "alg"));
    const char *typ = json_string_value(json_object_get(head, "typ"));
    const char *kid = json_string_value(json_object_get(head, "kid"));
    if (!alg || strcmp(alg, "ES256") != 0) {
        st = reject(err, "alg not ES256");
        goto done;
    }
    if (!typ || strcmp(typ, "at+jwt") != 0) {
        st = reject(err, "typ not at+jwt");
        goto done;
    }
    if (!kid || strcmp(kid, keys->kid) != 0) {
        st = reject(err, "unknown kid");
        goto done;
    }
    if (json_object_get(head, "crit")) {
        st = reject(err, "crit header");
        goto done;
    }
    size_t si_len = (size_t)(d2 - token);
    memcpy(signing_input, token, si_len);
    signing_input[si_len] = '\0';
    if (strlen(d2 + 1) != 86) { /* 64-byte raw signature */
        st = reject(err, "bad signature length");
        goto done;
    }
    if (jwt_new(&jwt) != 0 ||
        jwt_set_alg(jwt, JWT_ALG_ES256, (const unsigned char *)keys->public_pem, (int)keys->public_len) != 0) {
        st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "libjwt init failed");
        goto done;
    }
    if (jwt_verify_sha_pem(jwt, signing_input, d2 + 1) != 0) {
        st = reject(err, "bad signature");
        goto done;
    }

    body = decode_part(d1 + 1, (size_t)(d2 - d1 - 1));
    if (!body) {
        st = reject(err, "bad payload");
        goto done;
    }
    const char *tiss = json_string_value(json_object_get(body, "iss"));
    const char *sub = json_string_value(json_object_get(body, "sub"));
    const char *jti = json_string_value(json_object_get(body, "jti"));
    const char *cli = json_string_value(json_object_get(body, "cli"));
    if (!tiss || strcmp(tiss, iss) != 0) {
        st = reject(err, "wrong iss");
        goto done;
    }
    if (!aud_matches(json_object_get(body, "aud"), aud)) {
        st = reject(err, "wrong aud");
        goto done;
    }
    if (!get_int(body, "exp", &out->exp) || !get_int(body, "nbf", &out->nbf) ||
        !get_int(body, "iat", &out->iat) || !get_int(body, "eid", &out->eid) ||
        !get_int(body, "sid", &out->sid) || !sub || strlen(sub) >= sizeof out->sub || !jti ||
        strlen(jti) >= sizeof out->jti) {
        st = reject(err, "missing claims");
        goto done;
    }
    if (now >= out->exp) {
        st = reject(err, "expired");
        goto done;
    }
    if (out->nbf > now + 30) { /* 30 s leeway for clock skew between nodes */
        st = reject(err, "not yet valid");
        goto done;
    }
    snprintf(out->sub, sizeof out->sub, "%s", sub);
    snprintf(out->jti, sizeof out->jti, "%s", jti);
    out->mobile = cli && strcmp(cli, "mobile") == 0;
done:
    if (st != EO_OK) memset(out, 0, sizeof *out);
    if (jwt) jwt_free(jwt);
    json_decref(head);
    json_decref(body);
    return st;
}
