#include "api/framing.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>
#include <ulfius.h>

#include "api/arrival.h"
#include "api/http.h"
#include "core/multipart.h"

/* ulfius's access handler, kept when ulfius starts the daemon (below). */
static MHD_AccessHandlerCallback ulfius_handler;

/* Our per-request state, wrapped around ulfius's (which its URI logger makes). */
typedef struct {
    void *ulfius;
    bool checked; /* the framing check has run for this request */
} request_state;

/* --------------------------------------------------------------- the rules */

/* value, without surrounding spaces and tabs, equals token (case-insensitive). */
static bool token_is(const char *value, const char *token)
{
    while (*value == ' ' || *value == '\t') value++;
    size_t n = strlen(value);
    while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t')) n--;
    return n == strlen(token) && strncasecmp(value, token, n) == 0;
}

/* 1 to 19 digits: no sign, no list, and never beyond what a uint64 holds. */
static bool content_length_valid(const char *value)
{
    size_t n = strlen(value);
    if (n == 0 || n > 19) return false;
    for (size_t i = 0; i < n; i++)
        if (value[i] < '0' || value[i] > '9') return false;
    return true;
}

void eo_framing_scan_header(eo_framing_scan *s, const char *name, const char *value)
{
    if (!name) return;
    if (!value) value = "";
    /* libmicrohttpd keeps "Content-Length : 5" as a header named "Content-Length ",
     * which then frames nothing, while a lenient proxy reads it as the length. */
    if (!name[0] || strpbrk(name, " \t")) s->name_bad = true;
    if (strcasecmp(name, "Host") == 0) {
        s->host++;
    } else if (strcasecmp(name, "Content-Length") == 0) {
        s->content_length++;
        if (!content_length_valid(value)) s->content_length_bad = true;
    } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
        s->transfer_encoding++;
        if (!token_is(value, "chunked")) s->transfer_encoding_bad = true;
    } else if (strcasecmp(name, "Content-Type") == 0) {
        s->content_type++;
        /* ulfius asks libmicrohttpd for a post processor on any type starting so;
         * without a boundary it gets none and drops the connection unanswered. */
        char boundary[EO_MULTIPART_MAX_BOUNDARY + 1];
        if (strncasecmp(value, "multipart/form-data", 19) == 0 && !eo_multipart_boundary(value, boundary))
            s->multipart_bad = true;
    }
}

const char *eo_framing_verdict(const eo_framing_scan *s, const char *version)
{
    bool http10 = version && strcmp(version, "HTTP/1.0") == 0;
    /* RFC 9112 §5.1: whitespace between a field name and the colon is a 400. */
    if (s->name_bad) return "header_name_invalid";
    /* RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host; none has two. */
    if (s->host > 1 || (!http10 && s->host == 0)) return "host_header_invalid";
    if (s->transfer_encoding > 0) {
        /* §6.1 lets a server refuse both framings at once; guessing is how smuggling starts. */
        if (s->content_length > 0) return "framing_ambiguous";
        /* HTTP/1.0 has no transfer codings, and a lone "chunked" is all libmicrohttpd
         * decodes: anything else it would read until the connection closes. */
        if (http10 || s->transfer_encoding > 1 || s->transfer_encoding_bad) return "transfer_encoding_unsupported";
    }
    /* §6.3: a repeated or unparsable length is an unrecoverable framing error. */
    if (s->content_length > 1 || s->content_length_bad) return "content_length_invalid";
    /* ulfius joins two Content-Type lines with a comma; libmicrohttpd reads the first. */
    if (s->content_type > 1) return "content_type_repeated";
    if (s->multipart_bad) return "multipart_boundary_invalid";
    return NULL;
}

/* ------------------------------------------------------ the request hooks */

static enum MHD_Result scan_line(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    eo_framing_scan_header(cls, key, value);
    return MHD_YES;
}

/* Answers a badly framed request with a problem response and Connection: close.
 * Queued on the first call, before any body is read: libmicrohttpd then skips
 * the body and closes after the answer, so no byte after the headers is ever
 * taken as a request. */
static enum MHD_Result refuse(struct MHD_Connection *con, const char *url, const char *code)
{
    struct _u_request req;
    struct _u_response res;
    memset(&req, 0, sizeof(req));
    char path[256];
    snprintf(path, sizeof(path), "%s", url ? url : "/");
    req.url_path = path;
    if (ulfius_init_response(&res) != U_OK) return MHD_NO;

