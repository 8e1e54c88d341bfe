/* S3-compatible back-end over libcurl: path-style URLs <endpoint>/<bucket>/<key>,
 * requests signed with CURLOPT_AWS_SIGV4. curl 7.88 does not add
 * x-amz-content-sha256 itself, so every request sets it (and Content-Type on PUT).
 * One easy handle per request keeps this thread-safe without locks. */
#include "core/storage.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/photo.h"

typedef struct {
    eo_storage base;
    char endpoint[256];
    char bucket[64];
    char sigv4[64];
    char userpwd[260];
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

/* Runs one signed request; returns the HTTP status or 0 on a transport error. */
static long s3_request(s3_storage *s3, const char *method, const char *key, const void *body, size_t body_len,
                       const char *content_type, sink *out, eo_err *err)
{
    static const char empty_sha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    char url[1536], hdr_sha[128], hdr_ct[128], sha[65];
    if (key[0] == '?') /* a bucket-level request (ListObjectsV2): key is the query */
        snprintf(url, sizeof(url), "%s/%s%s", s3->endpoint, s3->bucket, key);
    else
        snprintf(url, sizeof(url), "%s/%s/%s", s3->endpoint, s3->bucket, key);
    if (body)
        eo_sha256_hex(body, body_len, sha);
    else
        memcpy(sha, empty_sha, sizeof(sha));
    snprintf(hdr_sha, sizeof(hdr_sha), "x-amz-content-sha256: %s", sha);

    CURL *h = curl_easy_init();
    if (!h) return 0;
    struct curl_slist *hdrs = curl_slist_append(NULL, hdr_sha);
    hdrs = curl_slist_append(hdrs, "Expect:");
    if (content_type) {
        snprintf(hdr_ct, sizeof(hdr_ct), "Content-Type: %s", content_type);
        hdrs = curl_slist_append(hdrs, hdr_ct);
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, s3->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, s3->timeout_ms < 3000 ? s3->timeout_ms : 3000L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, s3->sigv4);
    curl_easy_setopt(h, CURLOPT_USERPWD, s3->userpwd);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    } else if (strcmp(method, "GET") != 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, out ? sink_write : discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    } else if (!(out && out->overflow)) {
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "s3 %s %s: %s", method, key,
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
    long st = s3_request((s3_storage *)s, "PUT", key, data, len,
                         content_type ? content_type : "application/octet-stream", NULL, err);
    if (st >= 200 && st < 300) return EO_OK;
    return s3_status(st, "PUT", err);
}

static eo_status s3_get(eo_storage *s, const char *key, unsigned char **data, size_t *len, size_t max_len, eo_err *err)
{
    sink k = {.max = max_len};
    long st = s3_request((s3_storage *)s, "GET", key, NULL, 0, NULL, &k, err);
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
    long st = s3_request((s3_storage *)s, "DELETE", key, NULL, 0, NULL, NULL, err);
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

/* ListObjectsV2, 1000 keys a page, following NextContinuationToken. Bounded:
 * 1 MiB a page, 100000 pages. Parameters are written in sorted order, as the
 * SigV4 canonical query string wants them. */
static eo_status s3_list(eo_storage *s, eo_storage_each_fn each, void *ud, eo_err *err)
{
    char token[1024] = "", query[1200];
    for (int page = 0; page < 100000; page++) {
        if (token[0])
            snprintf(query, sizeof(query), "?continuation-token=%s&list-type=2&max-keys=1000", token);
        else
            snprintf(query, sizeof(query), "?list-type=2&max-keys=1000");
        sink k = {.max = 1u << 20};
        long st = s3_request((s3_storage *)s, "GET", query, NULL, 0, NULL, &k, err);
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
        bool more = go && trunc && tl == 4 && memcmp(trunc, "true", 4) == 0 && next && nl > 0 && nl < 300;
        if (more) query_escape(token, sizeof(token), next, nl);
        free(k.buf);
        if (!more) return EO_OK;
    }
    return EO_OK;
}

static void s3_close(eo_storage *s) { free(s); }

static const struct eo_storage_ops s3_ops = {s3_put, s3_get, s3_del, s3_list, s3_close};

eo_status eo_storage_s3_open(const eo_s3_options *opt, eo_storage **out, eo_err *err)
{
    *out = NULL;
    if (!opt->endpoint || !*opt->endpoint || !opt->bucket || !*opt->bucket)
        return eo_fail_log(err, EO_ERR_INVALID, "storage_config",
                           "EOFFICE_S3_ENDPOINT and EOFFICE_S3_BUCKET are required for s3 storage");
    if (strncmp(opt->endpoint, "http://", 7) != 0 && strncmp(opt->endpoint, "https://", 8) != 0)
        return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "EOFFICE_S3_ENDPOINT must be http(s)://");
    if (strlen(opt->endpoint) >= 256 || strlen(opt->bucket) >= 64 || (opt->region && strlen(opt->region) >= 32))
        return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "S3 setting too long");
    for (const char *p = opt->bucket; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
            return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "EOFFICE_S3_BUCKET is not a bucket name");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    s3_storage *s3 = calloc(1, sizeof(*s3));
    if (!s3) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    s3->base.ops = &s3_ops;
    s3->base.name = "s3";
    snprintf(s3->endpoint, sizeof(s3->endpoint), "%s", opt->endpoint);
    size_t n = strlen(s3->endpoint);
    while (n > 0 && s3->endpoint[n - 1] == '/') s3->endpoint[--n] = '\0';
    snprintf(s3->bucket, sizeof(s3->bucket), "%s", opt->bucket);
    snprintf(s3->sigv4, sizeof(s3->sigv4), "aws:amz:%s:s3", opt->region && *opt->region ? opt->region : "us-east-1");
    snprintf(s3->userpwd, sizeof(s3->userpwd), "%s:%s", opt->access_key ? opt->access_key : "",
             opt->secret_key ? opt->secret_key : "");
    s3->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 10000;
    *out = &s3->base;
    return EO_OK;
}
