/* The session cache and its LISTEN eo_auth thread: see svc/session_cache.h. */
#include "svc/session_cache.h"

#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "core/parse.h"
#include "db/sessions.h"

/* 8,192 sets of 4 ways by session id (32,768 entries). The first design was
 * direct-mapped on middle bits of sid * 2^64/phi: 10,000 consecutive session
 * ids fell into only 7,064 slots, and colliding sessions evicted each other on
 * every request (one query each: ~55,000 queries in 5 s of GET /me). The set
 * now comes from the top bits of the product (Fibonacci hashing proper), and a
 * full set gives up its oldest entry. */
#define WAYS     4
#define SET_BITS 13
#define SETS     (1u << SET_BITS)
#define SLOTS    (SETS * WAYS)
#define PING_MS  200 /* the listener proves its channel alive this often */
#define RETRY_MS 250 /* reconnect pause while PostgreSQL is away */

typedef struct {
    long long sid, eid;
    unsigned roles;
    long long expires_ms; /* sessions.expires_at (Unix ms): checked against u->now on every hit */
    int64_t until_ms;     /* monotonic; 0 = empty */
    char device[65];
} slot;

static slot table[SLOTS];

#define PROFILE_SLOTS 16384 /* direct-mapped by employee id */
typedef struct {
    long long eid;
    int64_t until_ms; /* 0 = empty */
    char *text[2];    /* [0] full, [1] compact; either may be NULL */
} profile_slot;
static profile_slot profiles[PROFILE_SLOTS];
static _Atomic unsigned long long n_profile_hits, n_profile_misses;
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
/* Bumped by every invalidation: a miss only caches its answer when no
 * invalidation happened while it queried (the answer may predate it). */
static _Atomic uint64_t inval_seq;
static _Atomic int64_t last_ok_ms; /* last proof that the channel is alive; 0 = down */
static _Atomic bool running;
static _Atomic unsigned long long n_hits, n_misses;
static pthread_t listener;
static bool started;
static char *listen_url;

/* Staleness is a matter of elapsed time, not of the request's business clock
 * (u->now): the monotonic clock cannot jump. */
static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool trusted(int64_t now)
{
    int64_t ok = atomic_load(&last_ok_ms);
    return ok > 0 && now - ok <= EO_SESSION_CACHE_TRUST_MS;
}

static slot *set_of(long long sid)
{
    return &table[(size_t)((unsigned long long)sid * 0x9E3779B97F4A7C15ull >> (64 - SET_BITS)) * WAYS];
}

static size_t profile_slot_of(long long eid) { return (size_t)((unsigned long long)eid % PROFILE_SLOTS); }

/* Drops one employee's cached profile (employee_id 0: all); table_mu held. */
static void drop_profiles_locked(long long employee_id)
{
    /* direct-mapped: one employee can only be in one slot */
    size_t from = employee_id ? profile_slot_of(employee_id) : 0;
    size_t to = employee_id ? from + 1 : PROFILE_SLOTS;
    for (size_t i = from; i < to; i++) {
        profile_slot *p = &profiles[i];
        if (!p->until_ms || (employee_id != 0 && p->eid != employee_id)) continue;
        p->until_ms = 0;
        for (int k = 0; k < 2; k++) {
            free(p->text[k]);
            p->text[k] = NULL;
        }
    }
}

/* Drops one employee's entries, sessions and profile (employee_id 0: all of them). */
static void invalidate(long long employee_id)
{
    pthread_mutex_lock(&table_mu);
    atomic_fetch_add(&inval_seq, 1);
    for (size_t i = 0; i < SLOTS; i++)
        if (table[i].until_ms && (employee_id == 0 || table[i].eid == employee_id)) table[i].until_ms = 0;
    drop_profiles_locked(employee_id);
    pthread_mutex_unlock(&table_mu);
}

