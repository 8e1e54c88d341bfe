/* Notifications: the rows every module writes for its recipients, and the
 * recipient's list (docs/notifications.md). Writes run on the caller's
 * connection, inside its transaction when one is open. */
#ifndef EO_DB_NOTIFICATIONS_H
#define EO_DB_NOTIFICATIONS_H

#include <jansson.h>

#include "db/pool.h"

/* Who receives a notification about subject employee S. */
typedef enum {
    EO_NOTIFY_EMPLOYEE,   /* S itself */
    EO_NOTIFY_SUPERVISOR, /* S's direct atasan (none: nobody) */
    EO_NOTIFY_ANPEG,      /* every anpeg whose unit subtree holds S's unit */
} eo_notify_to;

typedef struct {
    const char *kind;        /* dotted lower-case, e.g. "pdm.submitted" */
    const char *title;       /* 1..200 chars, Indonesian */
    const char *body;        /* may be NULL; <= 2000 chars */
    const char *target_type; /* what it is about (may be NULL) */
    const char *target_id;
    json_t *data; /* may be NULL; not stolen */
} eo_notice;

/* Inserts one row per recipient (never actor_id, who caused it) and, for
 * recipients who opted in (accounts.notify_email), queues a copy to their
 * office address in the mail outbox. *count: rows written (may be NULL). */
eo_status eo_db_notify(eo_db *db, eo_notify_to to, long long subject, long long actor_id, const eo_notice *n,
                       int *count, eo_err *err);

#endif
