/* RFC 6238 Appendix B (SHA1, 8 digits) and the once-only rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/totp.h"

static const unsigned char rfc_secret[] = "12345678901234567890";

static void rfc6238_vectors(void **state)
{
    (void)state;
    static const struct {
        long long t;
        const char *code;
    } v[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[16];
        eo_totp_code_at(rfc_secret, 20, eo_totp_step(v[i].t), 8, out, sizeof out);
        assert_string_equal(out, v[i].code);
    }
}

static void check_window_and_replay(void **state)
{
    (void)state;
    unsigned char s[EO_TOTP_SECRET_LEN];
    memcpy(s, rfc_secret, 20);
    long long now = 1111111111, step = 0;
    char code[8], prev[8], next[8], old[8];
    eo_totp_code_at(s, 20, eo_totp_step(now), 6, code, sizeof code);
    eo_totp_code_at(s, 20, eo_totp_step(now) - 1, 6, prev, sizeof prev);
    eo_totp_code_at(s, 20, eo_totp_step(now) + 1, 6, next, sizeof next);
    eo_totp_code_at(s, 20, eo_totp_step(now) - 2, 6, old, sizeof old);
    assert_true(eo_totp_check(s, code, now, 0, &step));
    assert_int_equal(step, eo_totp_step(now));
    assert_false(eo_totp_check(s, code, now, step, &step));              /* replay */
    assert_false(eo_totp_check(s, prev, now, eo_totp_step(now), &step)); /* older than last */
    assert_true(eo_totp_check(s, next, now, eo_totp_step(now), &step));  /* +1 drift */
    assert_true(eo_totp_check(s, prev, now, 0, &step));                  /* -1 drift */
    assert_false(eo_totp_check(s, old, now, 0, &step));                  /* outside window */
    assert_false(eo_totp_check(s, "12345", now, 0, &step));
    assert_false(eo_totp_check(s, "abcdef", now, 0, &step));
}

static void secret_uri_and_sealing(void **state)
{
    (void)state;
    unsigned char s[EO_TOTP_SECRET_LEN], back[EO_TOTP_SECRET_LEN], key[32] = {1};
    unsigned char sealed[EO_TOTP_SEALED_LEN], nonce[EO_TOTP_NONCE_LEN];
    char b32[EO_TOTP_B32_LEN], uri[512];
    eo_err err;
    eo_err_init(&err);
    memcpy(s, rfc_secret, 20);
    eo_totp_base32(s, b32);
    assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_int_equal(eo_totp_uri("e-Office Kemenkes", "199305212019032001", b32, uri, sizeof uri, &err), EO_OK);
    assert_string_equal(uri,
                        "otpauth://totp/e-Office%20Kemenkes:199305212019032001?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                        "&issuer=e-Office%20Kemenkes&algorithm=SHA1&digits=6&period=30");
    eo_totp_seal(key, s, sealed, nonce);
    assert_int_equal(eo_totp_open(key, sealed, sizeof sealed, nonce, sizeof nonce, back, &err), EO_OK);
    assert_memory_equal(back, s, 20);
    sealed[3] ^= 1;
    assert_int_not_equal(eo_totp_open(key, sealed, sizeof sealed, nonce, sizeof nonce, back, &err), EO_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc6238_vectors),
        cmocka_unit_test(check_window_and_replay),
        cmocka_unit_test(secret_uri_and_sealing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
