/* The readiness use case behind /readyz: the database answers and the schema
 * in it is the one this binary was built for. */
#ifndef EO_SVC_HEALTH_H
#define EO_SVC_HEALTH_H

#include "svc/uow.h"

typedef struct {
    int applied;   /* migrations recorded and matching */
    int available; /* migrations in the binary */
} eo_svc_health_ready_out;

/* EO_OK when ready. A database that cannot be reached fails like any borrow
 * (503 db_busy / db_unavailable); pending or changed migrations fail
 * EO_ERR_UNAVAILABLE "schema_not_current" with "pending" and "changed" extras
 * and a 5 s retry hint (a deployment is still migrating). */
eo_status eo_svc_health_ready(eo_uow *u, eo_svc_health_ready_out *out, eo_err *err);

#endif
