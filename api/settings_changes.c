/* Settings changes waiting for confirmation (docs/settings.md): the
 * confirmer's queue, confirm / refuse, the employee's withdrawal, and the
 * direct set by an anpeg or admin. svc/settings_changes.c decides. */
#include <stdio.h>
#include <string.h>

#include "api/http.h"
#include "api/me.h"
#include "svc/settings_changes.h"

static void h_queue(eo_ctx *c)
{
    char scope[64];
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    snprintf(scope, sizeof scope, "settings_changes|who=%lld", c->who->employee_id);
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    if (eo_svc_settings_changes_queue(&c->uow, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

static void act(eo_ctx *c, eo_settings_action action)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "settings_change_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    const char *note;
    json_t *b, *out = NULL;
    if (!eo_step_note_or_reply(c, action != EO_SETTINGS_WITHDRAW, &b, &note, &err)) return;
    if (err.status == EO_OK) eo_svc_settings_change_act(&c->uow, id, action, note, &out, &err);
    json_decref(b);
    eo_reply_json_or_err(c, &err, 200, out);
}

static void h_confirm(eo_ctx *c) { act(c, EO_SETTINGS_CONFIRM); }
static void h_refuse(eo_ctx *c) { act(c, EO_SETTINGS_REFUSE); }
static void h_withdraw(eo_ctx *c) { act(c, EO_SETTINGS_WITHDRAW); }

static void h_direct(eo_ctx *c)
{
    const char *nip = eo_param(c, 0);
    eo_err err;
    eo_err_init(&err);
    if (!nip || strlen(nip) > 32) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "employee_not_found");
        return;
    }
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_svc_me_settings_in in;
    eo_api_settings_body(body, &in, &err);
    json_t *out = NULL;
    if (eo_svc_settings_direct_set(&c->uow, nip, in.office_location_code, in.supervisor_nip, in.work_schedule_code,
                                   &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
    json_decref(body);
    eo_err_clear(&err);
}

static const eo_route routes[] = {
    {"GET", "/api/v1/settings-changes", h_queue, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/settings-changes/{id}/confirm", h_confirm, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/settings-changes/{id}/refuse", h_refuse, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/settings-changes/{id}/withdraw", h_withdraw, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/employees/{nip}/settings", h_direct, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_settings_changes = {"settings_changes", routes, NULL, NULL};
