/* Integration SQL: API keys (docs/integration-api.md) and the trainings
 * partners push. */
#ifndef EO_DB_INTEGRATION_H
#define EO_DB_INTEGRATION_H

#include <jansson.h>
#include <stdbool.h>

#include "core/apikey.h"
#include "db/keyset.h"
#include "db/pool.h"

/* Stores a new key (hash only); *id and *out (the key's JSON without any secret). */
eo_status eo_db_apikey_insert(eo_db *db, const char *prefix, const unsigned char hash[32], const char *partner,
                              const char *description, const json_t *scopes, long long created_by, long long *id,
                              json_t **out, eo_err *err);
/* The key's JSON; 404 api_key_not_found. */
eo_status eo_db_apikey_get(eo_db *db, long long id, json_t **out, eo_err *err);
/* Keys newest first. */
eo_status eo_db_apikey_list(eo_db *db, const eo_db_keyset *after, int limit, json_t **items, json_t **next,
                            eo_err *err);
/* Revokes an active key; 404 api_key_not_found, 409 api_key_already_revoked. */
eo_status eo_db_apikey_revoke(eo_db *db, long long id, long long by, eo_err *err);
/* The id of the key with this prefix (0 when none), for the command line. */
eo_status eo_db_apikey_id_by_prefix(eo_db *db, const char *prefix, long long *id, eo_err *err);

typedef struct {
    bool found, revoked;
    unsigned char hash[32];
    eo_api_client client;
} eo_db_apikey_row;

/* The key with this prefix (found false when none). */
eo_status eo_db_apikey_lookup(eo_db *db, const char *prefix, eo_db_apikey_row *out, eo_err *err);
/* Notes the key's use (at most once a minute, so a busy partner does not write a row per request). */
eo_status eo_db_apikey_touch(eo_db *db, long long id, eo_err *err);

/* ---- pushes ---- */
typedef struct {
    long long employee_id;
    const char *title, *organiser, *jp_hours, *started_on, *finished_on, *partner, *partner_training_id;
    long long api_key_id;
    /* the programme it belongs to (migration 0052): Plataran's id, or a catalogue id; NULL/0 when unnamed */
    const char *programme_external_id, *programme_ref;
    long long programme_id;
} eo_db_training;

/* Inserts a completed training; when (partner, partner_training_id) exists
 * nothing is written: *existed, and *same tells whether it was for the same
 * employee with the same title, hours and dates. Caller's transaction. */
eo_status eo_db_training_insert(eo_db *db, const eo_db_training *t, long long *id, bool *existed, bool *same,
                                eo_err *err);

/* Does the catalogue hold programme id (archived ones too)? */
eo_status eo_db_integration_programme_exists(eo_db *db, long long id, bool *exists, eo_err *err);

/* The public card of an employee (nip, name, type, rank, position, unit); 404 employee_not_found. */
eo_status eo_db_integration_employee_card(eo_db *db, const char *nip, json_t **out, eo_err *err);

#endif
