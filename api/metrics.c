#include "api/metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/session_cache.h"

static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))
/* Series are (method, route, status); routes are a fixed set, so this is a hard cap. */
#define MAX_SERIES 1024

typedef struct {
    const char *method;
    char route[128];
    int status;
    unsigned long long count;
    unsigned long long bucket[N_BUCKETS];
    double sum;
} series;

struct eo_metrics {
    pthread_mutex_t mu;
    int n;
    unsigned long long dropped;
    series s[MAX_SERIES];
};

struct eo_metrics *eo_metrics_create(void)
{
    struct eo_metrics *m = calloc(1, sizeof(*m));
    if (m) pthread_mutex_init(&m->mu, NULL);
    return m;
}

void eo_metrics_destroy(struct eo_metrics *m)
{
    if (!m) return;
    pthread_mutex_destroy(&m->mu);
    free(m);
}

void eo_metrics_observe(struct eo_metrics *m, const char *method, const char *route, int status, double seconds)
{
    pthread_mutex_lock(&m->mu);
    series *s = NULL;
    for (int i = 0; i < m->n; i++) {
        if (m->s[i].status == status && strcmp(m->s[i].method, method) == 0 && strcmp(m->s[i].route, route) == 0) {
            s = &m->s[i];
            break;
        }
    }
    if (!s && m->n < MAX_SERIES) {
        s = &m->s[m->n++];
        s->method = method;
        snprintf(s->route, sizeof(s->route), "%s", route);
        s->status = status;
    }
    if (!s) {
        m->dropped++;
    } else {
        s->count++;
        s->sum += seconds;
        for (size_t b = 0; b < N_BUCKETS; b++)
            if (seconds <= buckets[b]) s->bucket[b]++;
    }
    pthread_mutex_unlock(&m->mu);
}

/* A growable text buffer with a hard cap. */
typedef struct {
    char *p;
    size_t len, cap;
} buf;

static void bprintf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) return;
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t ncap = b->cap ? b->cap * 2 : 16384;
        while (ncap < b->len + (size_t)n + 1) ncap *= 2;
        if (ncap > (16u << 20)) return; /* cap: never more than 16 MiB of metrics */
        char *np = realloc(b->p, ncap);
        if (!np) return;
        b->p = np;
        b->cap = ncap;
    }
}

char *eo_metrics_render(struct eo_metrics *m, eo_pool *pool)
{
    buf b = {0};
    bprintf(&b,
            "# HELP eoffice_build_info Build information.\n# TYPE eoffice_build_info gauge\n"
            "eoffice_build_info{version=\"%s\"} 1\n",
            EOFFICE_VERSION);
    pthread_mutex_lock(&m->mu);
    bprintf(&b, "# HELP eoffice_http_requests_total HTTP requests by method, route and status.\n"
                "# TYPE eoffice_http_requests_total counter\n");
    for (int i = 0; i < m->n; i++)
        bprintf(&b, "eoffice_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n", m->s[i].method,
                m->s[i].route, m->s[i].status, m->s[i].count);
    bprintf(&b, "# HELP eoffice_http_request_duration_seconds Time from routing to reply.\n"
                "# TYPE eoffice_http_request_duration_seconds histogram\n");
    for (int i = 0; i < m->n; i++) {
        series *s = &m->s[i];
        for (size_t k = 0; k < N_BUCKETS; k++)
            bprintf(&b,
                    "eoffice_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",status=\"%d\",le=\"%g\"} "
                    "%llu\n",
                    s->method, s->route, s->status, buckets[k], s->bucket[k]);
        bprintf(
            &b,
            "eoffice_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",status=\"%d\",le=\"+Inf\"} %llu\n",
            s->method, s->route, s->status, s->count);
        bprintf(&b, "eoffice_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\",status=\"%d\"} %.6f\n",
                s->method, s->route, s->status, s->sum);
        bprintf(&b, "eoffice_http_request_duration_seconds_count{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
                s->method, s->route, s->status, s->count);
    }
    bprintf(&b,
            "# HELP eoffice_metrics_series_dropped_total Observations not recorded (series cap).\n"
            "# TYPE eoffice_metrics_series_dropped_total counter\neoffice_metrics_series_dropped_total %llu\n",
            m->dropped);
    pthread_mutex_unlock(&m->mu);
    if (pool) {
        int size, in_use, waiting;
        eo_pool_stats(pool, &size, &in_use, &waiting);
        bprintf(
            &b,
            "# HELP eoffice_db_pool_size Database connections in the pool.\n# TYPE eoffice_db_pool_size gauge\n"
            "eoffice_db_pool_size %d\n"
            "# HELP eoffice_db_pool_in_use Database connections borrowed now.\n# TYPE eoffice_db_pool_in_use gauge\n"
            "eoffice_db_pool_in_use %d\n"
            "# HELP eoffice_db_pool_waiting Requests waiting for a database connection.\n"
            "# TYPE eoffice_db_pool_waiting gauge\neoffice_db_pool_waiting %d\n",
            size, in_use, waiting);
    }
    unsigned long long sh, sm, ph, pm;
    bool trusted;
    eo_session_cache_stats(&sh, &sm, &trusted);
    eo_profile_cache_stats(&ph, &pm);
    bprintf(&b,
            "# HELP eoffice_session_cache_hits_total Authenticated requests answered by the session cache.\n"
            "# TYPE eoffice_session_cache_hits_total counter\neoffice_session_cache_hits_total %llu\n"
            "# HELP eoffice_session_cache_misses_total Authenticated requests that queried the session.\n"
            "# TYPE eoffice_session_cache_misses_total counter\neoffice_session_cache_misses_total %llu\n"
            "# HELP eoffice_session_cache_trusted 1 while the invalidation channel is proven alive.\n"
            "# TYPE eoffice_session_cache_trusted gauge\neoffice_session_cache_trusted %d\n"
            "# HELP eoffice_profile_cache_hits_total GET /me answered from the profile cache.\n"
            "# TYPE eoffice_profile_cache_hits_total counter\neoffice_profile_cache_hits_total %llu\n"
            "# HELP eoffice_profile_cache_misses_total GET /me that queried the profile.\n"
            "# TYPE eoffice_profile_cache_misses_total counter\neoffice_profile_cache_misses_total %llu\n",
            sh, sm, trusted ? 1 : 0, ph, pm);
    return b.p;
}

