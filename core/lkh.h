/* LKH (Laporan Kinerja Harian, the daily performance report): pure rules.
 *
 * Two questions, answered without a database (docs/lkh.md):
 *   - may a report be filed for this date? It must be a working day of the
 *     employee (schedule, Ramadan hours, holidays: core/presensi_rules.h), not
 *     in the future (the employee's local date), and at most N working days
 *     back (EOFFICE_LKH_BACKFILL_WORKDAYS) unless the atasan opened that day;
 *   - do the activities fit the day? Each is a time span (start < end within
 *     00:00..24:00) or a duration alone; spans never overlap; the total is at
 *     most 24 hours.
 */
#ifndef EO_CORE_LKH_H
#define EO_CORE_LKH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/presensi_rules.h"
#include "core/status.h"

#define EO_LKH_MAX_ACTIVITIES 20
#define EO_LKH_DAY_MINUTES    1440

/* One activity's time: a span (start_min < end_min, both 0..1440) or, when
 * start_min < 0, a duration alone. */
typedef struct {
    int start_min, end_min; /* -1 when only a duration is given */
    int duration_min;       /* with a span: ignored on input, end - start */
} eo_lkh_span;

/* "HH:MM" -> minutes since midnight; 00:00..23:59, and "24:00" when allow_24. */
bool eo_lkh_parse_hhmm(const char *s, bool allow_24, int *minutes);

/* Checks the activities' times together: each span's bounds (field
 * "activities[i].end_time" out_of_range), durations 1..1440
 * ("activities[i].duration_min" out_of_range), overlapping spans
 * ("activities[i].start_time" lkh_activity_overlap, i the later one), and the
 * total ("activities" lkh_day_exceeded when over 1440 minutes). Fills each
 * span's duration_min and *total_min. Field errors go to err (422). */
eo_status eo_lkh_check_spans(eo_lkh_span *spans, size_t n, int *total_min, eo_err *err);

/* One calendar day as the working-day rule reads it. */
typedef struct {
    int isodow; /* 1 = Monday .. 7 = Sunday */
    bool holiday;
    bool ramadan;
} eo_lkh_cal_day;

typedef enum {
    EO_LKH_DAY_OK = 0,
    EO_LKH_DAY_FUTURE,      /* after the employee's local today */
    EO_LKH_DAY_NOT_WORKING, /* a day off of the schedule or a holiday */
    EO_LKH_DAY_TOO_OLD,     /* more than backfill working days back, no permit */
} eo_lkh_day_verdict;

/* days[0] is the report's date, days[1..n-1] the following days up to the
 * employee's local today (inclusive); truncated: the range was cut short (the
 * date lies further back than the caller looked), which counts as too old.
 * future: the date is after today (days then holds the date alone).
 * A date is too old when more than backfill working days follow it up to and
 * including today; permitted (the atasan opened the day) lifts that limit but
 * never the other two. */
eo_lkh_day_verdict eo_lkh_day_check(const eo_schedule *s, const eo_lkh_cal_day *days, size_t n, bool truncated,
                                    bool future, int backfill, bool permitted);

/* Working days in days[from..n-1] (the schedule and holidays decide). */
int eo_lkh_working_days(const eo_schedule *s, const eo_lkh_cal_day *days, size_t from, size_t n);

/* The stable code of a refusal ("lkh_future_date", "lkh_not_working_day",
 * "lkh_too_far_back"), NULL for EO_LKH_DAY_OK. */
const char *eo_lkh_day_code(eo_lkh_day_verdict v);

#endif
