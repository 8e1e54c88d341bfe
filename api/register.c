/* POST /api/v1/auth/register: sign-up, answered with the enrolment (QR). */
#include <sodium.h>

#include "api/auth_handlers.h"
#include "core/password.h"

void eo_auth_h_register(eo_ctx *c)
{
    static const char *const allowed[] = {"nip",   "nik",      "personal_email",        "office_email",
                                          "phone", "password", "password_confirmation", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_enrolment_started en;
    json_t *out = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    eo_register_req q = {
        .nip = eo_json_get_str(body, "nip", true, 32, &err), /* trimmed by the use case */
        .nik = eo_json_get_str(body, "nik", true, 16, &err),
        .personal_email = eo_json_get_str(body, "personal_email", true, 254, &err),
        .office_email = eo_json_get_str(body, "office_email", true, 254, &err),
        .phone = eo_json_get_str(body, "phone", true, 16, &err),
        .password = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err),
        .password_confirmation = eo_json_get_str(body, "password_confirmation", true, 4 * EO_PASSWORD_MAX, &err),
    };
    if (eo_svc_identity_register(&c->uow, &q, &en, &err) || eo_auth_enrolment_json(c, &en, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 201, out);
    sodium_memzero(&en, sizeof en);
    json_decref(body);
    eo_err_clear(&err);
}
