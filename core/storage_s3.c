/* S3-compatible back-end over libcurl: path-style URLs <endpoint>/<bucket>/<key>.
 *
 * Requests are signed here (AWS Signature Version 4), not by CURLOPT_AWS_SIGV4:
 * curl 7.88 lists every CURLOPT_HTTPHEADER line in SignedHeaders, including the
 * "Expect:" line that only tells it to drop Expect: 100-continue, so the header
 * it signs is never sent and every verifying S3 answers 403; it also signs the
 * query string as written rather than canonically. Signing ourselves fixes the
 * exact header set: we sign host, x-amz-date, x-amz-content-sha256 (and
 * content-type on PUT), send exactly those plus the unsigned Authorization,
 * Content-Length and Accept, and build every query string already canonical
 * (sorted, percent-encoded) so the URL and the canonical request agree.
 * One easy handle per request keeps this thread-safe without locks. */
#include "core/storage.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/photo.h"

typedef struct {
    eo_storage base;
    char endpoint[256];
    char host[256]; /* authority of the endpoint: the Host header we sign and send */
    char bucket[64];
    char region[32];
    char access_key[128];
    char secret_key[128];
    long timeout_ms;
} s3_storage;

typedef struct {
    unsigned char *buf;
    size_t len, cap, max;
    int overflow;
} sink;

static size_t sink_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
    sink *k = ud;
    size_t n = size * nmemb;
    if (!k) return n;
    if (k->len + n > k->max) {
        k->overflow = 1;
        return 0;
    }
    if (k->len + n > k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 65536;
        while (cap < k->len + n) cap *= 2;
        if (cap > k->max) cap = k->max;
        unsigned char *nb = realloc(k->buf, cap);
        if (!nb) return 0;
        k->buf = nb;
        k->cap = cap;
    }
    memcpy(k->buf + k->len, ptr, n);
    k->len += n;
    return n;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    (void)ud;
    return size * nmemb;
}

static void hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const char *msg)
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof(st));
}

/* The SigV4 Authorization header value for one request. canonical_query must
 * already be canonical (sorted, RFC 3986 encoded); signed_headers names the
 * lines of canonical_headers, which end in '\n'. false when a part does not fit. */
