/* SQL of the development programme catalogue and the RPI (docs/rpi.md).
 * Reads the shared competency tables of migration 0009 (gap = latest score
 * minus the position's required level). Views are rendered as JSON in SQL. */
#ifndef EO_DB_RPI_H
#define EO_DB_RPI_H

#include <jansson.h>
#include <stdbool.h>

#include "db/keyset.h"
#include "db/pool.h"

/* ---- catalogue ---- */
typedef struct {
    const char *title, *description, *method, *category;
    int jp;
    const char *organiser;    /* org unit code, NULL: none */
    const char *competencies; /* JSON array text of competency codes */
    bool mandatory_all;
    const char *positions; /* JSON array text of position names */
    const char *ranks;     /* JSON array text of ranks */
} eo_db_programme_in;

/* Field errors for references that do not exist: organiser unit_not_found,
 * competencies competency_not_found, mandatory_for.positions position_not_found. */
eo_status eo_db_programme_check_refs(eo_db *db, const eo_db_programme_in *in, eo_err *err);
eo_status eo_db_programme_create(eo_db *db, const eo_db_programme_in *in, long long *id, eo_err *err);
/* 404 programme_not_found when id is missing or archived. */
eo_status eo_db_programme_update(eo_db *db, long long id, const eo_db_programme_in *in, eo_err *err);
eo_status eo_db_programme_archive(eo_db *db, long long id, eo_err *err);
eo_status eo_db_programme_get(eo_db *db, long long id, json_t **out, eo_err *err);

typedef struct {
    const char *method, *organiser, *competency; /* NULL: any */
    eo_db_keyset after;
    int limit;
} eo_db_programme_filter;
eo_status eo_db_programme_list(eo_db *db, const eo_db_programme_filter *f, json_t **items, json_t **next, eo_err *err);

/* Programmes addressing the employee's competencies with a gap below 0, the
 * largest gap first (mandatory programmes are left out: they are in every plan). */
eo_status eo_db_rpi_recommendations(eo_db *db, long long employee_id, json_t **out, eo_err *err);

/* Upsert of a programme from Plataran (source plataran, keyed by external_id):
 * the fields Plataran carries; the local mandatory-for rules stay. Unknown
 * competency codes are ignored; *created tells insert from update. */
eo_status eo_db_programme_upsert_external(eo_db *db, const char *external_id, const eo_db_programme_in *in,
                                          bool *created, eo_err *err);

/* ---- RPI ---- */
typedef struct {
    long long id, employee_id, supervisor_id;
    int year, revision;
    char status[16];
    bool verifier; /* the caller is an anpeg whose unit subtree holds the author's unit */
    bool is_admin_visible;
} eo_db_rpi_row;

/* 409 rpi_exists when the employee already has the year's plan. The draft is
 * born with the mandatory programmes and a "create" event. */
eo_status eo_db_rpi_create(eo_db *db, long long employee_id, int year, double now, long long *id, eo_err *err);
/* The plan's id for (employee, year); 404 rpi_not_found. */
eo_status eo_db_rpi_find(eo_db *db, long long employee_id, int year, long long *id, eo_err *err);
/* Locks the plan (FOR UPDATE when lock) and works out the caller's relation. */
eo_status eo_db_rpi_load(eo_db *db, long long id, long long caller, bool lock, eo_db_rpi_row *row, eo_err *err);

/* Adds a programme; kind follows the employee's standing (mandatory,
 * recommended when it addresses a gap, else additional). 422 programme_id
 * programme_not_found; 409 rpi_item_exists. */
eo_status eo_db_rpi_item_add(eo_db *db, long long rpi_id, long long programme_id, eo_err *err);
/* 404 rpi_item_not_found; 409 rpi_item_mandatory. */
eo_status eo_db_rpi_item_remove(eo_db *db, long long rpi_id, long long programme_id, eo_err *err);

/* Moves the plan to status and writes the event (snapshot of the items on submit). */
eo_status eo_db_rpi_step(eo_db *db, long long id, const char *action, const char *from, const char *to, long long actor,
                         const char *note, double now, eo_err *err);

/* The whole plan: employee, items (with programme, kind, jp, category),
 * missing_mandatory, self_assessed (the year), history. */
eo_status eo_db_rpi_get(eo_db *db, long long id, json_t **out, eo_err *err);
/* The app's compact view. */
eo_status eo_db_rpi_compact(eo_db *db, long long id, json_t **out, eo_err *err);

/* Queues: "submitted" for the anpeg over the authors' units, "verified" for
 * the authors' direct atasan (never the caller's own plan). */
eo_status eo_db_rpi_queue(eo_db *db, long long caller, const char *status, const eo_db_keyset *after, int limit,
                          json_t **items, json_t **next, eo_err *err);

#endif
