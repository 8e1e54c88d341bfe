/* Pieces of the identity module that the other identity handlers (admin) reuse. */
#ifndef EO_API_AUTH_H
#define EO_API_AUTH_H

#include "api/http.h"

/* Starts a "reset" enrolment for an account (admin help-desk reset); the
 * enrolment answer (QR, secret, token, recovery codes) goes to *out. Runs on
 * the request's connection, inside its open transaction (db is that connection). */
eo_status eo_auth_admin_reset(eo_ctx *c, eo_db *db, long long account_id, const char *nip, json_t **out, eo_err *err);

#endif