static bool s3_sign(const s3_storage *s3, const char *method, const char *path, const char *canonical_query,
                    const char *canonical_headers, const char *signed_headers, const char *payload_sha,
                    const char *amz_date, char *out, size_t cap)
{
    char creq[4096], creq_sha[65], sts[256], scope[128], secret[136], sig[65];
    unsigned char k[32], mac[32];
    int n = snprintf(creq, sizeof(creq), "%s\n%s\n%s\n%s\n%s\n%s", method, path, canonical_query, canonical_headers,
                     signed_headers, payload_sha);
    if (n < 0 || (size_t)n >= sizeof(creq)) return false;
    eo_sha256_hex(creq, (size_t)n, creq_sha);
    n = snprintf(scope, sizeof(scope), "%.8s/%s/s3/aws4_request", amz_date, s3->region);
    if (n < 0 || (size_t)n >= sizeof(scope)) return false;
    n = snprintf(sts, sizeof(sts), "AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, creq_sha);
    if (n < 0 || (size_t)n >= sizeof(sts)) return false;
    /* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" secret, date), region), "s3"), "aws4_request") */
    char date[9];
    memcpy(date, amz_date, 8);
    date[8] = '\0';
    int sl = snprintf(secret, sizeof(secret), "AWS4%s", s3->secret_key);
    hmac_sha256(k, secret, (size_t)sl, date);
    sodium_memzero(secret, sizeof(secret));
    hmac_sha256(k, k, sizeof(k), s3->region);
    hmac_sha256(k, k, sizeof(k), "s3");
    hmac_sha256(k, k, sizeof(k), "aws4_request");
    hmac_sha256(mac, k, sizeof(k), sts);
    sodium_memzero(k, sizeof(k));
    sodium_bin2hex(sig, sizeof(sig), mac, sizeof(mac));
    n = snprintf(out, cap, "Authorization: AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                 s3->access_key, scope, signed_headers, sig);
    return n > 0 && (size_t)n < cap;
}

/* Runs one signed request on the object key, or on the bucket when key is
 * NULL; query is canonical ("" for none). Returns the HTTP status, 0 on a
 * transport error. */
static long s3_request(s3_storage *s3, const char *method, const char *key, const char *query, const void *body,
                       size_t body_len, const char *content_type, sink *out, eo_err *err)
{
    static const char empty_sha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    char path[160], url[4096], sha[65], amz_date[17], canon_hdrs[640], auth[512];
    char hdr_host[272], hdr_date[40], hdr_sha[96], hdr_ct[160];
    /* Bucket names and keys are validated to unreserved characters, so the
     * path needs no encoding and is its own canonical form. */
    if (key)
        snprintf(path, sizeof(path), "/%s/%s", s3->bucket, key);
    else
        snprintf(path, sizeof(path), "/%s", s3->bucket);
    int n = snprintf(url, sizeof(url), "%s%s%s%s", s3->endpoint, path, query[0] ? "?" : "", query);
    if (n < 0 || (size_t)n >= sizeof(url)) {
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "s3 %s: URL too long", method);
        return 0;
    }
    if (body)
        eo_sha256_hex(body, body_len, sha);
    else
        memcpy(sha, empty_sha, sizeof(sha));
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm);
    if (content_type)
        snprintf(canon_hdrs, sizeof(canon_hdrs), "content-type:%s\nhost:%s\nx-amz-content-sha256:%s\nx-amz-date:%s\n",
                 content_type, s3->host, sha, amz_date);
    else
        snprintf(canon_hdrs, sizeof(canon_hdrs), "host:%s\nx-amz-content-sha256:%s\nx-amz-date:%s\n", s3->host, sha,
                 amz_date);
    const char *signed_hdrs =
        content_type ? "content-type;host;x-amz-content-sha256;x-amz-date" : "host;x-amz-content-sha256;x-amz-date";
    if (!s3_sign(s3, method, path, query, canon_hdrs, signed_hdrs, sha, amz_date, auth, sizeof(auth))) {
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "s3 %s: request too long to sign", method);
        return 0;
    }
    snprintf(hdr_host, sizeof(hdr_host), "Host: %s", s3->host);
    snprintf(hdr_date, sizeof(hdr_date), "x-amz-date: %s", amz_date);
    snprintf(hdr_sha, sizeof(hdr_sha), "x-amz-content-sha256: %s", sha);

    CURL *h = curl_easy_init();
    if (!h) return 0;
    struct curl_slist *hdrs = curl_slist_append(NULL, hdr_host);
    hdrs = curl_slist_append(hdrs, hdr_date);
    hdrs = curl_slist_append(hdrs, hdr_sha);
    hdrs = curl_slist_append(hdrs, auth);
    /* No Expect: 100-continue (curl's default for large bodies): one round
     * trip, and nothing sent that the signature does not account for. */
    hdrs = curl_slist_append(hdrs, "Expect:");
    if (content_type) {
        snprintf(hdr_ct, sizeof(hdr_ct), "Content-Type: %s", content_type);
        hdrs = curl_slist_append(hdrs, hdr_ct);
    }
    sodium_memzero(auth, sizeof(auth));
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, s3->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, s3->timeout_ms < 3000 ? s3->timeout_ms : 3000L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, out ? sink_write : discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    } else if (!(out && out->overflow)) {
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "s3 %s %s: %s", method, key ? key : "(bucket)",
                    curl_easy_strerror(rc));
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return status;
}

static eo_status s3_status(long status, const char *what, eo_err *err)
{
    if (status == 0) {
        if (err && err->status == EO_OK)
            eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "s3 %s: transport error", what);
        return EO_ERR_UNAVAILABLE;
    }
    return eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "s3 %s: HTTP %ld", what, status);
}

static eo_status s3_put(eo_storage *s, const char *key, const void *data, size_t len, const char *content_type,
                        eo_err *err)
{
    long st = s3_request((s3_storage *)s, "PUT", key, "", data, len,
                         content_type ? content_type : "application/octet-stream", NULL, err);
    if (st >= 200 && st < 300) return EO_OK;
    return s3_status(st, "PUT", err);
}

static eo_status s3_get(eo_storage *s, const char *key, unsigned char **data, size_t *len, size_t max_len, eo_err *err)
{
    sink k = {.max = max_len};
    long st = s3_request((s3_storage *)s, "GET", key, "", NULL, 0, NULL, &k, err);
    if (k.overflow) {
        free(k.buf);
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "stored object too large: %s", key);
    }
    if (st == 200) {
        *data = k.buf ? k.buf : calloc(1, 1);
        *len = k.len;
        return EO_OK;
    }
    free(k.buf);
    if (st == 404) return eo_fail(err, EO_ERR_NOT_FOUND, "photo_not_found");
    return s3_status(st, "GET", err);
}

