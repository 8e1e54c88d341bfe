/* Use cases of the development programme catalogue and the RPI builder and
 * workflow (docs/rpi.md). Rules: core/rpi.h; SQL: db/rpi.h. */
#ifndef EO_SVC_RPI_H
#define EO_SVC_RPI_H

#include <jansson.h>
#include <stdbool.h>

#include "core/rpi.h"
#include "db/rpi.h"
#include "svc/list.h"
#include "svc/uow.h"

/* ---- catalogue (writes: admin; reads: any signed-in employee) ---- */
/* in->* already has its shape checked by api/; enums and references are checked here. */
eo_status eo_svc_programme_create(eo_uow *u, const eo_db_programme_in *in, json_t **out, eo_err *err);
eo_status eo_svc_programme_update(eo_uow *u, long long id, const eo_db_programme_in *in, json_t **out, eo_err *err);
eo_status eo_svc_programme_archive(eo_uow *u, long long id, eo_err *err);
eo_status eo_svc_programme_get(eo_uow *u, long long id, json_t **out, eo_err *err);
typedef struct {
    const char *method, *organiser, *competency;
} eo_programme_filter;
eo_status eo_svc_programme_list(eo_uow *u, const eo_programme_filter *f, const eo_svc_page_in *in, eo_svc_page_out *out,
                                eo_err *err);

/* ---- RPI ---- */
/* The caller's recommended programmes (gap < 0, largest gap first). */
eo_status eo_svc_rpi_recommendations(eo_uow *u, json_t **out, eo_err *err);
/* year 0: the current year (WIB). */
eo_status eo_svc_rpi_create(eo_uow *u, int year, json_t **out, eo_err *err);
eo_status eo_svc_rpi_mine(eo_uow *u, int year, bool compact, json_t **out, eo_err *err);
/* Author, the anpeg over the author's unit, the author's atasan, admin; others 404. */
eo_status eo_svc_rpi_get(eo_uow *u, long long id, json_t **out, eo_err *err);
eo_status eo_svc_rpi_item_add(eo_uow *u, long long id, long long programme_id, json_t **out, eo_err *err);
eo_status eo_svc_rpi_item_remove(eo_uow *u, long long id, long long programme_id, json_t **out, eo_err *err);
eo_status eo_svc_rpi_act(eo_uow *u, long long id, eo_rpi_action action, const char *note, json_t **out, eo_err *err);
/* status "submitted" (anpeg) or "verified" (atasan). */
eo_status eo_svc_rpi_queue(eo_uow *u, const char *status, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err);

/* The current year in WIB (UTC+7) at instant now. */
int eo_svc_rpi_current_year(double now);

#endif
