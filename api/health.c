/* Operations endpoints: liveness, readiness and the API document. Metrics have a
 * listener of their own (api/metrics.h): the API never answers /metrics. */
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "core/resources.h"
#include "svc/health.h"

static void h_healthz(eo_ctx *c) { eo_reply_json(c, 200, json_pack("{s:s}", "status", "ok")); }

static void h_readyz(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_svc_health_ready_out out;
    if (eo_svc_health_ready(&c->uow, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200,
                      json_pack("{s:s, s:s, s:{s:i, s:i}}", "status", "ready", "database", "ok", "schema", "applied",
                                out.applied, "available", out.available));
    eo_err_clear(&err);
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
    {"GET", "/healthz", h_healthz, 0},
    {"GET", "/readyz", h_readyz, 0},
    {"GET", "/openapi.yaml", h_openapi, 0},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_health = {"health", eo_routes_health, NULL, NULL};
