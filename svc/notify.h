/* Producing notifications (docs/notifications.md): a use case calls
 * eo_svc_notify inside its own transaction, so the notice commits (or rolls
 * back) with the step that caused it. The actor (u->who) is never notified of
 * their own step; inactive employees get nothing. */
#ifndef EO_SVC_NOTIFY_H
#define EO_SVC_NOTIFY_H

#include "db/notifications.h"
#include "svc/uow.h"

/* to: the subject employee itself, their direct atasan, or the anpeg of
 * their unit's subtree. *count (may be NULL): notices written. */
eo_status eo_svc_notify(eo_uow *u, eo_notify_to to, long long subject, const eo_notice *n, int *count, eo_err *err);

#endif
