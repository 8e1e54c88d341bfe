/* Pieces shared by the identity use cases (svc/identity_*.c); not for api/. */
#ifndef EO_SVC_IDENTITY_INTERNAL_H
#define EO_SVC_IDENTITY_INTERNAL_H

#include "core/identity.h"
#include "db/accounts.h"
#include "svc/uow.h"

/* One audit row with employee_id as the actor (0 = anonymous), whoever the
 * unit's principal is; details may be NULL and is not stolen. */
eo_status eo_svc_identity_audit_as(eo_uow *u, long long employee_id, const char *nip, const char *action,
                                   const char *target_type, const char *target_id, json_t *details, eo_err *err);
/* Same for audits after a failure, outside any transaction: an error is
 * logged, not returned. Steals details. */
void eo_svc_identity_audit_quiet(eo_uow *u, long long employee_id, const char *action, const char *target_type,
                                 const char *target_id, json_t *details);

/* EO_ERR_THROTTLED too_many_attempts with retry_after_s (also as a problem member). */
eo_status eo_svc_identity_throttled(eo_err *err, int wait_s);
/* The longest wait at u->now among the keys, or 0. */
eo_status eo_svc_identity_throttle_wait(eo_uow *u, eo_db *db, const char *const *keys, int n, int *wait_s, eo_err *err);

/* NIP + password (+ TOTP when otp != NULL) with the sign-in counters of
 * scope ("login", "reset") under rules (core/identity.h) and one answer for
 * every failure; fills *a on success. nip is already normalised.
 * known_device: the device id of a known device (see eo_login_req), else
 * NULL. Runs outside a transaction (a failure's counters must stick). */
eo_status eo_svc_identity_check_credentials(eo_uow *u, eo_db **db, const char *scope, const char *nip,
                                            const char *password, const char *otp, const eo_signin_rules *rules,
                                            const char *known_device, eo_db_account *a, eo_err *err);

/* eo_password_verify with the unit's connection given back meanwhile:
 * argon2id takes tens of milliseconds of CPU, and a pooled connection held
 * through it lets a burst of sign-ins starve check-ins of connections (503
 * db_busy). No transaction may be open; *db is borrowed again afterwards. */
eo_status eo_svc_password_verify(eo_uow *u, eo_db **db, const char *hash, const char *password, bool *ok, eo_err *err);

/* Counts a wrong second factor (OTP, mailed or recovery code) after a right
 * password against the account (and the pair and address). */
eo_status eo_svc_identity_second_factor_failed(eo_uow *u, eo_db *db, const char *scope, const char *nip,
                                               const eo_signin_rules *rules, const char *known_device, eo_err *err);

#endif
