/* Identity use cases: sign-up with authenticator enrolment, sign-in,
 * sessions (issue, refresh rotation, logout) and the lost-authenticator
 * ("Generate Ulang") flow.
 *
 * Every use case works on the unit's connection (eo_uow_db) and reads the
 * clock only from u->now: TOTP steps, token lifetimes, refresh expiry and
 * throttle waits all follow it, so a C integration test chooses the instant.
 * Request fields may be NULL when the caller could not parse them; the field
 * errors already in err are kept, the use case adds its own validation
 * errors and stops before any work while err->status is set. Failures that
 * must look the same to a client (wrong NIP, password or code) all end in
 * EO_ERR_UNAUTHORIZED "invalid_credentials"; a throttled key gives
 * EO_ERR_THROTTLED "too_many_attempts" with retry_after_s. */
#ifndef EO_SVC_IDENTITY_H
#define EO_SVC_IDENTITY_H

#include <stdbool.h>

#include "core/identity.h"
#include "core/token.h"
#include "core/totp.h"
#include "svc/uow.h"

/* ---- sessions (svc/session.c) ---- */

/* What a client gets when a session starts or refreshes. Holds a secret
 * (the refresh token): callers sodium_memzero it when done. */
typedef struct {
    char access_token[EO_TOKEN_MAX];
    char refresh_token[EO_OPAQUE_LEN];
    long long session_id;
    int expires_in;         /* access token lifetime, seconds */
    int refresh_expires_in; /* refresh token lifetime, seconds */
} eo_session_tokens;

typedef struct {
    long long employee_id;
    const char *nip;
    long long device_row; /* devices.id the session is bound to; 0 = none (web) */
    bool mobile;
} eo_session_issue_req;

/* The one way tokens are issued: a new session at u->now (client ip and user
 * agent from the unit), its first refresh token, and a signed access token.
 * Runs inside the caller's transaction, if one is open. */
eo_status eo_svc_session_issue(eo_uow *u, const eo_session_issue_req *in, eo_session_tokens *out, eo_err *err);

typedef struct {
    const char *refresh_token;
    bool mobile;
    const char *device_id; /* mobile: the device the session is bound to */
} eo_session_refresh_req;

/* Rotates a refresh token: the old one is spent, a new pair comes back. A
 * spent token presented again ends the whole session (it was stolen or the
 * client is confused). Owns its transaction. */
eo_status eo_svc_session_refresh(eo_uow *u, const eo_session_refresh_req *in, eo_session_tokens *out, eo_err *err);

/* The principal behind a bearer access token at u->now: the signature and
 * claims must verify and the session must be live with its account active
 * (roles and the bound device are loaded with it). Every refusal is
 * EO_ERR_UNAUTHORIZED "unauthorized" (the reason goes to the log only). */
eo_status eo_svc_session_authenticate(eo_uow *u, const char *token, eo_principal *out, eo_err *err);

/* Ends u->who's current session. */
eo_status eo_svc_session_logout(eo_uow *u, eo_err *err);

typedef struct {
    long long employee_id;
    const char *device_id; /* mobile: bound device (created as "bench"/android); NULL or "" = none */
    bool mobile;
} eo_session_mint_req;

/* A session for an employee with an active account WITHOUT password or OTP:
 * only for the dev-only benchmark CLI (`eoffice bench-tokens`), never
 * reachable over HTTP. Runs inside the caller's transaction. */
eo_status eo_svc_session_mint_unchecked(eo_uow *u, const eo_session_mint_req *in, eo_session_tokens *out, eo_err *err);

/* ---- sign-up and enrolments (svc/identity_enrol.c) ---- */

/* A started enrolment: the secret in clear (shown once), its token and,
 * for new authenticators, fresh recovery codes. Holds secrets: callers
 * sodium_memzero it when done. */
typedef struct {
    long long enrolment_id;
    char token[EO_OPAQUE_LEN];
    char nip[19];
    unsigned char secret[EO_TOTP_SECRET_LEN];
    char expires_at[40];
    int n_codes;
    char codes[EO_RECOVERY_CODES][EO_RECOVERY_CODE_LEN + 1];
} eo_enrolment_started;

