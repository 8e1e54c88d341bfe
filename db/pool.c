#include "db/pool.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct eo_db {
    eo_pool *pool;
    PGconn *conn;
    bool in_use;
    bool broken; /* last statement lost the connection: reset before next use */
    /* Names of the statements prepared on this connection (static strings): an
     * open-addressing hash set that doubles when half full, so any number of
     * modules can add prepared statements without a fixed cap. */
    const char **prepared;
    size_t prepared_cap, n_prepared;
    char sqlstate[6];
};

/* A request waiting for a connection. Waiters are served strictly in order
 * (a released connection is handed to the head of the queue), so under
 * overload every request waits about as long as the others instead of some
 * being overtaken again and again. */
typedef struct waiter {
    pthread_cond_t cv;
    eo_db *got;
    struct waiter *next;
} waiter;

struct eo_pool {
    pthread_mutex_t mu;
    waiter *head, *tail;
    char *url;
    int size;
    int wait_ms;
    int statement_timeout_ms;
    int in_use;
    int waiting;
    eo_db *conns;
};

/* A FATAL notice on an idle connection is the server saying goodbye (admin
 * shutdown, pg_terminate_backend, restart): libpq keeps the status OK until the
 * next read sees EOF, so remember it and reconnect on the next borrow. */
static void notice_receiver(void *arg, const PGresult *r)
{
    eo_db *d = arg;
    const char *severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (severity && (strcmp(severity, "FATAL") == 0 || strcmp(severity, "PANIC") == 0)) d->broken = true;
}

static void set_session_options(eo_pool *pool, PGconn *conn)
{
    char sql[160];
    snprintf(sql, sizeof(sql),
             "SET statement_timeout = %d; SET lock_timeout = %d; SET TIME ZONE 'UTC'; "
             "SET application_name = 'eoffice'; SET client_min_messages = warning",
             pool->statement_timeout_ms, pool->statement_timeout_ms);
    PGresult *r = PQexec(conn, sql);
    PQclear(r);
}

static void prepared_reset(eo_db *d)
{
    free(d->prepared);
    d->prepared = NULL;
    d->prepared_cap = d->n_prepared = 0;
}

static size_t name_hash(const char *name)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 1099511628211u;
    return h;
}

static bool is_prepared(const eo_db *d, const char *name)
{
    if (!d->prepared_cap) return false;
    for (size_t i = name_hash(name) & (d->prepared_cap - 1);; i = (i + 1) & (d->prepared_cap - 1)) {
        const char *n = d->prepared[i];
        if (!n) return false;
        if (n == name || strcmp(n, name) == 0) return true;
    }
}

static void insert_name(const char **set, size_t cap, const char *name)
{
    size_t i = name_hash(name) & (cap - 1);
    while (set[i]) i = (i + 1) & (cap - 1);
    set[i] = name;
}

/* Makes room for one more name; false when out of memory. */
static bool prepared_reserve(eo_db *d)
{
    if ((d->n_prepared + 1) * 2 <= d->prepared_cap) return true;
    size_t cap = d->prepared_cap ? d->prepared_cap * 2 : 64;
    const char **set = calloc(cap, sizeof(*set));
    if (!set) return false;
    for (size_t i = 0; i < d->prepared_cap; i++)
        if (d->prepared[i]) insert_name(set, cap, d->prepared[i]);
    free(d->prepared);
    d->prepared = set;
    d->prepared_cap = cap;
    return true;
}

/* (Re)connects d->conn; false when PostgreSQL cannot be reached. */
static bool db_connect(eo_db *d)
{
    if (d->conn) {
        PQfinish(d->conn);
        d->conn = NULL;
    }
    prepared_reset(d);
    d->broken = false;
    d->conn = PQconnectdb(d->pool->url);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        PQfinish(d->conn);
        d->conn = NULL;
        return false;
    }
    PQsetNoticeReceiver(d->conn, notice_receiver, d);
    set_session_options(d->pool, d->conn);
    return true;
}

eo_pool *eo_pool_create(const char *url, int size, int wait_ms, int statement_timeout_ms)
{
    eo_pool *p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    p->url = strdup(url);
    p->size = size;
    p->wait_ms = wait_ms;
    p->statement_timeout_ms = statement_timeout_ms;
    p->conns = calloc((size_t)size, sizeof(eo_db));
    if (!p->url || !p->conns) {
        free(p->url);
        free(p->conns);
        free(p);
        return NULL;
    }
    for (int i = 0; i < size; i++) p->conns[i].pool = p;
    pthread_mutex_init(&p->mu, NULL);
    return p;
}

void eo_pool_destroy(eo_pool *p)
{
    if (!p) return;
    for (int i = 0; i < p->size; i++) {
        if (p->conns[i].conn) PQfinish(p->conns[i].conn);
        prepared_reset(&p->conns[i]);
    }
    pthread_mutex_destroy(&p->mu);
    free(p->conns);
    free(p->url);
    free(p);
}