static eo_status s3_del(eo_storage *s, const char *key, eo_err *err)
{
    long st = s3_request((s3_storage *)s, "DELETE", key, "", NULL, 0, NULL, NULL, err);
    if ((st >= 200 && st < 300) || st == 404) return EO_OK;
    return s3_status(st, "DELETE", err);
}

/* The text of the first <tag>…</tag> in [p, end), or NULL; *len its length. */
static const char *xml_text(const char *p, const char *end, const char *tag, size_t *len)
{
    char open[48], close[48];
    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    size_t ol = strlen(open), cl = strlen(close);
    for (const char *q = p; q + ol <= end; q++) {
        if (memcmp(q, open, ol) != 0) continue;
        const char *v = q + ol;
        for (const char *r = v; r + cl <= end; r++)
            if (memcmp(r, close, cl) == 0) {
                *len = (size_t)(r - v);
                return v;
            }
        return NULL;
    }
    return NULL;
}

/* "2026-11-30T12:34:56.000Z" -> Unix seconds; 0 when unreadable (treated as old). */
static double iso_utc(const char *v, size_t n)
{
    char buf[32];
    if (n >= sizeof(buf)) return 0;
    memcpy(buf, v, n);
    buf[n] = '\0';
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    int y, mo, d, h, mi, sec;
    if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6) return 0;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return (double)timegm(&tm);
}

/* Query values are percent-encoded as SigV4 canonicalises them (unreserved kept). */
static void query_escape(char *out, size_t cap, const char *v, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < cap; i++) {
        unsigned char ch = (unsigned char)v[i];
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
            ch == '_' || ch == '.' || ch == '~') {
            out[o++] = (char)ch;
        } else {
            out[o++] = '%';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        }
    }
    out[o] = '\0';
}

/* Undoes XML's escaping of character data (the five predefined entities; a
 * token holds nothing else). Returns the length, or -1 when unreadable. */
static int xml_unescape(char *out, size_t cap, const char *v, size_t n)
{
    static const struct {
        const char *ent;
        char ch;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (o + 1 >= cap) return -1;
        if (v[i] != '&') {
            out[o++] = v[i++];
            continue;
        }
        size_t e = 0;
        while (e < sizeof(ents) / sizeof(ents[0]) &&
               !(n - i >= strlen(ents[e].ent) && memcmp(v + i, ents[e].ent, strlen(ents[e].ent)) == 0))
            e++;
        if (e == sizeof(ents) / sizeof(ents[0])) return -1;
        out[o++] = ents[e].ch;
        i += strlen(ents[e].ent);
    }
    out[o] = '\0';
    return (int)o;
}

/* ListObjectsV2, 1000 keys a page, following NextContinuationToken. Bounded:
 * 1 MiB a page, a token of 1 KiB, 100000 pages. The query is written in its
 * SigV4 canonical form (parameters sorted, values percent-encoded), which the
 * signer uses as is. */
static eo_status s3_list(eo_storage *s, eo_storage_each_fn each, void *ud, eo_err *err)
{
    char token[1024], escaped[3 * sizeof(token) + 1] = "", query[sizeof(escaped) + 64];
    for (int page = 0; page < 100000; page++) {
        if (escaped[0])
            snprintf(query, sizeof(query), "continuation-token=%s&list-type=2&max-keys=1000", escaped);
        else
            snprintf(query, sizeof(query), "list-type=2&max-keys=1000");
        sink k = {.max = 1u << 20};
        long st = s3_request((s3_storage *)s, "GET", NULL, query, NULL, 0, NULL, &k, err);
        if (st != 200 || k.overflow) {
            free(k.buf);
            if (k.overflow)
                return eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "s3 LIST: page too large");
            return s3_status(st, "LIST", err);
        }
        const char *p = (const char *)k.buf, *end = p + k.len;
        bool go = true;
        size_t n;
        const char *c;
        while (go && p && (c = xml_text(p, end, "Contents", &n)) != NULL) {
            size_t kl = 0, ml = 0;
            const char *kv = xml_text(c, c + n, "Key", &kl), *mv = xml_text(c, c + n, "LastModified", &ml);
            char key[80];
            if (kv && kl < sizeof(key)) {
                memcpy(key, kv, kl);
                key[kl] = '\0';
                if (eo_storage_key_valid(key)) go = each(ud, key, mv ? iso_utc(mv, ml) : 0);
            }
            p = c + n;
        }
        size_t tl = 0, nl = 0;
        const char *trunc = k.buf ? xml_text((const char *)k.buf, end, "IsTruncated", &tl) : NULL;
        const char *next = k.buf ? xml_text((const char *)k.buf, end, "NextContinuationToken", &nl) : NULL;
        bool more = go && trunc && tl == 4 && memcmp(trunc, "true", 4) == 0;
        int tn = more && next ? xml_unescape(token, sizeof(token), next, nl) : -1;
        free(k.buf);
        if (!more) return EO_OK;
        if (tn <= 0)
            return eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable",
                               "s3 LIST: truncated page without a usable continuation token");
        query_escape(escaped, sizeof(escaped), token, (size_t)tn);
    }
    return EO_OK;
}

