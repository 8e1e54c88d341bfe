/* Session lifetime: POST /api/v1/auth/refresh, /mobile/v1/auth/refresh
 * (rotating refresh tokens) and POST /api/v1/auth/logout. */
#include <sodium.h>

#include "api/auth_handlers.h"

static void refresh(eo_ctx *c, bool mobile)
{
    static const char *const web_allowed[] = {"refresh_token", NULL};
    static const char *const mobile_allowed[] = {"refresh_token", "device_id", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_session_tokens t;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, mobile ? mobile_allowed : web_allowed, &err);
    eo_session_refresh_req q = {
        .refresh_token = eo_json_get_str(body, "refresh_token", true, 128, &err),
        .mobile = mobile,
        .device_id = mobile ? eo_json_get_str(body, "device_id", true, 128, &err) : NULL,
    };
    if (eo_svc_session_refresh(&c->uow, &q, &t, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, eo_auth_tokens_json(&t));
    sodium_memzero(&t, sizeof t);
    json_decref(body);
    eo_err_clear(&err);
}

void eo_auth_h_refresh(eo_ctx *c) { refresh(c, false); }
void eo_auth_h_refresh_mobile(eo_ctx *c) { refresh(c, true); }

void eo_auth_h_logout(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_session_logout(&c->uow, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_empty(c, 204);
    eo_err_clear(&err);
}
