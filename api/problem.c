/* The one place that turns an eo_err into an RFC 9457 problem response. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "api/messages.h"

static const char *generic_code(int http)
{
    switch (http) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 415: return "unsupported_media_type";
    case 422: return "validation_failed";
    case 429: return "too_many_requests";
    case 503: return "db_unavailable";
    default: return "internal";
    }
}

void eo_reply_err(eo_ctx *c, eo_err *err)
{
    int http = eo_status_http(err->status == EO_OK ? EO_ERR_INTERNAL : err->status);
    const char *code = err->code ? err->code : generic_code(http);
    /* A 500 never tells the client more than "internal". */
    if (http == 500) code = "internal";
    if (http >= 500 || err->log_detail[0]) {
        json_t *line = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "level", http >= 500 ? "error" : "info", "msg",
                                 "problem", "code", err->code ? err->code : code, "status", http, "request_id",
                                 c->request_id, "detail", err->log_detail);
        char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
        if (text) fprintf(stderr, "%s\n", text);
        free(text);
        json_decref(line);
    }
    const char *title = eo_message_title(code, c->lang_en);
    if (!title) title = eo_message_title(generic_code(http), c->lang_en);
    char type[128];
    snprintf(type, sizeof(type), "urn:eoffice:problem:%s", code);
    json_t *p =
        json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", type, "title", title ? title : "Error", "status", http,
                  "code", code, "instance", c->req->url_path ? c->req->url_path : "/", "request_id", c->request_id);
    if (err->n_fields > 0) {
        json_t *errors = json_array();
        for (int i = 0; i < err->n_fields; i++) {
            const char *msg = eo_message_title(err->fields[i].code, c->lang_en);
            json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field", err->fields[i].field, "code",
                                                    err->fields[i].code, "message", msg ? msg : err->fields[i].code));
        }
        json_object_set_new(p, "errors", errors);
        char detail[160];
        if (c->lang_en)
            snprintf(detail, sizeof(detail), "%d field(s) are invalid: see errors.", err->n_fields);
        else
            snprintf(detail, sizeof(detail), "%d isian tidak valid: lihat errors.", err->n_fields);
        json_object_set_new(p, "detail", json_string(detail));
    } else {
        json_object_set_new(p, "detail", json_string(title ? title : ""));
    }
    if (err->extra && http != 500) json_object_update(p, err->extra);
    if (err->retry_after_s > 0 && (http == 429 || http == 503)) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%d", err->retry_after_s);
        eo_set_header(c, "Retry-After", ra);
    }
    if (http == 401 && !u_map_has_key_case(c->res->map_header, "WWW-Authenticate"))
        eo_set_header(c, "WWW-Authenticate", "Bearer");
    eo_set_header(c, "Content-Language", c->lang_en ? "en" : "id");
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    eo_reply_bytes(c, http, "application/problem+json", text, text ? strlen(text) : 0);
    free(text);
    eo_err_clear(err);
}

void eo_reply_problem(eo_ctx *c, eo_status status, const char *code)
{
    eo_err err;
    eo_err_init(&err);
    eo_fail(&err, status, code);
    eo_reply_err(c, &err);
}
