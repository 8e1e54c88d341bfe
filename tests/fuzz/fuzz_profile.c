/* Profile sections and PDM proposals (core/profile.c): the "data" of a proposal
 * as an employee sends it (JSON body or the multipart "change" part), checked by
 * eo_profile_validate for one section; the proposal's shape (eo_pdm_proposal_check)
 * and its section / op / status names; dates and text as the rules read them.
 * Byte 0: section (mod 9), PPPK or PNS, birth year known; byte 1: op and flags;
 * rest: the JSON document (json_loadb with JSON_REJECT_DUPLICATES, as api/ does),
 * also read as a plain string for the date, text and name parsers. */
#include <stdio.h>

#include <jansson.h>

#include "core/parse.h"
#include "core/profile.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    eo_profile_section sec = (eo_profile_section)(data[0] % EO_SEC_COUNT);
    eo_profile_ctx ctx = {
        .today = 20600 + data[1], .pppk = (data[0] & 0x80) != 0, .birth_year = (data[0] & 0x40) ? 1990 : 0};
    const char *rest = (const char *)data + 2;
    size_t n = size - 2;

    json_t *doc = json_loadb(rest, n, JSON_REJECT_DUPLICATES, NULL);
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_profile_validate(sec, doc, &ctx, &err);
    EO_FUZZ_ASSERT(st == EO_OK || st == EO_ERR_INVALID);
    EO_FUZZ_ASSERT((st == EO_OK) == (err.n_fields == 0));
    if (st == EO_OK) EO_FUZZ_ASSERT(json_is_object(doc));
    eo_err_clear(&err);

    eo_pdm_op op = (eo_pdm_op)(data[1] % 3);
    eo_err_init(&err);
    st = eo_pdm_proposal_check(sec, op, (data[1] & 4) != 0, doc != NULL, &err);
    EO_FUZZ_ASSERT(st == EO_OK || err.code != NULL || err.n_fields > 0);
    eo_err_clear(&err);
    json_decref(doc);

    char *s = eo_fuzz_str((const uint8_t *)rest, n);
    int days = 0;
    if (eo_profile_date(s, &days)) {
        int y = eo_profile_year_of(days);
        EO_FUZZ_ASSERT(strlen(s) == 10 && y >= 1900 && y <= 9999);
        EO_FUZZ_ASSERT((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') == y);
    }
    size_t max = data[1];
    if (eo_profile_text_ok(s, max, (data[0] & 0x20) != 0)) {
        size_t len = strlen(s), chars = 0;
        EO_FUZZ_ASSERT(eo_utf8_valid(s, len));
        for (size_t i = 0; i < len; i++)
            if (((unsigned char)s[i] & 0xC0) != 0x80) chars++;
        EO_FUZZ_ASSERT(chars <= max);
        if (!(data[0] & 0x20)) EO_FUZZ_ASSERT(!strchr(s, '\n'));
    }
    eo_profile_section p;
    if (eo_profile_section_parse(s, &p)) EO_FUZZ_ASSERT(strcmp(eo_profile_section_name(p), s) == 0);
    eo_pdm_op o;
    if (eo_pdm_op_parse(s, &o)) EO_FUZZ_ASSERT(strcmp(eo_pdm_op_name(o), s) == 0);
    eo_pdm_status ps;
    if (eo_pdm_status_parse(s, &ps)) EO_FUZZ_ASSERT(strcmp(eo_pdm_status_name(ps), s) == 0);
    free(s);
    return 0;
}
