#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/password.h"

static void policy(void **state)
{
    (void)state;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_password_check_policy("short", "password", &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "password_too_short");
    eo_err_init(&err);
    char long_pw[200];
    memset(long_pw, 'a', 129);
    long_pw[129] = '\0';
    assert_int_equal(eo_password_check_policy(long_pw, "password", &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "password_too_long");
    long_pw[128] = '\0';
    eo_err_init(&err);
    assert_int_equal(eo_password_check_policy(long_pw, "password", &err), EO_OK);
    const char *common[] = {"password", "12345678", "qwerty123", "Bismillah", "INDONESIA", "sayang123", "rahasia123"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        eo_err_init(&err);
        assert_true(eo_password_is_common(common[i]));
        assert_int_equal(eo_password_check_policy(common[i], "password", &err), EO_ERR_INVALID);
    }
    eo_err_init(&err);
    /* 8 code points in 16 bytes: counted as characters, not bytes */
    assert_int_equal(eo_password_check_policy("ááááááá", "password", &err), EO_ERR_INVALID);
    eo_err_init(&err);
    assert_int_equal(eo_password_check_policy("Kopi-Tubruk-Sekayu", "password", &err), EO_OK);
    assert_int_equal(eo_password_check_policy("\xff\xfe invalid utf8", "password", &err), EO_ERR_INVALID);
}

static void hash_and_verify(void **state)
{
    (void)state;
    eo_err err;
    eo_err_init(&err);
    eo_password_init(2);
    char h[EO_PASSWORD_HASH_LEN];
    bool ok = false;
    assert_int_equal(eo_password_hash("Kopi-Tubruk-Sekayu", h, &err), EO_OK);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_int_equal(eo_password_verify(h, "Kopi-Tubruk-Sekayu", &ok, &err), EO_OK);
    assert_true(ok);
    assert_int_equal(eo_password_verify(h, "kopi-tubruk-sekayu", &ok, &err), EO_OK);
    assert_false(ok);
    assert_int_equal(eo_password_verify(NULL, "Kopi-Tubruk-Sekayu", &ok, &err), EO_OK); /* dummy hash */
    assert_false(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(policy), cmocka_unit_test(hash_and_verify)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
