/* The HTTP layer's contract: routes, the per-request context, replies.
 *
 * Every request goes through one pipeline (api/router.c), which ulfius calls as
 * its default endpoint: request id -> CORS -> route match (404/405) -> body size
 * (413) -> authentication (routes with EO_R_AUTH) -> handler -> JSON log line +
 * metrics. A handler only parses, authorises, calls core/db and replies once
 * with one of the eo_reply_* functions below.
 */
#ifndef EO_API_HTTP_H
#define EO_API_HTTP_H

#include <stdbool.h>
#include <ulfius.h>

#include "core/apikey.h"
#include "core/config.h"
#include "core/principal.h"
#include "core/status.h"
#include "db/pool.h"
#include "svc/uow.h"

/* ---- routes ---- */
typedef struct eo_ctx eo_ctx;
typedef void (*eo_handler)(eo_ctx *c);

enum {
    EO_R_AUTH = 1u << 0,         /* needs a valid access token; c->who is set */
    EO_R_UPLOAD = 1u << 1,       /* multipart upload: body limit is cfg.max_upload_bytes */
    EO_R_NO_STORE = 1u << 2,     /* Cache-Control: no-store (tokens, personal data) */
    EO_R_PUBLIC_CORS = 1u << 3,  /* reserved */
    EO_R_APIKEY = 1u << 4,       /* integration route: needs a partner API key (X-API-Key); c->client is set */
    EO_R_KEEPS_PROFILE = 1u << 5 /* a write that changes nothing GET /me shows: the caller's cached profile stays */
};

typedef struct eo_route {
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/api/v1/me/sessions/{id}": {x} matches one non-empty segment */
    eo_handler handler;
    unsigned flags;
} eo_route;

/* A feature module: its routes (a table ending with {NULL}) and optional
 * start/stop hooks for state it keeps in eo_app (keys, storage, background
 * jobs). Each api/<module>.c defines `const eo_module eo_module_<name>`;
 * api/modules.c lists them in one table. Started in order, stopped in reverse. */
typedef struct eo_module {
    const char *name;
    const eo_route *routes;
    eo_status (*start)(eo_app *app, eo_err *err); /* may be NULL */
    void (*stop)(eo_app *app);                    /* may be NULL */
} eo_module;

/* Every module, in start order; ends with NULL (api/modules.c). */
const eo_module *const *eo_modules(void);

/* ---- per-request context ---- */
#define EO_MAX_PATH_PARAMS 4

struct eo_ctx {
    const struct _u_request *req;
    struct _u_response *res;
    eo_app *app;
    const eo_route *route;
    char request_id[65];
    double arrived_at;    /* Unix time the request line arrived (api/arrival.h) */
    double dispatched_at; /* Unix time the whole request was received */
    bool lang_en;         /* Accept-Language prefers English */
    char client_ip[64];
    const char *params[EO_MAX_PATH_PARAMS]; /* path params in pattern order */
    char param_buf[512];
    eo_principal *who; /* NULL unless authenticated */
    eo_principal principal;
    eo_uow uow; /* the use cases' unit of work: app, db, who, now, audit context */
    bool replied;
    eo_api_client client; /* EO_R_APIKEY routes: the partner key that called (api/integration.c) */
};

/* Borrows this request's database connection (once; released after the reply).
 * On failure replies 503 and returns false. */
bool eo_ctx_db_or_reply(eo_ctx *c, eo_db **out);
/* Gives the connection back before slow work that needs no database (a photo
 * upload), so other requests can use it; eo_ctx_db borrows again. No open
 * transaction may be pending. */
void eo_ctx_db_release(eo_ctx *c);

/* The i-th {param} as a positive id (eo_parse_id); otherwise replies 404 with
 * not_found_code (an id that cannot exist is simply not found) and returns false. */
bool eo_param_id_or_reply(eo_ctx *c, int i, const char *not_found_code, long long *out);

/* Request accessors. */
const char *eo_header(const eo_ctx *c, const char *name); /* case-insensitive; NULL if absent */
const char *eo_query(const eo_ctx *c, const char *name);  /* ?name=value; NULL if absent */
const char *eo_param(const eo_ctx *c, int i);             /* i-th {param} of the pattern */
const char *eo_user_agent(const eo_ctx *c);               /* "" if absent */

/* The request body as a JSON object. Replies 415 (not application/json),
 * 400 (malformed / not an object) and returns NULL; the caller decrefs. */
json_t *eo_body_object(eo_ctx *c);

