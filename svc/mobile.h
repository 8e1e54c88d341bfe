/* The app's start-up read (GET /mobile/v1/config): what the E-Office app
 * needs before a check-in, and whether it is too old to be used. */
#ifndef EO_SVC_MOBILE_H
#define EO_SVC_MOBILE_H

#include <stdbool.h>

#include "db/presensi.h"
#include "svc/uow.h"

typedef struct {
    const char *app_version; /* X-App-Version; NULL when not sent */
} eo_svc_mobile_config_in;

typedef struct {
    eo_presensi_ctx *ctx; /* today's geofences, schedule and local time; eo_svc_mobile_config_free */
    bool update_required; /* app_version is older than cfg.min_app_version */
} eo_svc_mobile_config_out;

/* The caller's (u->who) presensi context at u->now. Answers even for an
 * outdated app, which update_required tells. EO_ERR_UNAUTHORIZED without a
 * principal; EO_ERR_NOT_FOUND employee_not_found for an inactive employee. */
eo_status eo_svc_mobile_config(eo_uow *u, const eo_svc_mobile_config_in *in, eo_svc_mobile_config_out *out,
                               eo_err *err);
void eo_svc_mobile_config_free(eo_svc_mobile_config_out *out);

#endif
