/* CSV import reader (core/csv.c): arbitrary bytes from an uploaded file.
 * Byte 0 picks the limits and the source (memory or a FILE via fmemopen, whose
 * buffered reads split records differently); the rest is the file. */
#include <stdio.h>

#include "core/csv.h"
#include "core/parse.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned mode = data[0];
    data++, size--;
    eo_csv_limits lim = {0, 0};
    if (mode & 1) lim = (eo_csv_limits){.max_record_bytes = 1 + (mode >> 2) * 4, .max_fields = 1 + (mode >> 4)};

    FILE *f = NULL;
    char *copy = NULL;
    eo_csv *csv;
    if (mode & 2) {
        copy = eo_fuzz_str(data, size);
        f = fmemopen(copy, size ? size : 1, "rb");
        if (!f) abort();
        if (!size) getc(f); /* fmemopen refuses size 0: consume the one NUL instead */
        csv = eo_csv_open_file(f, (mode & 1) ? &lim : NULL);
    } else {
        csv = eo_csv_open_mem((const char *)data, size, (mode & 1) ? &lim : NULL);
    }
    if (!csv) abort();

    size_t max_bytes = (mode & 1) ? lim.max_record_bytes : 8192;
    int max_fields = (mode & 1) ? lim.max_fields : 64;
    eo_csv_record rec;
    eo_csv_result r;
    int last_line = 0;
    while ((r = eo_csv_read(csv, &rec)) == EO_CSV_RECORD) {
        EO_FUZZ_ASSERT(rec.n_fields >= 1 && rec.n_fields <= max_fields);
        EO_FUZZ_ASSERT(rec.line > last_line);
        last_line = rec.line;
        size_t total = 0;
        for (int i = 0; i < rec.n_fields; i++) {
            size_t n = strlen(rec.fields[i]);
            EO_FUZZ_ASSERT(eo_utf8_valid(rec.fields[i], n));
            total += n;
        }
        EO_FUZZ_ASSERT(total <= max_bytes);
    }
    if (r == EO_CSV_ERROR) {
        EO_FUZZ_ASSERT(eo_csv_error_code(csv) != NULL);
        EO_FUZZ_ASSERT(eo_csv_read(csv, &rec) == EO_CSV_ERROR);
    }
    eo_csv_close(csv);
    if (f) fclose(f);
    free(copy);
    return 0;
}
