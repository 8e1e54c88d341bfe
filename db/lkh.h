/* LKH SQL (docs/lkh.md): the calendar facts the working-day rule reads, the
 * reports with their activities and evidence, the atasan's late permits, and
 * the SKP targets. Read-only answers are rendered to JSON in SQL; what a rule
 * reads back comes as a struct (eo_lkh_row, eo_lkh_calendar). */
#ifndef EO_DB_LKH_H
#define EO_DB_LKH_H

#include <jansson.h>
#include <stdbool.h>

#include "core/lkh.h"
#include "db/pool.h"

/* How many calendar days after a report's date are read at most: more than
 * any backfill window (60 working days) can span. */
#define EO_LKH_CAL_MAX 150

typedef struct {
    eo_schedule schedule;                    /* the employee's schedule */
    eo_lkh_cal_day days[EO_LKH_CAL_MAX + 1]; /* the date, then up to today */
    size_t n;
    bool future, truncated, permitted;
    char today[11];     /* the employee's local date at now */
    long long db_epoch; /* the database's clock (Unix seconds), for attachment put_after */
} eo_lkh_calendar;

/* The calendar facts of work_date ("YYYY-MM-DD", already validated) for the
 * employee at now: schedule, days to today in the office's zone, holidays,
 * Ramadan, a late permit. work_date NULL: the employee's today. */
eo_status eo_db_lkh_calendar(eo_db *db, long long employee_id, const char *work_date, double now, eo_lkh_calendar *out,
                             eo_err *err);

/* Positions (0-based) of activities whose skp_target_id is not a target of
 * the employee for year; *bad is a JSON array of integers (caller decrefs). */
eo_status eo_db_lkh_foreign_skp(eo_db *db, long long employee_id, int year, const char *activities_json, json_t **bad,
                                eo_err *err);

/* Inserts a draft report with its activities (a JSON array of normalised
 * activities: description, start_time, end_time, duration_min, output,
 * quantity, unit, skp_target_id). 409 lkh_report_exists for a second report
 * of the day. Caller's transaction. */
eo_status eo_db_lkh_create(eo_db *db, long long employee_id, const char *work_date, const char *activities_json,
                           long long *id, eo_err *err);
/* Replaces the report's activities. Caller's transaction. */
eo_status eo_db_lkh_set_activities(eo_db *db, long long id, const char *activities_json, eo_err *err);

typedef struct {
    long long id;
    long long employee_id;
    long long supervisor_id; /* the author's direct atasan now, 0 when none */
    long long attachment_id; /* 0 when none */
    char status[16];         /* draft | submitted | approved | returned */
    char work_date[11];
} eo_lkh_row;

/* Locks the report (FOR UPDATE) in the caller's transaction; 404 lkh_not_found. */
eo_status eo_db_lkh_lock(eo_db *db, long long id, eo_lkh_row *row, eo_err *err);
/* The report of employee on work_date, locked; found false when none. */
eo_status eo_db_lkh_lock_day(eo_db *db, long long employee_id, const char *work_date, eo_lkh_row *row, bool *found,
                             eo_err *err);
/* The row without a lock (outside a transaction). */
eo_status eo_db_lkh_read(eo_db *db, long long id, eo_lkh_row *row, eo_err *err);

/* A workflow step: submitted (reviewer = the atasan now, submitted_at = now,
 * decision cleared), approved / returned (reviewer = by, note, decided_at). */
eo_status eo_db_lkh_step(eo_db *db, long long id, const char *status, long long by, const char *note, double now,
                         eo_err *err);
/* Points the report at attachment att and releases the one it held (if another). */
eo_status eo_db_lkh_set_attachment(eo_db *db, long long id, long long att, eo_err *err);

/* The report as JSON (employee, activities, total_minutes, attachment, review); 404 lkh_not_found. */
eo_status eo_db_lkh_get(eo_db *db, long long id, json_t **out, eo_err *err);

typedef struct {
    long long employee_id; /* own list: the author; team list: the atasan */
    bool team;             /* reports of the atasan's direct subordinates, drafts excluded */
    const char *from, *to; /* dates or NULL */
    const char *status;    /* or NULL */
    const char *nip;       /* team only: one subordinate, or NULL */
    const char *after_date;
    long long after_id;
    int limit;
} eo_lkh_filter;

/* Newest work_date first: [work_date, id] positions (db/keyset.h). */
eo_status eo_db_lkh_list(eo_db *db, const eo_lkh_filter *f, json_t **items, json_t **next, eo_err *err);

/* The atasan opens work_date for employee (idempotent: a second grant keeps the first). */
eo_status eo_db_lkh_permit(eo_db *db, long long employee_id, const char *work_date, long long by, bool *created,
                           eo_err *err);

/* ---- SKP targets ---- */
typedef struct {
    int year;
    const char *title;
    long long target_quantity;
    const char *unit;
} eo_skp_target_req;

eo_status eo_db_skp_create(eo_db *db, long long employee_id, const eo_skp_target_req *q, json_t **out, long long *id,
                           eo_err *err);
/* Only the owner's target; 404 skp_target_not_found otherwise. */
eo_status eo_db_skp_update(eo_db *db, long long employee_id, long long id, const eo_skp_target_req *q, json_t **out,
                           eo_err *err);
/* 404 skp_target_not_found, 409 skp_target_in_use (an activity names it). */
eo_status eo_db_skp_delete(eo_db *db, long long employee_id, long long id, json_t **old, eo_err *err);
/* The owner's targets, year filter (0 = all), newest first by [created_at, id]. */
eo_status eo_db_skp_list(eo_db *db, long long employee_id, int year, const char *after_at, long long after_id,
                         int limit, json_t **items, json_t **next, eo_err *err);

#endif
