/* POST /api/v1/auth/login (web) and /mobile/v1/auth/login (app, bound to a device). */
#include <sodium.h>

#include "api/auth_handlers.h"
#include "core/password.h"

static void login(eo_ctx *c, bool mobile)
{
    static const char *const web_allowed[] = {"nip", "password", "otp", NULL};
    static const char *const mobile_allowed[] = {"nip",      "password",    "otp",           "device_id", "device_name",
                                                 "platform", "app_version", "refresh_token", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_login_result r;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, mobile ? mobile_allowed : web_allowed, &err);
    eo_login_req q = {
        .nip = eo_json_get_str(body, "nip", true, 32, &err),
        .password = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err),
        .otp = eo_json_get_str(body, "otp", true, 16, &err),
        .mobile = mobile,
    };
    if (mobile) {
        q.device_id = eo_json_get_str(body, "device_id", true, 128, &err);
        q.device_name = eo_json_get_str(body, "device_name", false, 128, &err);
        q.platform = eo_json_get_str(body, "platform", true, 16, &err);
        q.app_version = eo_json_get_str(body, "app_version", false, 32, &err);
        /* Proof of a known device (svc/identity.h eo_login_req). */
        q.refresh_token = eo_json_get_str(body, "refresh_token", false, 256, &err);
    }
    if (eo_svc_identity_login(&c->uow, &q, &r, &err)) {
        eo_reply_err(c, &err);
    } else {
        eo_auth_set_user(c, r.employee_id, r.nip);
        eo_reply_json(c, 200, eo_auth_tokens_json(&r.tokens));
    }
    sodium_memzero(&r, sizeof r);
    json_decref(body);
    eo_err_clear(&err);
}

void eo_auth_h_login(eo_ctx *c) { login(c, false); }
void eo_auth_h_login_mobile(eo_ctx *c) { login(c, true); }
