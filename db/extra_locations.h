/* Duty-travel extra locations SQL: dated places where one employee may also
 * check in (dinas luar). Rows are rendered to JSON in SQL for the read-only
 * answers; the authorisation reads only the owner (eo_db_extra_location_owner). */
#ifndef EO_DB_EXTRA_LOCATIONS_H
#define EO_DB_EXTRA_LOCATIONS_H

#include <jansson.h>

#include "db/pool.h"

typedef struct {
    long long employee_id;
    const char *location_code; /* copy the place from office_locations, or: */
    const char *name;
    double lat, lon;
    int radius_m;
    const char *time_zone;
    const char *valid_from, *valid_to, *reason;
} eo_extra_location_req;

/* 422 location_not_found (unknown code) / validation_failed (CHECKs, bad zone). */
eo_status eo_db_extra_location_create(eo_db *db, const eo_extra_location_req *r, long long created_by, json_t **out,
                                      long long *id, eo_err *err);

typedef struct {
    long long employee_id;
    double now;                   /* lists what is valid from 31 days before now (local date) onward */
    const char *after_valid_from; /* keyset position: the last row served (YYYY-MM-DD, id); NULL = first page */
    long long after_id;
    int limit; /* items per page */
} eo_extra_location_filter;

/* Active ones, latest valid_from first. *items: one page; *next: the position
 * after it ([valid_from, id]) or NULL on the last page (db/rows.h). */
eo_status eo_db_extra_location_list(eo_db *db, const eo_extra_location_filter *f, json_t **items, json_t **next,
                                    eo_err *err);
/* The owner of an active one; 404 extra_location_not_found. */
eo_status eo_db_extra_location_owner(eo_db *db, long long id, long long *employee_id, eo_err *err);
eo_status eo_db_extra_location_revoke(eo_db *db, long long id, long long by, double now, eo_err *err);

#endif
