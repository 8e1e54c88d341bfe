#include "core/import.h"
#include "core/parse.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/competency.h"
#include "core/nip.h"

#define MAX_COLUMNS  16
#define MAX_NAME_LEN 200

typedef struct {
    const char *name;
    bool required;
} column_def;

static const column_def unit_columns[] = {{"code", true}, {"name", true}, {"parent_code", false}, {NULL, false}};
static const column_def location_columns[] = {{"code", true},       {"name", true},     {"latitude", true},
                                              {"longitude", true},  {"radius_m", true}, {"time_zone", true},
                                              {"unit_code", false}, {NULL, false}};
/* Order matters: indexes below (EMP_*) address this table. */
static const column_def employee_columns[] = {{"nip", true},
                                              {"nik", true},
                                              {"name", true},
                                              {"gender", true},
                                              {"birth_date", true},
                                              {"employee_type", true},
                                              {"unit_code", true},
                                              {"position", false},
                                              {"position_type", false},
                                              {"rank", false},
                                              {"office_location_code", false},
                                              {"work_schedule", false},
                                              {"supervisor_nip", false},
                                              {"office_email", false},
                                              {NULL, false}};
enum {
    EMP_NIP,
    EMP_NIK,
    EMP_NAME,
    EMP_GENDER,
    EMP_BIRTH_DATE,
    EMP_TYPE,
    EMP_UNIT,
    EMP_POSITION,
    EMP_POSITION_TYPE,
    EMP_RANK,
    EMP_LOCATION,
    EMP_SCHEDULE,
    EMP_SUPERVISOR,
    EMP_EMAIL
};
/* Order matters: COMP_* and STD_* address these tables. */
static const column_def competency_columns[] = {
    {"code", true},          {"name", true},          {"category", true},      {"description", false},
    {"active", false},       {"level_1", false},      {"level_2", false},      {"level_3", false},
    {"level_4", false},      {"level_5", false},      {"indicators_1", false}, {"indicators_2", false},
    {"indicators_3", false}, {"indicators_4", false}, {"indicators_5", false}, {NULL, false}};
enum { COMP_CODE, COMP_NAME, COMP_CATEGORY, COMP_DESCRIPTION, COMP_ACTIVE, COMP_LEVEL1, COMP_IND1 = COMP_LEVEL1 + 5 };
static const column_def standard_columns[] = {
    {"position", true}, {"competency_code", true}, {"required_level", true}, {NULL, false}};
enum { STD_POSITION, STD_CODE, STD_LEVEL };
enum { UNIT_CODE, UNIT_NAME, UNIT_PARENT };
enum { LOC_CODE, LOC_NAME, LOC_LAT, LOC_LON, LOC_RADIUS, LOC_TZ, LOC_UNIT };

static const column_def *columns_of(eo_import_kind kind)
{
    switch (kind) {
    case EO_IMPORT_UNITS: return unit_columns;
    case EO_IMPORT_LOCATIONS: return location_columns;
    case EO_IMPORT_EMPLOYEES: return employee_columns;
    case EO_IMPORT_COMPETENCIES: return competency_columns;
    case EO_IMPORT_STANDARDS: return standard_columns;
    }
    return unit_columns;
}

bool eo_import_kind_parse(const char *s, eo_import_kind *out)
{
    if (!s) return false;
    if (strcmp(s, "units") == 0)
        *out = EO_IMPORT_UNITS;
    else if (strcmp(s, "locations") == 0)
        *out = EO_IMPORT_LOCATIONS;
    else if (strcmp(s, "employees") == 0)
        *out = EO_IMPORT_EMPLOYEES;
    else if (strcmp(s, "competencies") == 0)
        *out = EO_IMPORT_COMPETENCIES;
    else if (strcmp(s, "standards") == 0)
        *out = EO_IMPORT_STANDARDS;
    else
        return false;
    return true;
}

const char *eo_import_kind_name(eo_import_kind kind)
{
    switch (kind) {
    case EO_IMPORT_UNITS: return "units";
    case EO_IMPORT_LOCATIONS: return "locations";
    case EO_IMPORT_EMPLOYEES: return "employees";
    case EO_IMPORT_COMPETENCIES: return "competencies";
    case EO_IMPORT_STANDARDS: return "standards";
    }
    return "?";
}

