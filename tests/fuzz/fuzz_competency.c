/* Competency and partner-key parsers (core/competency.c, core/apikey.c):
 * arbitrary text as a presented X-API-Key, a competency code, a partner name,
 * and the self-assessment rule over answers cut from the input. */
#include <stdio.h>

#include "core/apikey.h"
#include "core/competency.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = eo_fuzz_str(data, size);
    char prefix[EO_APIKEY_PREFIX_LEN + 1];
    unsigned char hash[32];
    if (eo_apikey_parse(s, prefix, hash)) {
        EO_FUZZ_ASSERT(strlen(s) == EO_APIKEY_TEXT_LEN && strncmp(s, "eok_", 4) == 0);
        EO_FUZZ_ASSERT(strncmp(prefix, s + 4, EO_APIKEY_PREFIX_LEN) == 0);
    }
    bool code_ok = eo_competency_code_valid(s);
    EO_FUZZ_ASSERT(!code_ok || (strlen(s) >= 3 && strlen(s) <= 34 && strchr(s, '.')));
    (void)eo_apikey_partner_valid(s);
    (void)eo_apikey_scope_bit(s);

    /* answers: the input split at '\n' into code / justification pairs, levels from the bytes */
    const char *req[] = {"M.01", "M.02", "SK.01"};
    eo_self_answer answers[8];
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, "\n", &save); tok && n < 8; tok = strtok_r(NULL, "\n", &save), n++)
        answers[n] = (eo_self_answer){.code = tok, .level = (long long)(unsigned char)tok[0] % 7, .justification = tok};
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_self_assessment_check(req, 3, answers, n, &err);
    EO_FUZZ_ASSERT(st == EO_OK || st == EO_ERR_INVALID);
    EO_FUZZ_ASSERT((st == EO_OK) == (err.n_fields == 0));
    eo_err_clear(&err);

    if (size >= sizeof(double)) {
        double v;
        memcpy(&v, data, sizeof v);
        int centi = -1;
        if (eo_competency_score_from_double(v, &centi)) EO_FUZZ_ASSERT(centi >= 0 && centi <= 500);
        int g = eo_competency_gap(centi < 0 ? 0 : centi, 3);
        EO_FUZZ_ASSERT(g >= -300 && g <= 200);
    }
    free(s);
    return 0;
}
