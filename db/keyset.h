/* Keyset positions for the lists whose SQL lives in db/ (db/me.c, db/admin.c).
 *
 * Each such list is ordered by (a timestamp DESC, id DESC), a key that never
 * changes once the row exists, so a walk through the pages serves every row
 * exactly once. The position of a page is that pair for the last item served,
 * as the JSON array ["2026-11-30T07:12:03.123456Z", "4711"]: api/ seals it
 * into an opaque cursor (core/cursor.h) and hands it back opened. The
 * timestamp keeps microseconds so that the row comparison in SQL is exact.
 */
#ifndef EO_DB_KEYSET_H
#define EO_DB_KEYSET_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

/* A timestamp column as the position text (UTC, microseconds). */
#define EO_DB_KEYSET_TS(col) "to_char(" col " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

typedef struct {
    bool set;    /* false: the first page */
    char at[40]; /* timestamptz text for $n::timestamptz */
    char id[24]; /* bigint text for $n::bigint */
} eo_db_keyset;

/* The sort key may also be a calendar date ("2026-11-30"); every keyset list in
 * db/ (me, admin, corrections, extra locations) uses this one position format. */
/* Reads a position made by eo_db_keyset_of (after NULL: the first page).
 * Any other shape fails with EO_ERR_INVALID, field "cursor" invalid_cursor. */
eo_status eo_db_keyset_from(const json_t *after, eo_db_keyset *out, eo_err *err);

/* The position of row `row` of r: at_col holds EO_DB_KEYSET_TS text, id_col the id.
 * A new reference; NULL when out of memory. */
json_t *eo_db_keyset_of(PGresult *r, int row, int at_col, int id_col);

#endif
