#include "api/router.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>
#include <time.h>

#include "api/http.h"
#include "api/arrival.h"
#include "api/metrics.h"
#include "svc/session_cache.h"

atomic_int eo_router_in_flight;
atomic_bool eo_router_draining;

/* Matches one pattern ("/a/{x}/b") against a path; fills params. */
static bool pattern_match(const char *pattern, const char *path, const char **params, char *buf, size_t buflen)
{
    size_t used = 0;
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close) return false;
            const char *seg_end = strchr(s, '/');
            size_t len = seg_end ? (size_t)(seg_end - s) : strlen(s);
            if (len == 0 || n >= EO_MAX_PATH_PARAMS || used + len + 1 > buflen) return false;
            if (params) {
                memcpy(buf + used, s, len);
                buf[used + len] = '\0';
                params[n] = buf + used;
            }
            n++;
            used += len + 1;
            p = close + 1;
            s += len;
        } else {
            if (*p != *s) return false;
            p++;
            s++;
        }
    }
    return *p == '\0' && *s == '\0';
}

const eo_route *eo_router_match(const char *method, const char *path, const char **params, char *param_buf,
                                size_t param_buf_len, bool *path_known, char *allow, size_t allow_len)
{
    *path_known = false;
    if (allow_len) allow[0] = '\0';
    bool head = strcmp(method, "HEAD") == 0;
    const eo_route *found = NULL;
    for (const eo_module *const *m = eo_modules(); *m; m++) {
        for (const eo_route *r = (*m)->routes; r->method; r++) {
            if (!pattern_match(r->pattern, path, NULL, NULL, 4096)) continue;
            *path_known = true;
            if (allow_len && !strstr(allow, r->method)) {
                if (allow[0]) strncat(allow, ", ", allow_len - strlen(allow) - 1);
                strncat(allow, r->method, allow_len - strlen(allow) - 1);
            }
            if (!found && (strcmp(r->method, method) == 0 || (head && strcmp(r->method, "GET") == 0))) {
                pattern_match(r->pattern, path, params, param_buf, param_buf_len);
                found = r;
            }
        }
    }
    return found;
}

static bool request_id_is_sane(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64) return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return false;
    return true;
}

static void set_request_id(eo_ctx *c)
{
    const char *given = eo_header(c, "X-Request-Id");
    if (given && request_id_is_sane(given)) {
        snprintf(c->request_id, sizeof(c->request_id), "%s", given);
        return;
    }
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(c->request_id, sizeof(c->request_id), raw, sizeof(raw));
}

/* English when the first language range the client lists is English. */
static bool prefers_english(const char *accept_language)
{
    if (!accept_language) return false;
    while (*accept_language == ' ') accept_language++;
    return strncasecmp(accept_language, "en", 2) == 0 &&
           (accept_language[2] == '\0' || accept_language[2] == '-' || accept_language[2] == ',' ||
            accept_language[2] == ';' || accept_language[2] == ' ');
}

static bool ip_is_trusted_proxy(const eo_config *cfg, const char *ip)
{
    return eo_config_proxy_trusted(cfg, ip); /* exact addresses and CIDR ranges (core/config.c) */
}

/* An address in its canonical text form (inet_ntop), so that it compares
 * with the peer's and with EOFFICE_TRUSTED_PROXIES. False for anything else. */
static bool canonical_addr(const char *text, char *out, size_t len)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, text, &a4) == 1) return inet_ntop(AF_INET, &a4, out, (socklen_t)len) != NULL;
    if (inet_pton(AF_INET6, text, &a6) == 1) return inet_ntop(AF_INET6, &a6, out, (socklen_t)len) != NULL;
    return false;
}

/* The address of one hop: an X-Forwarded-For entry ("192.0.2.1", "2001:db8::1")
 * or the for= of one Forwarded element (RFC 7239: for=192.0.2.1,
 * for="192.0.2.1:4711", for="[2001:db8::1]:443"). Names, "unknown" and
 * obfuscated identifiers are not addresses. */
static bool hop_addr(char *entry, bool forwarded, char *out, size_t len)
{
    char *v = entry;
    if (forwarded) {
        v = NULL;
        for (char *save = NULL, *pair = strtok_r(entry, ";", &save); pair; pair = strtok_r(NULL, ";", &save)) {
            while (*pair == ' ' || *pair == '\t') pair++;
            if (strncasecmp(pair, "for=", 4) == 0) v = pair + 4;
        }
        if (!v) return false;
    }
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) v[--n] = '\0';
    if (forwarded && n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        v[--n] = '\0';
        v++;
        n--;
    }
    if (forwarded && v[0] == '[') {
        char *close = strchr(v, ']');
        if (!close || (close[1] && close[1] != ':')) return false;
        *close = '\0';
        v++;
    } else if (forwarded) {
        char *colon = strchr(v, ':');
        if (colon && !strchr(colon + 1, ':')) *colon = '\0'; /* IPv4 with a port */
    }
    return canonical_addr(v, out, len);
}