eo_import_batch *eo_import_batch_new(eo_import_kind kind)
{
    eo_import_batch *b = calloc(1, sizeof(*b));
    if (b) b->kind = kind;
    return b;
}

static void free_row_strings(eo_import_batch *b, size_t i)
{
    switch (b->kind) {
    case EO_IMPORT_UNITS: {
        eo_import_unit *u = &b->rows.units[i];
        free(u->code);
        free(u->name);
        free(u->parent_code);
        break;
    }
    case EO_IMPORT_LOCATIONS: {
        eo_import_location *l = &b->rows.locations[i];
        free(l->code);
        free(l->name);
        free(l->time_zone);
        free(l->unit_code);
        break;
    }
    case EO_IMPORT_EMPLOYEES: {
        eo_import_employee *e = &b->rows.employees[i];
        free(e->name);
        free(e->unit_code);
        free(e->position);
        free(e->rank);
        free(e->office_location_code);
        free(e->work_schedule);
        free(e->supervisor_nip);
        free(e->office_email);
        break;
    }
    case EO_IMPORT_COMPETENCIES: {
        eo_import_competency *c = &b->rows.competencies[i];
        free(c->code);
        free(c->name);
        free(c->description);
        for (int k = 0; k < 5; k++) {
            free(c->levels[k]);
            free(c->indicators[k]);
        }
        break;
    }
    case EO_IMPORT_STANDARDS: {
        eo_import_standard *t = &b->rows.standards[i];
        free(t->position);
        free(t->competency_code);
        free(t->key);
        break;
    }
    }
}

void eo_import_batch_free(eo_import_batch *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n_rows; i++) free_row_strings(b, i);
    free(b->rows.units); /* union: one pointer whichever the kind */
    free(b->errors);
    free(b);
}

bool eo_import_has_column(const eo_import_batch *b, const char *column)
{
    const column_def *cols = columns_of(b->kind);
    for (int i = 0; cols[i].name; i++)
        if (strcmp(cols[i].name, column) == 0) return (b->present >> i) & 1u;
    return false;
}

void eo_import_add_error(eo_import_batch *b, int line, const char *field, const char *code, const char *detail_fmt, ...)
{
    b->n_errors++;
    if (b->n_kept >= EO_IMPORT_MAX_ERRORS) return;
    if (!b->errors) {
        b->errors = calloc(EO_IMPORT_MAX_ERRORS, sizeof(*b->errors));
        if (!b->errors) return;
    }
    eo_import_error *e = &b->errors[b->n_kept++];
    e->line = line;
    snprintf(e->field, sizeof(e->field), "%s", field);
    e->code = code;
    e->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(e->detail, sizeof(e->detail), detail_fmt, ap);
        va_end(ap);
    }
}

/* ---- field checks --------------------------------------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

/* Codes of units, locations and schedules: letters, digits, '.', '_', '-'. */
static bool code_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !isalnum((unsigned char)s[0])) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '.' || c == '_' || c == '-') || c >= 0x80) return false;
    }
    return true;
}

/* Names: 1..200 bytes, no control characters (CSV newlines included). */
static const char *name_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0) return "required";
    if (n > MAX_NAME_LEN) return "too_long";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return "control_character";
    return NULL;
}

/* IANA zone name shape (Area/City); the database checks that it exists. */
static bool time_zone_shape_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64) return false;
    if (strcmp(s, "UTC") == 0) return true;
    bool slash = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/') {
            if (i == 0 || i == n - 1 || s[i - 1] == '/') return false;
            slash = true;
        } else if (!(isalnum(c) || c == '_' || c == '-' || c == '+') || c >= 0x80) {
            return false;
        }
    }
    return slash;
}

/* Golongan: PNS I/a-d, II/a-d, III/a-d, IV/a-e; PPPK I..XVII. */
static bool rank_ok(const char *rank, bool pns)
{
    static const char *const pns_ranks[] = {"I/", "II/", "III/", "IV/"};
    static const char *const pppk_ranks[] = {"I", "II", "III", "IV",   "V",   "VI", "VII", "VIII", "IX",
                                             "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"};
    if (pns) {
        for (int g = 0; g < 4; g++) {
            size_t n = strlen(pns_ranks[g]);
            if (strncmp(rank, pns_ranks[g], n) == 0 && strlen(rank) == n + 1) {
                char last = g == 3 ? 'e' : 'd';
                return rank[n] >= 'a' && rank[n] <= last;
            }
        }
        return false;
    }
    for (size_t i = 0; i < sizeof(pppk_ranks) / sizeof(pppk_ranks[0]); i++)
        if (strcmp(rank, pppk_ranks[i]) == 0) return true;
    return false;
}

