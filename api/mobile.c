/* /mobile/v1/…: endpoints of the E-Office app that belong to no single feature.
 * GET /mobile/v1/config always answers (even for an outdated app, which it
 * tells so): server time, minimum app version, the caller's geofences for
 * today (office and active duty-travel locations) and today's schedule. */
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "api/presensi.h"
#include "core/presensi.h"
#include "db/presensi.h"

static void h_mobile_config(eo_ctx *c)
{
    eo_db *db;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    eo_err err;
    eo_err_init(&err);
    eo_presensi_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) {
        eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
        return;
    }
    if (eo_db_presensi_context(db, c->who->employee_id, ctx, &err) != EO_OK) {
        free(ctx);
        eo_reply_err(c, &err);
        return;
    }
    const eo_config *cfg = &c->app->cfg;
    const char *v = eo_header(c, "X-App-Version");
    json_t *fences = json_array();
    for (int i = 0; i < ctx->n_fences; i++) {
        const eo_geofence *f = &ctx->fences[i];
        json_array_append_new(fences, json_pack("{s:s, s:s, s:f, s:f, s:i, s:s, s:b, s:s?}", "code", f->code, "name",
                                                f->name, "latitude", f->lat, "longitude", f->lon, "radius_m",
                                                f->radius_m, "time_zone", ctx->fence_tz[i], "extra", f->extra,
                                                "valid_to", f->extra ? ctx->fence_valid_to[i] : NULL));
    }
    json_t *o =
        json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:i, s:I, s:o, s:o, s:b}", "server_time", ctx->server_time,
                  "min_app_version", cfg->min_app_version, "update_required",
                  v && cfg->min_app_version[0] && eo_presensi_version_cmp(v, cfg->min_app_version) < 0, "time_zone",
                  ctx->time_zone, "local_date", ctx->local_date, "local_time", ctx->local_time, "geofence_mode",
                  cfg->geofence == EO_GEOFENCE_FLAG ? "flag" : "reject", "max_accuracy_m", cfg->max_accuracy_m,
                  "max_upload_bytes", (json_int_t)cfg->max_upload_bytes, "geofences", fences, "schedule",
                  eo_presensi_evaluation_json(&ctx->day, ctx->holiday, EO_PRESENSI_NONE, EO_PRESENSI_NONE, false),
                  "web_presensi", cfg->web_presensi);
    free(ctx);
    eo_reply_json(c, 200, o);
}

const eo_route eo_routes_mobile[] = {
    {"GET", "/mobile/v1/config", h_mobile_config, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_mobile = {"mobile", eo_routes_mobile, NULL, NULL};
