/* HTTP/1.1 message framing checks that libmicrohttpd 0.9.75 does not make.
 *
 * Request smuggling needs two parsers that disagree about where a request
 * ends. libmicrohttpd reads the first of two Content-Length headers, prefers
 * Transfer-Encoding over Content-Length without closing afterwards, waits for
 * ever on a Transfer-Encoding other than plain "chunked", takes
 * "Content-Length : 5" for an unknown header (so the body becomes the next
 * request), and answers HTTP/1.1 without Host. RFC 9112 (sections 3.2, 6.1 and 6.3) says such a request gets
 * a 400 and the connection is closed, so nothing after it is read as a request.
 *
 * The check has to run after the headers are parsed and before the body is
 * read, i.e. on the first call of the access handler. ulfius owns that handler
 * and gives no hook there, so eo_framing wraps it (see framing.c for how the
 * handler is reached) and answers a bad request itself, with Connection: close.
 * The same wrapper turns an absolute-form target ("GET http://host/path") into
 * the path ulfius routes on.
 *
 * What libmicrohttpd 0.9.75 still gets wrong, and the proxy settings that
 * cover it: docs/operations.md, "HTTP framing".
 */
#ifndef EO_API_FRAMING_H
#define EO_API_FRAMING_H

#include <microhttpd.h>
#include <stdbool.h>

/* MHD_OPTION_URI_LOG_CALLBACK: rewrites an absolute-form target to its path,
 * records the arrival (api/arrival.h) and wraps ulfius's per-request state. */
void *eo_framing_uri_logger(void *cls, const char *uri, struct MHD_Connection *con);

/* MHD_OPTION_NOTIFY_COMPLETED: releases what eo_framing_uri_logger made, via ulfius's. */
void eo_framing_request_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                                  enum MHD_RequestTerminationCode toe);

/* True when the daemon started by ulfius will call the framing check first.
 * Call before starting the daemon; never start it when this is false, since
 * the two callbacks above would then hand ulfius state it does not know. */
bool eo_framing_available(void);

/* What the framing check counts while it walks the header lines. */
typedef struct {
    int host;                   /* Host lines */
    int content_length;         /* Content-Length lines */
    int transfer_encoding;      /* Transfer-Encoding lines */
    bool content_length_bad;    /* a value that is not 1 to 19 digits */
    bool transfer_encoding_bad; /* a value other than exactly "chunked" */
    bool name_bad;              /* an empty name, or one with a space or tab ("Content-Length :") */
    int content_type;           /* Content-Type lines */
    bool multipart_bad;         /* multipart/form-data without a usable boundary (core/multipart.h) */
} eo_framing_scan;

/* Adds one header line (duplicates are separate calls, in arrival order). */
void eo_framing_scan_header(eo_framing_scan *s, const char *name, const char *value);

/* The machine code of the framing error (each answered with 400 and a closed
 * connection), or NULL when the framing is sound. version is the request's
 * ("HTTP/1.1"). Pure, so unit tests call it without a server. */
const char *eo_framing_verdict(const eo_framing_scan *s, const char *version);

#endif
