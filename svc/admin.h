/* Use cases of identity administration: authenticator reset, disabling and
 * enabling accounts, role grants, and the read views (grants, audit log).
 * The rule: only an admin (EO_ROLE_ADMIN) uses them; anyone else gets
 * EO_ERR_FORBIDDEN "forbidden" before anything else is looked at (no
 * principal: EO_ERR_UNAUTHORIZED). Every change is audited inside its own
 * transaction. The employee is named by NIP: a malformed or unknown one is
 * EO_ERR_NOT_FOUND employee_not_found, one without an account (where one is
 * needed) account_not_found. */
#ifndef EO_SVC_ADMIN_H
#define EO_SVC_ADMIN_H

#include <stdbool.h>

#include "svc/identity.h"
#include "svc/list.h"
#include "svc/uow.h"

typedef struct {
    const char *nip;
} eo_svc_admin_target_in;

/* Starts a new authenticator ("reset" enrolment) for the employee's account
 * and notifies its office e-mail; the old authenticator works until the new
 * one is verified. *out holds secrets: the caller sodium_memzero()s it. */
eo_status eo_svc_admin_authenticator_reset(eo_uow *u, const eo_svc_admin_target_in *in, eo_enrolment_started *out,
                                           eo_err *err);

typedef struct {
    const char *nip;
    bool disable; /* true: disable; false: enable (active with an authenticator, else pending) */
} eo_svc_admin_status_in;

typedef struct {
    char nip[19];
    char status[16];    /* the account's new status */
    int sessions_ended; /* disable ends every session at once */
} eo_svc_admin_status_out;

/* Disables or enables an account; an admin cannot change their own
 * (EO_ERR_CONFLICT cannot_change_self). */
eo_status eo_svc_admin_account_status(eo_uow *u, const eo_svc_admin_status_in *in, eo_svc_admin_status_out *out,
                                      eo_err *err);

typedef struct {
    const char *nip;
    const char *role;      /* NULL: absent or unparsable */
    const char *unit_code; /* anpeg: the unit the grant covers; NULL otherwise */
} eo_svc_admin_grant_in;

typedef struct {
    long long grant_id;
} eo_svc_admin_grant_out;

/* Grants a role (core/principal.h eo_role_grant_check decides the shape;
 * field errors already in err stop it). 404 unit_not_found, 409 role_already_granted. */
eo_status eo_svc_admin_role_grant(eo_uow *u, const eo_svc_admin_grant_in *in, eo_svc_admin_grant_out *out, eo_err *err);

typedef struct {
    const char *nip;
    long long grant_id; /* 0: not a valid id */
} eo_svc_admin_revoke_in;

/* Revokes an active grant of that employee; any other id is 404 grant_not_found. */
eo_status eo_svc_admin_role_revoke(eo_uow *u, const eo_svc_admin_revoke_in *in, eo_err *err);

typedef struct {
    eo_svc_page_in page;
    const char *nip; /* the employee whose grants are listed */
} eo_svc_admin_roles_in;

typedef struct {
    eo_svc_page_in page;
    const char *action; /* NULL or "": every action */
    const char *nip;    /* NULL or "": everyone; else the actor or the target */
} eo_svc_admin_audit_in;

/* Role grants of an employee (active and revoked), newest first; 404
 * employee_not_found when the NIP is malformed or unknown. */
eo_status eo_svc_admin_roles_list(eo_uow *u, const eo_svc_admin_roles_in *in, eo_svc_page_out *out, eo_err *err);
/* The audit log, newest first; 422 invalid_value when a filter is too long. */
eo_status eo_svc_admin_audit_list(eo_uow *u, const eo_svc_admin_audit_in *in, eo_svc_page_out *out, eo_err *err);

#endif
