/* Lost authenticator ("Generate Ulang"): POST
 * /api/v1/auth/authenticator/reset/start (mails a code) and …/confirm
 * (starts a new enrolment). */
#include <sodium.h>

#include "api/auth_handlers.h"
#include "core/password.h"

void eo_auth_h_reset_start(eo_ctx *c)
{
    static const char *const allowed[] = {"nip", "password", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    eo_recovery_start_req q = {
        .nip = eo_json_get_str(body, "nip", true, 32, &err),
        .password = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err),
    };
    if (eo_svc_recovery_start(&c->uow, &q, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 202, json_pack("{s:s}", "status", "code_sent_if_account_valid"));
    json_decref(body);
    eo_err_clear(&err);
}

void eo_auth_h_reset_confirm(eo_ctx *c)
{
    static const char *const allowed[] = {"nip", "password", "email_code", "recovery_code", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_enrolment_started en;
    json_t *out = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    eo_recovery_confirm_req q = {
        .nip = eo_json_get_str(body, "nip", true, 32, &err),
        .password = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err),
        .email_code = eo_json_get_str(body, "email_code", false, 16, &err),
        .recovery_code = eo_json_get_str(body, "recovery_code", false, 32, &err),
    };
    if (eo_svc_recovery_confirm(&c->uow, &q, &en, &err) || eo_auth_enrolment_json(c, &en, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 201, out);
    sodium_memzero(&en, sizeof en);
    json_decref(body);
    eo_err_clear(&err);
}
