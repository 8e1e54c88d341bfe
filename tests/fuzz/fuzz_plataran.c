/* The Plataran Sehat parsers (core/plataran.c) on arbitrary partner answers:
 * a document is taken whole with every member checked, or refused whole. */
#include <stdio.h>

#include "core/plataran.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (eo_plataran_parse_catalogue((const char *)data, size, &out, &err) == EO_OK) {
        size_t i;
        json_t *p;
        json_array_foreach(out, i, p)
        {
            json_int_t jp = json_integer_value(json_object_get(p, "jp"));
            EO_FUZZ_ASSERT(jp >= 1 && jp <= 1000);
            EO_FUZZ_ASSERT(json_string_length(json_object_get(p, "id")) >= 1);
            EO_FUZZ_ASSERT(json_is_array(json_object_get(p, "competencies")));
        }
    } else {
        EO_FUZZ_ASSERT(out == NULL && err.status == EO_ERR_UNAVAILABLE);
    }
    json_decref(out);
    eo_err_clear(&err);
    out = NULL;
    if (eo_plataran_parse_schedule((const char *)data, size, "PS-1", &out, &err) == EO_OK) {
        size_t i;
        json_t *s;
        json_array_foreach(out, i, s) EO_FUZZ_ASSERT(json_is_string(json_object_get(s, "starts_at")));
    } else {
        EO_FUZZ_ASSERT(out == NULL);
    }
    json_decref(out);
    eo_err_clear(&err);
    return 0;
}
