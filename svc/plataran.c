#include "svc/plataran.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/plataran.h"
#include "db/rpi.h"
#include "svc/access.h"
#include "svc/rpi.h"

static eo_plataran_config config;

/* Until when (Unix seconds) agenda requests do not ask Plataran: set when it
 * was found unavailable, so that while it is down every agenda answers from
 * the stored copies at once instead of waiting out the timeouts again. The
 * sync (admin, background job) always asks. */
static _Atomic long long quiet_until;

void eo_svc_plataran_configure(const eo_plataran_config *cfg) { config = *cfg; }
const eo_plataran_config *eo_svc_plataran_config(void) { return &config; }

/* At most this many schedules are fetched per agenda request or sync run. */
#define MAX_SCHEDULES 100

static void log_warn(const char *what, const char *code, const char *detail)
{
    fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"plataran %s\",\"code\":\"%s\",\"detail\":\"%s\"}\n", what, code,
            detail);
}

/* ------------------------------------------------------------ schedules */

typedef struct {
    const char *external_id;
    json_t *sessions; /* new reference when known */
    double fetched_at;
    bool fresh;          /* answered by Plataran in this run */
    bool store, confirm; /* to write back */
    char etag[201];
    const char *failed; /* error code of this run's attempt */
} schedule;

static void resource_of(const char *ext, char *buf, size_t n) { snprintf(buf, n, "schedule:%s", ext); }

/* Reads the stored copies of n schedules (the connection is then released). */
static eo_status load_copies(eo_uow *u, schedule *s, size_t n, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    for (size_t i = 0; i < n; i++) {
        char res[160];
        resource_of(s[i].external_id, res, sizeof(res));
        eo_db_plataran_copy c;
        if (eo_db_plataran_cache_get(db, res, &c, err) != EO_OK) return err->status;
        if (c.found) {
            s[i].sessions = c.body;
            s[i].fetched_at = c.fetched_at;
            snprintf(s[i].etag, sizeof(s[i].etag), "%s", c.etag);
        }
    }
    return EO_OK;
}

/* Asks Plataran for each schedule; after the first failure the rest are
 * served from their copies (a partner that is down is not asked n times). */
static void fetch_schedules(schedule *s, size_t n, double now, bool respect_cooldown)
{
    bool down = !config.base_url[0] || (respect_cooldown && (long long)now < quiet_until);
    for (size_t i = 0; i < n; i++) {
        if (down) {
            s[i].failed = config.base_url[0] ? "plataran_unavailable" : "plataran_not_configured";
            continue;
        }
        char path[256];
        /* external ids are path segments: keep them to a safe alphabet */
        size_t len = strlen(s[i].external_id);
        if (strspn(s[i].external_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != len) {
            s[i].failed = "plataran_bad_response";
            continue;
        }
        snprintf(path, sizeof(path), "/v1/programmes/%s/schedules", s[i].external_id);
        eo_err err;
        eo_err_init(&err);
        eo_plataran_response r;
        if (eo_plataran_get(&config, path, s[i].sessions ? s[i].etag : "", &r, &err) != EO_OK) {
            s[i].failed = err.code;
            log_warn("schedule", err.code, err.log_detail);
            down = strcmp(err.code, "plataran_unavailable") == 0;
            if (down) quiet_until = (long long)now + config.cooldown_s;
            eo_err_clear(&err);
            continue;
        }
        if (r.status == 304 && s[i].sessions) {
            s[i].fresh = s[i].confirm = true;
            s[i].fetched_at = now;
        } else if (r.status == 404) { /* no schedule (yet) for this programme */
            json_decref(s[i].sessions);
            s[i].sessions = json_array();
            s[i].etag[0] = 0;
            s[i].fresh = s[i].store = true;
            s[i].fetched_at = now;
        } else if (r.status == 200) {
            json_t *sessions;
            if (eo_plataran_parse_schedule(r.body, r.len, s[i].external_id, &sessions, &err) == EO_OK) {
                json_decref(s[i].sessions);
                s[i].sessions = sessions;
                snprintf(s[i].etag, sizeof(s[i].etag), "%s", r.etag);
                s[i].fresh = s[i].store = true;
                s[i].fetched_at = now;
            } else {
                s[i].failed = err.code;
                log_warn("schedule", err.code, err.log_detail);
                eo_err_clear(&err);
            }
        } else { /* 304 without a copy: cannot happen with a sane partner */
            s[i].failed = "plataran_bad_response";
        }
        eo_plataran_response_free(&r);
    }
}

/* Writes back what this run learnt, in one transaction. */
static eo_status store_copies(eo_uow *u, schedule *s, size_t n, double now, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_begin(db, err) != EO_OK) return err->status;
    for (size_t i = 0; i < n; i++) {
        char res[160];
        resource_of(s[i].external_id, res, sizeof(res));
        eo_status st = EO_OK;
        if (s[i].store)
            st = eo_db_plataran_cache_put(db, res, s[i].etag, s[i].sessions, now, err);
        else if (s[i].confirm)
            st = eo_db_plataran_cache_confirm(db, res, now, err);
        else if (s[i].failed)
            st = eo_db_plataran_cache_failed(db, res, s[i].failed, now, err);
        if (st != EO_OK) {
            eo_db_rollback(db);
            return err->status;
        }
    }
    return eo_db_commit(db, err);
}

