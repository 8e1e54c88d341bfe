#include "db/keyset.h"

#include <stdio.h>
#include <string.h>

#include "core/parse.h"

eo_status eo_db_keyset_from(const json_t *after, eo_db_keyset *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!after) return EO_OK;
    json_t *at = json_array_get(after, 0), *id = json_array_get(after, 1);
    long long n = 0;
    /* The cursor's MAC already vouches for the content; the shape check keeps
     * a cursor sealed by another kind of list from reaching the SQL casts. */
    if (!json_is_array(after) || json_array_size(after) != 2 || !json_is_string(at) || !json_is_string(id) ||
        json_string_length(at) < 10 || json_string_length(at) >= sizeof(out->at) ||
        strspn(json_string_value(at), "0123456789-:.TZ") != json_string_length(at) ||
        !eo_parse_id(json_string_value(id), &n)) {
        eo_err_field(err, "cursor", "invalid_cursor");
        return err->status;
    }
    snprintf(out->at, sizeof(out->at), "%s", json_string_value(at));
    snprintf(out->id, sizeof(out->id), "%lld", n);
    out->set = true;
    return EO_OK;
}

json_t *eo_db_keyset_of(PGresult *r, int row, int at_col, int id_col)
{
    return json_pack("[s, s]", eo_db_str(r, row, at_col), eo_db_str(r, row, id_col));
}
