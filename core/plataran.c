#include "core/plataran.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/parse.h"

/* ------------------------------------------------------------ configuration */

static bool env_long(const char *name, long def, long min, long max, long *out, char *msg, size_t msglen)
{
    const char *v = getenv(name);
    long long n = def;
    if (v && *v && !eo_parse_int(v, min, max, &n)) {
        snprintf(msg, msglen, "%s must be an integer in %ld..%ld", name, min, max);
        return false;
    }
    *out = (long)n;
    return true;
}

eo_status eo_plataran_config_from_env(eo_plataran_config *cfg, char *msg, size_t msglen)
{
    memset(cfg, 0, sizeof(*cfg));
    const char *url = getenv("EOFFICE_PLATARAN_URL");
    if (url && *url) {
        size_t n = strlen(url);
        if (n >= sizeof(cfg->base_url) || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)) {
            snprintf(msg, msglen, "EOFFICE_PLATARAN_URL must be an http(s) URL shorter than %zu bytes",
                     sizeof(cfg->base_url));
            return EO_ERR_INVALID;
        }
        while (n > 0 && url[n - 1] == '/') n--; /* paths start with "/" */
        memcpy(cfg->base_url, url, n);
        cfg->base_url[n] = 0;
    }
    long retries, sync, cooldown;
    if (!env_long("EOFFICE_PLATARAN_CONNECT_TIMEOUT_MS", 1000, 10, 60000, &cfg->connect_timeout_ms, msg, msglen) ||
        !env_long("EOFFICE_PLATARAN_TIMEOUT_MS", 3000, 10, 120000, &cfg->timeout_ms, msg, msglen) ||
        !env_long("EOFFICE_PLATARAN_RETRIES", 2, 0, 5, &retries, msg, msglen) ||
        !env_long("EOFFICE_PLATARAN_BACKOFF_MS", 200, 0, 10000, &cfg->backoff_ms, msg, msglen) ||
        !env_long("EOFFICE_PLATARAN_SYNC_S", 3600, 0, 604800, &sync, msg, msglen) ||
        !env_long("EOFFICE_PLATARAN_COOLDOWN_S", 30, 0, 3600, &cooldown, msg, msglen))
        return EO_ERR_INVALID;
    cfg->retries = (int)retries;
    cfg->sync_interval_s = (int)sync;
    cfg->cooldown_s = (int)cooldown;
    return EO_OK;
}

/* ------------------------------------------------------------ the GET */

typedef struct {
    char *buf;
    size_t len, cap;
    bool too_big;
    char etag[201];
} sink;

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t add = size * n;
    if (s->len + add > EO_PLATARAN_MAX_BODY) {
        s->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 8192;
        while (cap < s->len + add + 1) cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b) return 0;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, add);
    s->len += add;
    s->buf[s->len] = 0;
    return add;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t len = size * n;
    if (len > 5 && strncasecmp(data, "etag:", 5) == 0) {
        const char *v = data + 5;
        size_t vl = len - 5;
        while (vl && (*v == ' ' || *v == '\t')) v++, vl--;
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' ')) vl--;
        if (vl < sizeof(s->etag)) {
            memcpy(s->etag, v, vl);
            s->etag[vl] = 0;
        } else {
            s->etag[0] = 0; /* too long to keep: no conditional request next time */
        }
    }
    return len;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

