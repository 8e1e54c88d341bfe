/* Master-data import row validation (core/import.c) over the CSV reader:
 * byte 0 picks the kind of file (units, locations, employees, competencies,
 * standards), the rest is the file. */
#include <stdio.h>

#include "core/import.h"
#include "core/competency.h"
#include "core/nip.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    eo_import_kind kind = (eo_import_kind)(data[0] % 5);
    eo_import_batch *b = eo_import_batch_new(kind);
    eo_csv *csv = eo_csv_open_mem((const char *)data + 1, size - 1, NULL);
    if (!b || !csv) abort();

    size_t n = eo_import_parse(b, csv);
    EO_FUZZ_ASSERT(n == b->n_errors);
    EO_FUZZ_ASSERT(b->n_kept <= EO_IMPORT_MAX_ERRORS && b->n_kept <= b->n_errors);
    for (size_t i = 0; i < b->n_kept; i++) {
        EO_FUZZ_ASSERT(b->errors[i].code != NULL);
        EO_FUZZ_ASSERT(eo_import_error_text(b->errors[i].code) != NULL);
    }
    if (n == 0 && kind == EO_IMPORT_EMPLOYEES) {
        /* A clean row holds a valid NIP and NIK that agree with each other. */
        for (size_t i = 0; i < b->n_rows; i++) {
            const eo_import_employee *e = &b->rows.employees[i];
            eo_nip_info nip;
            eo_nik_info nik;
            EO_FUZZ_ASSERT(eo_nip_validate(e->nip, &nip, NULL) == EO_OK);
            EO_FUZZ_ASSERT(eo_nik_validate(e->nik, &nik, NULL) == EO_OK);
            EO_FUZZ_ASSERT(eo_nik_consistent_with(&nik, nip.birth, nip.gender));
            EO_FUZZ_ASSERT(e->gender == nip.gender);
        }
    }
    if (n == 0 && kind == EO_IMPORT_COMPETENCIES)
        for (size_t i = 0; i < b->n_rows; i++) {
            const eo_import_competency *c = &b->rows.competencies[i];
            EO_FUZZ_ASSERT(eo_competency_code_valid(c->code) && eo_competency_category_valid(c->category));
            for (int k = 0; k < 5; k++) EO_FUZZ_ASSERT(!c->indicators[k] || c->levels[k]);
        }
    if (n == 0 && kind == EO_IMPORT_STANDARDS)
        for (size_t i = 0; i < b->n_rows; i++)
            EO_FUZZ_ASSERT(b->rows.standards[i].required_level >= 1 && b->rows.standards[i].required_level <= 5);
    eo_csv_close(csv);
    eo_import_batch_free(b);
    return 0;
}