/* eo_profile: only the profile. */
static void invalidate_profile(long long employee_id)
{
    pthread_mutex_lock(&table_mu);
    atomic_fetch_add(&inval_seq, 1);
    drop_profiles_locked(employee_id);
    pthread_mutex_unlock(&table_mu);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

static void drain(PGconn *c)
{
    PGnotify *n;
    while ((n = PQnotifies(c)) != NULL) {
        long long eid = 0;
        /* A payload we cannot read still means "something changed": drop all. */
        if (!n->extra || !eo_parse_int(n->extra, 1, INT64_MAX, &eid)) eid = 0;
        if (n->relname && strcmp(n->relname, "eo_profile") == 0)
            invalidate_profile(eid);
        else
            invalidate(eid);
        PQfreemem(n);
    }
}

static PGconn *listen_connect(void)
{
    const char *keys[] = {"dbname", "application_name", "connect_timeout", NULL};
    const char *vals[] = {listen_url, "eoffice-session-listener", "2", NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c) != CONNECTION_OK) goto fail;
    PGresult *r = PQexec(c, "LISTEN eo_auth; LISTEN eo_profile");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) goto fail;
    /* Whatever was sent while we were not listening is lost: start empty. */
    invalidate(0);
    atomic_store(&last_ok_ms, mono_ms());
    return c;
fail:
    PQfinish(c);
    return NULL;
}

static void *listen_main(void *arg)
{
    (void)arg;
    PGconn *c = NULL;
    int64_t last_ping = 0;
    while (atomic_load(&running)) {
        if (!c) {
            c = listen_connect();
            if (!c) {
                sleep_ms(RETRY_MS);
                continue;
            }
            last_ping = mono_ms();
        }
        int fd = PQsocket(c);
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(fd, &rd);
        struct timeval tv = {0, PING_MS * 1000};
        int n = select(fd + 1, &rd, NULL, NULL, &tv);
        bool alive = n >= 0 || errno == EINTR;
        if (alive && n > 0) alive = PQconsumeInput(c) == 1;
        if (alive) drain(c);
        if (alive && mono_ms() - last_ping >= PING_MS) {
            /* Notifications committed before this query was sent reach us
             * before its answer, and are applied (drain) before the proof is
             * stored. The proof is dated when the query was sent: whatever
             * was committed after that is not covered by it. */
            int64_t sent = mono_ms();
            PGresult *r = PQexec(c, "select 1");
            alive = PQresultStatus(r) == PGRES_TUPLES_OK;
            PQclear(r);
            if (alive) {
                drain(c);
                last_ping = sent;
                atomic_store(&last_ok_ms, sent);
            }
        }
        if (!alive || PQstatus(c) != CONNECTION_OK) {
            atomic_store(&last_ok_ms, 0); /* from now on every request queries */
            PQfinish(c);
            c = NULL;
        }
    }
    atomic_store(&last_ok_ms, 0);
    PQfinish(c);
    return NULL;
}

eo_status eo_session_cache_start(const char *url, eo_err *err)
{
    if (started) return EO_OK;
    listen_url = strdup(url ? url : "");
    if (!listen_url) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    atomic_store(&running, true);
    if (pthread_create(&listener, NULL, listen_main, NULL) != 0) {
        atomic_store(&running, false);
        free(listen_url);
        listen_url = NULL;
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "session cache: cannot start the listener thread");
    }
    started = true;
    return EO_OK;
}

void eo_session_cache_stop(void)
{
    if (!started) return;
    atomic_store(&running, false);
    pthread_join(listener, NULL);
    started = false;
    free(listen_url);
    listen_url = NULL;
    invalidate(0);
}

