/* Use cases of the signed-in employee's own lists. The rule: the caller sees
 * only their own sessions and devices, whatever cursor they send. */
#ifndef EO_SVC_ME_H
#define EO_SVC_ME_H

#include "svc/list.h"
#include "svc/uow.h"

/* The caller's live sessions, newest first ("current" marks the caller's own).
 * EO_ERR_UNAUTHORIZED without u->who; 422 cursor/invalid_cursor on a foreign position. */
eo_status eo_svc_me_sessions_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err);
/* The caller's mobile devices, most recently registered first. */
eo_status eo_svc_me_devices_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err);

#endif
