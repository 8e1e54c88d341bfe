#include "core/programme_ref.h"

#include <string.h>

bool eo_programme_external_id_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 100) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~') return false;
    return true;
}

bool eo_programme_ref_parse(const char *ref, eo_programme_ref *out)
{
    static const char prog[] = "programme:", plat[] = "plataran:";
    memset(out, 0, sizeof(*out));
    if (!ref) return false;
    if (strncmp(ref, prog, sizeof prog - 1) == 0) {
        const char *d = ref + sizeof prog - 1;
        size_t n = strlen(d);
        if (n < 1 || n > 19 || strspn(d, "0123456789") != n || d[0] == '0') return false;
        unsigned long long v = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned digit = (unsigned)(d[i] - '0');
            if (v > (9223372036854775807ULL - digit) / 10) return false;
            v = v * 10 + digit;
        }
        out->kind = EO_PREF_PROGRAMME;
        out->id = (long long)v;
        return true;
    }
    if (strncmp(ref, plat, sizeof plat - 1) == 0 && eo_programme_external_id_valid(ref + sizeof plat - 1)) {
        out->kind = EO_PREF_PLATARAN;
        out->external = ref + sizeof plat - 1;
        return true;
    }
    return false;
}
