/* Profile sections and PDM proposals: the pure rules (docs/profile.md).
 *
 * A profile record is a JSON object whose members depend on its section
 * (identity extras, family, rank, position, education, team, award,
 * competency, assignment). eo_profile_validate checks one record as an HR
 * officer would: known members only, types, required members, text lengths in
 * characters (valid UTF-8, no control characters), real calendar dates that are
 * not in the future where that is impossible, the golongan list, education
 * levels, year ranges and the order of dates (TMT PNS after TMT CPNS, an SK
 * not dated after the TMT it decrees, an end after its start). Field errors
 * name "data.<member>". */
#ifndef EO_CORE_PROFILE_H
#define EO_CORE_PROFILE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/status.h"

typedef enum {
    EO_SEC_IDENTITY = 0,
    EO_SEC_FAMILY,
    EO_SEC_RANK,
    EO_SEC_POSITION,
    EO_SEC_EDUCATION,
    EO_SEC_TEAM,
    EO_SEC_AWARD,
    EO_SEC_COMPETENCY,
    EO_SEC_ASSIGNMENT,
    EO_SEC_COUNT
} eo_profile_section;

/* The wire name ("identity", ...) and the printed heading (Indonesian). */
const char *eo_profile_section_name(eo_profile_section s);
const char *eo_profile_section_title(eo_profile_section s);
bool eo_profile_section_parse(const char *name, eo_profile_section *out);
/* A single-record section (identity): one live record per employee. */
bool eo_profile_section_single(eo_profile_section s);
/* May the employee's atasan chain read this section? (identity extras and
 * family are private: only the employee, the anpeg of the unit and admin.) */
bool eo_profile_section_atasan_visible(eo_profile_section s);

typedef struct {
    int today;      /* days since 1970-01-01 of the day the rule applies at */
    bool pppk;      /* the employee is PPPK (golongan I..XVII) rather than PNS (I/a..IV/e) */
    int birth_year; /* 0 when unknown */
} eo_profile_ctx;

/* Checks data for section; adds field errors to err. Returns err->status. */
eo_status eo_profile_validate(eo_profile_section s, const json_t *data, const eo_profile_ctx *ctx, eo_err *err);

/* "YYYY-MM-DD", a real date from 1900-01-01: days since 1970-01-01. */
bool eo_profile_date(const char *s, int *days);
/* Days since 1970-01-01 of a Unix time in UTC+7 (the day an Indonesian office lives in). */
int eo_profile_day_of(double unix_seconds);
/* Calendar year of a day number. */
int eo_profile_year_of(int days);

/* Text as the rules count it: strict UTF-8, no C0 controls (except \n and \t
 * when multiline), at most max characters (code points). */
bool eo_profile_text_ok(const char *s, size_t max_chars, bool multiline);

/* The members of a section in display order (NULL-terminated) and the
 * printed label of a member ("tmt_pns" -> "TMT PNS"). */
const char *const *eo_profile_section_members(eo_profile_section s, const char *const **labels);

/* ---- PDM: the proposal's state machine ----
 * pending -approve|reject-> approved | rejected (an anpeg of the unit, never
 * the employee); pending -withdraw-> withdrawn (the employee only). Anything
 * decided is final. The reason of a rejection is required (1..1000 chars, not
 * blank). Checked in this order: 403 pdm_own_change (the employee decides) /
 * pdm_not_author (someone else withdraws), 409 pdm_not_pending, 422 reason. */
typedef enum { EO_PDM_PENDING, EO_PDM_APPROVED, EO_PDM_REJECTED, EO_PDM_WITHDRAWN } eo_pdm_status;
typedef enum { EO_PDM_APPROVE, EO_PDM_REJECT, EO_PDM_WITHDRAW } eo_pdm_action;
typedef enum { EO_PDM_ADD, EO_PDM_EDIT, EO_PDM_DELETE } eo_pdm_op;

const char *eo_pdm_status_name(eo_pdm_status s);
bool eo_pdm_status_parse(const char *s, eo_pdm_status *out);
const char *eo_pdm_op_name(eo_pdm_op op);
bool eo_pdm_op_parse(const char *s, eo_pdm_op *out);

/* is_author: the caller is the employee the proposal is about; is_decider:
 * the caller's anpeg grant covers that employee (ignored for the author). */
eo_status eo_pdm_transition(eo_pdm_status from, eo_pdm_action a, bool is_author, bool is_decider, const char *reason,
                            eo_pdm_status *next, eo_err *err);

/* The shape of a proposal: add has data and no record; edit has both; delete
 * has a record and no data; a single-record section is never deleted. */
eo_status eo_pdm_proposal_check(eo_profile_section s, eo_pdm_op op, bool has_record, bool has_data, eo_err *err);

#endif
