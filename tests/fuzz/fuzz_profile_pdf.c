/* The printable profile (core/profile_pdf.c, libharu + DejaVu through its UTF-8
 * encoder): employees write their own profile text (PDM proposals, checked by
 * eo_profile_text_ok), and the PDF prints it wrapped to the page. The input is
 * split at '\0' into the employee's name, then member values of award, team and
 * identity records. Property: text that eo_profile_text_ok accepts (strict UTF-8,
 * any code point, no controls) always renders (EO_OK, a PDF) -- never an internal
 * error, whatever the script, the emoji or the length of a word. */
#include <stdio.h>

#include <jansson.h>

#include "core/profile.h"
#include "core/profile_pdf.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0; /* rendering is slow: keep inputs short */
    char *s = eo_fuzz_str(data, size);
    const char *part[6] = {"-", "-", "-", "-", "-", "-"};
    size_t n = 0, at = 0;
    while (n < 6 && at <= size) {
        part[n++] = s + at;
        at += strlen(s + at) + 1;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) ok = ok && eo_profile_text_ok(part[i], 2000, i == 5);
    if (!ok) {
        free(s);
        return 0;
    }
    json_t *p =
        json_pack("{s:{s:s,s:s,s:s},s:{s:{s:[{s:{s:s,s:i,s:s}}],s:[]},s:{s:[{s:{s:s,s:s}}],s:[]},"
                  "s:{s:[{s:{s:s}}],s:[]}},s:[]}",
                  "employee", "nip", "199305212019032001", "name", part[0], "position", part[1], "sections", "award",
                  "records", "data", "name", part[2], "year", 2022, "issuer", part[3], "pending_additions", "team",
                  "records", "data", "team", part[4], "role", part[1], "pending_additions", "identity", "records",
                  "data", "address", part[5], "pending_additions", "hidden_sections");
    EO_FUZZ_ASSERT(p != NULL);
    unsigned char *pdf = NULL;
    size_t len = 0;
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_profile_pdf_render(p, "PRF-fuzz", 1796058000.0, &pdf, &len, &err);
    if (st != EO_OK) fprintf(stderr, "render failed: %s\n", err.code ? err.code : "?");
    EO_FUZZ_ASSERT(st == EO_OK);
    EO_FUZZ_ASSERT(len > 5 && memcmp(pdf, "%PDF-", 5) == 0);
    free(pdf);
    eo_err_clear(&err);
    json_decref(p);
    free(s);
    return 0;
}
