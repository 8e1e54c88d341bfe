#include "api/app.h"

/* Each module's table; weak so the server links while a module is absent. */
extern const eo_route eo_routes_health[];
extern const eo_route eo_routes_jwks[] __attribute__((weak));
extern const eo_route eo_routes_identity[] __attribute__((weak));
extern const eo_route eo_routes_me[] __attribute__((weak));
extern const eo_route eo_routes_admin[] __attribute__((weak));
extern const eo_route eo_routes_presensi[] __attribute__((weak));
extern const eo_route eo_routes_mobile[] __attribute__((weak));

const eo_route *const *eo_route_tables(void)
{
    static const eo_route *tables[8];
    int n = 0;
    tables[n++] = eo_routes_health;
    if (eo_routes_jwks) tables[n++] = eo_routes_jwks;
    if (eo_routes_identity) tables[n++] = eo_routes_identity;
    if (eo_routes_me) tables[n++] = eo_routes_me;
    if (eo_routes_admin) tables[n++] = eo_routes_admin;
    if (eo_routes_presensi) tables[n++] = eo_routes_presensi;
    if (eo_routes_mobile) tables[n++] = eo_routes_mobile;
    tables[n] = NULL;
    return tables;
}
