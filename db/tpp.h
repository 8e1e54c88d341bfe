/* SQL of the TPP module: rule versions, kinerja scores, the month's inputs
 * and results (docs/tpp.md). */
#ifndef EO_DB_TPP_H
#define EO_DB_TPP_H

#include <jansson.h>
#include <stdbool.h>

#include "core/tpp.h"
#include "db/keyset.h"
#include "db/pool.h"

/* ---- rule versions ---- */
typedef struct {
    const char *unit_code;
    const char *effective_from; /* YYYY-MM-01 */
    const char *rules;          /* canonical JSON text */
    const char *note;           /* may be NULL */
} eo_db_tpp_rule_in;

/* The rule version as the API shows it (json text rendered in SQL). */
#define EO_DB_TPP_RULE_JSON                                                                                            \
    "jsonb_build_object('id', v.id, 'unit_code', u.code, 'unit_name', u.name,"                                         \
    " 'effective_from', to_char(v.effective_from, 'YYYY-MM'), 'rules', v.rules, 'note', v.note,"                       \
    " 'locked', v.locked_at is not null, 'created_at', to_char(v.created_at at time zone 'UTC',"                       \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))::text"

/* 404 unit_not_found, 409 tpp_rule_exists (same unit and month). */
eo_status eo_db_tpp_rule_insert(eo_db *db, const eo_db_tpp_rule_in *in, long long by, json_t **out, long long *id,
                                eo_err *err);
/* Locks the version (FOR UPDATE); 404 tpp_rule_not_found. */
eo_status eo_db_tpp_rule_lock(eo_db *db, long long id, bool *locked, eo_err *err);
eo_status eo_db_tpp_rule_update(eo_db *db, long long id, const char *rules, const char *note, json_t **out,
                                eo_err *err);
eo_status eo_db_tpp_rule_get(eo_db *db, long long id, json_t **out, eo_err *err);
eo_status eo_db_tpp_rule_page(eo_db *db, const char *unit_code, int limit, const eo_db_keyset *after, json_t **items,
                              json_t **next, eo_err *err);

/* ---- scope ---- */
/* The unit with that code; 404 unit_not_found. */
eo_status eo_db_tpp_unit(eo_db *db, const char *code, long long *unit_id, eo_err *err);
/* One of anpeg's active anpeg grants covers unit_id's subtree. */
eo_status eo_db_tpp_anpeg_covers_unit(eo_db *db, long long anpeg, long long unit_id, bool *ok, eo_err *err);

/* ---- the month's inputs ---- */
typedef struct {
    long long id;
    char nip[19];
    long long unit_id;
    int class_grade;
    long long rule_id; /* 0: none applies */
    bool has_score;
    int score_bp;
    bool closed;          /* a closed result exists: frozen, not recomputed */
    char fingerprint[65]; /* of the stored result, "" when none */
} eo_db_tpp_member;

/* The active employees whose unit on the month's last day is in unit_id's
 * subtree (employee_id 0), or that one employee (unit_id 0), by id. */
eo_status eo_db_tpp_members(eo_db *db, long long unit_id, long long employee_id, const char *month_first,
                            const char *month_last, eo_db_tpp_member **out, int *n, eo_err *err);

/* The days and approved absences of the members ids[0..n), as libpq results
 * the caller walks (ordered by employee, day) and PQclear()s:
 * days (only days with schedule hours or an attendance row): employee_id, day, isodow, normal start, normal end, ramadan start, ramadan end
 *       (minutes or NULL), holiday, ramadan, day_over, in_min, out_min, corrected, lkh_approved, unit_id
 * absences: employee_id, kind, from (days since 1970-01-01), to */
eo_status eo_db_tpp_days(eo_db *db, const long long *ids, int n, const char *month_first, const char *month_last,
                         double now, PGresult **days, PGresult **absences, eo_err *err);

/* The rule documents of the versions ids (id, rules text). */
eo_status eo_db_tpp_rules_of(eo_db *db, const long long *ids, int n, PGresult **out, eo_err *err);

/* Upserts the results (a JSON array, see db/tpp.c) of open months; a row whose
 * fingerprint did not change is left as it is. *changed: rows written. */
eo_status eo_db_tpp_store(eo_db *db, const char *month_first, double now, long long by, const char *results,
                          long long *changed, eo_err *err);

/* Serialises compute / close / reopen of one month (transaction-scoped). */
eo_status eo_db_tpp_lock_month(eo_db *db, const char *month_first, eo_err *err);

/* Members (as eo_db_tpp_members) without a result for the month. */
eo_status eo_db_tpp_missing(eo_db *db, long long unit_id, const char *month_first, const char *month_last,
                            long long *missing, eo_err *err);
/* Closes the open results whose unit is in the subtree; locks their rule versions. */
eo_status eo_db_tpp_close(eo_db *db, long long unit_id, const char *month_first, double now, long long by,
                          long long *closed, eo_err *err);
eo_status eo_db_tpp_reopen(eo_db *db, long long unit_id, const char *month_first, long long *reopened, eo_err *err);
/* Counts of results in the subtree: total, closed. */
eo_status eo_db_tpp_counts(eo_db *db, long long unit_id, const char *month_first, long long *total, long long *closed,
                           eo_err *err);

/* ---- reading results ---- */
/* One page of results in the subtree, ordered by NIP (position [nip, id]). */
eo_status eo_db_tpp_result_page(eo_db *db, long long unit_id, const char *month_first, int limit,
                                const eo_db_keyset *after, json_t **items, json_t **next, eo_err *err);
/* The employee's result; 404 tpp_result_not_found. */
eo_status eo_db_tpp_result_of(eo_db *db, long long employee_id, const char *month_first, json_t **out, eo_err *err);
/* Every result of the subtree for an export, ordered by unit code then NIP:
 * nip, name, unit code, unit name, class, base, kinerja, kehadiran, deduction,
 * total, status, fingerprint, the deduction lines (json array text), issues. */
eo_status eo_db_tpp_export_rows(eo_db *db, long long unit_id, const char *month_first, PGresult **out, eo_err *err);

/* ---- imported kinerja scores ---- */
/* Upserts (nip, score_bp) pairs given as a JSON array [{"nip":..., "score_bp":...}]
 * for employees in unit_id's subtree (0 = anywhere). *unknown: the NIPs that
 * are not (JSON array, new reference). */
eo_status eo_db_tpp_scores_import(eo_db *db, long long unit_id, const char *month_first, const char *items,
                                  long long by, long long *stored, json_t **unknown, eo_err *err);

#endif
