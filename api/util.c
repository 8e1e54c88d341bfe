/* Request accessors, replies, JSON input validation and the audit helper. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/http.h"
#include "core/cursor.h"
#include "core/parse.h"
#include "core/review.h"
#include "db/audit.h"

bool eo_ctx_db_or_reply(eo_ctx *c, eo_db **out)
{
    eo_err err;
    eo_err_init(&err);
    if (eo_uow_db(&c->uow, out, &err) == EO_OK) return true;
    eo_reply_err(c, &err);
    return false;
}

void eo_ctx_db_release(eo_ctx *c) { eo_uow_db_release(&c->uow); }

bool eo_param_id_or_reply(eo_ctx *c, int i, const char *not_found_code, long long *out)
{
    if (eo_parse_id(eo_param(c, i), out)) return true;
    eo_reply_problem(c, EO_ERR_NOT_FOUND, not_found_code);
    return false;
}

const char *eo_header(const eo_ctx *c, const char *name) { return u_map_get_case(c->req->map_header, name); }

const char *eo_query(const eo_ctx *c, const char *name) { return u_map_get(c->req->map_url, name); }

const char *eo_param(const eo_ctx *c, int i) { return (i >= 0 && i < EO_MAX_PATH_PARAMS) ? c->params[i] : NULL; }

const char *eo_user_agent(const eo_ctx *c)
{
    const char *ua = eo_header(c, "User-Agent");
    return ua ? ua : "";
}

void eo_set_header(eo_ctx *c, const char *name, const char *value) { u_map_put(c->res->map_header, name, value); }

void eo_reply_bytes(eo_ctx *c, int status, const char *content_type, const void *data, size_t len)
{
    if (c->replied) {
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"second reply ignored\",\"request_id\":\"%s\"}\n",
                c->request_id);
        return;
    }
    c->replied = true;
    c->res->status = status;
    if (content_type) eo_set_header(c, "Content-Type", content_type);
    if (len) ulfius_set_binary_body_response(c->res, (unsigned int)status, data, len);
}

void eo_reply_json(eo_ctx *c, int status, json_t *body) { eo_reply_json_as(c, status, body, JSON_COMPACT); }

void eo_reply_json_as(eo_ctx *c, int status, json_t *body, size_t dump_flags)
{
    char *text = body ? json_dumps(body, dump_flags) : NULL;
    json_decref(body);
    if (!text) {
        eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
        return;
    }
    eo_reply_bytes(c, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

void eo_reply_empty(eo_ctx *c, int status) { eo_reply_bytes(c, status, NULL, NULL, 0); }

void eo_reply_json_or_err(eo_ctx *c, eo_err *err, int status, json_t *out)
{
    if (err->status != EO_OK) {
        json_decref(out);
        eo_reply_err(c, err);
        return;
    }
    eo_reply_json(c, status, out);
}

bool eo_step_note_or_reply(eo_ctx *c, bool with_note, json_t **b, const char **note, eo_err *err)
{
    *b = NULL;
    *note = NULL;
    if (c->req->binary_body_length == 0) return true;
    *b = eo_body_object(c);
    if (!*b) return false;
    static const char *const noted[] = {"note", NULL}, *const none[] = {NULL};
    eo_json_only(*b, with_note ? noted : none, err);
    *note = eo_json_get_str(*b, "note", false, EO_REVIEW_NOTE_MAX, err);
    return true;
}

void eo_reply_file(eo_ctx *c, const char *content_type, const void *data, size_t len, bool download)
{
    eo_set_header(c, "X-Content-Type-Options", "nosniff");
    if (download) eo_set_header(c, "Content-Disposition", "attachment");
    eo_reply_bytes(c, 200, content_type, data, len);
}

/* True for application/json and application/<x>+json, with optional parameters. */
static bool is_json_media_type(const char *ct)
{
    if (!ct) return false;
    size_t n = strcspn(ct, ";");
    while (n > 0 && ct[n - 1] == ' ') n--;
    if (n == 16 && strncasecmp(ct, "application/json", 16) == 0) return true;
    return n > 17 && strncasecmp(ct, "application/", 12) == 0 && strncasecmp(ct + n - 5, "+json", 5) == 0;
}

/* True unless a charset parameter names anything but UTF-8 (case-insensitive,
 * quoted or not): the body is parsed as UTF-8, so a UTF-16 body must not pass
 * as one. No charset means UTF-8 (RFC 8259 §8.1). */
static bool charset_is_utf8(const char *ct)
{
    const char *p = strchr(ct, ';');
    while (p) {
        p++;
        p += strspn(p, " \t");
        size_t n = strcspn(p, "=; \t");
        const char *next = strchr(p, ';');
        if (n == 7 && strncasecmp(p, "charset", 7) == 0) {
            const char *v = p + n;
            v += strspn(v, " \t");
            if (*v != '=') return false;
            v++;
            v += strspn(v, " \t");
            bool quoted = *v == '"';
            if (quoted) v++;
            if (strncasecmp(v, "utf-8", 5) != 0) return false;
            v += 5;
            if (quoted && *v++ != '"') return false;
            v += strspn(v, " \t");
            if (*v && *v != ';') return false;
        }
        p = next;
    }
    return true;
}

