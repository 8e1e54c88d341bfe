/* What api/me.c shares with the other routes of the employee's settings. */
#ifndef EO_API_ME_H
#define EO_API_ME_H

#include "api/http.h"
#include "svc/me.h"

/* The settings body of PUT /api/v1/me/settings and PUT /api/v1/employees/{nip}/settings:
 * only office_location_code, supervisor_nip, work_schedule_code; each absent =
 * unchanged, null = clear (location, supervisor), string (<= 64) = set. Field
 * errors go to err; the strings point into body. */
void eo_api_settings_body(json_t *body, eo_svc_me_settings_in *in, eo_err *err);

#endif
