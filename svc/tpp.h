/* TPP use cases: rule versions (admin), the month's compute / review / close /
 * reopen for a scope (admin, or anpeg of the unit's subtree), exports, imported
 * kinerja scores and the employee's own breakdown (docs/tpp.md).
 *
 * Scope: a unit code; the caller must be an admin or hold an anpeg grant on
 * that unit or above it. Anyone else with neither role gets 403 forbidden; an
 * anpeg asking for a unit outside their subtree gets 404 unit_not_found, the
 * same answer as an unknown code (no oracle of the organisation tree). */
#ifndef EO_SVC_TPP_H
#define EO_SVC_TPP_H

#include <jansson.h>
#include <stddef.h>

#include "svc/uow.h"

typedef struct {
    const char *unit_code;
    const char *effective_from; /* YYYY-MM */
    const json_t *rules;
    const char *note;
    bool has_note;
} eo_tpp_rule_req;

eo_status eo_svc_tpp_rule_create(eo_uow *u, const eo_tpp_rule_req *in, json_t **out, eo_err *err);
/* Replaces rules (and note when given) of a version not used by a closed month (409 tpp_rule_locked). */
eo_status eo_svc_tpp_rule_update(eo_uow *u, long long id, const eo_tpp_rule_req *in, json_t **out, eo_err *err);
eo_status eo_svc_tpp_rule_get(eo_uow *u, long long id, json_t **out, eo_err *err);
eo_status eo_svc_tpp_rule_list(eo_uow *u, const char *unit_code, int limit, const json_t *after, json_t **items,
                               json_t **next, eo_err *err);

/* month: "YYYY-MM". */
eo_status eo_svc_tpp_compute(eo_uow *u, const char *month, const char *unit_code, json_t **out, eo_err *err);
eo_status eo_svc_tpp_close(eo_uow *u, const char *month, const char *unit_code, json_t **out, eo_err *err);
eo_status eo_svc_tpp_reopen(eo_uow *u, const char *month, const char *unit_code, const char *reason, json_t **out,
                            eo_err *err);
eo_status eo_svc_tpp_results(eo_uow *u, const char *month, const char *unit_code, int limit, const json_t *after,
                             json_t **items, json_t **next, eo_err *err);
/* The caller's own result with its breakdown; 404 tpp_result_not_found. */
eo_status eo_svc_tpp_mine(eo_uow *u, const char *month, json_t **out, eo_err *err);

typedef enum { EO_TPP_EXPORT_CSV, EO_TPP_EXPORT_XLSX } eo_tpp_export_format;
/* The recap bytes (malloc'd). */
eo_status eo_svc_tpp_export(eo_uow *u, const char *month, const char *unit_code, eo_tpp_export_format fmt, char **bytes,
                            size_t *len, eo_err *err);

/* items: [{"nip": "...", "score": 0..100 (two decimals)}], at most 1000. u->who NULL is the
 * command line (eoffice tpp-scores), which may name any unit. */
eo_status eo_svc_tpp_scores_import(eo_uow *u, const char *month, const char *unit_code, const json_t *items,
                                   json_t **out, eo_err *err);

#endif