typedef struct {
    long long account_id;
    const char *nip;
    const char *kind; /* "register" | "reset" */
} eo_enrolment_start_req;

/* A new secret, token and recovery codes stored as a pending enrolment of
 * the account. Runs inside the caller's transaction (admin reset uses it). */
eo_status eo_svc_enrolment_start(eo_uow *u, const eo_enrolment_start_req *in, eo_enrolment_started *out, eo_err *err);

typedef struct {
    const char *nip, *nik, *personal_email, *office_email, *phone, *password, *password_confirmation;
} eo_register_req;

/* Checks the employee against the master data, creates (or refreshes) the
 * pending account and starts its enrolment. Rejections are audited and
 * answered EO_ERR_INVALID "registration_rejected". */
eo_status eo_svc_identity_register(eo_uow *u, const eo_register_req *in, eo_enrolment_started *out, eo_err *err);

typedef struct {
    long long id;      /* 0: not a valid id (not found) */
    const char *token; /* the enrolment token */
} eo_enrolment_ref;

typedef struct {
    char otpauth_uri[512];
} eo_enrolment_uri;

/* The otpauth:// URI of a pending enrolment (for its QR image). Errors:
 * EO_ERR_NOT_FOUND not_found (unknown id or wrong token), EO_ERR_GONE
 * enrolment_used / enrolment_expired. */
eo_status eo_svc_enrolment_uri(eo_uow *u, const eo_enrolment_ref *in, eo_enrolment_uri *out, eo_err *err);

typedef struct {
    eo_enrolment_ref ref;
    const char *code; /* the 6-digit TOTP code */
} eo_enrolment_verify_req;

typedef struct {
    bool registered; /* a sign-up (201) rather than an authenticator reset (200) */
    long long employee_id;
    char nip[19];
    eo_session_tokens tokens;
} eo_enrolment_verified;

/* Checks the code at u->now, installs the authenticator (activating a
 * pending account) and signs the employee in. Wrong code: EO_ERR_INVALID
 * otp_invalid (the attempt is counted). */
eo_status eo_svc_enrolment_verify(eo_uow *u, const eo_enrolment_verify_req *in, eo_enrolment_verified *out,
                                  eo_err *err);

/* ---- sign-in (svc/identity_login.c) ---- */

typedef struct {
    const char *nip, *password, *otp;
    bool mobile;
    const char *device_id, *device_name, *platform, *app_version; /* mobile only */
    /* mobile, optional: the device's live refresh token. When it belongs to a
     * session bound to device_id and this NIP, the sign-in comes from a known
     * device: only that device's own failures can hold it back. Not spent. */
    const char *refresh_token;
} eo_login_req;

typedef struct {
    long long employee_id;
    char nip[19];
    eo_session_tokens tokens;
} eo_login_result;

/* NIP (eo_nip_normalize) + password + TOTP (at u->now, each step once),
 * throttled as core/identity.h eo_signin_rules says; then a session (bound to
 * the device for the app). */
eo_status eo_svc_identity_login(eo_uow *u, const eo_login_req *in, eo_login_result *out, eo_err *err);

/* ---- lost authenticator (svc/identity_recovery.c) ---- */

typedef struct {
    const char *nip, *password;
} eo_recovery_start_req;

/* Mails a verification code when NIP and password are right; succeeds the
 * same way when they are not (nothing tells the caller which). Throttled. */
eo_status eo_svc_recovery_start(eo_uow *u, const eo_recovery_start_req *in, eo_err *err);

typedef struct {
    const char *nip, *password;
    const char *email_code, *recovery_code; /* exactly one */
} eo_recovery_confirm_req;

/* NIP + password + a mailed or recovery code: starts a "reset" enrolment
 * (the old authenticator stays valid until the new one is verified). */
eo_status eo_svc_recovery_confirm(eo_uow *u, const eo_recovery_confirm_req *in, eo_enrolment_started *out, eo_err *err);

#endif
