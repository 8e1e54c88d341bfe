#include "core/lkh.h"

#include <stdio.h>
#include <string.h>

static bool digit(char c) { return c >= '0' && c <= '9'; }

bool eo_lkh_parse_hhmm(const char *s, bool allow_24, int *minutes)
{
    if (!s || strlen(s) != 5 || !digit(s[0]) || !digit(s[1]) || s[2] != ':' || !digit(s[3]) || !digit(s[4]))
        return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59) return false;
    if (h == 24 && m == 0 && allow_24) {
        *minutes = EO_LKH_DAY_MINUTES;
        return true;
    }
    if (h > 23) return false;
    *minutes = h * 60 + m;
    return true;
}

static void field(eo_err *err, size_t i, const char *member, const char *code)
{
    char name[64];
    snprintf(name, sizeof(name), "activities[%zu].%s", i, member);
    eo_err_field(err, name, code);
}

eo_status eo_lkh_check_spans(eo_lkh_span *spans, size_t n, int *total_min, eo_err *err)
{
    long total = 0;
    bool bounds_ok = true;
    for (size_t i = 0; i < n; i++) {
        eo_lkh_span *a = &spans[i];
        if (a->start_min >= 0) {
            if (a->end_min <= a->start_min || a->end_min > EO_LKH_DAY_MINUTES || a->start_min >= EO_LKH_DAY_MINUTES) {
                field(err, i, "end_time", "out_of_range");
                bounds_ok = false;
                continue;
            }
            a->duration_min = a->end_min - a->start_min;
        } else if (a->duration_min < 1 || a->duration_min > EO_LKH_DAY_MINUTES) {
            field(err, i, "duration_min", "out_of_range");
            bounds_ok = false;
            continue;
        }
        total += a->duration_min;
    }
    /* Overlap: half-open intervals [start, end); 08:00-09:00 and 09:00-10:00 touch, no more. */
    for (size_t i = 0; bounds_ok && i < n; i++) {
        if (spans[i].start_min < 0) continue;
        for (size_t j = 0; j < i; j++) {
            if (spans[j].start_min < 0) continue;
            if (spans[i].start_min < spans[j].end_min && spans[j].start_min < spans[i].end_min) {
                field(err, i, "start_time", "lkh_activity_overlap");
                break;
            }
        }
    }
    if (bounds_ok && total > EO_LKH_DAY_MINUTES) eo_err_field(err, "activities", "lkh_day_exceeded");
    *total_min = (int)(total > EO_LKH_DAY_MINUTES * EO_LKH_MAX_ACTIVITIES ? 0 : total);
    return err->status;
}

static bool working(const eo_schedule *s, const eo_lkh_cal_day *d)
{
    eo_presensi_day day;
    eo_presensi_day_resolve(s, d->isodow, d->ramadan, d->holiday, &day);
    return day.working_day;
}

int eo_lkh_working_days(const eo_schedule *s, const eo_lkh_cal_day *days, size_t from, size_t n)
{
    int count = 0;
    for (size_t i = from; i < n; i++) count += working(s, &days[i]) ? 1 : 0;
    return count;
}

eo_lkh_day_verdict eo_lkh_day_check(const eo_schedule *s, const eo_lkh_cal_day *days, size_t n, bool truncated,
                                    bool future, int backfill, bool permitted)
{
    if (future) return EO_LKH_DAY_FUTURE;
    if (n == 0 || !working(s, &days[0])) return EO_LKH_DAY_NOT_WORKING;
    if (permitted) return EO_LKH_DAY_OK;
    if (truncated || eo_lkh_working_days(s, days, 1, n) > backfill) return EO_LKH_DAY_TOO_OLD;
    return EO_LKH_DAY_OK;
}

const char *eo_lkh_day_code(eo_lkh_day_verdict v)
{
    switch (v) {
    case EO_LKH_DAY_FUTURE: return "lkh_future_date";
    case EO_LKH_DAY_NOT_WORKING: return "lkh_not_working_day";
    case EO_LKH_DAY_TOO_OLD: return "lkh_too_far_back";
    default: return NULL;
    }
}
