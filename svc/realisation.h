/* The wiring of partner trainings into the profile and the RPI realisation
 * (docs/rpi.md "Realisation", docs/integration-api.md "Where a training
 * goes"): used by the integration push (svc/integration.c) and by the RPI
 * views and approval (svc/rpi.c). */
#ifndef EO_SVC_REALISATION_H
#define EO_SVC_REALISATION_H

#include <jansson.h>

#include "db/pool.h"
#include "svc/uow.h"

/* A training just stored (not a re-push): in the caller's transaction, the
 * profile record (section competency, source integration), the notice
 * training.recorded to the employee, and for every approved plan whose items
 * are now all realised the stamp realised_at and rpi.realised to the atasan. */
eo_status eo_svc_training_recorded(eo_uow *u, eo_db *db, long long training_id, long long employee_id,
                                   const char *partner, const char *title, eo_err *err);

/* After an approval: stamps realised_at when the trainings already realise
 * every item (nobody is told: the atasan is the one approving). */
eo_status eo_svc_rpi_realised_check(eo_uow *u, eo_db *db, long long employee_id, eo_err *err);

/* Adds the realisation to a rendered plan: per item "realisation"
 * {realised, jp_realised, completed_on, trainings} and "effects" (pre/post
 * per competency the programme addresses, svc/competency.c's computation),
 * and the plan's "realisation" totals. compact (the app's view): per item
 * {realised, jp_realised, completed_on} only, no effects, and the totals
 * {jp_planned, jp_realised, items_total, items_realised, all_realised}. */
eo_status eo_svc_rpi_realisation_attach(eo_db *db, long long rpi_id, json_t *rpi, bool compact, eo_err *err);

#endif
