/* The mail outbox: messages are queued inside the caller's transaction, and
 * one sender thread delivers them (SMTP or, in dev, the log), retrying with
 * backoff and recording the outcome per message. */
#ifndef EO_DB_MAIL_H
#define EO_DB_MAIL_H

#include "core/config.h"
#include "db/pool.h"

eo_status eo_db_mail_enqueue(eo_db *db, const char *to, const char *subject, const char *body, eo_err *err);
/* Wakes the running sender, if any (after rows were queued by other SQL). */
void eo_db_mail_kick(void);

typedef struct eo_mail_sender eo_mail_sender;
/* Starts the sender thread; cfg and pool must outlive it. */
eo_status eo_mail_sender_start(eo_pool *pool, const eo_config *cfg, eo_mail_sender **out, eo_err *err);
/* Wakes the sender (a message was queued). */
void eo_mail_sender_kick(eo_mail_sender *s);
void eo_mail_sender_stop(eo_mail_sender *s);

#endif
