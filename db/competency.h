/* Competency SQL: the dictionary, position standards, assessments and the
 * read views of an employee's competencies (docs/competency.md). Read-only
 * lists are rendered to JSON in SQL; what a rule reads (scores, standards)
 * comes back as structs. */
#ifndef EO_DB_COMPETENCY_H
#define EO_DB_COMPETENCY_H

#include <jansson.h>
#include <stdbool.h>

#include "db/keyset.h"
#include "db/pool.h"

typedef struct {
    long long id;
    long long position_id; /* 0: none */
    char nip[19];
    char name[201];
    char position[201];
} eo_db_comp_employee;

/* The employee with nip; *found false when none (any malformed NIP too). */
eo_status eo_db_comp_employee_by_nip(eo_db *db, const char *nip, eo_db_comp_employee *out, bool *found, eo_err *err);
eo_status eo_db_comp_employee_by_id(eo_db *db, long long id, eo_db_comp_employee *out, eo_err *err);

/* ---- the dictionary ---- */
typedef struct {
    const char *code, *name, *category, *description; /* description NULL: keep / "" */
    int active;                                       /* -1: keep */
} eo_db_comp_def;

/* A new competency; 409 competency_exists. */
eo_status eo_db_comp_create(eo_db *db, const eo_db_comp_def *d, eo_err *err);
/* Changes the given fields (NULL / -1 keep); 404 competency_not_found. */
eo_status eo_db_comp_update(eo_db *db, const eo_db_comp_def *d, eo_err *err);
/* Sets one level's description and indicators (a JSON array of strings); 404 competency_not_found. */
eo_status eo_db_comp_level_put(eo_db *db, const char *code, int level, const char *description,
                               const json_t *indicators, eo_err *err);
/* The competency with its levels as JSON; 404 competency_not_found. */
eo_status eo_db_comp_get(eo_db *db, const char *code, json_t **out, eo_err *err);
/* A page of the dictionary in creation order (active_only: only active ones). */
eo_status eo_db_comp_list(eo_db *db, bool active_only, const eo_db_keyset *after, int limit, json_t **items,
                          json_t **next, eo_err *err);

/* ---- position standards ---- */
/* The position's standards as JSON {"position": {...}, "items": [...]}; 404 position_not_found. */
eo_status eo_db_comp_standards_get(eo_db *db, long long position_id, json_t **out, eo_err *err);
/* Sets (level 1..5) or removes (level 0) one standard; 404 position_not_found / competency_not_found
 * (removing one that is not there: standard_not_found). */
eo_status eo_db_comp_standard_put(eo_db *db, long long position_id, const char *code, int level, eo_err *err);

/* ---- an employee's profile ---- */
typedef struct {
    char code[40], name[201], category[16];
    int standard; /* 0: not required by the position */
    bool has_score;
    int score_centi;
    char assessed_on[11], type[20];
    bool has_self;
    int self_centi;
    char self_on[11];
} eo_db_comp_row;

/* The competencies of the employee's position standard and any assessed one,
 * managerial first then socio-cultural then technical, by code. Latest score:
 * the most recent assessment that is not a self-assessment (assessed_on, then
 * id); the latest self-assessment level separately. *rows is malloc'ed. */
eo_status eo_db_comp_profile(eo_db *db, long long employee_id, eo_db_comp_row **rows, int *n, eo_err *err);

/* The level descriptions of the position standard for the self-assessment
 * form: JSON array [{code, name, category, required_level, levels:[...]}]. */
eo_status eo_db_comp_self_form(eo_db *db, long long employee_id, json_t **items, eo_err *err);
/* The codes of the employee's position standard (malloc'ed array of malloc'ed strings). */
eo_status eo_db_comp_standard_codes(eo_db *db, long long employee_id, char ***codes, int *n, eo_err *err);
void eo_db_comp_codes_free(char **codes, int n);

/* True when a competency with this code exists. */
eo_status eo_db_comp_exists(eo_db *db, const char *code, bool *found, eo_err *err);

/* One competency's score history of an employee, newest first (assessed_on, id). */
eo_status eo_db_comp_history(eo_db *db, long long employee_id, const char *code, const eo_db_keyset *after, int limit,
                             json_t **items, json_t **next, eo_err *err);
/* An employee's assessments with their scores, newest first; type NULL: all. */
eo_status eo_db_comp_assessments(eo_db *db, long long employee_id, const char *type, const eo_db_keyset *after,
                                 int limit, json_t **items, json_t **next, eo_err *err);

typedef struct {
    char programme_ref[201], last_on[11], code[40], name[201];
    int standard; /* 0: none */
    bool has_pre, has_post;
    int pre_centi, post_centi;
    char pre_on[11], post_on[11];
} eo_db_comp_effect_row;

/* Pre/post pairs per programme_ref and competency (latest pre and latest
 * post of each), the 100 most recent programmes. *rows is malloc'ed. */
eo_status eo_db_comp_effects(eo_db *db, long long employee_id, eo_db_comp_effect_row **rows, int *n, eo_err *err);

/* ---- recording ---- */
typedef struct {
    const char *code;
    int score_centi;
    const char *justification; /* NULL: none */
} eo_db_comp_score;

typedef struct {
    long long employee_id;
    const char *type, *assessed_on, *assessor, *source;
    const char *partner, *partner_result_id; /* both NULL or both set */
    const char *programme_ref;               /* NULL: none */
    long long created_by;                    /* 0: none */
    long long api_key_id;                    /* 0: none */
    long long report_attachment_id;          /* 0: none */
    const eo_db_comp_score *scores;
    int n_scores;
} eo_db_comp_assessment;

/* The codes among `codes` (a JSON array of strings) that are not active
 * competencies, as a new JSON array. */
eo_status eo_db_comp_unknown_codes(eo_db *db, const json_t *codes, json_t **unknown, eo_err *err);
/* Inserts the assessment and its scores (caller's transaction). With a
 * partner id that exists already nothing is written: *id is the existing
 * row's, *existed true, and *same_subject tells whether it was for the same
 * employee and date. */
eo_status eo_db_comp_assessment_insert(eo_db *db, const eo_db_comp_assessment *a, long long *id, bool *existed,
                                       bool *same_subject, eo_err *err);
/* The assessment as JSON (with scores); 404 assessment_not_found. */
eo_status eo_db_comp_assessment_get(eo_db *db, long long id, json_t **out, long long *employee_id, eo_err *err);

/* The assessment's owner and report (FOR UPDATE when lock) and the database's
 * clock (Unix seconds, for the attachment tombstone check); 404 assessment_not_found. */
eo_status eo_db_comp_report_state(eo_db *db, long long id, bool lock, long long *employee_id,
                                  long long *report_attachment_id, long long *db_now, eo_err *err);
/* Sets the report once (409 report_exists when one is there). */
eo_status eo_db_comp_report_set(eo_db *db, long long id, long long attachment_id, eo_err *err);

/* The employee's calendar date at `now` in the zone of their office location
 * (Asia/Jakarta without one), "YYYY-MM-DD". */
eo_status eo_db_comp_local_date(eo_db *db, long long employee_id, double now, char out[11], eo_err *err);

#endif
