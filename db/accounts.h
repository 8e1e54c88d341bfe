/* SQL of accounts: the account of an employee, registration, TOTP
 * enrolments, password and status changes, and the one-time codes of the
 * lost-authenticator flow (e-mail codes, recovery codes). */
#ifndef EO_DB_ACCOUNTS_H
#define EO_DB_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/password.h"
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
    long long account_id; /* 0 = no account */
    char status[16];      /* pending | active | disabled | "" */
    char password_hash[EO_PASSWORD_HASH_LEN];
    char office_email[255];
    bool has_totp;
    unsigned char totp_sealed[EO_TOTP_SEALED_LEN];
    unsigned char totp_nonce[EO_TOTP_NONCE_LEN];
    long long totp_last_step;
} eo_db_account;

/* Loads by NIP; *found false when the NIP is not in the master data.
 * lock: SELECT … FOR UPDATE (inside a transaction). */
eo_status eo_db_account_by_nip(eo_db *db, const char *nip, bool lock, eo_db_account *out, bool *found, eo_err *err);
eo_status eo_db_account_by_employee(eo_db *db, long long employee_id, eo_db_account *out, bool *found, eo_err *err);

/* Creates the pending account or refreshes a pending one; returns its id. */
eo_status eo_db_account_upsert_pending(eo_db *db, long long employee_id, const char *password_hash,
                                       const char *personal_email, const char *office_email, const char *phone,
                                       long long *account_id, eo_err *err);

/* An enrolment with a new sealed secret; deletes the account's other
 * unverified enrolments (re-registering replaces a pending one). Also stores
 * the keyed hashes of the recovery codes (bound to this enrolment). */
eo_status eo_db_enrolment_create(eo_db *db, long long account_id, const char *kind, const unsigned char token_hash[32],
                                 const unsigned char sealed[EO_TOTP_SEALED_LEN],
                                 const unsigned char nonce[EO_TOTP_NONCE_LEN],
                                 const unsigned char recovery_hashes[][32], int n_recovery, long long *enrolment_id,
                                 char *expires_at, size_t expires_len, eo_err *err);

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

#endif
