/* The shared parsers of untrusted text (core/parse.c): ids, decimals, whole
 * numbers, e-mail addresses, UTF-8. */
#include <math.h>
#include <stdio.h>

#include "core/parse.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* UTF-8 on the raw bytes (NULs included: they must be refused). */
    bool utf8 = eo_utf8_valid((const char *)data, size);
    if (utf8) EO_FUZZ_ASSERT(memchr(data, 0, size) == NULL);

    char *s = eo_fuzz_str(data, size);
    long long id;
    if (eo_parse_id(s, &id)) {
        EO_FUZZ_ASSERT(id >= 1);
        EO_FUZZ_ASSERT(strlen(s) <= 18);
    }
    double x;
    if (eo_parse_decimal(s, -90.0, 90.0, &x)) EO_FUZZ_ASSERT(isfinite(x) && x >= -90.0 && x <= 90.0);
    if (eo_parse_decimal(s, -1e308, 1e308, &x)) EO_FUZZ_ASSERT(isfinite(x));
    long long n;
    if (eo_parse_int(s, -1000, 1000, &n)) EO_FUZZ_ASSERT(n >= -1000 && n <= 1000);
    (void)eo_parse_int(s, -9223372036854775807LL - 1, 9223372036854775807LL, &n); /* overflow edges: UBSan */
    if (eo_email_valid(s)) {
        size_t len = strlen(s);
        EO_FUZZ_ASSERT(len <= 254);
        const char *at = strchr(s, '@');
        EO_FUZZ_ASSERT(at && at != s && (size_t)(at - s) <= 64);
        EO_FUZZ_ASSERT(strchr(at + 1, '@') == NULL);
        for (const char *p = s; *p; p++) EO_FUZZ_ASSERT((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f);
    }
    free(s);
    return 0;
}
