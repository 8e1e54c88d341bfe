/* Pieces of api/presensi.c shared with api/mobile.c (/mobile/v1/config). */
#ifndef EO_API_PRESENSI_H
#define EO_API_PRESENSI_H

#include <jansson.h>
#include <stdbool.h>

#include "core/presensi_rules.h"

/* The rules' verdict for one day as JSON (working_day, holiday, ramadan,
 * schedule {start, end}, late_minutes, tl, early_leave_minutes, psw, absent,
 * missing_check_in, missing_check_out). in_min/out_min: local minutes or
 * EO_PRESENSI_NONE. New reference. */
json_t *eo_presensi_evaluation_json(const eo_presensi_day *day, const char *holiday, int in_min, int out_min,
                                    bool day_over);

#endif
