/* When each request started to arrive.
 *
 * A selfie on a weak signal can take many seconds to upload; the moment that
 * counts for attendance is when the employee pressed the button, i.e. when the
 * request line reached us, not when the last byte did. libmicrohttpd calls the
 * URI-log callback at that moment (before headers and body) with the
 * connection, so we note the time under the client's address and port (unique
 * per TCP connection, and a connection carries one request at a time) and the
 * router takes it when the request is dispatched.
 */
#ifndef EO_API_ARRIVAL_H
#define EO_API_ARRIVAL_H

#include <microhttpd.h>
#include <stdbool.h>
#include <sys/socket.h>

/* Part of the URI-log callback (eo_framing_uri_logger, api/framing.h): records the
 * arrival, then defers to ulfius's logger with uri in origin form. */
void *eo_arrival_uri_logger(void *cls, const char *uri, struct MHD_Connection *con);

/* Records `at` as the arrival of the request from addr (IPv4 only: anything
 * else is ignored). The part of the logger that needs no live connection, so a
 * harness (tests/fuzz/fuzz_arrival.c) can drive the table. */
void eo_arrival_note(const struct sockaddr *addr, double at);

/* The arrival time (Unix seconds, microsecond precision) of the request from
 * addr, removed from the table; false when none is known (e.g. IPv6). */
bool eo_arrival_take(const struct sockaddr *addr, double *out);

#endif
