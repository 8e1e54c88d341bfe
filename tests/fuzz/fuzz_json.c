/* JSON body helpers (api/util.c eo_json_get_*, eo_json_only) on an arbitrary
 * request body, without HTTP: json_loadb as api/ does (JSON_REJECT_DUPLICATES),
 * then every getter on a few fixed names and on every name the body has. */
#include <stdio.h>

#include "api/http.h"
#include "tests/fuzz/fuzz.h"

static void probe(json_t *obj, const char *key, eo_err *err)
{
    const char *s = eo_json_get_str(obj, key, true, 64, err);
    if (s) EO_FUZZ_ASSERT(strlen(s) <= 64 && *s);
    (void)eo_json_get_str(obj, key, false, 0, err);
    long long n = eo_json_get_int(obj, key, false, -5, 5, 0, err);
    EO_FUZZ_ASSERT(n >= -5 && n <= 5);
    double x = eo_json_get_num(obj, key, true, -180.0, 180.0, 0.0, err);
    EO_FUZZ_ASSERT(x >= -180.0 && x <= 180.0);
    int b = eo_json_get_bool(obj, key, false, -1, err);
    EO_FUZZ_ASSERT(b == -1 || b == 0 || b == 1);
    EO_FUZZ_ASSERT(err->n_fields <= EO_MAX_FIELD_ERRORS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(body)) {
        json_decref(body);
        return 0;
    }
    static const char *const allowed[] = {"nip", "latitude", "longitude", "accuracy_m", "note", "mocked", NULL};
    eo_err err;
    eo_err_init(&err);
    for (const char *const *k = allowed; *k; k++) probe(body, *k, &err);
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        (void)value;
        probe(body, key, &err);
    }
    eo_json_only(body, allowed, &err);
    for (int i = 0; i < err.n_fields; i++) {
        EO_FUZZ_ASSERT(err.fields[i].code != NULL);
        EO_FUZZ_ASSERT(strlen(err.fields[i].field) < sizeof err.fields[i].field);
    }
    eo_err_clear(&err);
    json_decref(body);
    return 0;
}
