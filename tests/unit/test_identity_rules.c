#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/parse.h"
#include "core/identity.h"
#include "core/nip.h"

static void throttle_schedule(void **state)
{
    (void)state;
    const eo_throttle_rule *r = &EO_SIGNIN_LOGIN.pair;
    for (int i = 0; i <= 5; i++) assert_int_equal(eo_throttle_delay(r, i), 0);
    assert_int_equal(eo_throttle_delay(r, 6), 2);
    assert_int_equal(eo_throttle_delay(r, 7), 4);
    assert_int_equal(eo_throttle_delay(r, 10), 32);
    assert_int_equal(eo_throttle_delay(r, 15), 900); /* capped at 15 min: never a permanent lockout */
    assert_int_equal(eo_throttle_delay(r, 100000), 900);
}

/* Which counter a failure lands on: a NIP alone is counted only by the
 * account key (second factors); the address budget is NAT-sized. */
static void signin_rules(void **state)
{
    (void)state;
    char k[201];
    assert_true(eo_signin_key_format(k, sizeof k, "login", EO_SIGNIN_KEY_PAIR, "192.0.2.1", "199001012015011999"));
    assert_string_equal(k, "login:ip:192.0.2.1:nip:199001012015011999");
    assert_true(eo_signin_key_format(k, sizeof k, "login", EO_SIGNIN_KEY_ADDRESS, "192.0.2.1", NULL));
    assert_string_equal(k, "login:ip:192.0.2.1");
    assert_true(eo_signin_key_format(k, sizeof k, "login", EO_SIGNIN_KEY_ACCOUNT, NULL, "199001012015011999"));
    assert_string_equal(k, "login:nip:199001012015011999");
    assert_true(eo_signin_key_format(k, sizeof k, "reset", EO_SIGNIN_KEY_DEVICE, "dev-1", "199001012015011999"));
    assert_string_equal(k, "reset:dev:dev-1:nip:199001012015011999");
    char small[16];
    assert_false(eo_signin_key_format(small, sizeof small, "login", EO_SIGNIN_KEY_ACCOUNT, NULL, "199001012015011999"));
    /* 300 people behind one NAT address each mistyping once are not delayed. */
    assert_int_equal(eo_throttle_delay(&EO_SIGNIN_LOGIN.address, 300), 0);
    assert_int_equal(eo_throttle_delay(&EO_SIGNIN_LOGIN.address, EO_SIGNIN_ADDRESS_BUDGET), 0);
    assert_int_equal(eo_throttle_delay(&EO_SIGNIN_LOGIN.address, EO_SIGNIN_ADDRESS_BUDGET + 1), 2);
    assert_int_equal(eo_throttle_delay(&EO_SIGNIN_LOGIN.account, 6), 2);
    /* The sweeper deletes counters quiet for EO_THROTTLE_QUIET_MAX_S: no rule
     * may remember longer, nor make anyone wait longer. */
    const eo_throttle_rule *all[] = {&EO_SIGNIN_LOGIN.pair,    &EO_SIGNIN_LOGIN.address, &EO_SIGNIN_LOGIN.account,
                                     &EO_SIGNIN_LOGIN.device,  &EO_SIGNIN_RESET.pair,    &EO_SIGNIN_RESET.address,
                                     &EO_SIGNIN_RESET.account, &EO_SIGNIN_RESET.device,  &EO_THROTTLE_RESET_NIP,
                                     &EO_THROTTLE_RESET_IP};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_true(all[i]->window_s <= EO_THROTTLE_QUIET_MAX_S);
        assert_true(all[i]->cap_s <= EO_THROTTLE_QUIET_MAX_S);
    }
}

static void nip_normalize(void **state)
{
    (void)state;
    char b[33];
    assert_string_equal(eo_nip_normalize("199001012015011999", b, sizeof b), "199001012015011999");
    assert_string_equal(eo_nip_normalize(" 199001012015011999", b, sizeof b), "199001012015011999");
    assert_string_equal(eo_nip_normalize("199001012015011999 ", b, sizeof b), "199001012015011999");
    assert_string_equal(eo_nip_normalize("\t 199001012015011999\r\n", b, sizeof b), "199001012015011999");
    assert_string_equal(eo_nip_normalize("1990 0101", b, sizeof b), "1990 0101"); /* inside: kept, so refused later */
    assert_string_equal(eo_nip_normalize("   ", b, sizeof b), "");
    assert_null(eo_nip_normalize(NULL, b, sizeof b));
    /* Too long for the buffer: empty, never a truncated prefix that could be a real NIP. */
    char tiny[19];
    assert_string_equal(eo_nip_normalize("1990010120150119990", tiny, sizeof tiny), "");
    assert_string_equal(eo_nip_normalize(" 199001012015011999 ", tiny, sizeof tiny), "199001012015011999");
}

static void formats(void **state)
{
    (void)state;
    assert_true(eo_email_valid("dewi.lestari@kemkes.go.id"));
    assert_false(eo_email_valid("dewi@localhost"));
    assert_false(eo_email_valid("a b@c.id"));
    assert_false(eo_email_valid("a@b@c.id"));
    assert_false(eo_email_valid("x@y.id\r\nBcc: z@evil.com"));
    assert_true(eo_identity_phone_valid("+628123456789"));
    assert_true(eo_identity_phone_valid("08123456789"));
    assert_false(eo_identity_phone_valid("0812-3456"));
    char code[EO_RECOVERY_CODE_LEN + 1], norm[EO_RECOVERY_CODE_LEN + 1];
    eo_identity_recovery_code(code);
    assert_int_equal(strlen(code), 10);
    char spaced[32];
    snprintf(spaced, sizeof spaced, "%.5s-%s", code, code + 5);
    for (char *p = spaced; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    assert_true(eo_identity_recovery_normalize(spaced, norm));
    assert_string_equal(norm, code);
    assert_false(eo_identity_recovery_normalize("O0O0O0O0O0", norm)); /* ambiguous letters are not in the alphabet */
    char ec[EO_EMAIL_CODE_DIGITS + 1];
    eo_identity_email_code(ec);
    assert_int_equal(strspn(ec, "0123456789"), 8);
    unsigned char k[32] = {0}, h1[32], h2[32];
    eo_identity_keyed_hash(k, "abc", h1);
    k[0] = 1;
    eo_identity_keyed_hash(k, "abc", h2);
    assert_memory_not_equal(h1, h2, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(throttle_schedule), cmocka_unit_test(signin_rules),
                                       cmocka_unit_test(nip_normalize), cmocka_unit_test(formats)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
