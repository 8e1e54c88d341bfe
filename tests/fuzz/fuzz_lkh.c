/* LKH rules (core/lkh.c): "HH:MM" parsing, and the activity spans check on
 * up to 20 spans drawn from the input (6 bytes each: start, end, duration as
 * little-endian 16-bit values, start 0xffff = a duration alone). Properties:
 * an accepted set never overlaps, every span is inside the day and the total
 * is at most 24 hours; a refused set always names a field. */
#include <stdio.h>

#include "core/lkh.h"
#include "tests/fuzz/fuzz.h"

static int u16(const uint8_t *p) { return p[0] | (p[1] << 8); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = eo_fuzz_str(data, size < 8 ? size : 8);
    int m;
    if (eo_lkh_parse_hhmm(s, true, &m)) EO_FUZZ_ASSERT(m >= 0 && m <= EO_LKH_DAY_MINUTES);
    if (eo_lkh_parse_hhmm(s, false, &m)) EO_FUZZ_ASSERT(m >= 0 && m < EO_LKH_DAY_MINUTES);
    free(s);

    eo_lkh_span spans[EO_LKH_MAX_ACTIVITIES];
    size_t n = 0;
    for (size_t off = 0; off + 6 <= size && n < EO_LKH_MAX_ACTIVITIES; off += 6, n++) {
        int start = u16(data + off), end = u16(data + off + 2), dur = u16(data + off + 4);
        spans[n] = start == 0xffff ? (eo_lkh_span){-1, -1, dur} : (eo_lkh_span){start, end, 0};
    }
    eo_err err;
    eo_err_init(&err);
    int total = -1;
    if (eo_lkh_check_spans(spans, n, &total, &err) == EO_OK) {
        long sum = 0;
        for (size_t i = 0; i < n; i++) {
            EO_FUZZ_ASSERT(spans[i].duration_min >= 1 && spans[i].duration_min <= EO_LKH_DAY_MINUTES);
            sum += spans[i].duration_min;
            if (spans[i].start_min < 0) continue;
            EO_FUZZ_ASSERT(spans[i].start_min < spans[i].end_min && spans[i].end_min <= EO_LKH_DAY_MINUTES);
            for (size_t j = 0; j < i; j++)
                if (spans[j].start_min >= 0)
                    EO_FUZZ_ASSERT(spans[i].end_min <= spans[j].start_min || spans[j].end_min <= spans[i].start_min);
        }
        EO_FUZZ_ASSERT(sum == total && total <= EO_LKH_DAY_MINUTES);
    } else {
        EO_FUZZ_ASSERT(err.status == EO_ERR_INVALID && err.n_fields >= 1);
    }
    eo_err_clear(&err);
    return 0;
}
