#include "db/rows.h"
#include "db/keyset.h"

#include <string.h>

eo_status eo_db_value_error(eo_db *db, eo_err *err)
{
    const char *state = eo_db_last_sqlstate(db);
    if (strcmp(state, "23514") == 0 || strcmp(state, "22007") == 0 || strcmp(state, "22008") == 0) {
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_INVALID, "validation_failed");
    }
    return err->status;
}

eo_status eo_db_json(PGresult *r, int row, int col, json_t **out, eo_err *err)
{
    const char *text = eo_db_get(r, row, col);
    *out = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return *out ? EO_OK : eo_fail_log(err, EO_ERR_INTERNAL, "internal", "unparsable JSON from SQL (col %d)", col);
}

eo_status eo_db_json_page(PGresult *r, int limit, json_t **items, json_t **next, eo_err *err)
{
    *items = json_array();
    *next = NULL;
    int n = PQntuples(r);
    for (int i = 0; i < n && i < limit; i++) {
        json_t *row;
        if (eo_db_json(r, i, 0, &row, err) != EO_OK) {
            json_decref(*items);
            *items = NULL;
            return err->status;
        }
        json_array_append_new(*items, row);
    }
    if (n > limit && limit > 0) *next = eo_db_keyset_of(r, limit - 1, 1, 2);
    return EO_OK;
}

json_t *eo_db_str_or_null(PGresult *r, int row, int col)
{
    const char *v = eo_db_get(r, row, col);
    return v ? json_string(v) : json_null();
}

eo_status eo_db_json_take(PGresult *r, int col, json_t **out, eo_err *err)
{
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, col, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_json_page_take(PGresult *r, int limit, json_t **items, json_t **next, eo_err *err)
{
    if (!r) return err->status;
    eo_status st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}
