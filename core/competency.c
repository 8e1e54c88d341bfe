#include "core/competency.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const eo_attachment_policy eo_attachment_assessment_report = {
    .kind = "assessment.report",
    .allowed = EO_ATT_BIT(EO_ATT_PDF),
    .min_bytes = 64,
    .max_bytes = 0, /* the upload limit (EOFFICE_MAX_UPLOAD_BYTES) bounds it */
};

int eo_competency_gap(int score_centi, int standard) { return score_centi - standard * 100; }

eo_competency_class eo_competency_classify(bool has_score, int score_centi, int standard)
{
    if (!has_score || score_centi < 100) return EO_COMP_CLASS_EMPTY;
    if (standard < 1) return EO_COMP_CLASS_NONE;
    return eo_competency_gap(score_centi, standard) < 0 ? EO_COMP_CLASS_BELOW : EO_COMP_CLASS_MEETS;
}

const char *eo_competency_class_name(eo_competency_class c)
{
    switch (c) {
    case EO_COMP_CLASS_EMPTY: return "empty";
    case EO_COMP_CLASS_BELOW: return "below";
    case EO_COMP_CLASS_MEETS: return "meets";
    case EO_COMP_CLASS_NONE: break;
    }
    return NULL;
}

static const char *const type_names[] = {"assessment_centre", "self", "pre", "post"};

bool eo_assessment_type_parse(const char *s, eo_assessment_type *out)
{
    for (size_t i = 0; s && i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = (eo_assessment_type)i;
            return true;
        }
    return false;
}

const char *eo_assessment_type_name(eo_assessment_type t)
{
    return (size_t)t < sizeof type_names / sizeof type_names[0] ? type_names[t] : "?";
}

bool eo_competency_score_from_double(double v, int *centi)
{
    if (!isfinite(v) || v < 0 || v > 5) return false;
    double c = v * 100.0;
    double r = nearbyint(c);
    if (fabs(c - r) > 1e-6) return false; /* more than two decimals */
    *centi = (int)r;
    return true;
}

bool eo_competency_code_valid(const char *code)
{
    if (!code) return false;
    size_t n = strlen(code), i = 0;
    while (i < n && i < 3 && code[i] >= 'A' && code[i] <= 'Z') i++;
    if (i == 0 || i >= n || code[i] != '.') return false;
    const char *rest = code + i + 1;
    size_t m = strlen(rest);
    if (m < 1 || m > 30) return false;
    for (size_t k = 0; k < m; k++) {
        char ch = rest[k];
        bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (k == 0 || (ch != '.' && ch != '_' && ch != '-'))) return false;
    }
    return true;
}

bool eo_competency_category_valid(const char *s)
{
    return s && (strcmp(s, "managerial") == 0 || strcmp(s, "sociocultural") == 0 || strcmp(s, "technical") == 0);
}

static bool blank(const char *s) { return strspn(s, " \t\r\n") == strlen(s); }

eo_status eo_self_assessment_check(const char *const *required, size_t n_required, const eo_self_answer *answers,
                                   size_t n_answers, eo_err *err)
{
    char field[64];
    if (n_required == 0) return eo_fail(err, EO_ERR_CONFLICT, "no_position_standard");
    for (size_t i = 0; i < n_answers; i++) {
        const eo_self_answer *a = &answers[i];
        if (!a->code) {
            snprintf(field, sizeof field, "answers[%zu].code", i);
            eo_err_field(err, field, "missing_field");
            continue;
        }
        bool known = false;
        for (size_t k = 0; k < n_required && !known; k++) known = strcmp(required[k], a->code) == 0;
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++) repeated = answers[k].code && strcmp(answers[k].code, a->code) == 0;
        snprintf(field, sizeof field, "answers[%zu].code", i);
        if (!known) eo_err_field(err, field, "competency_not_in_standard");
        if (repeated) eo_err_field(err, field, "answer_repeated");
        if (a->level < 1 || a->level > 5) {
            snprintf(field, sizeof field, "answers[%zu].level", i);
            eo_err_field(err, field, "out_of_range");
        }
        if (a->justification && strlen(a->justification) > EO_COMPETENCY_JUSTIFY_MAX) {
            snprintf(field, sizeof field, "answers[%zu].justification", i);
            eo_err_field(err, field, "too_long");
        } else if (!a->justification || blank(a->justification)) {
            snprintf(field, sizeof field, "answers[%zu].justification", i);
            eo_err_field(err, field, "missing_field");
        }
    }
    for (size_t k = 0; k < n_required; k++) {
        bool answered = false;
        for (size_t i = 0; i < n_answers && !answered; i++)
            answered = answers[i].code && strcmp(answers[i].code, required[k]) == 0;
        if (!answered) {
            snprintf(field, sizeof field, "answers[%.40s]", required[k]);
            eo_err_field(err, field, "self_assessment_incomplete");
        }
    }
    return err->status;
}
