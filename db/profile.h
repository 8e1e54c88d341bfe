/* SQL of the profile sections and PDM proposals (migration 0011,
 * docs/profile.md). JSON for clients is rendered in SQL; structs carry what a
 * rule reads back. */
#ifndef EO_DB_PROFILE_H
#define EO_DB_PROFILE_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

/* The employee a profile is about. */
typedef struct {
    long long id;
    char nip[19];
    bool pppk;
    int birth_year;
    json_t *card; /* {nip, name, gender, employee_type, rank, position, unit: {code, name}}; caller decrefs */
} eo_profile_owner;

/* By NIP (404 employee_not_found) or by id. */
eo_status eo_db_profile_owner_by_nip(eo_db *db, const char *nip, eo_profile_owner *out, eo_err *err);
eo_status eo_db_profile_owner_by_id(eo_db *db, long long id, eo_profile_owner *out, eo_err *err);

/* Every live record of the employee ([{id, section, data, version, document,
 * updated_at, pending_change}], by section and id) and the pending additions
 * ([{id, section, data, document, submitted_at}]). New references. */
eo_status eo_db_profile_records(eo_db *db, long long employee_id, json_t **records, json_t **additions, eo_err *err);

typedef struct {
    long long id, employee_id, attachment_id;
    char section[16];
    int version;
    bool deleted;
    bool managed; /* written from a partner's training (training_id): not editable through PDM */
} eo_profile_record_row;

/* Reads (lock: FOR UPDATE) a record; 404 not_found_code when there is none. */
eo_status eo_db_profile_record_get(eo_db *db, long long id, bool lock, const char *not_found_code,
                                   eo_profile_record_row *out, eo_err *err);
/* One record rendered as the profile shows it (NULL for a missing one). */
eo_status eo_db_profile_record_json(eo_db *db, long long id, json_t **out, eo_err *err);
eo_status eo_db_profile_identity_exists(eo_db *db, long long employee_id, bool *out, eo_err *err);
eo_status eo_db_profile_record_insert(eo_db *db, long long employee_id, const char *section, const char *data,
                                      long long attachment_id, long long *id, eo_err *err);
/* Replaces data (attachment_id 0 keeps the current document); version + 1. */
eo_status eo_db_profile_record_update(eo_db *db, long long id, const char *data, long long attachment_id, eo_err *err);
eo_status eo_db_profile_record_delete(eo_db *db, long long id, double now, eo_err *err);

/* ---- PDM proposals ---- */
typedef struct {
    long long employee_id;
    const char *section, *op;
    long long record_id; /* 0: none */
    int base_version;    /* edit/delete */
    const char *data;    /* JSON text, NULL for delete */
    long long attachment_id;
    const char *note;
    double now;
} eo_pdm_new;
/* 409 pdm_pending_exists when the record (or the identity section) already has a pending proposal. */
eo_status eo_db_pdm_insert(eo_db *db, const eo_pdm_new *in, long long *id, eo_err *err);

typedef struct {
    long long id, employee_id, record_id, attachment_id;
    char section[16], op[8], status[12];
    int base_version;
    json_t *data; /* NULL for delete; caller decrefs */
} eo_pdm_row;
eo_status eo_db_pdm_get(eo_db *db, long long id, bool lock, eo_pdm_row *out,
                        eo_err *err); /* 404 pdm_change_not_found */
/* status approved/rejected (decided_by, reason) or withdrawn; record_id set for an approved add. */
eo_status eo_db_pdm_set_status(eo_db *db, long long id, const char *status, long long decided_by, const char *reason,
                               long long record_id, double now, eo_err *err);
eo_status eo_db_pdm_json(eo_db *db, long long id, json_t **out, eo_err *err);

typedef struct {
    long long owner;    /* >0: the employee's own proposals */
    long long reviewer; /* >0: the queue of this anpeg (their grants' subtrees, never their own) */
    bool everyone;      /* with reviewer: every employee's proposals (admin's read-only view) */
    const char *status, *section, *unit;
    const char *after_at, *after_id; /* NULL on the first page */
    int limit;
} eo_pdm_filter;
eo_status eo_db_pdm_list(eo_db *db, const eo_pdm_filter *f, json_t **items, json_t **next, eo_err *err);

#endif
