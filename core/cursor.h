/* Opaque, tamper-evident paging cursors.
 *
 * A list is paged by keyset: the cursor carries the sort key of the last item
 * served (a JSON array, e.g. ["2026-11-30T07:12:03Z", 4711]). It is sealed with
 * an HMAC under the server's secret key and bound to a scope string naming the
 * list and its filters ("audit|action=login.success|nip="), so a client can
 * neither forge a position nor replay a cursor against another list or other
 * filters. Format: base64url(JSON) "." base64url(first 16 bytes of the MAC).
 */
#ifndef EO_CORE_CURSOR_H
#define EO_CORE_CURSOR_H

#include <jansson.h>

#include "core/status.h"

#define EO_CURSOR_MAX_LEN 512

/* Returns a malloc'd cursor for position (not stolen), or NULL when out of
 * memory or the encoded position would exceed EO_CURSOR_MAX_LEN. */
char *eo_cursor_encode(const unsigned char key[32], const char *scope, json_t *position);

/* Verifies and opens a cursor made by eo_cursor_encode for the same scope.
 * *position is a new reference to the JSON array. Anything else (too long, bad
 * base64, wrong MAC, other scope, not an array) fails with EO_ERR_INVALID and a
 * field error "cursor" / "invalid_cursor". */
eo_status eo_cursor_decode(const unsigned char key[32], const char *scope, const char *cursor, json_t **position,
                           eo_err *err);

#endif