static eo_db *free_connection(eo_pool *p)
{
    /* Prefer a connection that is already open. */
    for (int i = 0; i < p->size; i++)
        if (!p->conns[i].in_use && p->conns[i].conn) return &p->conns[i];
    for (int i = 0; i < p->size; i++)
        if (!p->conns[i].in_use) return &p->conns[i];
    return NULL;
}

static void unlink_waiter(eo_pool *p, waiter *w)
{
    waiter **pp = &p->head;
    waiter *prev = NULL;
    while (*pp && *pp != w) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp) return;
    *pp = w->next;
    if (p->tail == w) p->tail = prev;
}

eo_status eo_db_acquire_ex(eo_pool *p, bool first_in_line, eo_db **out, eo_err *err)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += p->wait_ms / 1000;
    deadline.tv_nsec += (long)(p->wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }

    pthread_mutex_lock(&p->mu);
    eo_db *d = p->head ? NULL : free_connection(p);
    if (d) {
        d->in_use = true;
        p->in_use++;
    } else {
        waiter w = {.got = NULL, .next = NULL};
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&w.cv, &ca);
        pthread_condattr_destroy(&ca);
        if (first_in_line || !p->tail) {
            w.next = p->head;
            p->head = &w;
            if (!p->tail) p->tail = &w;
        } else {
            p->tail->next = &w;
            p->tail = &w;
        }
        p->waiting++;
        int rc = 0;
        while (!w.got && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&w.cv, &p->mu, &deadline);
        p->waiting--;
        if (!w.got) unlink_waiter(p, &w);
        pthread_cond_destroy(&w.cv);
        d = w.got; /* handed over by eo_db_release, already counted in use */
        if (!d) {
            pthread_mutex_unlock(&p->mu);
            return eo_fail_log(err, EO_ERR_UNAVAILABLE, "db_busy", "no database connection free within %d ms",
                               p->wait_ms);
        }
    }
    pthread_mutex_unlock(&p->mu);

    /* A PostgreSQL restart or pg_terminate_backend closes idle connections. Read
     * what is pending without a round trip: EOF fails the read; a FATAL message
     * is parsed by PQisBusy and marks the connection broken (notice_receiver). */
    if (d->conn && !d->broken) {
        if (!PQconsumeInput(d->conn))
            d->broken = true;
        else
            (void)PQisBusy(d->conn);
        if (PQstatus(d->conn) != CONNECTION_OK) d->broken = true;
    }
    /* Connect outside the lock: it may take a while when PostgreSQL is down. */
    if (!d->conn || d->broken || PQstatus(d->conn) != CONNECTION_OK) {
        if (!db_connect(d)) {
            eo_db_release(d);
            if (err) err->retry_after_s = 1;
            return eo_fail_log(err, EO_ERR_UNAVAILABLE, "db_unavailable", "cannot connect to PostgreSQL");
        }
    }
    d->sqlstate[0] = '\0';
    *out = d;
    return EO_OK;
}

void eo_db_release(eo_db *d)
{
    if (!d) return;
    if (d->conn && !d->broken) {
        PGTransactionStatusType ts = PQtransactionStatus(d->conn);
        if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
            PGresult *r = PQexec(d->conn, "ROLLBACK");
            PQclear(r);
        } else if (ts == PQTRANS_UNKNOWN || ts == PQTRANS_ACTIVE) {
            d->broken = true;
        }
    }
    eo_pool *p = d->pool;
    pthread_mutex_lock(&p->mu);
    waiter *w = p->head;
    if (w) {
        /* Straight to the longest waiter: it stays in use. */
        p->head = w->next;
        if (!p->head) p->tail = NULL;
        w->got = d;
        pthread_cond_signal(&w->cv);
    } else {
        d->in_use = false;
        p->in_use--;
    }
    pthread_mutex_unlock(&p->mu);
}

eo_status eo_db_acquire(eo_pool *p, eo_db **out, eo_err *err) { return eo_db_acquire_ex(p, false, out, err); }

void eo_pool_stats(eo_pool *p, int *size, int *in_use, int *waiting)
{
    pthread_mutex_lock(&p->mu);
    *size = p->size;
    *in_use = p->in_use;
    *waiting = p->waiting;
    pthread_mutex_unlock(&p->mu);
}

PGconn *eo_db_conn(eo_db *d) { return d->conn; }

const char *eo_db_last_sqlstate(eo_db *d) { return d->sqlstate; }

/* Maps a failed result to err; marks the connection broken when it is gone. */
static void fail_from_result(eo_db *d, PGresult *r, eo_err *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    snprintf(d->sqlstate, sizeof(d->sqlstate), "%s", state ? state : "");
    if (PQstatus(d->conn) != CONNECTION_OK || !state || strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
        d->broken = true;
        if (err) err->retry_after_s = 1;
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "db_unavailable", "connection lost: %s", PQerrorMessage(d->conn));
        return;
    }
    if (strcmp(state, "23505") == 0) {
        eo_fail_log(err, EO_ERR_CONFLICT, "conflict", "%s",
                    PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME)
                                                                   : "unique violation");
        return;
    }
    if (strcmp(state, "57014") == 0) { /* statement timeout */
        if (err) err->retry_after_s = 1;
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "db_busy", "statement timeout");
        return;
    }
    const char *m = PQresultErrorMessage(r);
    eo_fail_log(err, EO_ERR_INTERNAL, "internal", "SQL error %s: %.200s", state, m ? m : "");
}

