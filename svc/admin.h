/* Use cases of the administrators' read views. The rule: only an admin
 * (EO_ROLE_ADMIN) reads them; anyone else gets EO_ERR_FORBIDDEN "forbidden". */
#ifndef EO_SVC_ADMIN_H
#define EO_SVC_ADMIN_H

#include "svc/list.h"
#include "svc/uow.h"

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
