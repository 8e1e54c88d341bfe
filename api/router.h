/* The single ulfius default endpoint: the whole request pipeline (see api/http.h). */
#ifndef EO_API_ROUTER_H
#define EO_API_ROUTER_H

#include <stdatomic.h>

#include "api/http.h"

/* ulfius callback; user_data is the eo_app. */
int eo_router_dispatch(const struct _u_request *req, struct _u_response *res, void *user_data);

/* Requests being handled now (for graceful shutdown). */
extern atomic_int eo_router_in_flight;
/* Set when shutdown begins: responses then carry "Connection: close". */
extern atomic_bool eo_router_draining;

/* Finds the route for method+path. Returns it, or NULL with *path_known telling
 * whether another method exists for the path (405) or not (404); allow receives
 * the allowed methods ("GET, POST") when path_known. */
const eo_route *eo_router_match(const char *method, const char *path, const char **params, char *param_buf,
                                size_t param_buf_len, bool *path_known, char *allow, size_t allow_len);

#endif
