/* Plataran Sehat over HTTP: the employee's agenda and the admin's sync
 * trigger; the module's start hook reads the client's configuration and
 * starts the background sync (docs/integrations.md). */
#include <string.h>

#include "api/http.h"
#include "core/parse.h"
#include "svc/plataran.h"

static void h_agenda(eo_ctx *c)
{
    const char *y = eo_query(c, "year");
    long long year = 0;
    eo_err err;
    eo_err_init(&err);
    if (y && !eo_parse_int(y, 2000, 2100, &year)) {
        eo_err_field(&err, "year", "out_of_range");
        eo_reply_err(c, &err);
        return;
    }
    json_t *out = NULL;
    if (eo_svc_plataran_agenda(&c->uow, (int)year, &out, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 200, out);
}

static void h_sync(eo_ctx *c)
{
    if (c->req->binary_body_length > 0) { /* nothing to say: an empty body or {} */
        json_t *b = eo_body_object(c);
        if (!b) return;
        eo_err err;
        eo_err_init(&err);
        static const char *const none[] = {NULL};
        eo_json_only(b, none, &err);
        json_decref(b);
        if (err.status != EO_OK) {
            eo_reply_err(c, &err);
            return;
        }
    }
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (eo_svc_plataran_sync(&c->uow, &out, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 200, out);
}

static eo_plataran_job *job;

static eo_status start(eo_app *app, eo_err *err)
{
    eo_plataran_config cfg;
    char msg[200];
    if (eo_plataran_config_from_env(&cfg, msg, sizeof(msg)) != EO_OK)
        return eo_fail_log(err, EO_ERR_INVALID, "config_invalid", "%s", msg);
    eo_svc_plataran_configure(&cfg);
    return eo_plataran_job_start(app, &job, err);
}

static void stop(eo_app *app)
{
    (void)app;
    eo_plataran_job_stop(job);
    job = NULL;
}

static const eo_route routes[] = {
    {"GET", "/api/v1/me/agenda", h_agenda, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/admin/plataran/sync", h_sync, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_plataran = {"plataran", routes, start, stop};
