#include "db/mail.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mail.h"

struct eo_mail_sender {
    eo_pool *pool;
    const eo_config *cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    bool kicked;
};

/* The process-wide sender, so that code queuing mail can wake it. */
static eo_mail_sender *current_sender;
static pthread_mutex_t current_mu = PTHREAD_MUTEX_INITIALIZER;

eo_status eo_db_mail_enqueue(eo_db *db, const char *to, const char *subject, const char *body, eo_err *err)
{
    const char *p[] = {to, subject, body};
    PGresult *r =
        eo_db_exec(db, NULL, "insert into mail_outbox (to_addr, subject, body) values ($1, $2, $3)", 3, p, err);
    if (!r) return err->status;
    PQclear(r);
    eo_db_mail_kick();
    return EO_OK;
}

void eo_db_mail_kick(void)
{
    pthread_mutex_lock(&current_mu);
    if (current_sender) eo_mail_sender_kick(current_sender);
    pthread_mutex_unlock(&current_mu);
}

/* Claims one due message (status sending), delivers it, records the result.
 * Returns true when a message was handled (so the loop tries the next one). */
static bool deliver_one(eo_mail_sender *s)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    bool handled = false;
    if (eo_db_acquire(s->pool, &db, &err) != EO_OK) goto done;
    PGresult *r =
        eo_db_exec(db, NULL,
                   "update mail_outbox set status = 'sending', attempts = attempts + 1 where id = "
                   "(select id from mail_outbox where status = 'queued' and next_attempt_at <= now() "
                   "order by id limit 1 for update skip locked) returning id, to_addr, subject, body, attempts",
                   0, NULL, &err);
    if (!r) goto done;
    if (PQntuples(r) != 1) {
        PQclear(r);
        goto done;
    }
    handled = true;
    char id[24];
    snprintf(id, sizeof id, "%s", eo_db_get(r, 0, 0));
    int attempts = (int)eo_db_get_ll(r, 0, 4);
    char why[256] = "";
    eo_status st;
    if (strcmp(s->cfg->mail_mode, "log") == 0) {
        eo_mail_log(eo_db_get(r, 0, 1), eo_db_get(r, 0, 2), eo_db_get(r, 0, 3));
        st = EO_OK;
    } else {
        st = eo_mail_send_smtp(s->cfg, eo_db_get(r, 0, 1), eo_db_get(r, 0, 2), eo_db_get(r, 0, 3), why, sizeof why);
    }
    PQclear(r);
    if (st == EO_OK) {
        const char *p[] = {id};
        r = eo_db_exec(db, NULL,
                       "update mail_outbox set status = 'sent', sent_at = now(), last_error = null where id = $1", 1, p,
                       &err);
    } else {
        char backoff[32];
        snprintf(backoff, sizeof backoff, "%.3f",
                 (double)eo_mail_backoff_ms(s->cfg->mail_retry_base_ms, attempts) / 1e3);
        bool give_up = attempts >= s->cfg->mail_max_attempts;
        const char *p[] = {id, why, backoff, give_up ? "failed" : "queued"};
        r = eo_db_exec(db, NULL,
                       "update mail_outbox set status = $4, last_error = $2, "
                       "next_attempt_at = now() + make_interval(secs => $3::double precision) where id = $1",
                       4, p, &err);
        fprintf(stderr,
                "{\"level\":\"warn\",\"msg\":\"mail delivery failed\",\"mail_id\":%s,\"attempt\":%d,\"gave_up\":%s}\n",
                id, attempts, give_up ? "true" : "false");
    }
    if (r) PQclear(r);
done:
    eo_db_release(db);
    eo_err_clear(&err);
    return handled;
}

static void *sender_main(void *arg)
{
    eo_mail_sender *s = arg;
    /* Messages left "sending" by a crash are retried. */
    {
        eo_db *db = NULL;
        eo_err err;
        eo_err_init(&err);
        if (eo_db_acquire(s->pool, &db, &err) == EO_OK) {
            PGresult *r = eo_db_exec(db, NULL, "update mail_outbox set status = 'queued' where status = 'sending'", 0,
                                     NULL, &err);
            if (r) PQclear(r);
        }
        eo_db_release(db);
        eo_err_clear(&err);
    }
    for (;;) {
        pthread_mutex_lock(&s->mu);
        bool stop = s->stop;
        s->kicked = false;
        pthread_mutex_unlock(&s->mu);
        if (stop) break;
        int budget = 50;
        while (budget-- > 0 && deliver_one(s)) {
            pthread_mutex_lock(&s->mu);
            stop = s->stop;
            pthread_mutex_unlock(&s->mu);
            if (stop) break;
        }
        pthread_mutex_lock(&s->mu);
        if (!s->stop && !s->kicked) {
            /* Also polls for retries that became due: every 2 s, or at the first
             * retry delay when that is shorter (so a short EOFFICE_MAIL_RETRY_BASE_MS
             * is honoured rather than rounded up to the poll). */
            long poll_ms = s->cfg->mail_retry_base_ms < 2000 ? s->cfg->mail_retry_base_ms : 2000;
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += poll_ms / 1000;
            until.tv_nsec += (poll_ms % 1000) * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&s->cv, &s->mu, &until);
        }
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

eo_status eo_mail_sender_start(eo_pool *pool, const eo_config *cfg, eo_mail_sender **out, eo_err *err)
{
    eo_mail_sender *s = calloc(1, sizeof *s);
    if (!s) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    s->pool = pool;
    s->cfg = cfg;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        free(s);
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "cannot start the mail sender thread");
    }
    pthread_mutex_lock(&current_mu);
    current_sender = s;
    pthread_mutex_unlock(&current_mu);
    *out = s;
    return EO_OK;
}

void eo_mail_sender_kick(eo_mail_sender *s)
{
    pthread_mutex_lock(&s->mu);
    s->kicked = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void eo_mail_sender_stop(eo_mail_sender *s)
{
    if (!s) return;
    pthread_mutex_lock(&current_mu);
    if (current_sender == s) current_sender = NULL;
    pthread_mutex_unlock(&current_mu);
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
