/* Absence requests (core/absence.c): the dates, kind and cuti type of a request
 * body as an employee sends them. The input is split at '\n' into date_from,
 * date_to, kind, cuti_type. Properties: an accepted span has at least one day,
 * runs forwards (ISO dates order as strings), one day exactly when from == to,
 * and the reverse span is refused unless it is the same day; the document and
 * location rules only ever say yes for a known kind. */
#include <stdio.h>

#include "core/absence.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = eo_fuzz_str(data, size);
    static char empty[1];
    char *part[4] = {empty, empty, empty, empty};
    char *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(s, "\n", &save); tok && n < 4; tok = strtok_r(NULL, "\n", &save)) part[n++] = tok;

    int days = 0;
    if (eo_absence_days(part[0], part[1], &days)) {
        EO_FUZZ_ASSERT(days >= 1);
        EO_FUZZ_ASSERT(strcmp(part[0], part[1]) <= 0);
        EO_FUZZ_ASSERT((days == 1) == (strcmp(part[0], part[1]) == 0));
        int back = 0;
        EO_FUZZ_ASSERT(eo_absence_days(part[1], part[0], &back) == (days == 1));
    }
    bool kind_ok = eo_absence_kind_valid(part[2]);
    if (eo_absence_needs_document(part[2], days, (unsigned char)(size ? data[0] : 0) % 8))
        EO_FUZZ_ASSERT(kind_ok && strcmp(part[2], "sakit") == 0);
    if (eo_absence_takes_locations(part[2])) EO_FUZZ_ASSERT(kind_ok);
    (void)eo_absence_cuti_type_valid(part[3]);
    free(s);
    return 0;
}
