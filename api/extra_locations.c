/* Duty-travel extra locations over HTTP: assign, list (keyset-paged), revoke.
 * The rules and authorisation are svc/extra_locations.c. */
#include <stdio.h>
#include <string.h>

#include "api/http.h"
#include "svc/extra_locations.h"

static void h_extra_create(eo_ctx *c)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"employee_nip", "location_code", "name",      "latitude",
                                          "longitude",    "radius_m",      "time_zone", "valid_from",
                                          "valid_to",     "reason",        NULL};
    eo_json_only(b, allowed, &err);
    const char *nip = eo_json_get_str(b, "employee_nip", true, 18, &err);
    eo_extra_location_req q = {0};
    q.location_code = eo_json_get_str(b, "location_code", false, 64, &err);
    q.name = eo_json_get_str(b, "name", false, 200, &err);
    bool place = !q.location_code; /* without a known place, its coordinates are required */
    q.lat = eo_json_get_num(b, "latitude", place, -90, 90, 0, &err);
    q.lon = eo_json_get_num(b, "longitude", place, -180, 180, 0, &err);
    q.radius_m = (int)eo_json_get_int(b, "radius_m", place, 10, 50000, 100, &err);
    q.time_zone = eo_json_get_str(b, "time_zone", place, 63, &err);
    q.valid_from = eo_json_get_str(b, "valid_from", true, 10, &err);
    q.valid_to = eo_json_get_str(b, "valid_to", true, 10, &err);
    q.reason = eo_json_get_str(b, "reason", true, 500, &err);
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_extra_location_create(&c->uow, nip, &q, &out, &err);
    json_decref(b);
    if (err.status != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 201, out);
}

static void h_extra_list(eo_ctx *c)
{
    const char *nip = eo_query(c, "nip");
    /* The cursor is bound to the list, whose it is and who asks. */
    char key[128];
    snprintf(key, sizeof(key), "extra_locations|who=%lld|nip=%.32s", c->who->employee_id, nip ? nip : "");
    eo_page p;
    if (!eo_page_or_reply(c, key, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_extra_location_list_req q = {.nip = nip, .after = p.after, .limit = p.limit};
    eo_extra_location_list_res res;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_extra_location_list(&c->uow, &q, &res, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, res.items, res.next);
}

static void h_extra_delete(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "extra_location_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_extra_location_revoke(&c->uow, id, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_empty(c, 204);
}

static const eo_route routes[] = {
    {"POST", "/api/v1/presensi/extra-locations", h_extra_create, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/extra-locations", h_extra_list, EO_R_AUTH | EO_R_NO_STORE},
    {"DELETE", "/api/v1/presensi/extra-locations/{id}", h_extra_delete, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_extra_locations = {"extra_locations", routes, NULL, NULL};