/* ---- the metrics listener ---- */

struct eo_metrics_listener {
    struct MHD_Daemon *daemon;
};

static enum MHD_Result answer(struct MHD_Connection *con, unsigned int status, const char *type, char *body, size_t len,
                              bool head)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET, HEAD");
    (void)head; /* libmicrohttpd itself omits the body of a HEAD answer */
    enum MHD_Result ret = MHD_queue_response(con, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Answers once the whole request is in; a body is read and ignored. */
static enum MHD_Result metrics_access(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                                      const char *version, const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    (void)version;
    (void)upload_data;
    static int first;
    if (!*con_cls) {
        *con_cls = &first;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    eo_app *app = cls;
    bool head = strcmp(method, "HEAD") == 0;
    if (strcmp(url, "/metrics") != 0) {
        static char nf[] = "not found\n";
        return answer(con, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", nf, sizeof nf - 1, head);
    }
    if (!head && strcmp(method, "GET") != 0) {
        static char na[] = "method not allowed\n";
        return answer(con, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", na, sizeof na - 1, head);
    }
    char *text = eo_metrics_render(app->metrics, app->pool);
    if (!text) {
        static char oom[] = "out of memory\n";
        return answer(con, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", oom, sizeof oom - 1, head);
    }
    enum MHD_Result ret =
        answer(con, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text), head);
    free(text);
    return ret;
}

/* MHD_start_daemon in this process is api/framing.c's stand-in, reserved for the
 * one ulfius daemon; this listener starts through the va_list entry point, which
 * the stand-in does not cover. It needs no framing check: it takes no request
 * body into account and answers one read-only path on a scrape-only address. */
static struct MHD_Daemon *start_plain(unsigned int flags, uint16_t port, MHD_AccessHandlerCallback dh, void *cls, ...)
{
    va_list ap;
    va_start(ap, cls);
    struct MHD_Daemon *d = MHD_start_daemon_va(flags, port, NULL, NULL, dh, cls, ap);
    va_end(ap);
    return d;
}

struct eo_metrics_listener *eo_metrics_listen(eo_app *app, char *msg, size_t msglen)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app->cfg.metrics_port)};
    if (inet_pton(AF_INET, app->cfg.metrics_bind, &addr.sin_addr) != 1) {
        snprintf(msg, msglen, "EOFFICE_METRICS_BIND must be an IPv4 address");
        return NULL;
    }
    struct eo_metrics_listener *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(msg, msglen, "out of memory");
        return NULL;
    }
    /* One polling thread and a handful of connections: a scraper, not the public. */
    l->daemon =
        start_plain(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG, (uint16_t)app->cfg.metrics_port,
                    metrics_access, app, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT,
                    (unsigned int)16, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
                    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_END);
    if (!l->daemon) {
        snprintf(msg, msglen, "cannot listen on %s:%d (EOFFICE_METRICS_BIND / EOFFICE_METRICS_PORT)",
                 app->cfg.metrics_bind, app->cfg.metrics_port);
        free(l);
        return NULL;
    }
    return l;
}

void eo_metrics_listener_stop(struct eo_metrics_listener *l)
{
    if (!l) return;
    MHD_stop_daemon(l->daemon);
    free(l);
}
