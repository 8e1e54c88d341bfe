/* Absence requests SQL (docs/absence.md): cuti, sakit, dinas luar, perjalanan
 * dinas, tugas belajar over dated ranges, decided by the atasan through the
 * shared review cycle. Read-only answers are rendered to JSON in SQL; what the
 * rules read comes back as eo_absence_row. */
#ifndef EO_DB_ABSENCE_H
#define EO_DB_ABSENCE_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

#define EO_ABSENCE_MAX_LOCATIONS 10

/* The author's fields; NULL = not given (on edit: keep the stored value). */
typedef struct {
    const char *kind, *cuti_type, *date_from, *date_to, *reason;
    bool clear_cuti_type;                          /* edit: cuti_type null */
    bool set_locations;                            /* locations given (replace the set) */
    long long locations[EO_ABSENCE_MAX_LOCATIONS]; /* extra_locations ids of the author */
    int n_locations;
} eo_absence_fields;

/* Inserts a draft of employee_id; 409 absence_overlap when a live request of
 * the employee covers one of the days, 422 absence_location_not_found for an
 * extra location that is not the employee's (or is revoked). */
eo_status eo_db_absence_create(eo_db *db, long long employee_id, const eo_absence_fields *f, long long *id,
                               eo_err *err);
/* Applies the author's edit (fields given) to request id; same errors. */
eo_status eo_db_absence_edit(eo_db *db, long long id, const eo_absence_fields *f, eo_err *err);

typedef struct {
    long long employee_id;
    long long supervisor_id; /* the employee's atasan in force now, 0 when none */
    long long reviewer_id;   /* the atasan asked at submission, 0 when none */
    char status[16];         /* draft | submitted | returned | approved | rejected */
    char kind[24];
    int days;                /* date_to - date_from + 1 */
    long long attachment_id; /* 0 when none */
} eo_absence_row;

/* Locks the request (FOR UPDATE); 404 absence_not_found. */
eo_status eo_db_absence_lock(eo_db *db, long long id, eo_absence_row *row, eo_err *err);
/* Stores a review step: status, reviewer (submit: the atasan asked), decided_by
 * and note (decisions), the instants at `now`. by/reviewer 0 = unchanged/none. */
eo_status eo_db_absence_step(eo_db *db, long long id, const char *status, long long reviewer_id, long long decided_by,
                             const char *note, double now, eo_err *err);
/* Names attachment_id as the request's document; the previous one (if any,
 * and no longer named by anything) is released for the sweeper. */
eo_status eo_db_absence_set_document(eo_db *db, long long id, long long attachment_id, eo_err *err);
/* Deletes a draft (the caller checked it is one). */
eo_status eo_db_absence_delete(eo_db *db, long long id, eo_err *err);

/* The request as clients see it (404 absence_not_found). */
eo_status eo_db_absence_get(eo_db *db, long long id, json_t **out, eo_err *err);

typedef struct {
    long long viewer_id;
    bool team;             /* false: the viewer's own; true: the viewer's direct team (no drafts) */
    const char *status;    /* or NULL (team default: all but drafts) */
    const char *kind;      /* or NULL */
    const char *nip;       /* team: one employee, or NULL */
    const char *from, *to; /* requests touching [from, to], either may be NULL */
    bool compact;          /* the mobile shape */
    const char *after_at;  /* keyset position or NULL */
    const char *after_id;
    int limit;
} eo_absence_filter;

/* Newest first (created_at, id); one page (limit + 1 fetched). */
eo_status eo_db_absence_list(eo_db *db, const eo_absence_filter *f, json_t **items, json_t **next, eo_err *err);

/* The approved absence request covering employee_id's date ("YYYY-MM-DD"), if
 * any: *kind gets its kind ("" when none). */
eo_status eo_db_absence_on(eo_db *db, long long employee_id, const char *date, char *kind, size_t kind_cap,
                           eo_err *err);

#endif
