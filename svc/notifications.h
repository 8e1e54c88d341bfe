/* Notifications, the recipient's use cases (docs/notifications.md): the
 * caller's own list with its unread count, mark one or all read, the e-mail
 * opt-in. Producing them is svc/notify.h. */
#ifndef EO_SVC_NOTIFICATIONS_H
#define EO_SVC_NOTIFICATIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "svc/list.h"
#include "svc/uow.h"

/* compact: the app's item shape. *unread: the caller's unread count. */
eo_status eo_svc_notifications_list(eo_uow *u, bool unread_only, bool compact, const eo_svc_page_in *in,
                                    eo_svc_page_out *out, long long *unread, eo_err *err);
/* Idempotent; another employee's id is 404 notification_not_found. */
eo_status eo_svc_notification_read(eo_uow *u, long long id, bool compact, json_t **out, eo_err *err);
eo_status eo_svc_notifications_read_all(eo_uow *u, long long *marked, eo_err *err);
/* {"email": bool}; set NULL reads, else writes (audited when it changes). */
eo_status eo_svc_notification_settings(eo_uow *u, const bool *set, json_t **out, eo_err *err);

#endif
