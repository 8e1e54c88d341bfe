/* Operations endpoints: liveness, readiness, metrics and the API document. */
#include <stdlib.h>
#include <string.h>

#include "api/metrics.h"
#include "core/resources.h"
#include "db/health.h"
#include "db/migrate.h"

static void h_healthz(eo_ctx *c) { eo_reply_json(c, 200, json_pack("{s:s}", "status", "ok")); }

static void h_readyz(eo_ctx *c)
{
    eo_db *db;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    eo_err err;
    eo_err_init(&err);
    eo_migrate_state st;
    if (eo_db_health_ping(db, &err) || eo_migrate_status(db, &st, NULL, &err)) {
        eo_reply_err(c, &err);
        return;
    }
    if (st.pending || st.changed) {
        eo_fail(&err, EO_ERR_UNAVAILABLE, "schema_not_current");
        eo_err_extra(&err, "pending", json_integer(st.pending));
        eo_err_extra(&err, "changed", json_integer(st.changed));
        err.retry_after_s = 5;
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 200,
                  json_pack("{s:s, s:s, s:{s:i, s:i}}", "status", "ready", "database", "ok", "schema", "applied",
                            st.applied, "available", st.available));
}

static void h_metrics(eo_ctx *c)
{
    char *text = eo_metrics_render(c->app->metrics, c->app->pool);
    if (!text) {
        eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
        return;
    }
    eo_reply_bytes(c, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
    free(text);
}

static void h_openapi(eo_ctx *c)
{
    const eo_resource *r = eo_resource_find("openapi.yaml");
    if (!r) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "not_found");
        return;
    }
    eo_reply_bytes(c, 200, "application/yaml; charset=utf-8", r->data, r->len);
}

const eo_route eo_routes_health[] = {
    {"GET", "/healthz", h_healthz, 0},      {"GET", "/readyz", h_readyz, 0}, {"GET", "/metrics", h_metrics, 0},
    {"GET", "/openapi.yaml", h_openapi, 0}, {NULL, NULL, NULL, 0},
};

const eo_module eo_module_health = {"health", eo_routes_health, NULL, NULL};
