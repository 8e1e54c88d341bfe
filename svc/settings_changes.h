/* Settings that carry money (docs/settings.md): an employee's own change of
 * atasan, office location or work schedule waits for its confirmer; an anpeg
 * of the unit or an admin may set them directly. */
#ifndef EO_SVC_SETTINGS_CHANGES_H
#define EO_SVC_SETTINGS_CHANGES_H

#include <jansson.h>

#include "svc/list.h"
#include "svc/uow.h"

/* The caller asks for a change (NULL = unchanged, "" = clear location or
 * atasan). Values equal to those in force are dropped; a new atasan becomes a
 * 'supervisor' change (confirmer: that atasan), the rest one 'placement'
 * change (confirmer: the atasan in force). *created: changes filed. *out: the
 * settings as GET shows them (values in force + pending). */
eo_status eo_svc_settings_request(eo_uow *u, const char *location_code, const char *supervisor_nip,
                                  const char *schedule_code, int *created, json_t **out, eo_err *err);
/* {office_location_code, supervisor_nip, work_schedule_code, pending: [...]} of employee_id. */
eo_status eo_svc_settings_view(eo_uow *u, long long employee_id, json_t **out, eo_err *err);

typedef enum { EO_SETTINGS_CONFIRM, EO_SETTINGS_REFUSE, EO_SETTINGS_WITHDRAW } eo_settings_action;
/* confirm / refuse (the confirmer; refuse needs a note) / withdraw (the employee). */
eo_status eo_svc_settings_change_act(eo_uow *u, long long id, eo_settings_action action, const char *note, json_t **out,
                                     eo_err *err);
/* The caller's queue of pending changes to confirm. */
eo_status eo_svc_settings_changes_queue(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err);
/* An anpeg whose unit covers the employee (nip), or an admin, sets the values
 * directly (never their own). *out: the employee's settings view. */
eo_status eo_svc_settings_direct_set(eo_uow *u, const char *nip, const char *location_code, const char *supervisor_nip,
                                     const char *schedule_code, json_t **out, eo_err *err);

#endif
