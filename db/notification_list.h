/* Notifications, the recipient's side (docs/notifications.md): the list
 * (newest first, keyset on created_at, id), the unread count, marking read,
 * and the e-mail opt-in. Every statement is bounded to the recipient's own
 * rows: another employee's notification id is simply not found. */
#ifndef EO_DB_NOTIFICATION_LIST_H
#define EO_DB_NOTIFICATION_LIST_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

/* One page (compact: the app's shape) and the unread count, in one statement.
 * after_at/after_id NULL: the first page. */
eo_status eo_db_notification_list(eo_db *db, long long employee_id, bool unread_only, bool compact,
                                  const char *after_at, const char *after_id, int limit, json_t **items, json_t **next,
                                  long long *unread, eo_err *err);
/* Marks one read (idempotent; 404 notification_not_found unless it is employee_id's). */
eo_status eo_db_notification_read(eo_db *db, long long employee_id, long long id, bool compact, json_t **out,
                                  eo_err *err);
/* Marks every unread one read; *marked: how many. */
eo_status eo_db_notification_read_all(eo_db *db, long long employee_id, long long *marked, eo_err *err);
/* accounts.notify_email of the employee; set: NULL reads only, "true"/"false" writes. */
eo_status eo_db_notification_email(eo_db *db, long long employee_id, const char *set, bool *email, eo_err *err);

#endif