static void free_schedules(schedule *s, size_t n)
{
    for (size_t i = 0; i < n; i++) json_decref(s[i].sessions);
    free(s);
}

/* The Plataran programmes among items (at most MAX_SCHEDULES). */
static schedule *schedules_of(json_t *items, size_t *n)
{
    schedule *s = calloc(MAX_SCHEDULES, sizeof(*s));
    *n = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *ext = json_string_value(json_object_get(it, "external_id"));
        if (s && ext && *n < MAX_SCHEDULES) s[(*n)++].external_id = ext;
    }
    return s;
}

/* ------------------------------------------------------------ agenda */

eo_status eo_svc_plataran_agenda(eo_uow *u, int year, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (year == 0) year = eo_svc_rpi_current_year(u->now);
    eo_db *db;
    json_t *items;
    if (eo_uow_db(u, &db, err) != EO_OK ||
        eo_db_plataran_agenda_items(db, u->who->employee_id, year, &items, err) != EO_OK)
        return err->status;
    size_t n;
    schedule *s = schedules_of(items, &n);
    if (!s) {
        json_decref(items);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    if (load_copies(u, s, n, err) != EO_OK) goto fail;
    eo_uow_db_release(u); /* Plataran may be slow: no connection is held meanwhile */
    fetch_schedules(s, n, u->now, true);
    if (store_copies(u, s, n, u->now, err) != EO_OK) {
        /* the answer does not depend on the write-back; log it and go on */
        log_warn("agenda cache write", err->code, err->log_detail);
        eo_err_clear(err);
    }
    bool any_stale = false;
    long long max_age = -1;
    size_t i, k = 0;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (!json_string_value(json_object_get(it, "external_id"))) {
            json_object_set_new(it, "sessions", json_array());
            json_object_set_new(it, "stale", json_false());
            json_object_set_new(it, "age_s", json_null());
            continue;
        }
        if (k >= n) { /* past the bound of one request: listed, not fetched */
            json_object_set_new(it, "sessions", json_array());
            json_object_set_new(it, "stale", json_true());
            json_object_set_new(it, "age_s", json_null());
            any_stale = true;
            continue;
        }
        schedule *sc = &s[k++];
        bool stale = !sc->fresh;
        long long age = sc->fetched_at > 0 ? (long long)(u->now - sc->fetched_at) : -1;
        if (age < 0 && sc->fetched_at > 0) age = 0;
        json_object_set_new(it, "sessions", sc->sessions ? json_incref(sc->sessions) : json_array());
        json_object_set_new(it, "stale", json_boolean(stale));
        json_object_set_new(it, "age_s", sc->fetched_at > 0 ? json_integer(age) : json_null());
        json_object_set_new(it, "fetched_at", json_null());
        if (sc->fetched_at > 0) {
            char ts[32];
            time_t t = (time_t)sc->fetched_at;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
            json_object_set_new(it, "fetched_at", json_string(ts));
        }
        if (stale) {
            any_stale = true;
            if (age > max_age) max_age = age;
        }
    }
    *out = json_pack("{s:i, s:b, s:o, s:o}", "year", year, "stale", any_stale, "age_s",
                     any_stale && max_age >= 0 ? json_integer(max_age) : json_null(), "items", items);
    free_schedules(s, n);
    return EO_OK;
fail:
    free_schedules(s, n);
    json_decref(items);
    return err->status;
}

