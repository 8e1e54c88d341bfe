/* A bounded RFC 4180 CSV reader.
 *
 * Reads records from a FILE or a memory buffer: fields separated by ',',
 * optionally quoted with '"' ("" inside quotes is one quote; quoted fields
 * may contain commas and line breaks), records ended by CRLF or LF. A UTF-8
 * BOM at the very start is skipped; empty lines are skipped; fields must be
 * valid UTF-8 without NUL bytes. Every record is bounded (max_record_bytes,
 * max_fields), so a hostile file cannot make it allocate more than that.
 * Errors are fatal (after a broken quote the reader cannot resynchronise);
 * eo_csv_error_code()/eo_csv_error_line() say what and where.
 */
#ifndef EO_CSV_H
#define EO_CSV_H

#include <stddef.h>
#include <stdio.h>

typedef struct eo_csv eo_csv;

typedef struct {
    size_t max_record_bytes; /* bytes of field data per record (0 = 8192) */
    int max_fields;          /* fields per record (0 = 64) */
} eo_csv_limits;

typedef struct {
    int line; /* physical line (1-based) where the record starts */
    int n_fields;
    char *const *fields; /* NUL-terminated; valid until the next eo_csv_read */
} eo_csv_record;

typedef enum { EO_CSV_RECORD = 1, EO_CSV_EOF = 0, EO_CSV_ERROR = -1 } eo_csv_result;

/* The reader does not own f / data; keep them alive while reading.
 * limits may be NULL for the defaults. Returns NULL only when out of memory. */
eo_csv *eo_csv_open_file(FILE *f, const eo_csv_limits *limits);
eo_csv *eo_csv_open_mem(const char *data, size_t len, const eo_csv_limits *limits);
void eo_csv_close(eo_csv *csv);

/* Reads the next non-empty record. After EO_CSV_ERROR every call returns it again. */
eo_csv_result eo_csv_read(eo_csv *csv, eo_csv_record *rec);

/* Static code of the error: csv_record_too_long, csv_too_many_fields,
 * csv_unterminated_quote, csv_bad_quote (a quote inside an unquoted field or
 * text after a closing quote), csv_nul_byte, csv_invalid_utf8, csv_io.
 * NULL when there was none. */
const char *eo_csv_error_code(const eo_csv *csv);
/* Line (1-based) where the error was found. */
int eo_csv_error_line(const eo_csv *csv);

#endif
