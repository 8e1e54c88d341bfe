/* Attendance input parsers (core/presensi.c): RFC 3339 time stamps, dates,
 * hh:mm, booleans, app version comparison. The input is split at the first
 * '\n' into two strings for the version comparison. */
#include <stdio.h>

#include "core/presensi.h"
#include "tests/fuzz/fuzz.h"

static int sign(int v) { return (v > 0) - (v < 0); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = eo_fuzz_str(data, size);
    bool b;
    (void)eo_presensi_parse_bool(s, &b);
    long long epoch;
    (void)eo_presensi_parse_rfc3339(s, &epoch);
    int y, m, d;
    if (eo_presensi_parse_date(s, &y, &m, &d)) EO_FUZZ_ASSERT(m >= 1 && m <= 12 && d >= 1 && d <= 31);
    int minutes;
    if (eo_presensi_parse_hhmm(s, &minutes)) EO_FUZZ_ASSERT(minutes >= 0 && minutes < 24 * 60);

    char *nl = strchr(s, '\n');
    const char *a = s, *bv = "";
    if (nl) {
        *nl = '\0';
        bv = nl + 1;
    }
    EO_FUZZ_ASSERT(eo_presensi_version_cmp(a, a) == 0);
    EO_FUZZ_ASSERT(sign(eo_presensi_version_cmp(a, bv)) == -sign(eo_presensi_version_cmp(bv, a)));
    free(s);
    return 0;
}
