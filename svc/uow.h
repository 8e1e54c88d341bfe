/* The use-case layer's contract.
 *
 * svc/ sits between HTTP and SQL (link order core <- db <- svc <- api <- cli).
 * A use case is a plain C function: a request struct in, a result struct out,
 * an eo_status with eo_err, given a unit of work (eo_uow) that carries what
 * every use case needs: the process-wide state, the database connection
 * (borrowed lazily), who is acting, the instant the use case acts at and the
 * audit context. api/ fills a uow from the HTTP request; the CLI and the C
 * integration tests build one directly with any `now` they like.
 */
#ifndef EO_SVC_UOW_H
#define EO_SVC_UOW_H

#include <jansson.h>
#include <stdbool.h>

#include "core/config.h"
#include "core/principal.h"
#include "core/status.h"
#include "db/pool.h"

/* ---- process-wide state, built once by `eoffice serve` (or a test) ---- */
struct eo_jwt_keys; /* identity: signing key + JWKS (core/token.h) */
struct eo_storage;  /* attachments: object storage back-end (core/storage.h) */
struct eo_metrics;  /* api/metrics.c */
struct eo_sweeper;  /* attachments: the background janitor (svc/sweeper.h) */

typedef struct eo_app {
    eo_config cfg;
    eo_pool *pool;
    struct eo_jwt_keys *jwt;
    struct eo_storage *storage;
    struct eo_metrics *metrics;
    struct eo_sweeper *sweeper;
} eo_app;

/* ---- one unit of work ---- */
typedef struct eo_uow {
    eo_app *app;
    eo_db *db;                   /* borrowed by eo_uow_db; released by eo_uow_end */
    bool db_returned;            /* gave it back early: the next borrow jumps the queue */
    long long auth_changed;      /* an employee whose sessions/roles/status this unit changed (-1: several) */
    const eo_principal *who;     /* NULL: anonymous, system or command line */
    double now;                  /* the instant the use case acts at (Unix seconds) */
    const char *idempotency_key; /* NULL when the client sent none */
    const char *ip;              /* audit context; "" when unknown */
    const char *user_agent;
    const char *request_id;
} eo_uow;

/* who may be NULL; the audit context starts empty. */
void eo_uow_init(eo_uow *u, eo_app *app, const eo_principal *who, double now);

/* The unit's connection, borrowed on first use (EO_ERR_UNAVAILABLE db_busy /
 * db_unavailable when none can be had). */
eo_status eo_uow_db(eo_uow *u, eo_db **out, eo_err *err);
/* Gives the connection back before slow work that needs no database (an
 * upload); the next eo_uow_db borrows again at the head of the queue. No
 * transaction may be open. */
void eo_uow_db_release(eo_uow *u);
/* Ends the unit: releases the connection (an open transaction is rolled back)
 * and, when eo_uow_auth_changed was called, drops that employee's entries of
 * this process's session and profile caches (after the commit, so the next
 * request reads the new state even before the NOTIFY of migration 0007 has
 * reached this process: read your own writes). */
void eo_uow_end(eo_uow *u);
/* Marks that this unit revokes sessions, changes an account's or employee's
 * status, or grants/revokes a role of employee_id. */
void eo_uow_auth_changed(eo_uow *u, long long employee_id);

/* One audit_log row for this unit (actor = who, with the audit context), on
 * the unit's connection and inside its transaction if one is open. details may
 * be NULL and is not stolen. */
eo_status eo_uow_audit(eo_uow *u, const char *action, const char *target_type, const char *target_id, json_t *details,
                       eo_err *err);

/* eo_uow_audit, then COMMIT of the unit's transaction (the usual last step of a write). */
eo_status eo_uow_audit_commit(eo_uow *u, const char *action, const char *target_type, const char *target_id,
                              json_t *details, eo_err *err);
/* The failure path of a write: ROLLBACK on db, drop the reply built so far
 * (json_decref(*out), *out = NULL; out may be NULL); returns err->status. */
eo_status eo_uow_rollback(eo_db *db, json_t **out, eo_err *err);

/* The current wall-clock time in Unix seconds (for callers building a uow). */
double eo_uow_clock(void);

#endif
