/* SQL of the Plataran Sehat client: the last good copy of each resource
 * (plataran_cache) and the approved RPI programmes whose schedules we fetch. */
#ifndef EO_DB_PLATARAN_H
#define EO_DB_PLATARAN_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

typedef struct {
    bool found;
    char etag[201];
    json_t *body;      /* new reference when found */
    double fetched_at; /* Unix seconds */
} eo_db_plataran_copy;

eo_status eo_db_plataran_cache_get(eo_db *db, const char *resource, eo_db_plataran_copy *out, eo_err *err);
/* A good answer: body (not stolen) with its ETag, fetched at now. */
eo_status eo_db_plataran_cache_put(eo_db *db, const char *resource, const char *etag, json_t *body, double now,
                                   eo_err *err);
/* 304: the stored copy is still current as of now. */
eo_status eo_db_plataran_cache_confirm(eo_db *db, const char *resource, double now, eo_err *err);
/* A failed attempt: noted (checked_at, last_error); the copy stays. */
eo_status eo_db_plataran_cache_failed(eo_db *db, const char *resource, const char *code, double now, eo_err *err);

/* Items of approved plans as [{programme_id, title, method, category, jp,
 * source, external_id}]: of one employee and year, or (employee 0) the
 * distinct Plataran programmes of every approved plan of the year or later. */
eo_status eo_db_plataran_agenda_items(eo_db *db, long long employee_id, int year, json_t **out, eo_err *err);

#endif
