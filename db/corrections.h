/* Attendance corrections SQL: requests to fix a day, decided by the atasan.
 * Rows are rendered to JSON in SQL for the read-only answers (create, list,
 * get): no rule reads them back; what the review rule reads comes from
 * eo_db_correction_lock as a struct. */
#ifndef EO_DB_CORRECTIONS_H
#define EO_DB_CORRECTIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

typedef struct {
    const char *work_date, *kind, *check_in, *check_out, *reason; /* times "HH:MM" or NULL */
} eo_correction_req;

/* Inserts a pending request dated on or before the employee's local date at
 * `now` (Unix seconds). 409 correction_exists (one pending per day), 422
 * correction_future_date / validation_failed. *out: the row as JSON. */
eo_status eo_db_correction_create(eo_db *db, long long employee_id, const eo_correction_req *r, double now,
                                  json_t **out, long long *id, eo_err *err);

/* What the rule "a correction is for a working day or a day with a record"
 * reads about one employee's date (core/presensi_rules.h resolves it). */
typedef struct {
    bool future;     /* after the employee's local date at `now` */
    int isodow;      /* 1 = Monday .. 7 = Sunday */
    int normal[2];   /* the schedule's normal hours that weekday, local minutes; -1 when none */
    int ramadan[2];  /* the Ramadan hours; -1 when none */
    bool in_ramadan; /* the date is in a Ramadan period */
    bool holiday;    /* the date is a public holiday */
    bool has_record; /* an attendance row exists for the date */
} eo_correction_day;

/* Reads the calendar facts of work_date ("YYYY-MM-DD", already validated) for
 * the employee. */
eo_status eo_db_correction_day(eo_db *db, long long employee_id, const char *work_date, double now,
                               eo_correction_day *out, eo_err *err);

typedef struct {
    long long employee_id;
    bool team;          /* false: the employee's requests; true: those of direct subordinates (not drafts) */
    const char *status; /* draft | pending | returned | approved | rejected, or NULL */
    /* keyset position: the last row served (created_at as RFC 3339 with microseconds, id); NULL = first page */
    const char *after_created_at;
    long long after_id;
    int limit; /* items per page */
} eo_correction_filter;

/* Newest first. *items: one page of rows; *next: the position after it
 * ([created_at, id]) or NULL on the last page (db/rows.h). */
eo_status eo_db_correction_list(eo_db *db, const eo_correction_filter *f, json_t **items, json_t **next, eo_err *err);

typedef struct {
    long long employee_id;
    long long supervisor_id; /* the employee's direct supervisor, 0 when none */
    char status[16];         /* draft | pending | returned | approved | rejected */
    char check_in[6];        /* requested local times "HH:MM", "" when none */
    char check_out[6];
} eo_correction_row;

/* Locks the row (FOR UPDATE) in the caller's transaction; 404 correction_not_found. */
eo_status eo_db_correction_lock(eo_db *db, long long id, eo_correction_row *row, eo_err *err);
/* Stores the decision (status approved/rejected, by, at now) and, when approved,
 * writes the requested local times into the day's attendance row. Caller's transaction. */
eo_status eo_db_correction_decide(eo_db *db, long long id, long long decided_by, bool approve, const char *note,
                                  double now, eo_err *err);
/* A step that changes no attendance: status returned (decided_by = by, at
 * now, decision_note = note) or draft (by 0: the decision columns cleared).
 * Caller's transaction. */
eo_status eo_db_correction_step(eo_db *db, long long id, const char *status, long long by, const char *note, double now,
                                eo_err *err);
/* Back to pending with the (validated) requested times (NULL: none) and
 * reason (NULL: kept); the previous decision columns are cleared. 409
 * correction_exists when another request of that day is pending. Caller's
 * transaction. */
eo_status eo_db_correction_resubmit(eo_db *db, long long id, const char *check_in, const char *check_out,
                                    const char *reason, eo_err *err);
/* The row as JSON; 404 correction_not_found. */
eo_status eo_db_correction_get(eo_db *db, long long id, json_t **out, eo_err *err);

#endif
