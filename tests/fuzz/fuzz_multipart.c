/* multipart/form-data (core/multipart.c): the input is "<Content-Type>\n<body>". */
#include <stdio.h>

#include "core/multipart.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t ct_len = nl ? (size_t)(nl - data) : size;
    char *ct = eo_fuzz_str(data, ct_len);
    size_t body_len = nl ? size - ct_len - 1 : 0;
    /* An exact-size heap copy: ASan then reports any read past the end. */
    unsigned char *body = malloc(body_len ? body_len : 1);
    if (!body) abort();
    if (body_len) memcpy(body, nl + 1, body_len);
    static eo_multipart_form form;
    eo_err err;
    eo_err_init(&err);
    if (eo_multipart_parse(ct, body, body_len, &form, &err) == EO_OK) {
        EO_FUZZ_ASSERT(form.n <= EO_MULTIPART_MAX_PARTS);
        for (size_t i = 0; i < form.n; i++) {
            const eo_multipart_part *p = &form.parts[i];
            EO_FUZZ_ASSERT(p->data >= body && p->data + p->len <= body + body_len);
            EO_FUZZ_ASSERT(p->name[0] && strlen(p->name) <= EO_MULTIPART_MAX_NAME);
            EO_FUZZ_ASSERT(eo_multipart_get(&form, p->name) == p); /* names are unique */
        }
    } else {
        EO_FUZZ_ASSERT(err.code != NULL);
    }
    eo_err_clear(&err);
    free(body);
    free(ct);
    return 0;
}