void eo_plataran_response_free(eo_plataran_response *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

eo_status eo_plataran_get(const eo_plataran_config *cfg, const char *path, const char *etag, eo_plataran_response *out,
                          eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!cfg->base_url[0]) return eo_fail(err, EO_ERR_UNAVAILABLE, "plataran_not_configured");
    char url[1024], inm[256];
    if ((size_t)snprintf(url, sizeof(url), "%s%s", cfg->base_url, path) >= sizeof(url))
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "plataran: URL too long");
    CURL *h = curl_easy_init();
    if (!h) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "plataran: curl_easy_init");
    struct curl_slist *hdrs = curl_slist_append(NULL, "Accept: application/json");
    if (etag && etag[0] && (size_t)snprintf(inm, sizeof(inm), "If-None-Match: %s", etag) < sizeof(inm))
        hdrs = curl_slist_append(hdrs, inm);
    const char *fail_code = "plataran_unavailable";
    char last[160] = "";
    for (int attempt = 0; attempt <= cfg->retries; attempt++) {
        if (attempt > 0) sleep_ms(cfg->backoff_ms << (attempt - 1));
        sink s = {0};
        curl_easy_reset(h);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
        out->attempts = attempt + 1;
        CURLcode rc = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (rc == CURLE_OK && (status == 200 || status == 304 || status == 404)) {
            out->status = status;
            snprintf(out->etag, sizeof(out->etag), "%s", s.etag);
            if (status == 200) {
                out->body = s.buf ? s.buf : strdup("");
                out->len = s.len;
            } else {
                free(s.buf);
            }
            curl_slist_free_all(hdrs);
            curl_easy_cleanup(h);
            return out->body || status != 200 ? EO_OK : eo_fail(err, EO_ERR_INTERNAL, "internal");
        }
        free(s.buf);
        if (s.too_big) {
            fail_code = "plataran_bad_response";
            snprintf(last, sizeof(last), "body over %u bytes", EO_PLATARAN_MAX_BODY);
            break;
        }
        if (rc == CURLE_OK && status != 429 && status < 500) { /* a 4xx other than 404: retrying will not help */
            fail_code = "plataran_bad_response";
            snprintf(last, sizeof(last), "HTTP %ld", status);
            break;
        }
        snprintf(last, sizeof(last), "%s", rc == CURLE_OK ? "HTTP 5xx/429" : curl_easy_strerror(rc));
        if (rc == CURLE_OK) snprintf(last, sizeof(last), "HTTP %ld", status);
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return eo_fail_log(err, EO_ERR_UNAVAILABLE, fail_code, "plataran GET %s: %s after %d attempt(s)", path, last,
                       out->attempts);
}

/* ------------------------------------------------------------ parsers */

static eo_status garbage(eo_err *err, const char *why)
{
    return eo_fail_log(err, EO_ERR_UNAVAILABLE, "plataran_bad_response", "plataran: %s", why);
}

static bool str_ok(json_t *v, size_t min, size_t max)
{
    return json_is_string(v) && json_string_length(v) >= min && json_string_length(v) <= max &&
           strlen(json_string_value(v)) == json_string_length(v); /* no NUL inside */
}

static bool one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0) return true;
    return false;
}

static json_t *load(const char *body, size_t len)
{
    return body ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
}

eo_status eo_plataran_parse_catalogue(const char *body, size_t len, json_t **programmes, eo_err *err)
{
    static const char *const methods[] = {"pelatihan", "coaching",   "mentoring",  "magang", "e_learning",
                                          "seminar",   "self_study", "on_the_job", NULL};
    static const char *const categories[] = {"formal", "social", "experiential", NULL};
    *programmes = NULL;
    json_t *doc = load(body, len), *list = json_object_get(doc, "programmes");
    if (!json_is_object(doc) || !json_is_array(list) || json_array_size(list) > 5000) {
        json_decref(doc);
        return garbage(err, "catalogue is not {\"programmes\": [...]}");
    }
    json_t *out = json_array(), *seen = json_object();
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        json_t *id = json_object_get(p, "id"), *title = json_object_get(p, "title"),
               *desc = json_object_get(p, "description"), *method = json_object_get(p, "method"),
               *cat = json_object_get(p, "category"), *jp = json_object_get(p, "jp"),
               *comps = json_object_get(p, "competencies"), *org = json_object_get(p, "organiser_unit_code");
        bool ok = json_is_object(p) && str_ok(id, 1, 100) && str_ok(title, 1, 200) &&
                  (!desc || json_is_null(desc) || str_ok(desc, 0, 4000)) && str_ok(method, 1, 32) &&
                  one_of(json_string_value(method), methods) && str_ok(cat, 1, 32) &&
                  one_of(json_string_value(cat), categories) && json_is_integer(jp) && json_integer_value(jp) >= 1 &&
                  json_integer_value(jp) <= 1000 && (!org || json_is_null(org) || str_ok(org, 1, 64)) &&
                  (!comps || (json_is_array(comps) && json_array_size(comps) <= 50));
        size_t j;
        json_t *c;
        if (ok && comps) json_array_foreach(comps, j, c) ok = ok && str_ok(c, 1, 40);
        if (ok && json_object_get(seen, json_string_value(id))) ok = false; /* ids are unique */
        if (!ok) {
            json_decref(out);
            json_decref(seen);
            json_decref(doc);
            return garbage(err, "catalogue item malformed");
        }
        json_object_set_new(seen, json_string_value(id), json_true());
        json_t *codes = comps ? json_incref(comps) : json_array();
        json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:O, s:O, s:O, s:o, s:O}", "id", id, "title", title,
                                             "description", str_ok(desc, 0, 4000) ? json_string_value(desc) : "",
                                             "method", method, "category", cat, "jp", jp, "competencies", codes,
                                             "organiser_unit_code", org ? org : json_null()));
    }
    json_decref(seen);
    json_decref(doc);
    *programmes = out;
    return EO_OK;
}

