/* Competency rules (docs/competency.md), pure: no SQL, no HTTP.
 *
 * Scores are kept in hundredths (numeric(3,2) in the database: 0.00..5.00),
 * standards are whole levels 1..5, so gap = score - standard is exact. */
#ifndef EO_CORE_COMPETENCY_H
#define EO_CORE_COMPETENCY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/attachment.h"
#include "core/status.h"

#define EO_COMPETENCY_SCORE_MAX       500  /* 5.00 in hundredths */
#define EO_COMPETENCY_JUSTIFY_MAX     1000 /* bytes of a self-assessment justification */
#define EO_COMPETENCY_MAX_PER_PROFILE 64   /* competencies in one assessment / one standard */

typedef enum { EO_COMP_CLASS_NONE, EO_COMP_CLASS_EMPTY, EO_COMP_CLASS_BELOW, EO_COMP_CLASS_MEETS } eo_competency_class;

/* gap = score - standard, in hundredths (standard 1..5). */
int eo_competency_gap(int score_centi, int standard);
/* The display class of seed 000: no score or score < 1 -> EMPTY; else below
 * the standard -> BELOW (orange); else MEETS (green). Without a standard
 * (standard 0: an assessed competency the position does not require) a score
 * has no colour: NONE (EMPTY still applies below 1). */
eo_competency_class eo_competency_classify(bool has_score, int score_centi, int standard);
/* "empty" | "below" | "meets"; NULL for NONE. */
const char *eo_competency_class_name(eo_competency_class c);

typedef enum { EO_ASSESS_CENTRE, EO_ASSESS_SELF, EO_ASSESS_PRE, EO_ASSESS_POST } eo_assessment_type;
/* "assessment_centre" | "self" | "pre" | "post". */
bool eo_assessment_type_parse(const char *s, eo_assessment_type *out);
const char *eo_assessment_type_name(eo_assessment_type t);

/* A score as the wire gives it (a JSON number 0..5 with at most two
 * decimals): *centi in hundredths. False for anything else. */
bool eo_competency_score_from_double(double v, int *centi);

/* Competency codes: M.01, SK.01, T.<...> (the database CHECK, restated). */
bool eo_competency_code_valid(const char *code);
/* "managerial" | "sociocultural" | "technical". */
bool eo_competency_category_valid(const char *s);

/* One answer of a self-assessment. */
typedef struct {
    const char *code;          /* NULL: missing or not a string */
    long long level;           /* 1..5; anything else is out_of_range */
    const char *justification; /* NULL: none; <= EO_COMPETENCY_JUSTIFY_MAX bytes */
} eo_self_answer;

/* The self-assessment rule: every competency of the position standard
 * (required[0..n_required)) answered exactly once, nothing else, levels 1..5,
 * a justification of at most 1,000 bytes that is not only white space.
 * Field errors name answers[i].<field> or "answers" (self_assessment_incomplete
 * names the first missing code in the field: answers[M.03]). */
eo_status eo_self_assessment_check(const char *const *required, size_t n_required, const eo_self_answer *answers,
                                   size_t n_answers, eo_err *err);

/* Assessment report documents: PDF only (attachment kind "assessment.report"). */
extern const eo_attachment_policy eo_attachment_assessment_report;

#endif
