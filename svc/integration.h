/* Integration use cases (docs/integration-api.md): partner API keys (admin
 * and the command line) and what partners push or read with them.
 *
 * Keys: created by an admin (u->who an admin) or the command line (u->who
 * NULL: the operator on the server); the key text is returned once and only
 * its SHA-256 is stored. Every integration use case is given the calling
 * key (eo_api_client) and checks its own scope first: 403
 * api_key_scope_missing. Batches are all-or-nothing: any bad item and
 * nothing is stored, 422 batch_invalid with an "items" report
 * [{index, errors: [{field, code}]}]. Pushes are idempotent per partner and
 * partner id: a repeated id with the same subject is "existing" (nothing
 * written), with another subject an item error partner_result_conflict. */
#ifndef EO_SVC_INTEGRATION_H
#define EO_SVC_INTEGRATION_H

#include <jansson.h>

#include "core/apikey.h"
#include "svc/list.h"
#include "svc/uow.h"

#define EO_INTEGRATION_MAX_ITEMS 100

/* ---- keys ---- */
/* 401 api_key_required (NULL/empty) / api_key_invalid / api_key_revoked; fills *client. */
eo_status eo_svc_apikey_authenticate(eo_uow *u, const char *key, eo_api_client *client, eo_err *err);

typedef struct {
    const char *partner, *description;
    const char *const *scopes; /* n_scopes names */
    size_t n_scopes;
} eo_svc_apikey_create_in;

/* *key_text (EO_APIKEY_TEXT_LEN + 1) is the key, shown once; *out the stored key's JSON. */
eo_status eo_svc_apikey_create(eo_uow *u, const eo_svc_apikey_create_in *in, char *key_text, json_t **out, eo_err *err);
eo_status eo_svc_apikey_list(eo_uow *u, const eo_svc_page_in *page, eo_svc_page_out *out, eo_err *err);
/* By id (prefix NULL) or by prefix (the command line); *out the revoked key's JSON. */
eo_status eo_svc_apikey_revoke(eo_uow *u, long long id, const char *prefix, json_t **out, eo_err *err);

/* ---- pushes and reads ---- */
typedef struct {
    const char *code;
    int score_centi;
} eo_svc_integ_score;

typedef struct {
    const char *partner_result_id, *nip, *assessed_on, *assessor;
    eo_svc_integ_score scores[64];
    size_t n_scores;
} eo_svc_integ_assessment;

/* report: the shape errors api/ found (a JSON array, borrowed; items with
 * errors there are skipped). *out: {items: [{index, partner_result_id, id,
 * status}], created, existing}. Scope assessment:write. */
eo_status eo_svc_integration_assessments(eo_uow *u, const eo_api_client *client, const eo_svc_integ_assessment *items,
                                         size_t n, json_t *report, json_t **out, eo_err *err);

typedef struct {
    const char *partner_training_id, *nip, *title, *organiser, *started_on, *finished_on;
    int jp_centi; /* JP hours in hundredths */
    /* optional (docs/integration-api.md): Plataran's programme id; a programme
     * reference "programme:<id>" | "plataran:<id>" (shape checked by api/) */
    const char *programme_external_id, *programme_ref;
} eo_svc_integ_training;

/* Scope training:write; same contract as the assessments push. */
eo_status eo_svc_integration_trainings(eo_uow *u, const eo_api_client *client, const eo_svc_integ_training *items,
                                       size_t n, json_t *report, json_t **out, eo_err *err);

/* Scope employees:read: the public card; 404 employee_not_found. */
eo_status eo_svc_integration_employee(eo_uow *u, const eo_api_client *client, const char *nip, json_t **out,
                                      eo_err *err);

/* Adds one item error to report ([{index, partner_id, errors: [...]}]), merging by index. */
void eo_svc_integration_report(json_t *report, size_t index, const char *field, const char *code);

#endif
