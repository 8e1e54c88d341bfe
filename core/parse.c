#include "core/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool eo_parse_id(const char *s, long long *out)
{
    if (!s || !*s || strlen(s) > 18) return false;
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        v = v * 10 + (*p - '0');
    }
    if (v <= 0) return false;
    *out = v;
    return true;
}

bool eo_parse_decimal(const char *s, double min, double max, double *out)
{
    if (!s || !*s || strlen(s) > 32) return false;
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    int digits = 0, dot = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' && !dot)
            dot = 1;
        else
            return false;
    }
    if (!digits) return false;
    errno = 0;
    char *end = NULL;
    double v = strtod(s, &end);
    if (errno || !end || *end || !isfinite(v) || v < min || v > max) return false;
    *out = v;
    return true;
}

bool eo_parse_int(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s || strlen(s) > 20) return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && !(p == s && *p == '-')) return false;
    if (s[0] == '-' && !s[1]) return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno || v < min || v > max) return false;
    *out = v;
    return true;
}

bool eo_email_valid(const char *s)
{
    if (!s) return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n > 254 || !at || at == s || (size_t)(at - s) > 64 || strchr(at + 1, '@')) return false;
    for (const char *p = s; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || strchr("()<>[]:;\\,\"", c)) return false;
    }
    const char *dom = at + 1;
    size_t dn = strlen(dom);
    if (dn < 3 || !strchr(dom, '.') || dom[0] == '.' || dom[0] == '-' || dom[dn - 1] == '.' || dom[dn - 1] == '-' ||
        strstr(dom, "..") || strstr(dom, ".-") || strstr(dom, "-."))
        return false;
    for (const char *p = dom; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-') || (unsigned char)*p >= 0x80) return false;
    return true;
}

bool eo_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        size_t extra;
        unsigned int cp;
        if (b == 0) return false;
        if (b < 0x80) {
            i++;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            extra = 1;
            cp = b & 0x1Fu;
        } else if (b >= 0xE0 && b <= 0xEF) {
            extra = 2;
            cp = b & 0x0Fu;
        } else if (b >= 0xF0 && b <= 0xF4) {
            extra = 3;
            cp = b & 0x07u;
        } else {
            return false;
        }
        if (n - i <= extra) return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        /* no overlong forms, no surrogates, nothing above U+10FFFF */
        if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}
