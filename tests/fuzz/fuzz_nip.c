/* NIP / NI PPPK / NIK and YYYY-MM-DD parsing (core/nip.c): sign-in and import input. */
#include <stdio.h>

#include "core/nip.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = eo_fuzz_str(data, size);
    eo_err err;
    eo_err_init(&err);

    eo_nip_info nip;
    bool nip_ok = eo_nip_validate(s, &nip, &err) == EO_OK;
    if (nip_ok) {
        EO_FUZZ_ASSERT(strlen(s) == EO_NIP_LEN);
        EO_FUZZ_ASSERT(eo_nip_date_valid(nip.birth.year, nip.birth.month, nip.birth.day));
        EO_FUZZ_ASSERT(nip.gender == 'L' || nip.gender == 'P');
        EO_FUZZ_ASSERT(nip.sequence >= 1 && nip.sequence <= 999);
        EO_FUZZ_ASSERT(nip.type == EO_NIP_PNS || nip.type == EO_NIP_PPPK);
    } else {
        EO_FUZZ_ASSERT(err.n_fields == 1);
    }
    eo_err_clear(&err);

    eo_nik_info nik;
    if (eo_nik_validate(s, &nik, NULL) == EO_OK) {
        EO_FUZZ_ASSERT(strlen(s) == EO_NIK_LEN);
        EO_FUZZ_ASSERT(nik.province >= 11 && nik.province <= 94);
        EO_FUZZ_ASSERT(nik.gender == 'L' || nik.gender == 'P');
        EO_FUZZ_ASSERT(nik.sequence >= 1 && nik.sequence <= 9999);
        if (nip_ok) (void)eo_nik_consistent_with(&nik, nip.birth, nip.gender);
    }

    eo_nip_date d;
    if (eo_nip_date_parse(s, &d)) {
        EO_FUZZ_ASSERT(eo_nip_date_valid(d.year, d.month, d.day));
        char back[16];
        snprintf(back, sizeof back, "%04d-%02d-%02d", d.year, d.month, d.day);
        EO_FUZZ_ASSERT(strcmp(back, s) == 0);
    }
    free(s);
    return 0;
}