/* The peer address; when the peer is a trusted proxy, the client it names in
 * the one header it is configured to set (EOFFICE_PROXY_HEADER:
 * X-Forwarded-For or Forwarded): the right-most hop that is not itself a
 * trusted proxy. The other header, and every header from an untrusted peer,
 * is ignored: a client can write anything there. An entry that is not an
 * address stops the walk at the last trusted hop. */
static void set_client_ip(eo_ctx *c)
{
    snprintf(c->client_ip, sizeof(c->client_ip), "unknown");
    const struct sockaddr *sa = c->req->client_address;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, c->client_ip, sizeof(c->client_ip));
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, c->client_ip, sizeof(c->client_ip));
    if (!ip_is_trusted_proxy(&c->app->cfg, c->client_ip)) return;
    bool forwarded = strcmp(c->app->cfg.proxy_header, "forwarded") == 0;
    const char *value = eo_header(c, forwarded ? "Forwarded" : "X-Forwarded-For");
    if (!value || strlen(value) > 1024) return;
    char copy[1025];
    snprintf(copy, sizeof(copy), "%s", value);
    for (;;) {
        char *comma = strrchr(copy, ',');
        char *entry = comma ? comma + 1 : copy;
        char addr[64];
        if (!hop_addr(entry, forwarded, addr, sizeof addr)) return;
        snprintf(c->client_ip, sizeof(c->client_ip), "%s", addr);
        if (!comma || !ip_is_trusted_proxy(&c->app->cfg, addr)) return;
        *comma = '\0';
    }
}

/* Adds CORS headers for an allowed origin. Returns false for a preflight that
 * has been answered already. */
static bool handle_cors(eo_ctx *c, bool path_known, const char *allow)
{
    const char *origin = eo_header(c, "Origin");
    bool allowed = origin && eo_config_cors_allowed(&c->app->cfg, origin);
    bool preflight = strcmp(c->req->http_verb, "OPTIONS") == 0 && eo_header(c, "Access-Control-Request-Method");
    if (allowed) {
        eo_set_header(c, "Access-Control-Allow-Origin", origin);
        eo_set_header(c, "Vary", "Origin");
        eo_set_header(c, "Access-Control-Expose-Headers", "X-Request-Id, Retry-After, Location");
    }
    if (!preflight) return true;
    if (!path_known) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "not_found");
    } else if (!allowed) {
        eo_reply_problem(c, EO_ERR_FORBIDDEN, "cors_origin_denied");
    } else {
        eo_set_header(c, "Access-Control-Allow-Methods", allow);
        eo_set_header(c, "Access-Control-Allow-Headers",
                      "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Accept-Language, X-App-Version");
        eo_set_header(c, "Access-Control-Max-Age", "600");
        eo_reply_empty(c, 204);
    }
    return false;
}

/* 413 when the declared or received body is over the route's limit. */
static bool body_within_limit(eo_ctx *c)
{
    size_t limit = (c->route->flags & EO_R_UPLOAD) ? c->app->cfg.max_upload_bytes : c->app->cfg.max_body_bytes;
    const char *cl = eo_header(c, "Content-Length");
    if (cl) {
        char *end = NULL;
        unsigned long long n = strtoull(cl, &end, 10);
        if (end == cl || *end || n > limit) goto too_large;
    }
    if (c->req->binary_body_length > limit) goto too_large;
    return true;
too_large:;
    eo_err err;
    eo_err_init(&err);
    eo_fail(&err, EO_ERR_TOO_LARGE, "payload_too_large");
    eo_err_extra(&err, "max_bytes", json_integer((json_int_t)limit));
    eo_reply_err(c, &err);
    return false;
}

