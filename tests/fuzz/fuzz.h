/* Shared bits of the libFuzzer harnesses (tests/fuzz/fuzz_*.c, docs/fuzzing.md). */
#ifndef EO_FUZZ_H
#define EO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (malloc'd, exactly size bytes before
 * the NUL, so ASan catches any read past the end). Embedded NULs stay: the
 * parsers see the prefix, as they would from a C string. */
static inline char *eo_fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A property the harness checks: a failure is a crash, like a sanitizer report. */
#define EO_FUZZ_ASSERT(cond)                                                                                           \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);                                \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)

#endif
