#include "core/principal.h"

#include <string.h>

eo_status eo_role_grant_check(const char *role, const char *unit, eo_err *err)
{
    if (!role || (strcmp(role, "admin") != 0 && strcmp(role, "anpeg") != 0 && strcmp(role, "humas") != 0)) {
        eo_err_field(err, "role", "role_invalid");
        return err->status;
    }
    bool anpeg = strcmp(role, "anpeg") == 0;
    if (anpeg && !unit) {
        eo_err_field(err, "unit_code", "unit_required");
        return err->status;
    }
    if (!anpeg && unit) {
        eo_err_field(err, "unit_code", "unit_not_allowed");
        return err->status;
    }
    return EO_OK;
}
