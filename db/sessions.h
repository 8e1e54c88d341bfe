/* SQL of sessions, refresh tokens and devices: what a sign-in creates, a
 * refresh rotates and a logout ends, and the authentication query of every
 * request. Times a use case decides come in as `now` (Unix seconds). The
 * /me lists of sessions and devices stay in db/identity.h. */
#ifndef EO_DB_SESSIONS_H
#define EO_DB_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/pool.h"

/* Upserts a mobile device, returns its row id. */
eo_status eo_db_device_upsert(eo_db *db, long long employee_id, const char *device_id, const char *name,
                              const char *platform, const char *app_version, long long *row_id, eo_err *err);
/* Creates a session at now and its first refresh token (hash of refresh),
 * both expiring refresh_ttl_s later. */
eo_status eo_db_session_create(eo_db *db, long long employee_id, const char *client, long long device_row,
                               const char *ip, const char *user_agent, int refresh_ttl_s,
                               const unsigned char refresh_hash[32], double now, long long *session_id, eo_err *err);

typedef struct {
    long long token_id, session_id, employee_id;
    bool used, expired, revoked, account_active;
    char client[8];
    char nip[19];
    char device_id[129];
} eo_db_refresh;

/* The refresh token with this hash, locked, with `expired` judged at now. */
eo_status eo_db_refresh_get(eo_db *db, const unsigned char hash[32], double now, eo_db_refresh *out, bool *found,
                            eo_err *err);
/* Marks the old token used at now and stores the next one in the same session. */
eo_status eo_db_refresh_rotate(eo_db *db, const eo_db_refresh *old, const unsigned char next_hash[32],
                               int refresh_ttl_s, double now, eo_err *err);
/* Revokes one session (employee_id 0 = any owner); *found false when none matched. */
eo_status eo_db_session_revoke(eo_db *db, long long session_id, long long employee_id, const char *reason, bool *found,
                               eo_err *err);
/* Revokes every live session of an employee except keep_session (0 = all); *count revoked. */
eo_status eo_db_sessions_revoke_all(eo_db *db, long long employee_id, long long keep_session, const char *reason,
                                    int *count, eo_err *err);

/* The authentication query: session live and account active, plus roles
 * bitmask (EO_ROLE_*), the bound device and when the session expires (Unix
 * milliseconds, rounded down). *ok false otherwise. */
eo_status eo_db_session_principal(eo_db *db, long long session_id, long long employee_id, bool *ok, unsigned *roles,
                                  char *device_id, size_t device_len, long long *expires_ms, eo_err *err);

#endif