PGresult *eo_db_exec_bin(eo_db *d, const char *name, const char *sql, int nparams, const char *const *params,
                         const int *lengths, const int *formats, eo_err *err)
{
    PGresult *r;
    d->sqlstate[0] = '\0';
    if (d->broken) {
        if (err) err->retry_after_s = 1;
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "db_unavailable", "connection marked broken");
        return NULL;
    }
    /* A statement that cannot be remembered (out of memory) runs unnamed rather
     * than being prepared twice under one name (42P05). */
    if (name && !is_prepared(d, name) && !prepared_reserve(d)) name = NULL;
    if (name) {
        if (!is_prepared(d, name)) {
            r = PQprepare(d->conn, name, sql, nparams, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                fail_from_result(d, r, err);
                PQclear(r);
                return NULL;
            }
            PQclear(r);
            insert_name(d->prepared, d->prepared_cap, name);
            d->n_prepared++;
        }
        r = PQexecPrepared(d->conn, name, nparams, params, lengths, formats, 0);
    } else {
        r = PQexecParams(d->conn, sql, nparams, NULL, params, lengths, formats, 0);
    }
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    fail_from_result(d, r, err);
    PQclear(r);
    return NULL;
}

PGresult *eo_db_exec(eo_db *d, const char *name, const char *sql, int nparams, const char *const *params, eo_err *err)
{
    return eo_db_exec_bin(d, name, sql, nparams, params, NULL, NULL, err);
}

eo_status eo_db_run(eo_db *d, const char *sql, int nparams, const char *const *params, eo_err *err)
{
    PGresult *r = eo_db_exec(d, NULL, sql, nparams, params, err);
    if (!r) return err ? err->status : EO_ERR_INTERNAL;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_begin(eo_db *d, eo_err *err) { return eo_db_run(d, "BEGIN", 0, NULL, err); }
eo_status eo_db_commit(eo_db *d, eo_err *err) { return eo_db_run(d, "COMMIT", 0, NULL, err); }

void eo_db_rollback(eo_db *d)
{
    if (d->broken || !d->conn) return;
    PGresult *r = PQexec(d->conn, "ROLLBACK");
    PQclear(r);
}

const char *eo_db_get(PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return NULL;
    return PQgetvalue(r, row, col);
}

long long eo_db_get_ll(PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

PGresult *eo_db_one(eo_db *d, const char *name, const char *sql, int nparams, const char *const *params,
                    const char *not_found_code, eo_err *err)
{
    PGresult *r = eo_db_exec(d, name, sql, nparams, params, err);
    if (!r) return NULL;
    if (PQntuples(r) == 1) return r;
    int n = PQntuples(r);
    PQclear(r);
    if (n == 0 && not_found_code) {
        eo_fail(err, EO_ERR_NOT_FOUND, not_found_code);
        return NULL;
    }
    if (n == 0) return NULL; /* optional row: err untouched */
    eo_fail_log(err, EO_ERR_INTERNAL, "internal", "expected one row, got %d", n);
    return NULL;
}

eo_status eo_db_one_ll(eo_db *d, const char *name, const char *sql, int nparams, const char *const *params,
                       const char *not_found_code, long long *out, eo_err *err)
{
    PGresult *r = eo_db_one(d, name, sql, nparams, params, not_found_code, err);
    if (!r) return err->status;
    *out = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

const char *eo_db_str(PGresult *r, int row, int col)
{
    if (row >= PQntuples(r) || col >= PQnfields(r) || PQgetisnull(r, row, col)) return "";
    return PQgetvalue(r, row, col);
}

bool eo_db_bool(PGresult *r, int row, int col)
{
    const char *v = eo_db_str(r, row, col);
    return v[0] == 't';
}

void eo_db_copy(char *dst, size_t cap, PGresult *r, int row, int col)
{
    snprintf(dst, cap, "%s", eo_db_str(r, row, col));
}

eo_status eo_db_query(eo_db *d, const char *sql, int nparams, const char *const *params, PGresult **out, eo_err *err)
{
    if (!out) return eo_db_run(d, sql, nparams, params, err);
    *out = eo_db_exec(d, NULL, sql, nparams, params, err);
    if (!*out) return err && err->status ? err->status : EO_ERR_INTERNAL;
    return EO_OK;
}

long long eo_db_affected(PGresult *r)
{
    const char *s = PQcmdTuples(r);
    long long n = 0;
    for (; s && *s >= '0' && *s <= '9'; s++) n = n * 10 + (*s - '0');
    return n;
}

void eo_db_hex_out(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
    sodium_bin2hex(out, outlen, bin, n);
}

bool eo_db_hex_in(const char *hex, unsigned char *bin, size_t n)
{
    size_t got = 0;
    if (!hex) return false;
    return sodium_hex2bin(bin, n, hex, strlen(hex), NULL, &got, NULL) == 0 && got == n;
}
