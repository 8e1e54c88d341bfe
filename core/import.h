/* Master-data import: validation of CSV rows, with no database.
 *
 * Three kinds of file (format in docs/import.md):
 *   units      code,name[,parent_code]
 *   locations  code,name,latitude,longitude,radius_m,time_zone[,unit_code]
 *   employees  nip,nik,name,gender,birth_date,employee_type,unit_code
 *              [,position,position_type,rank,office_location_code,work_schedule,
 *               supervisor_nip,office_email]
 *   competencies code,name,category[,description,active,level_1..level_5,
 *              indicators_1..indicators_5]
 *   standards  position,competency_code,required_level
 * The header names the columns (any order); required columns must be there,
 * unknown or repeated ones are errors. An optional column left out of the
 * header means "keep what the database has" on update (NULL on insert); an
 * empty cell means "no value".
 *
 * eo_import_parse() reads every row and collects ALL problems as
 * (line, field, code) so that one run tells the operator everything; the
 * database step (db/import.c) adds reference errors the same way and applies
 * nothing unless the whole file is clean.
 */
#ifndef EO_IMPORT_H
#define EO_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/csv.h"

#define EO_IMPORT_MAX_ROWS   200000
#define EO_IMPORT_MAX_ERRORS 1000 /* kept in detail; more are only counted */

typedef enum {
    EO_IMPORT_UNITS,
    EO_IMPORT_LOCATIONS,
    EO_IMPORT_EMPLOYEES,
    EO_IMPORT_COMPETENCIES,
    EO_IMPORT_STANDARDS
} eo_import_kind;

typedef struct {
    int line;         /* 1-based line of the file; the header is line 1 */
    char field[32];   /* column name, or "header" / "csv" / "file" */
    const char *code; /* static machine code, see eo_import_error_text() */
    char detail[160]; /* optional context (offending value, first line of a duplicate…) */
} eo_import_error;

/* Row structs: strings are owned by the batch; NULL = empty cell or absent column. */
typedef struct {
    int line;
    char *code, *name, *parent_code;
} eo_import_unit;

typedef struct {
    int line;
    char *code, *name;
    double latitude, longitude;
    int radius_m;
    char *time_zone, *unit_code;
} eo_import_location;

typedef struct {
    int line;
    char nip[19], nik[17];
    char *name;
    char gender;               /* 'L' or 'P' */
    char birth_date[11];       /* YYYY-MM-DD, agrees with the NIP and the NIK */
    const char *employee_type; /* "PNS" or "PPPK" (static) */
    char *unit_code;
    char *position;
    const char *position_type; /* "struktural" | "fungsional" | "pelaksana" (static) */
    bool position_type_given;  /* false: defaulted to pelaksana (an existing position keeps its type) */
    char *rank, *office_location_code, *work_schedule, *supervisor_nip, *office_email;
} eo_import_employee;

/* A competency of the dictionary (docs/competency.md); level descriptions and
 * indicators (a JSON array text, "|"-separated in the file) are NULL when the
 * cell is empty: that level is left as it is. active: -1 keep, 0, 1. */
typedef struct {
    int line;
    char *code, *name, *description;
    const char *category; /* static */
    int active;
    char *levels[5];
    char *indicators[5]; /* JSON array text */
} eo_import_competency;

typedef struct {
    int line;
    char *position, *competency_code;
    int required_level;
    char *key; /* position + "\x1f" + competency_code: one standard per pair */
} eo_import_standard;

typedef struct {
    eo_import_kind kind;
    unsigned present; /* bit i set = column i of the kind's column list is in the header */
    size_t n_rows, cap_rows;
    union {
        eo_import_unit *units;
        eo_import_location *locations;
        eo_import_employee *employees;
        eo_import_competency *competencies;
        eo_import_standard *standards;
    } rows;
    size_t n_errors; /* total, including those not kept */
    size_t n_kept;   /* min(n_errors, EO_IMPORT_MAX_ERRORS) */
    eo_import_error *errors;
} eo_import_batch;

/* "units" | "locations" | "employees" | "competencies" | "standards". */
bool eo_import_kind_parse(const char *s, eo_import_kind *out);
const char *eo_import_kind_name(eo_import_kind kind);

/* NULL when out of memory. */
eo_import_batch *eo_import_batch_new(eo_import_kind kind);
void eo_import_batch_free(eo_import_batch *b);

/* Reads the header and every row from csv into b, validating as it goes.
 * Returns the number of errors (0 = every row is valid and in b->rows). */
size_t eo_import_parse(eo_import_batch *b, eo_csv *csv);

/* True when the header had this column (e.g. "supervisor_nip"). */
bool eo_import_has_column(const eo_import_batch *b, const char *column);

/* Records an error; detail is printf-style and may be NULL. */
void eo_import_add_error(eo_import_batch *b, int line, const char *field, const char *code, const char *detail_fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A short English sentence for an error code (the code itself when unknown). */
const char *eo_import_error_text(const char *code);

#endif