static void s3_close(eo_storage *s)
{
    sodium_memzero(((s3_storage *)s)->secret_key, sizeof(((s3_storage *)s)->secret_key));
    free(s);
}

static const struct eo_storage_ops s3_ops = {s3_put, s3_get, s3_del, s3_list, NULL, s3_close};

/* Printable ASCII without space; credentials also refuse what would break the
 * Authorization header ("/" and "," separate its fields). */
static bool s3_setting_ok(const char *v, size_t cap, const char *forbidden)
{
    size_t n = strlen(v);
    if (n >= cap) return false;
    for (const char *p = v; *p; p++)
        if (*p <= ' ' || *p > '~' || strchr(forbidden, *p)) return false;
    return true;
}

eo_status eo_storage_s3_open(const eo_s3_options *opt, eo_storage **out, eo_err *err)
{
    *out = NULL;
    if (!opt->endpoint || !*opt->endpoint || !opt->bucket || !*opt->bucket)
        return eo_fail_log(err, EO_ERR_INVALID, "storage_config",
                           "EOFFICE_S3_ENDPOINT and EOFFICE_S3_BUCKET are required for s3 storage");
    const char *authority = strncmp(opt->endpoint, "http://", 7) == 0    ? opt->endpoint + 7
                            : strncmp(opt->endpoint, "https://", 8) == 0 ? opt->endpoint + 8
                                                                         : NULL;
    if (!authority) return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "EOFFICE_S3_ENDPOINT must be http(s)://");
    size_t alen = strcspn(authority, "/");
    for (const char *p = authority + alen; *p; p++)
        if (*p != '/')
            return eo_fail_log(err, EO_ERR_INVALID, "storage_config",
                               "EOFFICE_S3_ENDPOINT takes no path (path-style URLs are <endpoint>/<bucket>/<key>)");
    const char *region = opt->region && *opt->region ? opt->region : "us-east-1";
    const char *ak = opt->access_key ? opt->access_key : "", *sk = opt->secret_key ? opt->secret_key : "";
    if (strlen(opt->endpoint) >= 256 || alen == 0 || strlen(opt->bucket) >= 64 ||
        !s3_setting_ok(region, sizeof(((s3_storage *)0)->region), "/,"))
        return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "S3 endpoint, bucket or region unusable");
    if (memchr(authority, '@', alen) || !s3_setting_ok(ak, sizeof(((s3_storage *)0)->access_key), "/,=") ||
        !s3_setting_ok(sk, sizeof(((s3_storage *)0)->secret_key) - 4, ""))
        return eo_fail_log(err, EO_ERR_INVALID, "storage_config",
                           "EOFFICE_S3_ACCESS_KEY / EOFFICE_S3_SECRET_KEY unusable (printable, no spaces; the"
                           " endpoint carries no credentials)");
    for (const char *p = opt->bucket; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
            return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "EOFFICE_S3_BUCKET is not a bucket name");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    s3_storage *s3 = calloc(1, sizeof(*s3));
    if (!s3) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    s3->base.ops = &s3_ops;
    s3->base.name = "s3";
    snprintf(s3->endpoint, sizeof(s3->endpoint), "%.*s", (int)(authority - opt->endpoint + (ptrdiff_t)alen),
             opt->endpoint);
    snprintf(s3->host, sizeof(s3->host), "%.*s", (int)alen, authority);
    snprintf(s3->bucket, sizeof(s3->bucket), "%s", opt->bucket);
    snprintf(s3->region, sizeof(s3->region), "%s", region);
    snprintf(s3->access_key, sizeof(s3->access_key), "%s", ak);
    snprintf(s3->secret_key, sizeof(s3->secret_key), "%s", sk);
    s3->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 10000;
    *out = &s3->base;
    return EO_OK;
}
