#include "core/presensi_rules.h"

#include <string.h>

void eo_presensi_day_resolve(const eo_schedule *s, int isodow, bool ramadan, bool holiday, eo_presensi_day *out)
{
    memset(out, 0, sizeof(*out));
    out->holiday = holiday;
    out->ramadan = ramadan;
    if (!s || isodow < 1 || isodow > 7) return;
    const eo_schedule_slot *slot = &s->slots[0][isodow];
    if (ramadan && s->slots[1][isodow].works) slot = &s->slots[1][isodow];
    if (!slot->works || holiday) return;
    out->working_day = true;
    out->start_min = slot->start_min;
    out->end_min = slot->end_min;
}

int eo_presensi_class(int minutes)
{
    if (minutes <= 0) return 0;
    if (minutes <= 30) return 1;
    if (minutes <= 60) return 2;
    if (minutes <= 90) return 3;
    return 4;
}

void eo_presensi_evaluate(const eo_presensi_day *day, int in_min, int out_min, bool day_over, eo_presensi_eval *out)
{
    memset(out, 0, sizeof(*out));
    out->working_day = day->working_day;
    if (!day->working_day) return; /* holidays and days off: nothing is late or missing */

    bool has_in = in_min != EO_PRESENSI_NONE;
    bool has_out = out_min != EO_PRESENSI_NONE;
    if (!has_in && !has_out) {
        out->absent = day_over;
        return;
    }
    if (has_in) {
        out->late_min = in_min > day->start_min ? in_min - day->start_min : 0;
        out->late_class = eo_presensi_class(out->late_min);
    } else {
        out->missing_check_in = true; /* "no record" counts as the worst class */
        out->late_class = 4;
    }
    if (has_out) {
        out->early_min = out_min < day->end_min ? day->end_min - out_min : 0;
        out->early_class = eo_presensi_class(out->early_min);
    } else if (day_over) {
        out->missing_check_out = true;
        out->early_class = 4;
    }
}

static const char *const tl_codes[] = {NULL, "TL1", "TL2", "TL3", "TL4"};
static const char *const psw_codes[] = {NULL, "PSW1", "PSW2", "PSW3", "PSW4"};

const char *eo_presensi_tl_code(int cls) { return cls >= 1 && cls <= 4 ? tl_codes[cls] : NULL; }
const char *eo_presensi_psw_code(int cls) { return cls >= 1 && cls <= 4 ? psw_codes[cls] : NULL; }
