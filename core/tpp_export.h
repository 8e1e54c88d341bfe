/* The per-unit TPP recap as CSV and as XLSX (libxlsxwriter): one row per
 * employee, and the deduction lines (CSV: a second file is not possible, so
 * the XLSX carries them on its own sheet "Potongan"). */
#ifndef EO_CORE_TPP_EXPORT_H
#define EO_CORE_TPP_EXPORT_H

#include <jansson.h>
#include <stddef.h>

#include "core/status.h"

typedef struct {
    const char *nip, *name, *unit_code, *unit_name, *status, *issues, *fingerprint;
    int class_grade;
    long long base, kinerja, kehadiran, deduction, total;
    const json_t *deductions; /* the breakdown's kehadiran.deductions array (XLSX only) */
} eo_tpp_export_row;

/* RFC 4180 CSV with a header line, CRLF; text cells that a spreadsheet would
 * read as a formula (= + - @ first) get a leading apostrophe. *out is malloc'd. */
eo_status eo_tpp_export_csv(const eo_tpp_export_row *rows, size_t n, char **out, size_t *len, eo_err *err);

/* XLSX workbook: sheet "Rekap" (same columns as the CSV, amounts as numbers)
 * and sheet "Potongan" (nip, name, date, code, pct, amount per deduction line).
 * Written in libxlsxwriter's constant-memory mode (rows streamed to temporary
 * files, strings inline) to a temporary file in tmp_dir and read back; *out is malloc'd. */
eo_status eo_tpp_export_xlsx(const eo_tpp_export_row *rows, size_t n, const char *month, const char *tmp_dir,
                             char **out, size_t *len, eo_err *err);

#endif
