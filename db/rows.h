/* Reading the rows of read-only views whose JSON is rendered in SQL (cheaper
 * than a round trip through structs when no rule reads the values back), and
 * the keyset page cut every such list shares. */
#ifndef EO_DB_ROWS_H
#define EO_DB_ROWS_H

#include <jansson.h>

#include "db/pool.h"

/* After a failed statement: a CHECK violation or a bad date/time (SQLSTATE
 * 23514, 22007, 22008) is the client's value, EO_ERR_INVALID
 * "validation_failed"; anything else keeps err as it is. Returns err->status. */
eo_status eo_db_value_error(eo_db *db, eo_err *err);

/* The JSON text in (row, col) parsed; 500 when absent or unparsable. */
eo_status eo_db_json(PGresult *r, int row, int col, json_t **out, eo_err *err);

/* One page of a keyset list fetched with `limit + 1` rows, each row being
 * (json text, sort key text, id): *items gets at most limit rows; when there
 * was one more, *next is the position [key, id] of the last item served
 * (else NULL). Both are new references. */
eo_status eo_db_json_page(PGresult *r, int limit, json_t **items, json_t **next, eo_err *err);

#endif
