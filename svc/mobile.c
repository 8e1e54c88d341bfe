#include "svc/mobile.h"

#include <stdlib.h>
#include <string.h>

#include "core/presensi.h"

eo_status eo_svc_mobile_config(eo_uow *u, const eo_svc_mobile_config_in *in, eo_svc_mobile_config_out *out, eo_err *err)
{
    eo_db *db = NULL;
    const char *min = u->app->cfg.min_app_version;
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_uow_db(u, &db, err)) return err->status;
    /* Large (fences with names and zones): off the request thread's stack. */
    out->ctx = calloc(1, sizeof(*out->ctx));
    if (!out->ctx) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    if (eo_db_presensi_context(db, u->who->employee_id, out->ctx, err)) {
        eo_svc_mobile_config_free(out);
        return err->status;
    }
    out->update_required = in->app_version && min[0] && eo_presensi_version_cmp(in->app_version, min) < 0;
    return EO_OK;
}

void eo_svc_mobile_config_free(eo_svc_mobile_config_out *out)
{
    free(out->ctx);
    out->ctx = NULL;
}