static bool all_digits_len(const char *s, size_t n)
{
    if (strlen(s) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

/* ---- rows ----------------------------------------------------------------- */

typedef struct {
    eo_import_batch *b;
    int line;
    size_t errors_before;
    char *val[MAX_COLUMNS]; /* trimmed cell per column; "" when the column is absent */
    const column_def *cols;
    bool oom;
} row_ctx;

static void row_error(row_ctx *r, int col, const char *code)
{
    eo_import_add_error(r->b, r->line, r->cols[col].name, code, NULL);
}

/* Copy of an optional cell: NULL when empty or absent. */
static char *opt_dup(row_ctx *r, int col)
{
    if (!r->val[col][0]) return NULL;
    char *s = strdup(r->val[col]);
    if (!s) r->oom = true;
    return s;
}

static char *req_dup(row_ctx *r, int col)
{
    char *s = strdup(r->val[col]);
    if (!s) r->oom = true;
    return s;
}

static void check_name(row_ctx *r, int col)
{
    const char *p = name_problem(r->val[col]);
    if (p) row_error(r, col, p);
}

static void check_code(row_ctx *r, int col, bool required)
{
    if (!r->val[col][0]) {
        if (required) row_error(r, col, "required");
        return;
    }
    if (!code_ok(r->val[col], 64)) row_error(r, col, "code_format");
}

static bool grow_rows(eo_import_batch *b, size_t elem)
{
    if (b->n_rows < b->cap_rows) return true;
    size_t cap = b->cap_rows ? b->cap_rows * 2 : 64;
    void *p = realloc(b->rows.units, cap * elem);
    if (!p) return false;
    b->rows.units = p;
    b->cap_rows = cap;
    return true;
}

static void parse_unit(row_ctx *r)
{
    check_code(r, UNIT_CODE, true);
    check_name(r, UNIT_NAME);
    check_code(r, UNIT_PARENT, false);
    if (r->val[UNIT_PARENT][0] && strcmp(r->val[UNIT_PARENT], r->val[UNIT_CODE]) == 0)
        row_error(r, UNIT_PARENT, "parent_self");
    if (r->b->n_errors != r->errors_before) return;
    if (!grow_rows(r->b, sizeof(eo_import_unit))) {
        r->oom = true;
        return;
    }
    eo_import_unit *u = &r->b->rows.units[r->b->n_rows++];
    memset(u, 0, sizeof(*u));
    u->line = r->line;
    u->code = req_dup(r, UNIT_CODE);
    u->name = req_dup(r, UNIT_NAME);
    u->parent_code = opt_dup(r, UNIT_PARENT);
}

static void parse_location(row_ctx *r)
{
    double lat = 0, lon = 0;
    long long radius = 0;
    check_code(r, LOC_CODE, true);
    check_name(r, LOC_NAME);
    if (!eo_parse_decimal(r->val[LOC_LAT], -1e9, 1e9, &lat))
        row_error(r, LOC_LAT, "number_format");
    else if (lat < -90 || lat > 90)
        row_error(r, LOC_LAT, "out_of_range");
    if (!eo_parse_decimal(r->val[LOC_LON], -1e9, 1e9, &lon))
        row_error(r, LOC_LON, "number_format");
    else if (lon < -180 || lon > 180)
        row_error(r, LOC_LON, "out_of_range");
    if (!eo_parse_int(r->val[LOC_RADIUS], -2147483647LL, 2147483647LL, &radius))
        row_error(r, LOC_RADIUS, "number_format");
    else if (radius < 10 || radius > 50000)
        row_error(r, LOC_RADIUS, "out_of_range");
    if (!r->val[LOC_TZ][0])
        row_error(r, LOC_TZ, "required");
    else if (!time_zone_shape_ok(r->val[LOC_TZ]))
        row_error(r, LOC_TZ, "time_zone_format");
    check_code(r, LOC_UNIT, false);
    if (r->b->n_errors != r->errors_before) return;
    if (!grow_rows(r->b, sizeof(eo_import_location))) {
        r->oom = true;
        return;
    }
    eo_import_location *l = &r->b->rows.locations[r->b->n_rows++];
    memset(l, 0, sizeof(*l));
    l->line = r->line;
    l->code = req_dup(r, LOC_CODE);
    l->name = req_dup(r, LOC_NAME);
    l->latitude = lat;
    l->longitude = lon;
    l->radius_m = (int)radius;
    l->time_zone = req_dup(r, LOC_TZ);
    l->unit_code = opt_dup(r, LOC_UNIT);
}

static void parse_employee(row_ctx *r)
{
    eo_err err;
    eo_nip_info nip;
    eo_nik_info nik;
    eo_nip_date birth;
    bool nip_ok = false, nik_ok = false, birth_ok = false;
    char gender = 0;
    const char *type = NULL, *ptype = "pelaksana";

    eo_err_init(&err);
    if (eo_nip_validate(r->val[EMP_NIP], &nip, &err) == EO_OK)
        nip_ok = true;
    else
        row_error(r, EMP_NIP, err.fields[0].code);
    eo_err_init(&err);
    if (eo_nik_validate(r->val[EMP_NIK], &nik, &err) == EO_OK)
        nik_ok = true;
    else
        row_error(r, EMP_NIK, err.fields[0].code);

    check_name(r, EMP_NAME);

    const char *g = r->val[EMP_GENDER];
    if (strcmp(g, "L") == 0 || strcmp(g, "P") == 0)
        gender = g[0];
    else
        row_error(r, EMP_GENDER, g[0] ? "gender_invalid" : "required");
    if (gender && nip_ok && gender != nip.gender) row_error(r, EMP_GENDER, "gender_mismatch_nip");

    if (!r->val[EMP_BIRTH_DATE][0])
        row_error(r, EMP_BIRTH_DATE, "required");
    else if (!eo_nip_date_parse(r->val[EMP_BIRTH_DATE], &birth))
        row_error(r, EMP_BIRTH_DATE, "date_format");
    else
        birth_ok = true;
    if (birth_ok && nip_ok &&
        (birth.year != nip.birth.year || birth.month != nip.birth.month || birth.day != nip.birth.day))
        row_error(r, EMP_BIRTH_DATE, "birth_date_mismatch_nip");
    if (birth_ok && nik_ok && gender && !eo_nik_consistent_with(&nik, birth, gender))
        row_error(r, EMP_NIK, "nik_mismatch");

    const char *t = r->val[EMP_TYPE];
    if (strcmp(t, "PNS") == 0)
        type = "PNS";
    else if (strcmp(t, "PPPK") == 0)
        type = "PPPK";
    else
        row_error(r, EMP_TYPE, t[0] ? "employee_type_invalid" : "required");
    if (type && nip_ok && (nip.type == EO_NIP_PNS) != (strcmp(type, "PNS") == 0))
        row_error(r, EMP_TYPE, "employee_type_mismatch_nip");

    check_code(r, EMP_UNIT, true);

    if (r->val[EMP_POSITION][0]) check_name(r, EMP_POSITION);
    const char *pt = r->val[EMP_POSITION_TYPE];
    if (pt[0]) {
        if (strcmp(pt, "struktural") == 0)
            ptype = "struktural";
        else if (strcmp(pt, "fungsional") == 0)
            ptype = "fungsional";
        else if (strcmp(pt, "pelaksana") == 0)
            ptype = "pelaksana";
        else
            row_error(r, EMP_POSITION_TYPE, "position_type_invalid");
        if (!r->val[EMP_POSITION][0]) row_error(r, EMP_POSITION_TYPE, "position_required");
    }

    if (r->val[EMP_RANK][0] && type && !rank_ok(r->val[EMP_RANK], strcmp(type, "PNS") == 0))
        row_error(r, EMP_RANK, "rank_invalid");
    check_code(r, EMP_LOCATION, false);
    check_code(r, EMP_SCHEDULE, false);

    const char *sup = r->val[EMP_SUPERVISOR];
    if (sup[0]) {
        if (!all_digits_len(sup, EO_NIP_LEN))
            row_error(r, EMP_SUPERVISOR, "nip_format");
        else if (strcmp(sup, r->val[EMP_NIP]) == 0)
            row_error(r, EMP_SUPERVISOR, "supervisor_self");
    }
    if (r->val[EMP_EMAIL][0] && !eo_email_valid(r->val[EMP_EMAIL])) row_error(r, EMP_EMAIL, "email_invalid");

    if (r->b->n_errors != r->errors_before) return;
    if (!grow_rows(r->b, sizeof(eo_import_employee))) {
        r->oom = true;
        return;
    }
    eo_import_employee *e = &r->b->rows.employees[r->b->n_rows++];
    memset(e, 0, sizeof(*e));
    e->line = r->line;
    memcpy(e->nip, r->val[EMP_NIP], EO_NIP_LEN);
    memcpy(e->nik, r->val[EMP_NIK], EO_NIK_LEN);
    e->name = req_dup(r, EMP_NAME);
    e->gender = gender;
    memcpy(e->birth_date, r->val[EMP_BIRTH_DATE], 10);
    e->employee_type = type;
    e->unit_code = req_dup(r, EMP_UNIT);
    e->position = opt_dup(r, EMP_POSITION);
    e->position_type = ptype;
    e->position_type_given = r->val[EMP_POSITION_TYPE][0] != '\0';
    e->rank = opt_dup(r, EMP_RANK);
    e->office_location_code = opt_dup(r, EMP_LOCATION);
    e->work_schedule = opt_dup(r, EMP_SCHEDULE);
    e->supervisor_nip = opt_dup(r, EMP_SUPERVISOR);
    e->office_email = opt_dup(r, EMP_EMAIL);
}

/* Long texts (descriptions): at most max bytes; newlines and tabs allowed
 * (a quoted CSV cell may hold them), other control characters not. */
static const char *text_problem(const char *s, size_t max)
{
    if (strlen(s) > max) return "too_long";
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
            return "control_character";
    return NULL;
}

/* "a|b|c" -> ["a","b","c"] as JSON text: 1..10 items of 1..500 bytes. NULL
 * (with *problem) when the cell breaks a rule. */
static char *indicators_json(const char *cell, const char **problem)
{
    json_t *a = json_array();
    char *copy = strdup(cell), *save = NULL, *out = NULL;
    *problem = NULL;
    if (!a || !copy) {
        *problem = "out_of_memory";
        goto done;
    }
    for (char *tok = strtok_r(copy, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        tok = trim(tok);
        if (!*tok || strlen(tok) > 500 || text_problem(tok, 500) || json_array_size(a) >= 10) {
            *problem = "indicators_invalid";
            goto done;
        }
        json_array_append_new(a, json_string(tok));
    }
    if (json_array_size(a) == 0) {
        *problem = "indicators_invalid";
        goto done;
    }
    out = json_dumps(a, JSON_COMPACT);
    if (!out) *problem = "out_of_memory";
done:
    json_decref(a);
    free(copy);
    return out;
}

static void parse_competency(row_ctx *r)
{
    const char *category = NULL, *p;
    int active = -1;
    char *ind[5] = {NULL};
    if (!r->val[COMP_CODE][0])
        row_error(r, COMP_CODE, "required");
    else if (!eo_competency_code_valid(r->val[COMP_CODE]))
        row_error(r, COMP_CODE, "competency_code_format");
    check_name(r, COMP_NAME);
    const char *cat = r->val[COMP_CATEGORY];
    if (!cat[0])
        row_error(r, COMP_CATEGORY, "required");
    else if (!eo_competency_category_valid(cat))
        row_error(r, COMP_CATEGORY, "category_invalid");
    else
        category = strcmp(cat, "managerial") == 0      ? "managerial"
                   : strcmp(cat, "sociocultural") == 0 ? "sociocultural"
                                                       : "technical";
    if ((p = text_problem(r->val[COMP_DESCRIPTION], 4000))) row_error(r, COMP_DESCRIPTION, p);
    const char *act = r->val[COMP_ACTIVE];
    if (strcmp(act, "true") == 0)
        active = 1;
    else if (strcmp(act, "false") == 0)
        active = 0;
    else if (act[0])
        row_error(r, COMP_ACTIVE, "boolean_invalid");
    for (int k = 0; k < 5; k++) {
        if ((p = text_problem(r->val[COMP_LEVEL1 + k], 4000))) row_error(r, COMP_LEVEL1 + k, p);
        if (r->val[COMP_IND1 + k][0]) {
            ind[k] = indicators_json(r->val[COMP_IND1 + k], &p);
            if (p) row_error(r, COMP_IND1 + k, p);
            if (!r->val[COMP_LEVEL1 + k][0]) row_error(r, COMP_IND1 + k, "level_required");
        }
    }
    if (r->b->n_errors != r->errors_before || !grow_rows(r->b, sizeof(eo_import_competency))) {
        if (r->b->n_errors == r->errors_before) r->oom = true;
        for (int k = 0; k < 5; k++) free(ind[k]);
        return;
    }
    eo_import_competency *c = &r->b->rows.competencies[r->b->n_rows++];
    memset(c, 0, sizeof(*c));
    c->line = r->line;
    c->code = req_dup(r, COMP_CODE);
    c->name = req_dup(r, COMP_NAME);
    c->category = category;
    c->description = eo_import_has_column(r->b, "description") ? req_dup(r, COMP_DESCRIPTION) : NULL;
    c->active = active;
    for (int k = 0; k < 5; k++) {
        c->levels[k] = opt_dup(r, COMP_LEVEL1 + k);
        c->indicators[k] = ind[k];
    }
}

static void parse_standard(row_ctx *r)
{
    long long level = 0;
    check_name(r, STD_POSITION);
    if (!r->val[STD_CODE][0])
        row_error(r, STD_CODE, "required");
    else if (!eo_competency_code_valid(r->val[STD_CODE]))
        row_error(r, STD_CODE, "competency_code_format");
    if (!r->val[STD_LEVEL][0])
        row_error(r, STD_LEVEL, "required");
    else if (!eo_parse_int(r->val[STD_LEVEL], -1000, 1000, &level))
        row_error(r, STD_LEVEL, "number_format");
    else if (level < 1 || level > 5)
        row_error(r, STD_LEVEL, "out_of_range");
    if (r->b->n_errors != r->errors_before) return;
    if (!grow_rows(r->b, sizeof(eo_import_standard))) {
        r->oom = true;
        return;
    }
    eo_import_standard *t = &r->b->rows.standards[r->b->n_rows++];
    memset(t, 0, sizeof(*t));
    t->line = r->line;
    t->position = req_dup(r, STD_POSITION);
    t->competency_code = req_dup(r, STD_CODE);
    t->required_level = (int)level;
    size_t n = strlen(r->val[STD_POSITION]) + strlen(r->val[STD_CODE]) + 2;
    t->key = malloc(n);
    if (t->key)
        snprintf(t->key, n, "%s\x1f%s", r->val[STD_POSITION], r->val[STD_CODE]);
    else
        r->oom = true;
}

/* The key of a parsed row (unit/location code or NIP), for duplicate detection. */
static const char *row_key(const eo_import_batch *b, size_t i, int *line)
{
    switch (b->kind) {
    case EO_IMPORT_UNITS: *line = b->rows.units[i].line; return b->rows.units[i].code;
    case EO_IMPORT_LOCATIONS: *line = b->rows.locations[i].line; return b->rows.locations[i].code;
    case EO_IMPORT_EMPLOYEES: *line = b->rows.employees[i].line; return b->rows.employees[i].nip;
    case EO_IMPORT_COMPETENCIES: *line = b->rows.competencies[i].line; return b->rows.competencies[i].code;
    case EO_IMPORT_STANDARDS: *line = b->rows.standards[i].line; return b->rows.standards[i].key;
    }
    return "";
}

typedef struct {
    const char *key;
    int line;
} keyed_line;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed_line *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A key twice in one file is ambiguous (which row wins?): both lines are reported. */
static void check_duplicates(eo_import_batch *b)
{
    if (b->n_rows < 2) return;
    keyed_line *k = malloc(b->n_rows * sizeof(*k));
    if (!k) {
        eo_import_add_error(b, 0, "file", "out_of_memory", NULL);
        return;
    }
    for (size_t i = 0; i < b->n_rows; i++) k[i].key = row_key(b, i, &k[i].line);
    qsort(k, b->n_rows, sizeof(*k), cmp_keyed);
    const char *field = b->kind == EO_IMPORT_EMPLOYEES   ? "nip"
                        : b->kind == EO_IMPORT_STANDARDS ? "competency_code"
                                                         : "code";
    size_t first = 0; /* first entry of the current run of equal keys (lowest line) */
    for (size_t i = 1; i < b->n_rows; i++) {
        if (strcmp(k[first].key, k[i].key) != 0) {
            first = i;
            continue;
        }
        char shown[160];
        snprintf(shown, sizeof shown, "%s", k[i].key);
        for (char *q = shown; *q; q++)
            if (*q == '\x1f') *q = '/'; /* a standard's key: position/code */
        eo_import_add_error(b, k[i].line, field, "duplicate_in_file", "%.100s first on line %d", shown, k[first].line);
    }
    free(k);
}

/* Maps header cells to columns; false (with errors recorded) when unusable. */
static bool parse_header(eo_import_batch *b, const eo_csv_record *rec, int *col_of_cell)
{
    const column_def *cols = columns_of(b->kind);
    size_t before = b->n_errors;
    for (int i = 0; i < rec->n_fields; i++) {
        const char *name = trim(rec->fields[i]);
        col_of_cell[i] = -1;
        int c = 0;
        while (cols[c].name && strcmp(cols[c].name, name) != 0) c++;
        if (!cols[c].name) {
            eo_import_add_error(b, rec->line, "header", "unknown_column", "%.60s", name);
        } else if ((b->present >> c) & 1u) {
            eo_import_add_error(b, rec->line, "header", "duplicate_column", "%s", name);
        } else {
            b->present |= 1u << c;
            col_of_cell[i] = c;
        }
    }
    for (int c = 0; cols[c].name; c++)
        if (cols[c].required && !((b->present >> c) & 1u))
            eo_import_add_error(b, rec->line, "header", "missing_column", "%s", cols[c].name);
    return b->n_errors == before;
}

size_t eo_import_parse(eo_import_batch *b, eo_csv *csv)
{
    eo_csv_record rec;
    eo_csv_result res = eo_csv_read(csv, &rec);
    if (res == EO_CSV_EOF) {
        eo_import_add_error(b, 1, "file", "empty_file", NULL);
        return b->n_errors;
    }
    if (res == EO_CSV_ERROR) {
        eo_import_add_error(b, eo_csv_error_line(csv), "csv", eo_csv_error_code(csv), NULL);
        return b->n_errors;
    }
    int col_of_cell[MAX_COLUMNS * 2];
    if (rec.n_fields > MAX_COLUMNS * 2) {
        eo_import_add_error(b, rec.line, "header", "too_many_columns", NULL);
        return b->n_errors;
    }
    int n_header = rec.n_fields;
    if (!parse_header(b, &rec, col_of_cell)) return b->n_errors;

    static char empty[1] = "";
    size_t data_rows = 0;
    while ((res = eo_csv_read(csv, &rec)) == EO_CSV_RECORD) {
        if (++data_rows > EO_IMPORT_MAX_ROWS) {
            eo_import_add_error(b, rec.line, "file", "too_many_rows", "at most %d rows", EO_IMPORT_MAX_ROWS);
            return b->n_errors;
        }
        if (rec.n_fields != n_header) {
            eo_import_add_error(b, rec.line, "row", "field_count", "expected %d fields, found %d", n_header,
                                rec.n_fields);
            continue;
        }
        row_ctx r = {.b = b, .line = rec.line, .errors_before = b->n_errors, .cols = columns_of(b->kind)};
        for (int c = 0; c < MAX_COLUMNS; c++) r.val[c] = empty;
        for (int i = 0; i < rec.n_fields; i++)
            if (col_of_cell[i] >= 0) r.val[col_of_cell[i]] = trim(rec.fields[i]);
        switch (b->kind) {
        case EO_IMPORT_UNITS: parse_unit(&r); break;
        case EO_IMPORT_LOCATIONS: parse_location(&r); break;
        case EO_IMPORT_EMPLOYEES: parse_employee(&r); break;
        case EO_IMPORT_COMPETENCIES: parse_competency(&r); break;
        case EO_IMPORT_STANDARDS: parse_standard(&r); break;
        }
        if (r.oom) {
            eo_import_add_error(b, rec.line, "file", "out_of_memory", NULL);
            return b->n_errors;
        }
    }
    if (res == EO_CSV_ERROR)
        eo_import_add_error(b, eo_csv_error_line(csv), "csv", eo_csv_error_code(csv), NULL);
    else if (data_rows == 0)
        eo_import_add_error(b, 1, "file", "no_rows", NULL);
    check_duplicates(b);
    return b->n_errors;
}

const char *eo_import_error_text(const char *code)
{
    static const struct {
        const char *code, *text;
    } texts[] = {
        {"required", "a value is required"},
        {"too_long", "value is too long"},
        {"control_character", "value contains a control character"},
        {"code_format", "codes use letters, digits, '.', '_' and '-' (at most 64)"},
        {"number_format", "not a decimal number"},
        {"out_of_range", "value out of range"},
        {"time_zone_format", "not a time zone name such as Asia/Jakarta"},
        {"time_zone_unknown", "unknown time zone"},
        {"parent_self", "a unit cannot be its own parent"},
        {"nip_format", "NIP must be 18 digits"},
        {"nip_birth_date", "NIP digits 1-8 are not a plausible birth date"},
        {"nip_tmt", "NIP digits 9-14 are neither a valid TMT CPNS nor a PPPK appointment"},
        {"nip_gender", "NIP digit 15 must be 1 (male) or 2 (female)"},
        {"nip_sequence", "NIP sequence (digits 16-18) cannot be 000"},
        {"nik_format", "NIK must be 16 digits"},
        {"nik_region", "NIK region code is not valid"},
        {"nik_birth_date", "NIK digits 7-12 are not a valid date"},
        {"nik_sequence", "NIK sequence (digits 13-16) cannot be 0000"},
        {"nik_mismatch", "NIK birth date or gender disagrees with the employee"},
        {"gender_invalid", "gender must be L or P"},
        {"gender_mismatch_nip", "gender disagrees with the NIP"},
        {"date_format", "dates are YYYY-MM-DD and must exist"},
        {"birth_date_mismatch_nip", "birth date disagrees with the NIP"},
        {"employee_type_invalid", "employee_type must be PNS or PPPK"},
        {"employee_type_mismatch_nip", "employee_type disagrees with the NIP"},
        {"position_type_invalid", "position_type must be struktural, fungsional or pelaksana"},
        {"position_required", "position_type given without a position"},
        {"rank_invalid", "rank must be I/a..IV/e for PNS or I..XVII for PPPK"},
        {"supervisor_self", "an employee cannot supervise themself"},
        {"email_invalid", "not a valid e-mail address"},
        {"duplicate_in_file", "the same key appears twice in the file"},
        {"unknown_column", "unknown column"},
        {"duplicate_column", "column appears twice"},
        {"missing_column", "required column missing"},
        {"too_many_columns", "too many columns"},
        {"field_count", "wrong number of fields"},
        {"empty_file", "the file is empty"},
        {"no_rows", "the file has a header but no rows"},
        {"too_many_rows", "too many rows"},
        {"out_of_memory", "out of memory"},
        {"unknown_unit", "no unit with this code"},
        {"unknown_parent", "no unit with this code (in the database or the file)"},
        {"unit_cycle", "this parent would put the unit below itself"},
        {"unknown_location", "no office location with this code"},
        {"unknown_schedule", "no work schedule with this code"},
        {"unknown_supervisor", "no employee with this NIP (in the database or the file)"},
        {"supervisor_cycle", "this supervisor would make a supervision cycle"},
        {"csv_record_too_long", "line too long"},
        {"csv_too_many_fields", "too many fields"},
        {"csv_unterminated_quote", "quoted field never closed"},
        {"csv_bad_quote", "stray quote character"},
        {"csv_nul_byte", "NUL byte in the file"},
        {"csv_invalid_utf8", "not valid UTF-8"},
        {"csv_io", "read error"},
        {"competency_code_format", "competency codes look like M.01, SK.01 or T.SDM-01"},
        {"category_invalid", "category must be managerial, sociocultural or technical"},
        {"boolean_invalid", "use true or false"},
        {"indicators_invalid", "indicators are 1-10 texts of 1-500 characters separated by |"},
        {"level_required", "indicators need the level's description in the same row"},
        {"unknown_position", "no position with this name"},
        {"unknown_competency", "no competency with this code (in the database or an earlier import)"},
        {"db_error", "database error"},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (strcmp(texts[i].code, code) == 0) return texts[i].text;
    return code;
}
