/* The session cache: who a (session, employee) pair is, without a query per
 * request, and still "revoke / disable takes effect within 1 s" across every
 * server process on one PostgreSQL.
 *
 * How: a direct-mapped table session id -> {employee, roles, device, valid
 * until}, filled from eo_db_session_principal on a miss. A listener thread
 * holds its own connection with LISTEN eo_auth; migration 0007's triggers send
 * NOTIFY eo_auth '<employee id>' in the very transaction that revokes a
 * session, disables an account or an employee, or grants/revokes a role. On
 * receipt the employee's entries are dropped.
 *
 * Bounded staleness: the listener pings its connection every 200 ms; cached
 * entries are trusted only while the last successful ping, dated when it was
 * sent, is younger than EO_SESSION_CACHE_TRUST_MS (a notification committed
 * before the ping is delivered before the ping's answer, and applied before
 * the proof is stored). The listener applies a notification as soon as it
 * arrives (milliseconds); the trust window is the worst case. Requests do not
 * poll the listener's socket: the ping's own answer made that poll report
 * "something unread" several times a second under load, and every request in
 * those moments queried (a fifth of PostgreSQL's CPU in the /me benchmark). With the channel down (connection
 * killed, PostgreSQL restarting) nothing cached is trusted: every request
 * queries, as without the cache, and a reconnect empties the table (what was
 * sent meanwhile is lost). A session's own expiry (sessions.expires_at) is
 * kept in its entry and checked on every hit, so it is honoured to the second.
 * Entries also live at most EO_SESSION_CACHE_TTL_S: belt and braces only,
 * since every change of what an entry holds is notified. */
#ifndef EO_SVC_SESSION_CACHE_H
#define EO_SVC_SESSION_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/uow.h"

#define EO_SESSION_CACHE_TRUST_MS 900
#define EO_SESSION_CACHE_TTL_S    300

/* Starts the listener thread on its own connection to url (EO_OK even when
 * PostgreSQL is down: it keeps retrying; the cache stays untrusted till then).
 * Without a start (unit tests, CLI) every lookup queries. */
eo_status eo_session_cache_start(const char *url, eo_err *err);
void eo_session_cache_stop(void);

/* eo_db_session_principal through the cache: *ok false when the session is
 * revoked/expired or the account/employee inactive. Borrows u's connection
 * only on a miss. */
eo_status eo_svc_session_principal_cached(eo_uow *u, long long session_id, long long employee_id, bool *ok,
                                          unsigned *roles, char *device_id, size_t device_len, eo_err *err);

/* ---- the signed-in employee's own profile (GET /api/v1/me, /mobile/v1/me) ----
 * Same channel, same trust rule: migration 0050 sends NOTIFY eo_profile
 * '<employee id>' (or '*') whenever something the profile shows changes, and
 * eo_auth (roles, status) drops it too. Entries live at most
 * EO_SESSION_CACHE_TTL_S. */

/* A copy of the cached rendering (caller frees), or NULL on a miss or while
 * the channel is not trusted. *seq: pass it to eo_profile_cache_put after
 * rendering a miss, so an answer older than an invalidation is not kept. */
char *eo_profile_cache_get(long long employee_id, bool compact, unsigned long long *seq);
void eo_profile_cache_put(long long employee_id, bool compact, const char *json_text, unsigned long long seq);
/* Drops one employee's cached sessions and profile now (0: everyone's), for a
 * change this process just committed (eo_uow_end calls it). */
void eo_session_cache_forget(long long employee_id);
/* Drops one employee's cached profile now (their own write in this process). */
void eo_profile_cache_forget(long long employee_id);
void eo_profile_cache_stats(unsigned long long *hits, unsigned long long *misses);

/* For /metrics and tests: hits, misses, whether the channel is trusted now. */
void eo_session_cache_stats(unsigned long long *hits, unsigned long long *misses, bool *trusted);

#endif
