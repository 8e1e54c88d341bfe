/* Prometheus metrics: request counts and latency histograms by route and
 * status, plus database pool gauges. */
#ifndef EO_API_METRICS_H
#define EO_API_METRICS_H

#include "api/http.h"

struct eo_metrics *eo_metrics_create(void);
void eo_metrics_destroy(struct eo_metrics *m);
/* route must be a string that outlives the server (a route pattern or a literal). */
void eo_metrics_observe(struct eo_metrics *m, const char *method, const char *route, int status, double seconds);
/* Renders the text exposition format; the caller frees the result. */
char *eo_metrics_render(struct eo_metrics *m, eo_pool *pool);

/* The metrics listener: a small libmicrohttpd daemon of its own on
 * EOFFICE_METRICS_BIND:EOFFICE_METRICS_PORT (default 127.0.0.1:9464) that answers
 * GET /metrics and nothing else. The API listener has no /metrics route, so the
 * numbers (routes, pool sizes, traffic) are never public even when the API is
 * bound to 0.0.0.0. NULL with a message in msg when it cannot listen. */
struct eo_metrics_listener *eo_metrics_listen(eo_app *app, char *msg, size_t msglen);
void eo_metrics_listener_stop(struct eo_metrics_listener *l);

#endif
