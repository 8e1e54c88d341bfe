/* Plataran Sehat: syncing the programme catalogue and the schedules of
 * approved RPI programmes, the employee's agenda, and the background sync job
 * (docs/integrations.md). The HTTP client is core/plataran.h. */
#ifndef EO_SVC_PLATARAN_H
#define EO_SVC_PLATARAN_H

#include <jansson.h>

#include "core/plataran.h"
#include "svc/uow.h"

/* Set once at start (the module's start hook), read-only afterwards. */
void eo_svc_plataran_configure(const eo_plataran_config *cfg);
const eo_plataran_config *eo_svc_plataran_config(void);

/* Fetches the catalogue (If-None-Match the stored ETag) and upserts its
 * programmes, then refreshes the schedules of every approved plan's Plataran
 * programmes. u->who NULL: the background job; otherwise admin only.
 * 503 plataran_not_configured / plataran_unavailable / plataran_bad_response
 * when the catalogue cannot be had (the stored data stays as it was). */
eo_status eo_svc_plataran_sync(eo_uow *u, json_t **out, eo_err *err);

/* The caller's agenda for year (0: current): approved RPI items with their
 * Plataran sessions; from the last good copy ("stale": true, "age_s") when
 * Plataran is down, slow or sends garbage. Never fails because of Plataran. */
eo_status eo_svc_plataran_agenda(eo_uow *u, int year, json_t **out, eo_err *err);

/* The background job: every cfg->sync_interval_s (first run at once). */
typedef struct eo_plataran_job eo_plataran_job;
eo_status eo_plataran_job_start(eo_app *app, eo_plataran_job **out, eo_err *err);
void eo_plataran_job_stop(eo_plataran_job *job);

#endif
