/* The parsers of untrusted text that every layer shares: one of each, so the
 * API, the importer and the command line accept exactly the same things. */
#ifndef EO_CORE_PARSE_H
#define EO_CORE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* A positive database id: 1..18 ASCII digits, no sign, no spaces. */
bool eo_parse_id(const char *s, long long *out);

/* A plain decimal number ("-6.2", "106.81", "12"): optional sign, digits, at
 * most one dot, at most 32 characters; no exponent, hex, inf or nan. The value
 * must lie in [min, max]. */
bool eo_parse_decimal(const char *s, double min, double max, double *out);

/* A whole number in [min, max]: optional '-', digits only. */
bool eo_parse_int(const char *s, long long min, long long max, long long *out);

/* A sane e-mail address, not full RFC 5322: local@domain.tld in ASCII, at
 * most 254 characters (64 before the @), no spaces or quoting characters, a
 * dot inside the domain, no empty or hyphen-edged labels. */
bool eo_email_valid(const char *s);

/* Is s[0..n) strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF) without NUL bytes? */
bool eo_utf8_valid(const char *s, size_t n);

#endif