/* ------------------------------------------------------------ sync */

static eo_status upsert_catalogue(eo_db *db, json_t *programmes, int *created, int *updated, eo_err *err)
{
    size_t i;
    json_t *p;
    *created = *updated = 0;
    json_array_foreach(programmes, i, p)
    {
        char *codes = json_dumps(json_object_get(p, "competencies"), JSON_COMPACT);
        eo_db_programme_in in = {
            .title = json_string_value(json_object_get(p, "title")),
            .description = json_string_value(json_object_get(p, "description")),
            .method = json_string_value(json_object_get(p, "method")),
            .category = json_string_value(json_object_get(p, "category")),
            .jp = (int)json_integer_value(json_object_get(p, "jp")),
            .organiser = json_string_value(json_object_get(p, "organiser_unit_code")),
            .competencies = codes,
        };
        bool was_created = false;
        eo_status st = codes ? eo_db_programme_upsert_external(db, json_string_value(json_object_get(p, "id")), &in,
                                                               &was_created, err)
                             : eo_fail(err, EO_ERR_INTERNAL, "internal");
        free(codes);
        if (st != EO_OK) return st;
        if (was_created)
            (*created)++;
        else
            (*updated)++;
    }
    return EO_OK;
}

eo_status eo_svc_plataran_sync(eo_uow *u, json_t **out, eo_err *err)
{
    *out = NULL;
    if (u->who && !eo_svc_access_is_admin(u)) return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
    if (!config.base_url[0]) return eo_fail(err, EO_ERR_UNAVAILABLE, "plataran_not_configured");
    eo_db *db;
    eo_db_plataran_copy copy;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_plataran_cache_get(db, "catalogue", &copy, err) != EO_OK)
        return err->status;
    json_decref(copy.body);
    eo_uow_db_release(u);
    eo_plataran_response r;
    json_t *programmes = NULL;
    const char *outcome = "not_modified";
    int created = 0, updated = 0;
    if (eo_plataran_get(&config, "/v1/programmes", copy.found ? copy.etag : "", &r, err) == EO_OK) {
        if (r.status == 200)
            eo_plataran_parse_catalogue(r.body, r.len, &programmes, err);
        else if (r.status != 304 || !copy.found)
            eo_fail_log(err, EO_ERR_UNAVAILABLE, "plataran_bad_response", "catalogue: HTTP %ld", r.status);
    }
    if (err->status != EO_OK) {
        eo_plataran_response_free(&r);
        eo_err note;
        eo_err_init(&note);
        if (eo_uow_db(u, &db, &note) == EO_OK) eo_db_plataran_cache_failed(db, "catalogue", err->code, u->now, &note);
        eo_err_clear(&note);
        log_warn("catalogue", err->code, err->log_detail);
        return err->status;
    }
    quiet_until = 0; /* Plataran answered: agendas may ask it again */
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_begin(db, err) != EO_OK) goto done;
    if (programmes) {
        outcome = "updated";
        if (upsert_catalogue(db, programmes, &created, &updated, err) != EO_OK ||
            eo_db_plataran_cache_put(db, "catalogue", r.etag, programmes, u->now, err) != EO_OK)
            goto rollback;
    } else if (eo_db_plataran_cache_confirm(db, "catalogue", u->now, err) != EO_OK) {
        goto rollback;
    }
    json_t *details = json_pack("{s:s, s:i, s:i}", "outcome", outcome, "created", created, "updated", updated);
    eo_status ast = eo_uow_audit(u, "plataran.sync", "plataran", "catalogue", details, err);
    json_decref(details);
    if (ast != EO_OK || eo_db_commit(db, err) != EO_OK) goto rollback;

    /* then the schedules of the approved plans' Plataran programmes */
    json_t *items = NULL;
    size_t n = 0, refreshed = 0, failed = 0;
    schedule *s = NULL;
    if (eo_db_plataran_agenda_items(db, 0, eo_svc_rpi_current_year(u->now), &items, err) != EO_OK) goto done;
    s = schedules_of(items, &n);
    if (s && load_copies(u, s, n, err) == EO_OK) {
        eo_uow_db_release(u);
        fetch_schedules(s, n, u->now, false);
        for (size_t i = 0; i < n; i++) {
            if (s[i].fresh)
                refreshed++;
            else
                failed++;
        }
        store_copies(u, s, n, u->now, err);
    }
    if (s) free_schedules(s, n);
    json_decref(items);
    if (err->status != EO_OK) goto done;
    *out = json_pack("{s:s, s:i, s:i, s:i, s:{s:i, s:i}}", "outcome", outcome, "programmes",
                     (int)json_array_size(programmes), "created", created, "updated", updated, "schedules", "refreshed",
                     (int)refreshed, "failed", (int)failed);
    fprintf(stderr,
            "{\"level\":\"info\",\"msg\":\"plataran sync\",\"outcome\":\"%s\",\"created\":%d,\"updated\":%d,"
            "\"schedules_refreshed\":%zu,\"schedules_failed\":%zu}\n",
            outcome, created, updated, refreshed, failed);
    goto done;
