/* The employee directory's SQL (docs/directory.md): search over the
 * title-stripped name key, the public card and profile, skills and "about
 * me", colleague recommendations. Every answer a client sees is rendered in
 * SQL as JSON; only public card fields ever leave these statements. */
#ifndef EO_DB_DIRECTORY_H
#define EO_DB_DIRECTORY_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

/* A search page position: rank DESC, id ASC; for a NIP prefix, rank is the
 * NIP of the last card and the order is by NIP. set false: the first page. */
typedef struct {
    bool set;
    long long rank;
    long long id;
} eo_db_dir_pos;

/* One page of active employees whose name key matches q (fuzzy, titles
 * stripped), or whose NIP starts with q (nip). Items are public cards; *next
 * is [rank, id] of the last one served when there is another page. */
eo_status eo_db_dir_search(eo_db *db, const char *q, bool nip, const eo_db_dir_pos *after, int limit, json_t **items,
                           json_t **next, eo_err *err);

/* Card + skills + about + accepted recommendations (newest first, at most 100). */
eo_status eo_db_dir_public_profile(eo_db *db, long long employee_id, json_t **out, eo_err *err);

/* {"skills": [...], "about": "...", "updated_at": ...|null} of the employee. */
eo_status eo_db_dir_about_get(eo_db *db, long long employee_id, json_t **out, eo_err *err);
/* Sets skills (a JSON array text of normalised tags) or about (NULL: unchanged). */
eo_status eo_db_dir_about_put(eo_db *db, long long employee_id, const char *skills_json, const char *about,
                              json_t **out, eo_err *err);

/* Recommendations. A rendered one: {id, author{nip,name}, subject{nip,name}, text, status, created_at,
 * updated_at, decided_at}. */
/* 409 recommendation_exists when the author already wrote one for the subject. */
eo_status eo_db_reco_create(eo_db *db, long long author, long long subject, const char *text, json_t **out,
                            long long *id, eo_err *err);
/* The author's edit (404 recommendation_not_found unless author wrote id); an
 * accepted one goes back to pending. *subject: whom it is about. */
eo_status eo_db_reco_edit(eo_db *db, long long id, long long author, const char *text, json_t **out, long long *subject,
                          json_t **before, eo_err *err);
/* The subject's decision: status "accepted" or "hidden" (404 unless subject is its subject). */
eo_status eo_db_reco_decide(eo_db *db, long long id, long long subject, const char *status, json_t **out, eo_err *err);
/* Received (subject_side) or written recommendations, newest first, keyset on (created_at, id).
 * status NULL: all. after_at/after_id NULL: the first page. */
eo_status eo_db_reco_list(eo_db *db, long long employee_id, bool subject_side, const char *status, const char *after_at,
                          const char *after_id, int limit, json_t **items, json_t **next, eo_err *err);

#endif