/* The request method as a bounded label (logs and metrics never carry arbitrary text). */
static const char *method_label(const char *m)
{
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", NULL};
    for (const char *const *k = known; *k; k++)
        if (m && strcmp(*k, m) == 0) return *k;
    return "OTHER";
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void log_request(eo_ctx *c, const char *route, double ms)
{
    char user[48] = "null";
    if (c->who) snprintf(user, sizeof(user), "\"%s\"", c->who->nip);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char ts[32];
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* Every interpolated value is static, sanitised or numeric: no escaping needed. */
    fprintf(stderr,
            "{\"ts\":\"%s\",\"level\":\"info\",\"msg\":\"request\",\"method\":\"%s\",\"route\":\"%s\","
            "\"status\":%ld,\"duration_ms\":%.2f,\"request_id\":\"%s\",\"user\":%s,\"ip\":\"%s\"}\n",
            ts, method_label(c->req->http_verb), route, c->res->status, ms, c->request_id, user, c->client_ip);
}

int eo_router_dispatch(const struct _u_request *req, struct _u_response *res, void *user_data)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    atomic_fetch_add(&eo_router_in_flight, 1);

    eo_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    eo_ctx *c = &ctx;
    c->req = req;
    c->res = res;
    c->app = user_data;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    c->dispatched_at = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
    if (!eo_arrival_take(req->client_address, &c->arrived_at) || c->arrived_at > c->dispatched_at)
        c->arrived_at = c->dispatched_at;
    set_request_id(c);
    c->lang_en = prefers_english(eo_header(c, "Accept-Language"));
    set_client_ip(c);
    eo_uow_init(&c->uow, c->app, NULL, c->dispatched_at);
    c->uow.ip = c->client_ip;
    c->uow.user_agent = eo_user_agent(c);
    c->uow.request_id = c->request_id;
    c->uow.idempotency_key = eo_header(c, "Idempotency-Key");
    eo_set_header(c, "X-Request-Id", c->request_id);
    eo_set_header(c, "X-Content-Type-Options", "nosniff");
    if (atomic_load(&eo_router_draining)) eo_set_header(c, "Connection", "close");

    const char *method = req->http_verb ? req->http_verb : "";
    const char *path = req->url_path ? req->url_path : "/";
    bool path_known = false;
    char allow[96];

    c->route =
        eo_router_match(method, path, c->params, c->param_buf, sizeof(c->param_buf), &path_known, allow, sizeof(allow));
    if (!handle_cors(c, path_known, allow)) goto done;
    if (!c->route) {
        if (path_known) {
            eo_set_header(c, "Allow", allow);
            eo_reply_problem(c, EO_ERR_METHOD_NOT_ALLOWED, "method_not_allowed");
        } else {
            eo_reply_problem(c, EO_ERR_NOT_FOUND, "not_found");
        }
        goto done;
    }
    if (c->route->flags & EO_R_NO_STORE) eo_set_header(c, "Cache-Control", "no-store");
    if (!body_within_limit(c)) goto done;
    if (c->route->flags & EO_R_AUTH) {
        eo_err err;
        eo_err_init(&err);
        if (eo_auth_authenticate(c, &err) == EO_OK) {
            c->who = &c->principal;
            c->uow.who = c->who;
        }
        if (!c->who) {
            if (err.status == EO_OK) eo_fail(&err, EO_ERR_UNAUTHORIZED, "unauthorized");
            if (err.status == EO_ERR_UNAUTHORIZED) eo_set_header(c, "WWW-Authenticate", "Bearer");
            eo_reply_err(c, &err);
            goto done;
        }
    }
    if (c->route->flags & EO_R_APIKEY) {
        eo_err err;
        eo_err_init(&err);
        if (eo_apikey_authenticate(c, &err) != EO_OK) {
            if (err.status == EO_ERR_UNAUTHORIZED) eo_set_header(c, "WWW-Authenticate", "ApiKey");
            eo_reply_err(c, &err);
            goto done;
        }
    }
    c->route->handler(c);
    /* Read your own writes: the caller's next GET /me must not come from a
     * cache entry their own change (settings, password, ...) made stale
     * before the NOTIFY of migration 0050 reaches this process. Routes that
     * write nothing the profile shows (check-in, check-out) keep it: at 07.30
     * each employee's next /me would otherwise query once more. */
    if (c->who && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && !(c->route->flags & EO_R_KEEPS_PROFILE))
        eo_profile_cache_forget(c->who->employee_id);
    if (!c->replied) {
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"handler did not reply\",\"route\":\"%s\"}\n",
                c->route->pattern);
        eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
    }
done:
    eo_uow_end(&c->uow);
    double ms = elapsed_ms(&t0);
    /* Unmatched paths are not labels: they would let any client grow the series. */
    const char *route_name = c->route ? c->route->pattern : "(unmatched)";
    if (!c->route && path_known) route_name = strcmp(method, "OPTIONS") == 0 ? "(preflight)" : "(method_not_allowed)";
    log_request(c, route_name, ms);
    if (c->app->metrics)
        eo_metrics_observe(c->app->metrics, method_label(method), route_name, (int)res->status, ms / 1e3);
    atomic_fetch_sub(&eo_router_in_flight, 1);
    return U_CALLBACK_COMPLETE;
}
