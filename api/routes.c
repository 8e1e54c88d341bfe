#include "api/app.h"

/* Each module's table (defined in its api/ file). */
extern const eo_route eo_routes_health[];
extern const eo_route eo_routes_jwks[];
extern const eo_route eo_routes_identity[];
extern const eo_route eo_routes_me[];
extern const eo_route eo_routes_admin[];
extern const eo_route eo_routes_presensi[];
extern const eo_route eo_routes_mobile[];

static const eo_route *const tables[] = {
    eo_routes_health, eo_routes_jwks,     eo_routes_identity, eo_routes_me,
    eo_routes_admin,  eo_routes_presensi, eo_routes_mobile,   NULL,
};

const eo_route *const *eo_route_tables(void) { return tables; }
