#include "core/absence.h"

#include <string.h>

#include "core/presensi.h"

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0) return true;
    return false;
}

bool eo_absence_kind_valid(const char *kind)
{
    static const char *const kinds[] = {"cuti", "sakit", "dinas_luar", "perjalanan_dinas", "tugas_belajar", NULL};
    return one_of(kind, kinds);
}

bool eo_absence_cuti_type_valid(const char *type)
{
    static const char *const types[] = {"tahunan",        "besar",   "sakit", "melahirkan",
                                        "alasan_penting", "bersama", "cltn",  NULL};
    return one_of(type, types);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool eo_absence_days(const char *from, const char *to, int *days)
{
    int y1, m1, d1, y2, m2, d2;
    if (!from || !to || !eo_presensi_parse_date(from, &y1, &m1, &d1) || !eo_presensi_parse_date(to, &y2, &m2, &d2))
        return false;
    long n = days_from_civil(y2, m2, d2) - days_from_civil(y1, m1, d1) + 1;
    if (n < 1 || n > 100000) return false;
    *days = (int)n;
    return true;
}

bool eo_absence_needs_document(const char *kind, int days, int threshold)
{
    return kind && strcmp(kind, "sakit") == 0 && days > threshold;
}

bool eo_absence_takes_locations(const char *kind)
{
    return kind && (strcmp(kind, "dinas_luar") == 0 || strcmp(kind, "perjalanan_dinas") == 0);
}
