#include "core/token.h"

#include <pthread.h>
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 8,192 sets of 4 ways. Direct-mapped, 10,000 live tokens in 32,768 slots
 * collided for about one token in seven, and two colliding tokens evicted each
 * other on every request (an ES256 verify each time); with 4 ways a set
 * overflows for well under 1 % of tokens. The oldest way of a full set goes. */
#define TOKEN_CACHE_WAYS 4
#define TOKEN_CACHE_SETS 8192

typedef struct {
    unsigned char key[32]; /* SHA-256(iss NUL aud NUL token) */
    bool used;
    unsigned long long stamp; /* when it was stored or last hit (a counter): the oldest way is replaced */
    eo_token_claims claims;
} token_slot;

struct eo_token_cache {
    pthread_mutex_t mu;
    unsigned long long hits, misses, clock;
    token_slot slot[TOKEN_CACHE_SETS][TOKEN_CACHE_WAYS];
};

/* ES256 over "header.payload" with the key parsed once at start-up (OpenSSL,
 * libjwt's own back-end): re-reading the PEM for every request, as libjwt's
 * API does, cost more CPU than the rest of a check-in's authentication. */
static bool es256_sign(EVP_PKEY *pkey, const char *input, size_t len, unsigned char raw[64])
{
    bool ok = false;
    unsigned char der[80];
    size_t der_len = sizeof der;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    ECDSA_SIG *sig = NULL;
    if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1 ||
        EVP_DigestSign(md, der, &der_len, (const unsigned char *)input, len) != 1)
        goto done;
    const unsigned char *p = der;
    sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (!sig) goto done;
    const BIGNUM *r, *s;
    ECDSA_SIG_get0(sig, &r, &s);
    ok = BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32;
done:
    ECDSA_SIG_free(sig);
    EVP_MD_CTX_free(md);
    return ok;
}

static bool es256_verify(EVP_PKEY *pkey, const char *input, size_t len, const unsigned char raw[64])
{
    bool ok = false;
    unsigned char *der = NULL;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!sig || !r || !s || !md || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        goto done;
    }
    int der_len = i2d_ECDSA_SIG(sig, &der);
    ok = der_len > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
         EVP_DigestVerify(md, der, (size_t)der_len, (const unsigned char *)input, len) == 1;
done:
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    EVP_MD_CTX_free(md);
    return ok;
}

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
    if (sodium_base642bin(out, outmax, in, inlen, NULL, &bin_len, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) !=
            0 ||
        end != in + inlen)
        return -1;
    return (long)bin_len;
}

eo_status eo_token_keys_from_pem(const char *pem, size_t len, struct eo_jwt_keys **out, eo_err *err)
{
    eo_status st = EO_OK;
    struct eo_jwt_keys *k = NULL;
    EVP_PKEY *pkey = NULL;
    char group[32] = "";
    unsigned char point[65];
    size_t point_len = 0;

    *out = NULL;
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    if (bio) pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!pkey) return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key: no PEM private key");
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC ||
        !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, NULL) ||
        strcmp(group, "prime256v1") != 0 ||
        !EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &point_len) ||
        point_len != 65 || point[0] != 0x04) {
        EVP_PKEY_free(pkey);
        return eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key: not an EC P-256 key");
    }
    k = calloc(1, sizeof *k);
    if (!k) {
        EVP_PKEY_free(pkey);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    k->pkey = pkey;
    k->cache = calloc(1, sizeof *k->cache);
    if (!k->cache || pthread_mutex_init(&k->cache->mu, NULL) != 0) {
        free(k->cache);
        k->cache = NULL;
        st = eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    eo_b64url(point + 1, 32, k->x, sizeof k->x);
    eo_b64url(point + 33, 32, k->y, sizeof k->y);

    /* RFC 7638: SHA-256 over the required members in lexicographic order. */
    char canon[256];
    int cn = snprintf(canon, sizeof canon, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", k->x, k->y);
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
        st = eo_fail_log(err, EO_ERR_INVALID, "jwt_key_invalid", "JWT key: self-test failed (%s)", tmp.log_detail);
        goto done;
    }
    *out = k;
    k = NULL;
done:
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
    if (keys->cache) {
        pthread_mutex_destroy(&keys->cache->mu);
        free(keys->cache);
    }
    EVP_PKEY_free(keys->pkey);
    free(keys);
}

json_t *eo_token_jwks(const struct eo_jwt_keys *keys)
{
    json_t *key = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256", "x", keys->x, "y",
                            keys->y, "kid", keys->kid, "alg", "ES256", "use", "sig");
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

eo_status eo_token_mint(const struct eo_jwt_keys *keys, const char *iss, const char *aud, const eo_token_claims *claims,
                        char *out, size_t outlen, eo_err *err)
{
    eo_status st = EO_OK;
    unsigned char sig[64];
    char jti[48];
    if (claims->jti[0]) {
        snprintf(jti, sizeof jti, "%s", claims->jti);
    } else {
        unsigned char r[16];
        randombytes_buf(r, sizeof r);
        eo_b64url(r, sizeof r, jti, sizeof jti);
    }
    json_t *head = json_pack("{s:s, s:s, s:s}", "alg", "ES256", "typ", "at+jwt", "kid", keys->kid);
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s}", "iss", iss, "aud", aud, "sub", claims->sub, "eid",
                  (json_int_t)claims->eid, "sid", (json_int_t)claims->sid, "iat", (json_int_t)claims->iat, "nbf",
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

    if (!es256_sign(keys->pkey, out, n, sig)) {
        st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "ES256 signing failed");
        goto done;
    }
    if (n + 2 >= outlen) goto too_long;
    out[n++] = '.';
    if (!eo_b64url(sig, sizeof sig, out + n, outlen - n)) goto too_long;
    goto done;