    eo_ctx c;
    memset(&c, 0, sizeof(c));
    c.req = &req;
    c.res = &res;
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(c.request_id, sizeof(c.request_id), raw, sizeof(raw));

    /* Logged: a client (or a proxy in front of us) that frames requests wrongly
     * is worth knowing about. */
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[64] = "unknown";
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof(ip));
    eo_err err;
    eo_err_init(&err);
    eo_fail_log(&err, EO_ERR_BAD_REQUEST, code, "request framing refused, connection closed; peer %s", ip);
    eo_reply_err(&c, &err);

    enum MHD_Result ret = MHD_NO;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(res.binary_body_length, res.binary_body, MHD_RESPMEM_MUST_COPY);
    if (!r) goto done;
    const char **keys = u_map_enum_keys(res.map_header);
    for (int i = 0; keys && keys[i]; i++) MHD_add_response_header(r, keys[i], u_map_get(res.map_header, keys[i]));
    MHD_add_response_header(r, "X-Request-Id", c.request_id);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    ret = MHD_queue_response(con, (unsigned int)res.status, r);
    MHD_destroy_response(r);
done:
    ulfius_clean_response(&res);
    return ret;
}

static enum MHD_Result framing_access(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                                      const char *version, const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    request_state *st = *con_cls;
    if (!st) return MHD_NO; /* out of memory in the URI logger: drop the connection */
    if (!st->checked) {
        st->checked = true;
        eo_framing_scan scan;
        memset(&scan, 0, sizeof(scan));
        MHD_get_connection_values(con, MHD_HEADER_KIND, scan_line, &scan);
        const char *code = eo_framing_verdict(&scan, version);
        if (code) return refuse(con, url, code);
    }
    return ulfius_handler(cls, con, url, method, version, upload_data, upload_data_size, &st->ulfius);
}

/* RFC 9112 §3.2.2: a server accepts the absolute form ("http://host/path?q")
 * and routes on its path. Returns the origin form; *owned is set when it had
 * to be built ("http://host?q" becomes "/?q"). */
static const char *origin_form(const char *uri, char **owned)
{
    *owned = NULL;
    size_t scheme;
    if (strncasecmp(uri, "http://", 7) == 0)
        scheme = 7;
    else if (strncasecmp(uri, "https://", 8) == 0)
        scheme = 8;
    else
        return uri;
    const char *rest = uri + scheme + strcspn(uri + scheme, "/?");
    if (*rest == '/') return rest;
    size_t n = strlen(rest);
    *owned = malloc(n + 2);
    if (!*owned) return uri;
    (*owned)[0] = '/';
    memcpy(*owned + 1, rest, n + 1);
    return *owned;
}

void *eo_framing_uri_logger(void *cls, const char *uri, struct MHD_Connection *con)
{
    request_state *st = calloc(1, sizeof(*st));
    if (!st) return NULL;
    char *owned;
    st->ulfius = eo_arrival_uri_logger(cls, origin_form(uri, &owned), con);
    free(owned);
    return st;
}

void eo_framing_request_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                                  enum MHD_RequestTerminationCode toe)
{
    request_state *st = *con_cls;
    if (!st) return;
    mhd_request_completed(cls, con, &st->ulfius, toe);
    free(st);
    *con_cls = NULL;
}

/* ---------------------------------------------- reaching ulfius's handler */

/* ulfius starts its daemon with a static access handler and has no hook between
 * "headers parsed" and "body read". This definition stands in for
 * libmicrohttpd's when ulfius calls it: the dynamic linker looks in the
 * executable first, and the linker exports this symbol because libulfius uses
 * it. It keeps ulfius's handler and puts the framing check in front of it.
 * eo_framing_available proves, before the daemon starts, that it is in effect. */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,
                                    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    /* One daemon per process; a second handler would share the one slot. */
    if (ulfius_handler && ulfius_handler != dh) {
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"a second HTTP daemon with another handler\"}\n");
        return NULL;
    }
    ulfius_handler = dh;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = MHD_start_daemon_va(flags, port, apc, apc_cls, framing_access, dh_cls, ap);
    va_end(ap);
    return d;
}

bool eo_framing_available(void)
{
    /* What libulfius will call is what the dynamic linker finds first. */
    void *resolved = dlsym(RTLD_DEFAULT, "MHD_start_daemon");
    return resolved && (uintptr_t)resolved == (uintptr_t)&MHD_start_daemon;
}
