/* SQL of the identity feature: accounts, enrolments, recovery and e-mail
 * codes, sessions and refresh tokens, devices, throttling. Binary values
 * (hashes, sealed secrets) cross the libpq boundary as hex text. */
#ifndef EO_DB_IDENTITY_H
#define EO_DB_IDENTITY_H

#include <stdbool.h>
#include <stdio.h>

#include "core/config.h"
#include "core/identity.h"
#include "core/password.h"
#include "core/token.h"
#include "core/totp.h"
#include "db/pool.h"

/* An employee and (if any) their account. */
typedef struct {
    long long employee_id;
    char nip[19];
    char nik[17];
    char name[201];
    char master_office_email[255]; /* employees.office_email, "" when unknown */
    bool employee_active;
    long long account_id;          /* 0 = no account */
    char status[16];               /* pending | active | disabled | "" */
    char password_hash[EO_PASSWORD_HASH_LEN];
    char office_email[255];
    bool has_totp;
    unsigned char totp_sealed[EO_TOTP_SEALED_LEN];
    unsigned char totp_nonce[EO_TOTP_NONCE_LEN];
    long long totp_last_step;
} eo_db_account;

/* Loads by NIP; *found false when the NIP is not in the master data.
 * lock: SELECT … FOR UPDATE (inside a transaction). */
eo_status eo_db_account_by_nip(eo_db *db, const char *nip, bool lock, eo_db_account *out, bool *found,
                               eo_err *err);
eo_status eo_db_account_by_employee(eo_db *db, long long employee_id, eo_db_account *out, bool *found,
                                    eo_err *err);

/* Creates the pending account or refreshes a pending one; returns its id. */
eo_status eo_db_account_upsert_pending(eo_db *db, long long employee_id, const char *password_hash,
                                       const char *personal_email, const char *office_email,
                                       const char *phone, long long *account_id, eo_err *err);

/* An enrolment with a new sealed secret; deletes the account's other
 * unverified enrolments (re-registering replaces a pending one). Also stores
 * the keyed hashes of the recovery codes (bound to this enrolment). */
eo_status eo_db_enrolment_create(eo_db *db, long long account_id, const char *kind,
                                 const unsigned char token_hash[32],
                                 const unsigned char sealed[EO_TOTP_SEALED_LEN],
                                 const unsigned char nonce[EO_TOTP_NONCE_LEN],
                                 const unsigned char recovery_hashes[][32], int n_recovery,
                                 long long *enrolment_id, char *expires_at, size_t expires_len, eo_err *err);

typedef struct {
    long long id, account_id, employee_id;
    char kind[16];
    unsigned char token_hash[32];
    unsigned char sealed[EO_TOTP_SEALED_LEN];
    unsigned char nonce[EO_TOTP_NONCE_LEN];
    bool expired, verified;
    int attempts;
    char account_status[16];
    char nip[19];
    char expires_at[40];
} eo_db_enrolment;

eo_status eo_db_enrolment_get(eo_db *db, long long id, bool lock, eo_db_enrolment *out, bool *found, eo_err *err);
eo_status eo_db_enrolment_failed_attempt(eo_db *db, long long id, eo_err *err);
/* Installs the enrolment's secret on the account (activating a pending one),
 * puts its recovery codes in force and drops the older ones. */
eo_status eo_db_enrolment_complete(eo_db *db, const eo_db_enrolment *en, long long matched_step, eo_err *err);

/* Marks the TOTP step used; *ok false when a concurrent request took it. */
eo_status eo_db_account_use_step(eo_db *db, long long account_id, long long step, bool *ok, eo_err *err);

/* ---- throttling (auth_throttle) ---- */
/* Seconds still to wait for key (0 = go). */
eo_status eo_db_throttle_wait(eo_db *db, const char *key, int *wait_s, eo_err *err);
/* Counts a failure and sets the next wait from the rule; returns it in *wait_s. */
eo_status eo_db_throttle_fail(eo_db *db, const char *key, const eo_throttle_rule *rule, int *wait_s, eo_err *err);
eo_status eo_db_throttle_clear(eo_db *db, const char *key, eo_err *err);

