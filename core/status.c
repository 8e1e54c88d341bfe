#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void eo_err_init(eo_err *e) { memset(e, 0, sizeof(*e)); }

void eo_err_clear(eo_err *e)
{
    if (e->extra) json_decref(e->extra);
    memset(e, 0, sizeof(*e));
}

eo_status eo_fail(eo_err *e, eo_status status, const char *code)
{
    if (e) {
        e->status = status;
        e->code = code;
    }
    return status;
}

eo_status eo_fail_log(eo_err *e, eo_status status, const char *code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->log_detail, sizeof(e->log_detail), fmt, ap);
        va_end(ap);
    }
    return eo_fail(e, status, code);
}

void eo_err_field(eo_err *e, const char *field, const char *code)
{
    e->status = EO_ERR_INVALID;
    e->code = "validation_failed";
    if (e->n_fields >= EO_MAX_FIELD_ERRORS) return;
    eo_field_error *f = &e->fields[e->n_fields++];
    snprintf(f->field, sizeof(f->field), "%s", field);
    f->code = code;
}

void eo_err_extra(eo_err *e, const char *key, json_t *value)
{
    if (!e->extra) e->extra = json_object();
    json_object_set_new(e->extra, key, value);
}

int eo_status_http(eo_status s)
{
    switch (s) {
    case EO_OK: return 200;
    case EO_ERR_BAD_REQUEST: return 400;
    case EO_ERR_UNAUTHORIZED: return 401;
    case EO_ERR_FORBIDDEN: return 403;
    case EO_ERR_NOT_FOUND: return 404;
    case EO_ERR_METHOD_NOT_ALLOWED: return 405;
    case EO_ERR_CONFLICT: return 409;
    case EO_ERR_GONE: return 410;
    case EO_ERR_TOO_LARGE: return 413;
    case EO_ERR_MEDIA_TYPE: return 415;
    case EO_ERR_INVALID: return 422;
    case EO_ERR_UPGRADE: return 426;
    case EO_ERR_THROTTLED: return 429;
    case EO_ERR_UNAVAILABLE: return 503;
    case EO_ERR_INTERNAL: return 500;
    }
    return 500;
}