json_t *eo_body_object(eo_ctx *c)
{
    const char *ct = eo_header(c, "Content-Type");
    if (!is_json_media_type(ct)) {
        eo_reply_problem(c, EO_ERR_MEDIA_TYPE, "unsupported_media_type");
        return NULL;
    }
    if (!charset_is_utf8(ct)) {
        eo_reply_problem(c, EO_ERR_MEDIA_TYPE, "unsupported_charset");
        return NULL;
    }
    json_error_t jerr;
    json_t *v = json_loadb(c->req->binary_body ? c->req->binary_body : "", c->req->binary_body_length,
                           JSON_REJECT_DUPLICATES, &jerr);
    if (!v) {
        eo_err err;
        eo_err_init(&err);
        eo_fail(&err, EO_ERR_BAD_REQUEST, "malformed_json");
        eo_err_extra(&err, "position", json_integer(jerr.position));
        eo_reply_err(c, &err);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        eo_reply_problem(c, EO_ERR_BAD_REQUEST, "json_object_expected");
        return NULL;
    }
    return v;
}

bool eo_paging_limit(eo_ctx *c, int def, int max, int *out)
{
    const char *v = eo_query(c, "limit");
    *out = def;
    if (!v) return true;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n < 1 || n > max) {
        eo_err err;
        eo_err_init(&err);
        eo_err_field(&err, "limit", "out_of_range");
        eo_reply_err(c, &err);
        return false;
    }
    *out = (int)n;
    return true;
}

bool eo_page_or_reply(eo_ctx *c, const char *scope, int def, int max, eo_page *p)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->scope, sizeof(p->scope), "%s", scope);
    if (!eo_paging_limit(c, def, max, &p->limit)) return false;
    const char *cursor = eo_query(c, "cursor");
    if (!cursor || !*cursor) return true;
    eo_err err;
    eo_err_init(&err);
    if (eo_cursor_decode(c->app->cfg.secret_key, p->scope, cursor, &p->after, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return false;
    }
    return true;
}

void eo_page_free(eo_page *p)
{
    json_decref(p->after);
    p->after = NULL;
}

void eo_reply_page(eo_ctx *c, eo_page *p, json_t *items, json_t *next)
{
    eo_reply_page_as(c, p, items, next, JSON_COMPACT);
}

void eo_reply_page_as(eo_ctx *c, eo_page *p, json_t *items, json_t *next, size_t dump_flags)
{
    json_t *nc = json_null();
    if (next) {
        char *s = eo_cursor_encode(c->app->cfg.secret_key, p->scope, next);
        json_decref(next);
        if (!s) {
            json_decref(items);
            eo_page_free(p);
            eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
            return;
        }
        nc = json_string(s);
        free(s);
    }
    eo_page_free(p);
    eo_reply_json_as(c, 200, json_pack("{s:o, s:o}", "items", items ? items : json_array(), "next_cursor", nc),
                     dump_flags);
}

const char *eo_json_get_str(json_t *obj, const char *key, bool required, size_t max_len, eo_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) eo_err_field(err, key, "missing_field");
        return NULL;
    }
    if (!json_is_string(v)) {
        eo_err_field(err, key, "invalid_type");
        return NULL;
    }
    if (json_string_length(v) > max_len) {
        eo_err_field(err, key, "too_long");
        return NULL;
    }
    if (required && json_string_length(v) == 0) {
        eo_err_field(err, key, "missing_field");
        return NULL;
    }
    return json_string_value(v);
}

long long eo_json_get_int(json_t *obj, const char *key, bool required, long long min, long long max, long long fallback,
                          eo_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) eo_err_field(err, key, "missing_field");
        return fallback;
    }
    if (!json_is_integer(v)) {
        eo_err_field(err, key, "invalid_type");
        return fallback;
    }
    long long n = json_integer_value(v);
    if (n < min || n > max) {
        eo_err_field(err, key, "out_of_range");
        return fallback;
    }
    return n;
}

double eo_json_get_num(json_t *obj, const char *key, bool required, double min, double max, double fallback,
                       eo_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) eo_err_field(err, key, "missing_field");
        return fallback;
    }
    if (!json_is_number(v)) {
        eo_err_field(err, key, "invalid_type");
        return fallback;
    }
    double n = json_number_value(v);
    if (!isfinite(n) || n < min || n > max) {
        eo_err_field(err, key, "out_of_range");
        return fallback;
    }
    return n;
}

int eo_json_get_bool(json_t *obj, const char *key, bool required, int fallback, eo_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) eo_err_field(err, key, "missing_field");
        return fallback;
    }
    if (!json_is_boolean(v)) {
        eo_err_field(err, key, "invalid_type");
        return fallback;
    }
    return json_is_true(v);
}

void eo_json_only(json_t *obj, const char *const *allowed, eo_err *err)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, key) == 0;
        if (!ok) {
            char shown[64];
            /* Field names are echoed back: keep them short and printable. */
            snprintf(shown, sizeof(shown), "%.60s", key);
            for (char *p = shown; *p; p++)
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) *p = '?';
            eo_err_field(err, shown, "unknown_field");
        }
    }
}

eo_status eo_audit(eo_ctx *c, eo_db *db, const char *action, const char *target_type, const char *target_id,
                   json_t *details, eo_err *err)
{
    (void)db; /* always the request's own connection */
    return eo_uow_audit(&c->uow, action, target_type, target_id, details, err);
}
