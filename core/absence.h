/* Absence requests: the pure rules (docs/absence.md). */
#ifndef EO_CORE_ABSENCE_H
#define EO_CORE_ABSENCE_H

#include <stdbool.h>

#define EO_ABSENCE_MAX_DAYS 1096 /* three years: the longest leave (CLTN) */

/* cuti | sakit | dinas_luar | perjalanan_dinas | tugas_belajar */
bool eo_absence_kind_valid(const char *kind);
/* tahunan | besar | sakit | melahirkan | alasan_penting | bersama | cltn (PP 11/2017) */
bool eo_absence_cuti_type_valid(const char *type);
/* Days in [from, to] ("YYYY-MM-DD", inclusive); false when either is not a
 * calendar date or to is before from. */
bool eo_absence_days(const char *from, const char *to, int *days);
/* A sakit request longer than threshold days needs a supporting document. */
bool eo_absence_needs_document(const char *kind, int days, int threshold);
/* Duty travel may name extra check-in locations. */
bool eo_absence_takes_locations(const char *kind);

#endif
