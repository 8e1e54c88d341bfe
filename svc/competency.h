/* Competency use cases (docs/competency.md): the dictionary and position
 * standards (admin), recording assessments (admin, or an anpeg whose unit
 * covers the employee), the self-assessment, and the read views: an
 * employee's competencies against the position standard, per-competency
 * history, pre/post effects.
 *
 * Who sees whose: the employee, the atasan chain, an anpeg of the unit's
 * subtree and admin (svc/access.h); anyone else is told the employee does not
 * exist (404 employee_not_found), so NIPs are not an oracle. */
#ifndef EO_SVC_COMPETENCY_H
#define EO_SVC_COMPETENCY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/competency.h"
#include "db/competency.h"
#include "svc/attachments.h"
#include "svc/list.h"
#include "svc/uow.h"

/* ---- read views ---- */
/* nip NULL: the caller. *out: {nip, name, position, last_self_assessment_on, items:[...]}. */
eo_status eo_svc_comp_profile(eo_uow *u, const char *nip, json_t **out, eo_err *err);
/* One competency's history (nip NULL: the caller); 404 competency_not_found. */
eo_status eo_svc_comp_history(eo_uow *u, const char *nip, const char *code, const eo_svc_page_in *page,
                              eo_svc_page_out *out, eo_err *err);
/* The employee's assessments (type NULL: all; 422 type invalid_value). */
eo_status eo_svc_comp_assessments(eo_uow *u, const char *nip, const char *type, const eo_svc_page_in *page,
                                  eo_svc_page_out *out, eo_err *err);
/* The caller's pre/post effects per programme. */
eo_status eo_svc_comp_effects(eo_uow *u, json_t **out, eo_err *err);
/* One competency's effect as the effects view shows it ({code, name, standard,
 * pre_score, pre_assessed_on, post_score, post_assessed_on, gap_before,
 * gap_after, change}); the RPI item view reuses it (svc/realisation.c). */
json_t *eo_svc_comp_effect_json(const eo_db_comp_effect_row *w);

/* ---- self-assessment ---- */
eo_status eo_svc_comp_self_form(eo_uow *u, json_t **out, eo_err *err);
/* Stores the caller's self-assessment (type 'self', dated the caller's date
 * at u->now in Asia/Jakarta). 409 no_position_standard; 422 per answer. */
eo_status eo_svc_comp_self_submit(eo_uow *u, const eo_self_answer *answers, size_t n, json_t **out, eo_err *err);

/* ---- recording ---- */
typedef struct {
    const char *code;
    int score_centi;
} eo_svc_comp_score;

typedef struct {
    const char *nip;
    const char *type; /* assessment_centre | pre | post (self: the employee's own route) */
    const char *assessed_on, *assessor, *programme_ref;
    const eo_svc_comp_score *scores;
    size_t n_scores;
} eo_svc_comp_record_in;

/* Records an assessment for an employee: admin, or an anpeg whose unit covers
 * them (403 forbidden for others who may see the employee, 404 for the rest).
 * pre/post need a programme_ref; scores name active competencies once each. */
eo_status eo_svc_comp_record(eo_uow *u, const eo_svc_comp_record_in *in, json_t **out, eo_err *err);

/* ---- report documents (PDF, the attachments module) ---- */
/* Attaches the report of assessment id of the employee nip, once (409
 * report_exists: history is not overwritten). Same rule as recording; the
 * bytes were judged by eo_svc_attachment_check into *a. */
eo_status eo_svc_comp_report_attach(eo_uow *u, const char *nip, long long id, eo_attachment *a,
                                    const unsigned char *bytes, json_t **out, eo_err *err);
/* The report of assessment id for whoever may see its employee; 404 report_not_found otherwise. */
eo_status eo_svc_comp_report_read(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err);

/* ---- dictionary (reads: any signed-in employee; writes: admin) ---- */
eo_status eo_svc_comp_dict_list(eo_uow *u, bool active_only, const eo_svc_page_in *page, eo_svc_page_out *out,
                                eo_err *err);
eo_status eo_svc_comp_dict_get(eo_uow *u, const char *code, json_t **out, eo_err *err);

typedef struct {
    const char *code, *name, *category, *description;
    int active; /* -1: keep (update) / true (create) */
} eo_svc_comp_def_in;

/* create: 201 body; 409 competency_exists. update: only given fields. */
eo_status eo_svc_comp_dict_create(eo_uow *u, const eo_svc_comp_def_in *in, json_t **out, eo_err *err);
eo_status eo_svc_comp_dict_update(eo_uow *u, const eo_svc_comp_def_in *in, json_t **out, eo_err *err);
/* Sets one level (1..5): description 1..4000 bytes, indicators an array of at most 10 strings. */
eo_status eo_svc_comp_level_put(eo_uow *u, const char *code, long long level, const char *description,
                                const json_t *indicators, json_t **out, eo_err *err);
eo_status eo_svc_comp_standards_get(eo_uow *u, long long position_id, json_t **out, eo_err *err);
/* level 1..5 sets, 0 removes. */
eo_status eo_svc_comp_standard_put(eo_uow *u, long long position_id, const char *code, int level, json_t **out,
                                   eo_err *err);

/* Renders hundredths as a JSON number (2.67). */
json_t *eo_svc_comp_centi_json(int centi);

#endif
