/* Attendance rules (Perpres 21/2023 work hours; TL/PSW classes), pure functions.
 *
 * Everything here works in the work location's local time, expressed as
 * minutes since local midnight; the caller (db/presensi.c via PostgreSQL)
 * does the time-zone arithmetic. */
#ifndef EO_PRESENSI_RULES_H
#define EO_PRESENSI_RULES_H

#include <stdbool.h>

/* One weekday of a schedule: working or not, and its hours. */
typedef struct {
    bool works;
    int start_min; /* local minutes since midnight, e.g. 07.30 = 450 */
    int end_min;
} eo_schedule_slot;

/* A work schedule: slots[season][isodow], season 0 = normal, 1 = Ramadan,
 * isodow 1 = Monday .. 7 = Sunday (index 0 unused). */
typedef struct {
    eo_schedule_slot slots[2][8];
} eo_schedule;

/* The rules' view of one calendar day for one employee. */
typedef struct {
    bool working_day; /* the schedule has hours this weekday and it is no holiday */
    bool holiday;
    bool ramadan;
    int start_min; /* meaningful only when working_day */
    int end_min;
} eo_presensi_day;

/* Resolves the day from the schedule, weekday, Ramadan season and holiday flag.
 * A Ramadan period without Ramadan hours for that weekday falls back to normal hours. */
void eo_presensi_day_resolve(const eo_schedule *s, int isodow, bool ramadan, bool holiday, eo_presensi_day *out);

/* 0 for 0 minutes, 1 for 1-30, 2 for 31-60, 3 for 61-90, 4 for more than 90. */
int eo_presensi_class(int minutes);

#define EO_PRESENSI_NONE (-1) /* no check-in / check-out time */

typedef struct {
    bool working_day;
    bool absent;            /* working day over (or running) with neither check-in nor check-out */
    int late_min;           /* minutes after start_min (0 when on time) */
    int late_class;         /* TL1..TL4 as 1..4, 0 = none */
    bool missing_check_in;  /* check-out without check-in: TL4 */
    int early_min;          /* minutes before end_min */
    int early_class;        /* PSW1..PSW4 as 1..4, 0 = none */
    bool missing_check_out; /* day over, checked in, never out: PSW4 */
} eo_presensi_eval;

/* Evaluates one day. in_min/out_min are local minutes (seconds truncated) or
 * EO_PRESENSI_NONE. day_over: the local day has ended; absence and a missing
 * check-out are final only then, so a running day never reports them. */
void eo_presensi_evaluate(const eo_presensi_day *day, int in_min, int out_min, bool day_over, eo_presensi_eval *out);

/* "TL1".."TL4" / "PSW1".."PSW4", or NULL for class 0. */
const char *eo_presensi_tl_code(int cls);
const char *eo_presensi_psw_code(int cls);

#endif
