/* TPP rule documents (core/tpp.c eo_tpp_rules_parse): the "rules" member of
 * POST/PUT /api/v1/tpp/rules as an admin or anpeg sends it (json_loadb with
 * JSON_REJECT_DUPLICATES, as api/ does). Property: an accepted document's
 * canonical form (eo_tpp_rules_json, what is stored) parses again to the same
 * rules and the same digest. The input is also an absence-kind name. */
#include <stdio.h>

#include <jansson.h>

#include "core/tpp.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    eo_tpp_rules r;
    memset(&r, 0, sizeof r);
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_tpp_rules_parse(doc, &r, &err);
    EO_FUZZ_ASSERT(st == EO_OK || st == EO_ERR_INVALID);
    EO_FUZZ_ASSERT((st == EO_OK) == (err.n_fields == 0));
    eo_err_clear(&err);
    if (st == EO_OK) {
        EO_FUZZ_ASSERT(r.weight_kinerja + r.weight_kehadiran == 100);
        EO_FUZZ_ASSERT(strlen(r.digest) == 64);
        json_t *canon = eo_tpp_rules_json(&r);
        EO_FUZZ_ASSERT(canon != NULL);
        eo_tpp_rules again;
        memset(&again, 0, sizeof again);
        eo_err_init(&err);
        EO_FUZZ_ASSERT(eo_tpp_rules_parse(canon, &again, &err) == EO_OK);
        eo_err_clear(&err);
        EO_FUZZ_ASSERT(memcmp(&r, &again, sizeof r) == 0);
        json_decref(canon);
    }
    json_decref(doc);

    char *s = eo_fuzz_str(data, size);
    int k = eo_tpp_absence_kind(s);
    if (k >= 0) EO_FUZZ_ASSERT(eo_tpp_absence_name(k) && strcmp(eo_tpp_absence_name(k), s) == 0);
    free(s);
    return 0;
}
