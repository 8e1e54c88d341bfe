/* Use cases of the signed-in employee (u->who): profile, settings, sessions
 * and devices, password change. The rule: the caller sees and changes only
 * their own records, whatever ids or cursors they send; without u->who every
 * use case fails EO_ERR_UNAUTHORIZED "unauthorized". */
#ifndef EO_SVC_ME_H
#define EO_SVC_ME_H

#include <jansson.h>
#include <stdbool.h>

#include "svc/list.h"
#include "svc/uow.h"

typedef struct {
    bool compact; /* the mobile subset */
} eo_svc_me_profile_in;

typedef struct {
    /* The profile as compact JSON text of one object (malloc'd, the caller
     * frees): the cached bytes themselves, so a hit neither parses nor dumps. */
    char *text;
} eo_svc_me_profile_out;

/* The caller's profile (unit, position, location, schedule, supervisor, roles). */
eo_status eo_svc_me_profile(eo_uow *u, const eo_svc_me_profile_in *in, eo_svc_me_profile_out *out, eo_err *err);

typedef struct {
    /* {office_location_code, supervisor_nip, work_schedule_code} in force and
     * pending: the changes waiting for confirmation; a new reference */
    json_t *settings;
    int requested; /* update: changes filed for confirmation */
} eo_svc_me_settings_out;

/* The caller's settings. */
eo_status eo_svc_me_settings_get(eo_uow *u, eo_svc_me_settings_out *out, eo_err *err);

typedef struct {
    /* NULL = unchanged; "" = clear (location and supervisor only) */
    const char *office_location_code, *supervisor_nip, *work_schedule_code;
} eo_svc_me_settings_in;

/* Asks for the settings (svc/settings_changes.h, docs/settings.md): nothing
 * applies at once; each real change waits for its confirmer, audited
 * "settings.change_request" and notified. Field errors from the master data:
 * location_not_found, schedule_not_found, supervisor_not_found,
 * supervisor_self, supervisor_cycle. Field errors already in err stop it. */
eo_status eo_svc_me_settings_update(eo_uow *u, const eo_svc_me_settings_in *in, eo_svc_me_settings_out *out,
                                    eo_err *err);

typedef struct {
    long long session_id; /* 0: not a valid id */
} eo_svc_me_session_revoke_in;

/* Ends one of the caller's own sessions (audited "auth.session_revoke");
 * another employee's session id, or an unknown one, is EO_ERR_NOT_FOUND not_found. */
eo_status eo_svc_me_session_revoke(eo_uow *u, const eo_svc_me_session_revoke_in *in, eo_err *err);

typedef struct {
    const char *current_password, *new_password, *new_password_confirmation; /* NULL: absent or unparsable */
} eo_svc_me_password_in;

typedef struct {
    int sessions_ended; /* the caller's other sessions, all ended */
} eo_svc_me_password_out;

/* Changes the caller's password: policy, confirmation and "not the same as
 * the current one" are checked (field errors), the current password must
 * verify (current_password password_wrong). Then, in one transaction: the new
 * hash, every other session of the caller ended, an audit row and a notice to
 * the office e-mail. The calling session stays. */
eo_status eo_svc_me_password_change(eo_uow *u, const eo_svc_me_password_in *in, eo_svc_me_password_out *out,
                                    eo_err *err);

/* The caller's live sessions, newest first ("current" marks the caller's own).
 * EO_ERR_UNAUTHORIZED without u->who; 422 cursor/invalid_cursor on a foreign position. */
eo_status eo_svc_me_sessions_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err);
/* The caller's mobile devices, most recently registered first. */
eo_status eo_svc_me_devices_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err);

#endif
