/* Who is calling, and the role rules shared by the API and the command line. */
#ifndef EO_CORE_PRINCIPAL_H
#define EO_CORE_PRINCIPAL_H

#include <stdbool.h>

#include "core/status.h"

enum { EO_ROLE_ADMIN = 1u << 0, EO_ROLE_ANPEG = 1u << 1, EO_ROLE_HUMAS = 1u << 2 };

typedef struct {
    long long employee_id;
    char nip[19];
    long long session_id;
    unsigned roles;      /* EO_ROLE_* granted (anpeg scope is checked in db, per unit) */
    char device_id[129]; /* mobile sessions: the bound device, else "" */
    bool mobile;         /* token audience is the mobile app */
} eo_principal;

/* A role grant is well formed: role is admin, humas or anpeg, and a unit is
 * given for anpeg and only for anpeg. Fails with a field error on "role"
 * (role_invalid) or "unit_code" (unit_required / unit_not_allowed). */
eo_status eo_role_grant_check(const char *role, const char *unit, eo_err *err);

#endif
