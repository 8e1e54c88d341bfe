/* The Plataran Sehat client (docs/integrations.md has the contract): a small
 * libcurl GET with connect/total timeouts, bounded retries with exponential
 * backoff, ETag / If-None-Match, a capped body, and strict parsers of the two
 * documents we consume (catalogue, schedules). No database, no HTTP server. */
#ifndef EO_CORE_PLATARAN_H
#define EO_CORE_PLATARAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

typedef struct {
    char base_url[512];      /* EOFFICE_PLATARAN_URL ("" = not configured) */
    long connect_timeout_ms; /* EOFFICE_PLATARAN_CONNECT_TIMEOUT_MS (1000) */
    long timeout_ms;         /* EOFFICE_PLATARAN_TIMEOUT_MS (3000): one attempt, whole */
    int retries;             /* EOFFICE_PLATARAN_RETRIES (2): attempts after the first, 0..5 */
    long backoff_ms;         /* EOFFICE_PLATARAN_BACKOFF_MS (200): first retry delay, doubled each time */
    int sync_interval_s;     /* EOFFICE_PLATARAN_SYNC_S (3600; 0 = no background sync) */
    int cooldown_s;          /* EOFFICE_PLATARAN_COOLDOWN_S (30): after an outage, agendas skip Plataran this long */
} eo_plataran_config;

/* Largest body accepted (bigger: a bad answer). */
#define EO_PLATARAN_MAX_BODY (4u * 1024u * 1024u)

/* Reads the variables above; a bad value fails with EO_ERR_INVALID and a
 * message naming the variable. */
eo_status eo_plataran_config_from_env(eo_plataran_config *cfg, char *msg, size_t msglen);

typedef struct {
    long status;    /* 200, 304 or 404 */
    char etag[201]; /* the answer's ETag ("" when none or too long) */
    char *body;     /* 200: the body, NUL-terminated (caller frees with eo_plataran_response_free) */
    size_t len;
    int attempts; /* how many requests were made */
} eo_plataran_response;

/* GET base_url + path, with If-None-Match: etag when etag is not empty.
 * Transport errors, timeouts, 5xx and 429 are retried (cfg->retries times,
 * sleeping backoff_ms, 2 x backoff_ms, ...); when all attempts fail:
 * EO_ERR_UNAVAILABLE "plataran_unavailable". 200, 304 and 404 are answers;
 * any other status or an oversized body: EO_ERR_UNAVAILABLE "plataran_bad_response". */
eo_status eo_plataran_get(const eo_plataran_config *cfg, const char *path, const char *etag, eo_plataran_response *out,
                          eo_err *err);
void eo_plataran_response_free(eo_plataran_response *r);

/* {"programmes": [{"id", "title", "description"?, "method", "category", "jp",
 * "competencies"?: [codes], "organiser_unit_code"?}]} -> a new array of
 * objects with exactly those members (checked: types, lengths, enums, jp
 * 1..1000, ids unique). Anything else is garbage: EO_ERR_UNAVAILABLE
 * "plataran_bad_response" and nothing is returned (the whole document is refused). */
eo_status eo_plataran_parse_catalogue(const char *body, size_t len, json_t **programmes, eo_err *err);

/* {"programme_id": id, "sessions": [{"id", "title"?, "starts_at", "ends_at",
 * "location"?, "mode": online|offline|hybrid}]} -> a new array of sessions
 * (starts_at/ends_at RFC 3339, ends after it starts). programme_id must be
 * expected_id. Garbage: as above. */
eo_status eo_plataran_parse_schedule(const char *body, size_t len, const char *expected_id, json_t **sessions,
                                     eo_err *err);

#endif