/* ---- sessions ---- */
/* Upserts a mobile device, returns its row id. */
eo_status eo_db_device_upsert(eo_db *db, long long employee_id, const char *device_id, const char *name,
                              const char *platform, const char *app_version, long long *row_id, eo_err *err);
/* Creates a session and its first refresh token (hash of refresh). */
eo_status eo_db_session_create(eo_db *db, long long employee_id, const char *client, long long device_row,
                               const char *ip, const char *user_agent, int refresh_ttl_s,
                               const unsigned char refresh_hash[32], long long *session_id, eo_err *err);

typedef struct {
    long long token_id, session_id, employee_id;
    bool used, expired, revoked, account_active;
    char client[8];
    char nip[19];
    char device_id[129];
} eo_db_refresh;

eo_status eo_db_refresh_get(eo_db *db, const unsigned char hash[32], eo_db_refresh *out, bool *found, eo_err *err);
/* Marks the old token used and stores the next one in the same session. */
eo_status eo_db_refresh_rotate(eo_db *db, const eo_db_refresh *old, const unsigned char next_hash[32],
                               int refresh_ttl_s, eo_err *err);
/* Revokes one session (employee_id 0 = any owner); *found false when none matched. */
eo_status eo_db_session_revoke(eo_db *db, long long session_id, long long employee_id, const char *reason,
                               bool *found, eo_err *err);
/* Revokes every live session of an employee except keep_session (0 = all); *count revoked. */
eo_status eo_db_sessions_revoke_all(eo_db *db, long long employee_id, long long keep_session, const char *reason,
                                    int *count, eo_err *err);

/* The authentication query: session live and account active, plus roles
 * bitmask (EO_ROLE_*) and the bound device. *ok false otherwise. */
eo_status eo_db_session_principal(eo_db *db, long long session_id, long long employee_id, bool *ok,
                                  unsigned *roles, char *device_id, size_t device_len, eo_err *err);

/* ---- account changes ---- */
eo_status eo_db_account_set_password(eo_db *db, long long account_id, const char *hash, eo_err *err);
eo_status eo_db_account_set_status(eo_db *db, long long account_id, const char *status, eo_err *err);

/* ---- e-mail codes and recovery codes ---- */
eo_status eo_db_email_code_create(eo_db *db, long long account_id, const unsigned char hash[32], eo_err *err);
/* Consumes the newest live code when it matches; counts a wrong attempt otherwise. */
eo_status eo_db_email_code_consume(eo_db *db, long long account_id, const unsigned char hash[32], bool *ok,
                                   eo_err *err);
eo_status eo_db_recovery_code_consume(eo_db *db, long long account_id, const unsigned char hash[32], bool *ok,
                                      eo_err *err);

/* Creates a session and an access token for an employee with an active
 * account, bypassing password and OTP: for the dev-only benchmark CLI, never
 * reachable over HTTP. */
eo_status eo_identity_mint_session(eo_db *db, const struct eo_jwt_keys *keys, const eo_config *cfg,
                                   long long employee_id, const char *device_id, bool mobile, char *access_out,
                                   size_t access_len, eo_err *err);

/* Demo accounts for `eoffice seed-demo` (see db/identity.c); returns 0 on success. */
int eo_identity_seed_demo_accounts(eo_db *db, const eo_config *cfg, FILE *out);

#endif

/* ---- /me ---- */
/* Applies the given settings (NULL = unchanged; "" = clear for location/supervisor),
 * validating them against the master data; field errors: location_not_found,
 * schedule_not_found, supervisor_not_found, supervisor_self, supervisor_cycle. */
eo_status eo_db_me_settings_update(eo_db *db, long long employee_id, const char *location_code,
                                   const char *supervisor_nip, const char *schedule_code, eo_err *err);
