/* The identity module's handlers, one file per resource (api/register.c,
 * api/enrolments.c, api/login.c, api/sessions.c, api/recovery.c), and the
 * renderers they share; the route table and module descriptor are in
 * api/auth.c. Private to those files (and api/admin.c, which renders the
 * help-desk reset with eo_auth_enrolment_json). */
#ifndef EO_API_AUTH_HANDLERS_H
#define EO_API_AUTH_HANDLERS_H

#include "api/http.h"
#include "svc/identity.h"

void eo_auth_h_register(eo_ctx *c);
void eo_auth_h_qr_png(eo_ctx *c);
void eo_auth_h_qr_svg(eo_ctx *c);
void eo_auth_h_enrolment_verify(eo_ctx *c);
void eo_auth_h_login(eo_ctx *c);
void eo_auth_h_login_mobile(eo_ctx *c);
void eo_auth_h_refresh(eo_ctx *c);
void eo_auth_h_refresh_mobile(eo_ctx *c);
void eo_auth_h_logout(eo_ctx *c);
void eo_auth_h_reset_start(eo_ctx *c);
void eo_auth_h_reset_confirm(eo_ctx *c);

/* {access_token, refresh_token, token_type, expires_in, refresh_expires_in,
 * session_id}; NULL when out of memory. */
json_t *eo_auth_tokens_json(const eo_session_tokens *t);
/* The enrolment answer: Key URI, secret for manual entry, QR as PNG and SVG
 * data URIs and URLs, token, expiry, and recovery codes if any. */
eo_status eo_auth_enrolment_json(eo_ctx *c, const eo_enrolment_started *en, json_t **out, eo_err *err);
/* Marks the employee a sign-in or verification produced as the request's
 * user, for the access log line. */
void eo_auth_set_user(eo_ctx *c, long long employee_id, const char *nip);

#endif
