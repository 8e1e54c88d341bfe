/* Civil-servant identifiers: NIP (PNS), NI PPPK and NIK.
 *
 * NIP PNS, 18 digits:  YYYYMMDD (birth) + YYYYMM (TMT CPNS) + G + SSS
 * NI PPPK, 18 digits:  YYYYMMDD (birth) + YYYY (appointment) + '2' + phase + G + SSS
 *   G is 1 (male) or 2 (female); SSS is 001..999. Digits 13-14 tell the two
 *   apart: a month (01..12) means PNS; '2' followed by a phase digit 1..9
 *   (21..29, never a month) means PPPK.
 * NIK, 16 digits:      PPKKCC (province 11..94, regency, district) + DDMMYY
 *   (day + 40 for women) + SSSS (0001..9999).
 *
 * Bounds (documented so that tests and data agree): birth years
 * EO_NIP_MIN_BIRTH_YEAR..EO_NIP_MAX_BIRTH_YEAR; TMT CPNS no earlier than the
 * month the employee turned 18 and no later than EO_NIP_MAX_TMT_YEAR; PPPK
 * appointment year EO_PPPK_MIN_YEAR (first PPPK intake) .. EO_NIP_MAX_TMT_YEAR
 * and at least birth year + 18. The functions are pure: they do not read the
 * clock, so the same NIP validates the same way on every day.
 */
#ifndef EO_NIP_H
#define EO_NIP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define EO_NIP_LEN            18
#define EO_NIK_LEN            16
#define EO_NIP_MIN_BIRTH_YEAR 1940
#define EO_NIP_MAX_BIRTH_YEAR 2010
#define EO_NIP_MAX_TMT_YEAR   2040
#define EO_PPPK_MIN_YEAR      2019

typedef enum { EO_NIP_PNS = 1, EO_NIP_PPPK = 2 } eo_nip_type;

typedef struct {
    int year, month, day;
} eo_nip_date;

typedef struct {
    eo_nip_type type;
    eo_nip_date birth;
    char gender;    /* 'L' (laki-laki) or 'P' (perempuan), as in employees.gender */
    int tmt_year;   /* PNS: TMT CPNS year; PPPK: appointment year */
    int tmt_month;  /* PNS: 1..12; PPPK: 0 */
    int pppk_phase; /* PPPK: 1..9; PNS: 0 */
    int sequence;   /* 1..999 */
} eo_nip_info;

typedef struct {
    int province;   /* 11..94 */
    char region[7]; /* the six region digits */
    int birth_day, birth_month;
    int birth_yy; /* two-digit year: the century is not encoded */
    char gender;  /* 'L' or 'P' (day > 40) */
    int sequence; /* 1..9999 */
} eo_nik_info;

/* Validates a NIP or NI PPPK; on success fills *out (may be NULL).
 * On failure adds one field error on "nip": nip_format (not 18 digits),
 * nip_birth_date, nip_tmt (bad month / before adulthood / out of range, or
 * digits 13-14 neither a month nor a PPPK marker), nip_gender, nip_sequence. */
eo_status eo_nip_validate(const char *nip, eo_nip_info *out, eo_err *err);

/* Validates a NIK; on success fills *out (may be NULL). Field "nik":
 * nik_format, nik_region, nik_birth_date, nik_sequence. */
eo_status eo_nik_validate(const char *nik, eo_nik_info *out, eo_err *err);

/* True when the NIK's DDMMYY and gender agree with the given birth date and
 * gender ('L'/'P'). Used at import: a mismatch is a line error. */
bool eo_nik_consistent_with(const eo_nik_info *nik, eo_nip_date birth, char gender);

/* The one reading of a NIP someone typed: ASCII white space at either end is
 * dropped (a pasted NIP often carries a space or a line break); nothing inside
 * is changed. Writes the trimmed text into buf (NUL-terminated) and returns
 * buf, or NULL for NULL input. Text longer than buf is returned as "" so a
 * truncated prefix can never match a real NIP. Every place that reads a NIP
 * from a request uses it. */
const char *eo_nip_normalize(const char *in, char *buf, size_t len);

/* True for a real Gregorian calendar date. */
bool eo_nip_date_valid(int year, int month, int day);

/* Parses "YYYY-MM-DD" (exactly that form) into a real date. */
bool eo_nip_date_parse(const char *s, eo_nip_date *out);

#endif