/* "2027-02-01T08:00:00+07:00" or "...Z": the shape, then a real instant. */
static bool rfc3339(const char *s, time_t *out)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (strlen(s) < 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
    const char *z = s + 19;
    int off = 0;
    if (strcmp(z, "Z") != 0) {
        int oh, om, m = 0;
        if ((z[0] != '+' && z[0] != '-') || sscanf(z + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5 || z[6] ||
            oh > 14 || om > 59)
            return false;
        off = (z[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    *out = timegm(&tm) - off;
    return true;
}

eo_status eo_plataran_parse_schedule(const char *body, size_t len, const char *expected_id, json_t **sessions,
                                     eo_err *err)
{
    static const char *const modes[] = {"online", "offline", "hybrid", NULL};
    *sessions = NULL;
    json_t *doc = load(body, len), *pid = json_object_get(doc, "programme_id"),
           *list = json_object_get(doc, "sessions");
    if (!json_is_object(doc) || !str_ok(pid, 1, 100) || strcmp(json_string_value(pid), expected_id) != 0 ||
        !json_is_array(list) || json_array_size(list) > 500) {
        json_decref(doc);
        return garbage(err, "schedule is not {\"programme_id\", \"sessions\": [...]}");
    }
    json_t *out = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s)
    {
        json_t *id = json_object_get(s, "id"), *title = json_object_get(s, "title"),
               *start = json_object_get(s, "starts_at"), *end = json_object_get(s, "ends_at"),
               *loc = json_object_get(s, "location"), *mode = json_object_get(s, "mode");
        time_t t0 = 0, t1 = 0;
        bool ok = json_is_object(s) && str_ok(id, 1, 100) && (!title || json_is_null(title) || str_ok(title, 0, 200)) &&
                  str_ok(start, 20, 40) && str_ok(end, 20, 40) && rfc3339(json_string_value(start), &t0) &&
                  rfc3339(json_string_value(end), &t1) && t1 > t0 &&
                  (!loc || json_is_null(loc) || str_ok(loc, 0, 300)) && str_ok(mode, 1, 16) &&
                  one_of(json_string_value(mode), modes);
        if (!ok) {
            json_decref(out);
            json_decref(doc);
            return garbage(err, "schedule session malformed");
        }
        json_array_append_new(out, json_pack("{s:O, s:s, s:O, s:O, s:s, s:O}", "id", id, "title",
                                             str_ok(title, 0, 200) ? json_string_value(title) : "", "starts_at", start,
                                             "ends_at", end, "location",
                                             str_ok(loc, 0, 300) ? json_string_value(loc) : "", "mode", mode));
    }
    json_decref(doc);
    *sessions = out;
    return EO_OK;
}