rollback:
    eo_db_rollback(db);
done:
    json_decref(programmes);
    eo_plataran_response_free(&r);
    return err->status;
}

/* ------------------------------------------------------------ background job */

struct eo_plataran_job {
    eo_app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

static void *job_main(void *arg)
{
    eo_plataran_job *j = arg;
    pthread_mutex_lock(&j->mu);
    while (!j->stop) {
        pthread_mutex_unlock(&j->mu);
        eo_uow u;
        eo_uow_init(&u, j->app, NULL, eo_uow_clock());
        eo_err err;
        eo_err_init(&err);
        json_t *out = NULL;
        eo_svc_plataran_sync(&u, &out, &err); /* failures are logged inside */
        json_decref(out);
        eo_err_clear(&err);
        eo_uow_end(&u);
        pthread_mutex_lock(&j->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += config.sync_interval_s;
        while (!j->stop && pthread_cond_timedwait(&j->cv, &j->mu, &until) == 0) {}
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

eo_status eo_plataran_job_start(eo_app *app, eo_plataran_job **out, eo_err *err)
{
    *out = NULL;
    if (!config.base_url[0] || config.sync_interval_s <= 0) return EO_OK; /* off */
    eo_plataran_job *j = calloc(1, sizeof(*j));
    if (!j) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    j->app = app;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
        pthread_cond_destroy(&j->cv);
        pthread_mutex_destroy(&j->mu);
        free(j);
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "plataran: cannot start the sync thread");
    }
    *out = j;
    return EO_OK;
}

void eo_plataran_job_stop(eo_plataran_job *j)
{
    if (!j) return;
    pthread_mutex_lock(&j->mu);
    j->stop = true;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    free(j);
}
