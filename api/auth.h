/* Pieces of api/auth.c that the other identity handlers (me, admin) reuse. */
#ifndef EO_API_AUTH_H
#define EO_API_AUTH_H

#include "api/http.h"

/* Creates a session for the employee and returns the token answer
 * {access_token, refresh_token, token_type, expires_in, …} in *out. */
eo_status eo_auth_issue_tokens(eo_ctx *c, eo_db *db, long long employee_id, const char *nip, long long device_row,
                               bool mobile, json_t **out, eo_err *err);

/* Starts a "reset" enrolment for an account (admin help-desk reset); the
 * enrolment answer (QR, secret, token, recovery codes) goes to *out. */
eo_status eo_auth_admin_reset(eo_ctx *c, eo_db *db, long long account_id, const char *nip, json_t **out, eo_err *err);

#endif
