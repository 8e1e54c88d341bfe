#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/qr.h"

static const char *uri = "otpauth://totp/e-Office:199305212019032001?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                         "&issuer=e-Office&algorithm=SHA1&digits=6&period=30";

static void matrix_has_finder_patterns(void **state)
{
    (void)state;
    eo_err err;
    eo_err_init(&err);
    int w = 0;
    unsigned char *m = NULL;
    assert_int_equal(eo_qr_matrix(uri, &w, &m, &err), EO_OK);
    assert_true(w >= 21 && (w - 21) % 4 == 0);
    /* The three 7x7 finder patterns: dark border, light ring, dark 3x3 core. */
    int corners[3][2] = {{0, 0}, {w - 7, 0}, {0, w - 7}};
    for (int k = 0; k < 3; k++) {
        int x0 = corners[k][0], y0 = corners[k][1];
        for (int i = 0; i < 7; i++) {
            assert_int_equal(m[y0 * w + x0 + i], 1);
            assert_int_equal(m[(y0 + 6) * w + x0 + i], 1);
        }
        assert_int_equal(m[(y0 + 1) * w + x0 + 1], 0);
        assert_int_equal(m[(y0 + 3) * w + x0 + 3], 1);
    }
    free(m);
}

static void png_and_svg(void **state)
{
    (void)state;
    eo_err err;
    eo_err_init(&err);
    unsigned char *png = NULL;
    size_t len = 0;
    assert_int_equal(eo_qr_png(uri, 4, &png, &len, &err), EO_OK);
    assert_true(len > 100);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
    char *svg = NULL;
    assert_int_equal(eo_qr_svg(uri, &svg, &err), EO_OK);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "M4 4h1v1h-1z")); /* top-left module after the quiet zone */
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(matrix_has_finder_patterns), cmocka_unit_test(png_and_svg)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