too_long:
    st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "token buffer too small");
done:
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

static void cache_key(const char *iss, const char *aud, const char *token, unsigned char out[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)iss, strlen(iss) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)aud, strlen(aud) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)token, strlen(token));
    crypto_hash_sha256_final(&st, out);
}

static size_t cache_set(const unsigned char key[32])
{
    return ((size_t)key[0] | (size_t)key[1] << 8 | (size_t)key[2] << 16) % TOKEN_CACHE_SETS;
}

/* The time rules of a verified token (also applied on every cache hit). */
static eo_status check_times(const eo_token_claims *cl, long long now, eo_err *err)
{
    if (now >= cl->exp) return reject(err, "expired");
    if (cl->nbf > now + 30) return reject(err, "not yet valid"); /* 30 s leeway for clock skew between nodes */
    return EO_OK;
}

void eo_token_cache_stats(const struct eo_jwt_keys *keys, unsigned long long *hits, unsigned long long *misses)
{
    *hits = *misses = 0;
    if (!keys->cache) return;
    pthread_mutex_lock(&keys->cache->mu);
    *hits = keys->cache->hits;
    *misses = keys->cache->misses;
    pthread_mutex_unlock(&keys->cache->mu);
}

static eo_status verify_uncached(const struct eo_jwt_keys *keys, const char *token, const char *iss, const char *aud,
                                 long long now, eo_token_claims *out, eo_err *err);

eo_status eo_token_verify(const struct eo_jwt_keys *keys, const char *token, const char *iss, const char *aud,
                          long long now, eo_token_claims *out, eo_err *err)
{
    struct eo_token_cache *c = keys->cache;
    size_t len = token ? strlen(token) : 0;
    if (!c || len == 0 || len >= EO_TOKEN_MAX) return verify_uncached(keys, token, iss, aud, now, out, err);
    unsigned char key[32];
    cache_key(iss, aud, token, key);
    token_slot *set = c->slot[cache_set(key)];
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    for (int w = 0; w < TOKEN_CACHE_WAYS && !hit; w++) {
        if (set[w].used && sodium_memcmp(set[w].key, key, sizeof key) == 0) {
            hit = true;
            *out = set[w].claims;
            set[w].stamp = ++c->clock;
        }
    }
    c->hits += hit;
    c->misses += !hit;
    pthread_mutex_unlock(&c->mu);
    if (hit) {
        eo_status st = check_times(out, now, err);
        if (st) memset(out, 0, sizeof *out);
        return st;
    }
    eo_status st = verify_uncached(keys, token, iss, aud, now, out, err);
    if (st) return st;
    pthread_mutex_lock(&c->mu);
    token_slot *s = &set[0];
    for (int w = 0; w < TOKEN_CACHE_WAYS; w++) {
        if (set[w].used && sodium_memcmp(set[w].key, key, sizeof key) == 0) { /* another thread stored it */
            s = &set[w];
            break;
        }
        if (!set[w].used || set[w].stamp < s->stamp) s = &set[w];
        if (!set[w].used) break;
    }
    memcpy(s->key, key, sizeof key);
    s->claims = *out;
    s->used = true;
    s->stamp = ++c->clock;
    pthread_mutex_unlock(&c->mu);
    return EO_OK;
}

static eo_status verify_uncached(const struct eo_jwt_keys *keys, const char *token, const char *iss, const char *aud,
                                 long long now, eo_token_claims *out, eo_err *err)
{
    eo_status st = EO_OK;
    json_t *head = NULL, *body = NULL;
    unsigned char sig[64];

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
    /* 64-byte raw R||S signature, base64url without padding. */
    if (strlen(d2 + 1) != 86 || b64url_decode(d2 + 1, 86, sig, sizeof sig) != 64) {
        st = reject(err, "bad signature length");
        goto done;
    }
    if (!es256_verify(keys->pkey, token, (size_t)(d2 - token), sig)) {
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
    if (!get_int(body, "exp", &out->exp) || !get_int(body, "nbf", &out->nbf) || !get_int(body, "iat", &out->iat) ||
        !get_int(body, "eid", &out->eid) || !get_int(body, "sid", &out->sid) || !sub ||
        strlen(sub) >= sizeof out->sub || !jti || strlen(jti) >= sizeof out->jti) {
        st = reject(err, "missing claims");
        goto done;
    }
    st = check_times(out, now, err);
    if (st) goto done;
    snprintf(out->sub, sizeof out->sub, "%s", sub);
    snprintf(out->jti, sizeof out->jti, "%s", jti);
    out->mobile = cli && strcmp(cli, "mobile") == 0;
done:
    if (st != EO_OK) memset(out, 0, sizeof *out);
    json_decref(head);
    json_decref(body);
    return st;
}