eo_status eo_svc_session_principal_cached(eo_uow *u, long long session_id, long long employee_id, bool *ok,
                                          unsigned *roles, char *device_id, size_t device_len, eo_err *err)
{
    int64_t now = mono_ms();
    bool trust = trusted(now);
    slot *set = set_of(session_id);
    if (trust) {
        pthread_mutex_lock(&table_mu);
        bool hit = false;
        const slot *s = NULL;
        for (int w = 0; w < WAYS && !hit; w++) {
            s = &set[w];
            hit = s->until_ms > now && s->sid == session_id && s->eid == employee_id &&
                  u->now * 1000.0 < (double)s->expires_ms;
        }
        if (hit) {
            *ok = true;
            *roles = s->roles;
            snprintf(device_id, device_len, "%s", s->device);
        }
        pthread_mutex_unlock(&table_mu);
        if (hit) {
            atomic_fetch_add(&n_hits, 1);
            return EO_OK;
        }
    }
    atomic_fetch_add(&n_misses, 1);
    uint64_t seq = atomic_load(&inval_seq);
    eo_db *db;
    long long expires_ms = 0;
    if (eo_uow_db(u, &db, err) ||
        eo_db_session_principal(db, session_id, employee_id, ok, roles, device_id, device_len, &expires_ms, err))
        return err->status;
    if (!*ok || !trust) return EO_OK; /* refusals are not cached: they are rare and must not outlive a fix */
    pthread_mutex_lock(&table_mu);
    if (atomic_load(&inval_seq) == seq && trusted(mono_ms())) {
        /* the session's own entry, else a free or expired way, else the oldest */
        slot *s = &set[0];
        for (int w = 0; w < WAYS; w++) {
            if (set[w].until_ms && set[w].sid == session_id) {
                s = &set[w];
                break;
            }
            if (set[w].until_ms <= now)
                s = &set[w];
            else if (s->until_ms > now && set[w].until_ms < s->until_ms)
                s = &set[w];
        }
        s->sid = session_id;
        s->eid = employee_id;
        s->roles = *roles;
        s->expires_ms = expires_ms;
        snprintf(s->device, sizeof s->device, "%s", device_id);
        s->until_ms = now + EO_SESSION_CACHE_TTL_S * 1000;
    }
    pthread_mutex_unlock(&table_mu);
    return EO_OK;
}

char *eo_profile_cache_get(long long employee_id, bool compact, unsigned long long *seq)
{
    int64_t now = mono_ms();
    *seq = atomic_load(&inval_seq);
    if (!trusted(now)) {
        *seq = UINT64_MAX; /* nothing to keep either */
        atomic_fetch_add(&n_profile_misses, 1);
        return NULL;
    }
    char *copy = NULL;
    profile_slot *p = &profiles[profile_slot_of(employee_id)];
    pthread_mutex_lock(&table_mu);
    if (p->until_ms > now && p->eid == employee_id && p->text[compact]) copy = strdup(p->text[compact]);
    pthread_mutex_unlock(&table_mu);
    atomic_fetch_add(copy ? &n_profile_hits : &n_profile_misses, 1);
    return copy;
}

void eo_profile_cache_put(long long employee_id, bool compact, const char *json_text, unsigned long long seq)
{
    if (seq == UINT64_MAX || !json_text) return;
    char *copy = strdup(json_text);
    if (!copy) return;
    int64_t now = mono_ms();
    profile_slot *p = &profiles[profile_slot_of(employee_id)];
    pthread_mutex_lock(&table_mu);
    if (atomic_load(&inval_seq) == seq && trusted(now)) {
        if (p->eid != employee_id || p->until_ms <= now) { /* empty, expired or another employee's: start over */
            for (int k = 0; k < 2; k++) {
                free(p->text[k]);
                p->text[k] = NULL;
            }
            p->eid = employee_id;
            p->until_ms = now + EO_SESSION_CACHE_TTL_S * 1000;
        }
        free(p->text[compact]);
        p->text[compact] = copy;
        copy = NULL;
    }
    pthread_mutex_unlock(&table_mu);
    free(copy);
}

void eo_session_cache_forget(long long employee_id) { invalidate(employee_id); }

void eo_profile_cache_forget(long long employee_id)
{
    if (employee_id > 0) invalidate_profile(employee_id);
}

void eo_profile_cache_stats(unsigned long long *hits, unsigned long long *misses)
{
    *hits = atomic_load(&n_profile_hits);
    *misses = atomic_load(&n_profile_misses);
}

void eo_session_cache_stats(unsigned long long *hits, unsigned long long *misses, bool *is_trusted)
{
    *hits = atomic_load(&n_hits);
    *misses = atomic_load(&n_misses);
    *is_trusted = trusted(mono_ms());
}
