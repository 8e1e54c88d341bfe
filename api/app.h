/* Start-up and shutdown hooks of the modules that keep state in eo_app. */
#ifndef EO_API_APP_H
#define EO_API_APP_H

#include "api/http.h"

/* identity: load the JWT signing key (cfg.jwt_private_key_file), start the mail sender. */
eo_status eo_identity_start(eo_app *app, eo_err *err);
void eo_identity_stop(eo_app *app);
/* presensi: open the photo storage back-end, start the orphan-photo sweeper. */
eo_status eo_presensi_start(eo_app *app, eo_err *err);
void eo_presensi_stop(eo_app *app);

/* All routes, in registration order; ends with {NULL}. Built by api/routes.c. */
const eo_route *const *eo_route_tables(void);

#endif
