/* Duty-travel extra locations: a manager of an employee (a supervisor up the
 * chain, or an admin) assigns dated places where the employee may also check
 * in; the employee and whoever may see their attendance can list them. */
#ifndef EO_SVC_EXTRA_LOCATIONS_H
#define EO_SVC_EXTRA_LOCATIONS_H

#include <jansson.h>

#include "db/extra_locations.h"
#include "svc/uow.h"

/* in->employee_id is ignored: the employee is named by nip. Field errors
 * (valid_from, valid_to, name, reason), 404 employee_not_found (unknown, or
 * invisible to the caller), 403 forbidden (visible, not managed), 422
 * location_not_found. Audited as presensi.extra_location.create. */
eo_status eo_svc_extra_location_create(eo_uow *u, const char *nip, const eo_extra_location_req *in, json_t **out,
                                       eo_err *err);

typedef struct {
    const char *nip;     /* whose; NULL or "" = the caller's own */
    const json_t *after; /* decoded cursor position, NULL on the first page */
    int limit;
} eo_extra_location_list_req;

typedef struct {
    json_t *items; /* owned by the caller */
    json_t *next;  /* position after the last item, or NULL; owned */
} eo_extra_location_list_res;

/* Field nip invalid_value; 404 employee_not_found when unknown or invisible to the caller. */
eo_status eo_svc_extra_location_list(eo_uow *u, const eo_extra_location_list_req *in, eo_extra_location_list_res *out,
                                     eo_err *err);

/* Revokes one: 404 extra_location_not_found, 403 forbidden (visible, not managed). */
eo_status eo_svc_extra_location_revoke(eo_uow *u, long long id, eo_err *err);

#endif
