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

#endif
