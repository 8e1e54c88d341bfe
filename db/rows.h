/* Reading the rows of read-only views whose JSON is rendered in SQL (cheaper
 * than a round trip through structs when no rule reads the values back), and
 * the keyset page cut every such list shares. */
#ifndef EO_DB_ROWS_H
#define EO_DB_ROWS_H

#include <jansson.h>

#include "db/pool.h"

/* A timestamp column as the wire's text: UTC, whole seconds ("2026-11-30T07:12:03Z"). */
#define EO_DB_TS(col) "to_char(" col " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* (row, col) as a JSON string, or JSON null for SQL NULL; a new reference. */
json_t *eo_db_str_or_null(PGresult *r, int row, int col);

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

/* eo_db_json (row 0) / eo_db_json_page on the result of a statement, which is
 * cleared; r NULL (the statement failed, err set) returns err->status. */
eo_status eo_db_json_take(PGresult *r, int col, json_t **out, eo_err *err);
eo_status eo_db_json_page_take(PGresult *r, int limit, json_t **items, json_t **next, eo_err *err);

#endif
