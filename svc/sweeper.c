#include "svc/sweeper.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/storage.h"
#include "db/attachments.h"
#include "db/idempotency.h"
#include "db/throttle.h"
#include "svc/attachments.h"

#define EO_SWEEP_THROTTLE_BATCH 5000 /* auth_throttle rows deleted per pass at most */

struct eo_sweeper {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    eo_app *app;
    int grace_s;
    double listed_at; /* last walk of the store; 0 = never */
};

static void sweep_once(eo_sweeper *s)
{
    eo_err err;
    eo_err_init(&err);
    eo_sweep_stats st;
    double now = eo_uow_clock();
    /* Walking the store costs one LIST request per 1000 objects: do it once a
     * grace period (an orphan waits at most two), the cheap row pass every time. */
    bool list_store = now - s->listed_at >= (double)s->grace_s;
    if (list_store) s->listed_at = now;
    eo_svc_attachments_sweep(s->app, now, s->grace_s, list_store, &st, &err);
    if (st.released > 0 || st.orphans > 0)
        fprintf(stderr,
                "{\"level\":\"info\",\"msg\":\"attachment sweeper removed unreferenced objects\",\"released\":%d,"
                "\"orphans\":%d,\"listed\":%d}\n",
                st.released, st.orphans, st.listed);
    if (err.status != EO_OK)
        fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"attachment sweeper\",\"code\":\"%s\"}\n",
                err.code ? err.code : "");
    eo_err_clear(&err);
    if (list_store) {
        /* A temp file is written only after its whole upload has arrived, so
         * one last written longer ago than the upload limit plus the photo
         * grace belongs to no live request: a crash left it. */
        int removed = 0;
        double stale_after = (double)s->app->cfg.max_upload_s + (double)s->grace_s;
        eo_storage_sweep_temp(s->app->storage, now - stale_after, &removed, &err);
        if (removed > 0)
            fprintf(stderr,
                    "{\"level\":\"info\",\"msg\":\"attachment sweeper removed stale temp files\",\"removed\":%d}\n",
                    removed);
        if (err.status != EO_OK)
            fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"attachment sweeper (temp files)\",\"code\":\"%s\"}\n",
                    err.code ? err.code : "");
        eo_err_clear(&err);
    }
    eo_db *db = NULL;
    if (eo_db_acquire(s->app->pool, &db, &err) == EO_OK) {
        eo_db_idem_expire(db, 48, &err);
        eo_err_clear(&err);
        eo_db_attachment_prune_sweeps(db, &err);
        eo_err_clear(&err);
        /* Sign-in counters keyed by address grow with attack traffic; a
         * bounded batch a pass keeps each delete short, and a flood is
         * drained over a few passes. */
        int forgotten = 0;
        if (eo_db_throttle_sweep(db, now, EO_SWEEP_THROTTLE_BATCH, &forgotten, &err) != EO_OK)
            fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"throttle sweeper\",\"code\":\"%s\"}\n",
                    err.code ? err.code : "");
        else if (forgotten > 0)
            fprintf(stderr, "{\"level\":\"info\",\"msg\":\"throttle sweeper removed quiet counters\",\"removed\":%d}\n",
                    forgotten);
        eo_db_release(db);
    }
    eo_err_clear(&err);
}

static void *sweeper_main(void *arg)
{
    eo_sweeper *s = arg;
    int interval = s->grace_s < 60 ? (s->grace_s > 1 ? s->grace_s : 1) : 60;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        sweep_once(s);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += interval;
        pthread_mutex_lock(&s->mu);
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &ts) == 0) {}
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

eo_status eo_sweeper_start(eo_app *app, int grace_s, eo_sweeper **out, eo_err *err)
{
    *out = NULL;
    eo_sweeper *s = calloc(1, sizeof(*s));
    if (!s) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->app = app;
    s->grace_s = grace_s;
    if (pthread_create(&s->thread, NULL, sweeper_main, s) != 0) {
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "cannot start the attachment sweeper");
    }
    *out = s;
    return EO_OK;
}

void eo_sweeper_stop(eo_sweeper *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