/* Replies (exactly one per request). eo_reply_json steals the reference. */
void eo_reply_json(eo_ctx *c, int status, json_t *body);
/* eo_reply_json with the caller's json_dumps flags (e.g. JSON_COMPACT | JSON_REAL_PRECISION(10)). */
void eo_reply_json_as(eo_ctx *c, int status, json_t *body, size_t dump_flags);
void eo_reply_bytes(eo_ctx *c, int status, const char *content_type, const void *data, size_t len);
void eo_reply_empty(eo_ctx *c, int status);
/* Renders err as RFC 9457 problem+json (localised by its code) and clears it. */
void eo_reply_err(eo_ctx *c, eo_err *err);
/* Shortcut for an error without fields: eo_reply_problem(c, EO_ERR_NOT_FOUND, "not_found"). */
void eo_reply_problem(eo_ctx *c, eo_status status, const char *code);
void eo_set_header(eo_ctx *c, const char *name, const char *value);
/* err set: drops out and replies err; else replies status with out (stolen). */
void eo_reply_json_or_err(eo_ctx *c, eo_err *err, int status, json_t *out);
/* The optional body of a workflow step (submit, approve, ...): none, or an
 * object that may carry "note" (<= EO_REVIEW_NOTE_MAX) when with_note, else
 * no member at all. Field errors go to err; *note (NULL when absent) points
 * into *b, which the caller decrefs. False after replying to a bad body. */
bool eo_step_note_or_reply(eo_ctx *c, bool with_note, json_t **b, const char **note, eo_err *err);
/* Replies 200 with a stored file's bytes under its sniffed content type and
 * X-Content-Type-Options: nosniff; `download` adds Content-Disposition: attachment. */
void eo_reply_file(eo_ctx *c, const char *content_type, const void *data, size_t len, bool download);

/* ---- paging (docs/internals.md, "Lists") ----
 * Every list is keyset-paged: ?limit= (1..max, default def) and ?cursor=, an
 * opaque position sealed by core/cursor.c for one scope. The scope names the
 * list and every filter that shapes it ("audit|action=x|nip=y"), so a cursor
 * cannot be replayed against another list or other filters. The handler asks
 * the database for limit + 1 rows after p.after; when it gets more than limit,
 * it drops the extra one and passes the sort key of the last item served as
 * `next` to eo_reply_page, which seals it into next_cursor (null otherwise). */
/* The one paging rule of every list (openapi.yaml components/parameters/Limit). */
#define EO_PAGE_DEFAULT 50
#define EO_PAGE_MAX     100
typedef struct {
    int limit;
    json_t *after; /* NULL on the first page, else the decoded position (a JSON array) */
    char scope[256];
} eo_page;
/* Reads ?limit= and ?cursor= for scope; replies 422 (field "limit" out_of_range
 * or "cursor" invalid_cursor) and returns false when bad. */
bool eo_page_or_reply(eo_ctx *c, const char *scope, int def, int max, eo_page *p);
/* Replies 200 {"items": items, "next_cursor": sealed(next) or null} and frees p.
 * Steals items and next (next may be NULL). */
void eo_reply_page(eo_ctx *c, eo_page *p, json_t *items, json_t *next);
/* eo_reply_page rendering the body with eo_reply_json_as(..., dump_flags). */
void eo_reply_page_as(eo_ctx *c, eo_page *p, json_t *items, json_t *next, size_t dump_flags);
/* Frees p (for handlers that reply an error after eo_page_or_reply). */
void eo_page_free(eo_page *p);
/* Paging: ?limit= (1..max, default def) -> false after replying 422 when bad. */
bool eo_paging_limit(eo_ctx *c, int def, int max, int *out);

/* ---- JSON input validation (collect every field error into err) ----
 * Each returns the value, or the fallback after adding a field error
 * (missing_field / invalid_type / too_long / out_of_range) when required or malformed. */
const char *eo_json_get_str(json_t *obj, const char *key, bool required, size_t max_len, eo_err *err);
long long eo_json_get_int(json_t *obj, const char *key, bool required, long long min, long long max, long long fallback,
                          eo_err *err);
double eo_json_get_num(json_t *obj, const char *key, bool required, double min, double max, double fallback,
                       eo_err *err);
int eo_json_get_bool(json_t *obj, const char *key, bool required, int fallback, eo_err *err);
/* Adds "unknown_field" for every key not in allowed (NULL-terminated): stops mass assignment. */
void eo_json_only(json_t *obj, const char *const *allowed, eo_err *err);

/* ---- audit ---- */
/* Writes one audit_log row (actor = c->who, ip, user agent, request id) on db.
 * details may be NULL; it is not stolen. */
eo_status eo_audit(eo_ctx *c, eo_db *db, const char *action, const char *target_type, const char *target_id,
                   json_t *details, eo_err *err);

/* ---- hooks implemented by the identity module (api/auth.c) ---- */
/* Verifies the bearer token of c (signature with the pinned algorithm, exp/nbf/iss/aud/typ,
 * session not revoked, account active) and fills c->principal. */
eo_status eo_auth_authenticate(eo_ctx *c, eo_err *err);

/* ---- hook implemented by the integration module (api/integration.c) ---- */
/* Checks the X-API-Key of an EO_R_APIKEY route (401 api_key_required /
 * api_key_invalid / api_key_revoked) and fills c->client. */
eo_status eo_apikey_authenticate(eo_ctx *c, eo_err *err);

#endif
