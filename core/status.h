/* One error type for the whole server.
 *
 * A core/ or db/ function returns an eo_status and, when it is not EO_OK,
 * fills an eo_err with a stable machine code (e.g. "nip_invalid"). api/ turns
 * that into exactly one RFC 9457 problem response (api/problem.c); nothing
 * else formats error JSON. Human text lives in api/messages.c, keyed by code.
 */
#ifndef EO_STATUS_H
#define EO_STATUS_H

#include <jansson.h>

typedef enum {
    EO_OK = 0,
    EO_ERR_BAD_REQUEST,        /* 400: malformed input (bad JSON, bad multipart) */
    EO_ERR_UNAUTHORIZED,       /* 401: no or bad credentials */
    EO_ERR_FORBIDDEN,          /* 403: authenticated but not allowed */
    EO_ERR_NOT_FOUND,          /* 404 */
    EO_ERR_METHOD_NOT_ALLOWED, /* 405 */
    EO_ERR_CONFLICT,           /* 409 */
    EO_ERR_GONE,               /* 410: expired enrolment, etc. */
    EO_ERR_TOO_LARGE,          /* 413 */
    EO_ERR_MEDIA_TYPE,         /* 415 */
    EO_ERR_INVALID,            /* 422: validation failed; see fields[] */
    EO_ERR_UPGRADE,            /* 426: client too old */
    EO_ERR_THROTTLED,          /* 429: see retry_after_s */
    EO_ERR_UNAVAILABLE,        /* 503: a dependency (database, storage) is down */
    EO_ERR_INTERNAL            /* 500: a bug; logged, never detailed to the client */
} eo_status;

#define EO_MAX_FIELD_ERRORS 16

typedef struct {
    char field[64];
    const char *code; /* static string */
} eo_field_error;

typedef struct {
    eo_status status;
    const char *code; /* static string: stable machine code */
    int n_fields;
    eo_field_error fields[EO_MAX_FIELD_ERRORS];
    int retry_after_s;    /* for EO_ERR_THROTTLED / EO_ERR_UNAVAILABLE */
    json_t *extra;        /* owned: extra problem members, e.g. {"distance_m": 812} */
    char log_detail[256]; /* for the server log only, never sent to the client */
} eo_err;

void eo_err_init(eo_err *e);
/* Releases e->extra and resets e. Safe to call twice. */
void eo_err_clear(eo_err *e);
/* Sets status and code; returns the status so callers can `return eo_fail(...)`. */
eo_status eo_fail(eo_err *e, eo_status status, const char *code);
/* Like eo_fail, plus a printf-style note for the server log only. */
eo_status eo_fail_log(eo_err *e, eo_status status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a field error and sets status EO_ERR_INVALID / code "validation_failed". */
void eo_err_field(eo_err *e, const char *field, const char *code);
/* Adds an extra problem member (takes ownership of value). */
void eo_err_extra(eo_err *e, const char *key, json_t *value);
/* HTTP status number for an eo_status. */
int eo_status_http(eo_status s);

#endif
