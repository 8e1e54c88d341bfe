/* A bounded, thread-safe pool of libpq connections.
 *
 * Why a pool: a libpq connection must not be shared between threads, and
 * PostgreSQL copes best with a small fixed number of backends; HTTP threads
 * borrow a connection for the length of one request's database work and wait
 * at most db_pool_wait_ms for one (then the caller gets EO_ERR_UNAVAILABLE /
 * "db_busy", a 503). A connection found broken (PostgreSQL restarted) is
 * reset on its next borrow, so the server recovers without a restart.
 */
#ifndef EO_DB_POOL_H
#define EO_DB_POOL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

typedef struct eo_pool eo_pool;
typedef struct eo_db eo_db; /* one borrowed connection */

eo_pool *eo_pool_create(const char *url, int size, int wait_ms, int statement_timeout_ms);
void eo_pool_destroy(eo_pool *pool);

/* Borrow a connection; EO_ERR_UNAVAILABLE ("db_busy" or "db_unavailable") on failure.
 * Waiters are served first come, first served. */
eo_status eo_db_acquire(eo_pool *pool, eo_db **out, eo_err *err);
/* Same; first_in_line puts the caller at the head of the queue (a request that
 * gave its connection back for slow non-database work and needs it to finish). */
eo_status eo_db_acquire_ex(eo_pool *pool, bool first_in_line, eo_db **out, eo_err *err);
/* Return it; an open transaction is rolled back first. NULL is allowed. */
void eo_db_release(eo_db *db);

/* Pool gauges for /metrics. */
void eo_pool_stats(eo_pool *pool, int *size, int *in_use, int *waiting);

PGconn *eo_db_conn(eo_db *db);

/* Runs a parameterised statement (text params; NULL = SQL NULL).
 * Returns the result on success (PGRES_COMMAND_OK or PGRES_TUPLES_OK), which the
 * caller PQclear()s; on failure returns NULL with err set:
 *   connection lost            -> EO_ERR_UNAVAILABLE "db_unavailable"
 *   unique_violation (23505)   -> EO_ERR_CONFLICT   "conflict"
 *   other                      -> EO_ERR_INTERNAL   "internal" (SQL error in err->log_detail)
 * When `name` is not NULL the statement is prepared once per connection under that
 * name and executed with PQexecPrepared (use it on hot paths). */
PGresult *eo_db_exec(eo_db *db, const char *name, const char *sql, int nparams, const char *const *params, eo_err *err);
/* Same, with per-parameter lengths and formats (for binary parameters, e.g. bytea). */
PGresult *eo_db_exec_bin(eo_db *db, const char *name, const char *sql, int nparams, const char *const *params,
                         const int *lengths, const int *formats, eo_err *err);
/* Runs a statement whose result is not needed (BEGIN, COMMIT, simple updates). */
eo_status eo_db_run(eo_db *db, const char *sql, int nparams, const char *const *params, eo_err *err);
/* eo_db_exec as a status: the result goes to *out (caller PQclear()s); with
 * out NULL it is eo_db_run. */
eo_status eo_db_query(eo_db *db, const char *sql, int nparams, const char *const *params, PGresult **out, eo_err *err);
/* Rows a command touched (PQcmdTuples), 0 when it reports none. */
long long eo_db_affected(PGresult *r);

eo_status eo_db_begin(eo_db *db, eo_err *err);  /* BEGIN */
eo_status eo_db_commit(eo_db *db, eo_err *err); /* COMMIT */
void eo_db_rollback(eo_db *db);                 /* ROLLBACK, errors ignored */

/* The SQLSTATE of the last failed statement on this connection ("" if none). */
const char *eo_db_last_sqlstate(eo_db *db);

/* Single-row queries, the usual libpq boilerplate in one place. eo_db_one
 * returns the result when exactly one row came back (caller PQclear()s). With
 * zero rows it returns NULL and fails with EO_ERR_NOT_FOUND not_found_code, or,
 * when not_found_code is NULL, returns NULL with err untouched (err->status ==
 * EO_OK tells "no row" from a failure). More than one row is an internal error. */
PGresult *eo_db_one(eo_db *db, const char *name, const char *sql, int nparams, const char *const *params,
                    const char *not_found_code, eo_err *err);
/* The first column of the one row as a number (e.g. an id from RETURNING). */
eo_status eo_db_one_ll(eo_db *db, const char *name, const char *sql, int nparams, const char *const *params,
                       const char *not_found_code, long long *out, eo_err *err);

/* Helpers for reading results: value or NULL when SQL NULL. */
const char *eo_db_get(PGresult *r, int row, int col);
long long eo_db_get_ll(PGresult *r, int row, int col); /* 0 when NULL */
/* Bounds-checked reads: "" for SQL NULL or a missing row/column, never NULL
 * (so `eo_db_str(r, 0, 0)[0]` is safe where `PQgetvalue(...)[0]` is not). */
const char *eo_db_str(PGresult *r, int row, int col);
bool eo_db_bool(PGresult *r, int row, int col);                        /* 't' */
void eo_db_copy(char *dst, size_t cap, PGresult *r, int row, int col); /* truncating copy */

/* Binary values (hashes, sealed secrets) cross the libpq boundary as hex
 * text: encode(col, 'hex') out, decode($n, 'hex') in. eo_db_hex_out writes
 * bin as hex into out (outlen >= 2 * n + 1); eo_db_hex_in reads a hex column
 * into exactly n bytes, false when NULL or the wrong length. */
void eo_db_hex_out(const unsigned char *bin, size_t n, char *out, size_t outlen);
bool eo_db_hex_in(const char *hex, unsigned char *bin, size_t n);

#endif
