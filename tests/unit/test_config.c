/* Configuration: defaults, and every bad value stops start-up naming its variable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/config.h"

static const char *const all_vars[] = {"EOFFICE_ENV",
                                       "DATABASE_URL",
                                       "EOFFICE_PORT",
                                       "EOFFICE_BIND",
                                       "EOFFICE_PUBLIC_URL",
                                       "EOFFICE_HTTP_THREADS",
                                       "EOFFICE_MAX_BODY_BYTES",
                                       "EOFFICE_MAX_UPLOAD_BYTES",
                                       "EOFFICE_CORS_ORIGINS",
                                       "EOFFICE_TRUSTED_PROXIES",
                                       "EOFFICE_PROXY_HEADER",
                                       "EOFFICE_SIGNIN_ADDRESS_BUDGET",
                                       "EOFFICE_DB_POOL_SIZE",
                                       "EOFFICE_SECRET_KEY",
                                       "EOFFICE_MAIL_MODE",
                                       "EOFFICE_SMTP_URL",
                                       "EOFFICE_STORAGE",
                                       "EOFFICE_S3_ENDPOINT",
                                       "EOFFICE_S3_BUCKET",
                                       "EOFFICE_GEOFENCE_MODE",
                                       "EOFFICE_WEB_PRESENSI",
                                       "EOFFICE_LAST_CHECKOUT_WINS",
                                       "EOFFICE_ACCESS_TTL_S",
                                       NULL};

static int reset_env(void **state)
{
    (void)state;
    for (const char *const *v = all_vars; *v; v++) unsetenv(*v);
    setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/eoffice", 1);
    return 0;
}

static void test_defaults(void **state)
{
    (void)state;
    eo_config cfg;
    char msg[256];
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_OK);
    assert_false(cfg.dev_mode);
    assert_int_equal(cfg.port, 8080);
    assert_string_equal(cfg.bind_address, "127.0.0.1");
    assert_int_equal(cfg.max_body_bytes, 65536);
    assert_int_equal(cfg.db_pool_size, 8);
    assert_string_equal(cfg.mail_mode, "smtp"); /* production never logs mails away */
    assert_string_equal(cfg.geofence_mode, "reject");
    assert_int_equal(cfg.geofence, EO_GEOFENCE_REJECT);
    assert_true(cfg.last_checkout_wins);
    assert_false(cfg.web_presensi);
    assert_string_equal(cfg.jwt_issuer, "http://127.0.0.1:8080");
    assert_string_equal(cfg.proxy_header, "x-forwarded-for");
    assert_int_equal(cfg.signin_address_budget, 1000);
}

static void test_dev_mode_defaults_to_logged_mail(void **state)
{
    (void)state;
    setenv("EOFFICE_ENV", "dev", 1);
    eo_config cfg;
    char msg[256];
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_OK);
    assert_true(cfg.dev_mode);
    assert_string_equal(cfg.mail_mode, "log");
}

typedef struct {
    const char *var, *value;
} bad_case;

static const bad_case bad_cases[] = {
    {"EOFFICE_PORT", "http"},          {"EOFFICE_PORT", "0"},
    {"EOFFICE_PORT", "65536"},         {"EOFFICE_PORT", "80x"},
    {"EOFFICE_DB_POOL_SIZE", "-1"},    {"EOFFICE_HTTP_THREADS", "9999"},
    {"EOFFICE_MAX_BODY_BYTES", "12"},  {"EOFFICE_ENV", "prod"},
    {"EOFFICE_MAIL_MODE", "pigeon"},   {"EOFFICE_STORAGE", "ftp"},
    {"EOFFICE_GEOFENCE_MODE", "warn"}, {"EOFFICE_WEB_PRESENSI", "2"},
    {"EOFFICE_CORS_ORIGINS", "*"},     {"EOFFICE_CORS_ORIGINS", "spa.example.go.id"},
    {"EOFFICE_SMTP_URL", "http://x"},  {"EOFFICE_ACCESS_TTL_S", "5"},
    {"DATABASE_URL", "mysql://x"},     {"EOFFICE_SECRET_KEY", "abcd"},
};

/* The client address and the sign-in throttle (docs/operations.md). */
static const bad_case bad_address_cases[] = {
    {"EOFFICE_TRUSTED_PROXIES", "proxy.local"}, {"EOFFICE_TRUSTED_PROXIES", "10.0.0.0/"},
    {"EOFFICE_TRUSTED_PROXIES", "10.0.0.0/33"}, {"EOFFICE_TRUSTED_PROXIES", "10.0.0.0/0"},
    {"EOFFICE_TRUSTED_PROXIES", "10.0.0.0/-8"}, {"EOFFICE_TRUSTED_PROXIES", "10.0.0.0/8x"},
    {"EOFFICE_TRUSTED_PROXIES", "10.0.0.1/8"},  {"EOFFICE_TRUSTED_PROXIES", "fd00::/129"},
    {"EOFFICE_TRUSTED_PROXIES", "fd00::1/8"},   {"EOFFICE_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local/24"},
    {"EOFFICE_PROXY_HEADER", "x-real-ip"},      {"EOFFICE_SIGNIN_ADDRESS_BUDGET", "3"},
};

static void expect_bad(const bad_case *c)
{
    reset_env(NULL);
    setenv(c->var, c->value, 1);
    eo_config cfg;
    char msg[256];
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_ERR_INVALID);
    if (!strstr(msg, c->var)) fail_msg("message for %s does not name it: %s", c->var, msg);
}

static void test_bad_values_name_the_variable(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) expect_bad(&bad_cases[i]);
    for (size_t i = 0; i < sizeof(bad_address_cases) / sizeof(bad_address_cases[0]); i++)
        expect_bad(&bad_address_cases[i]);
}

static void test_missing_database_url(void **state)
{
    (void)state;
    unsetenv("DATABASE_URL");
    eo_config cfg;
    char msg[256];
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_ERR_INVALID);
    assert_non_null(strstr(msg, "DATABASE_URL"));
}

static void test_secret_key_is_parsed_and_never_echoed(void **state)
{
    (void)state;
    const char *good = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    setenv("EOFFICE_SECRET_KEY", good, 1);
    eo_config cfg;
    char msg[256];
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_OK);
    assert_int_equal(cfg.secret_key[0], 0x00);
    assert_int_equal(cfg.secret_key[31], 0xff);
    const char *bad = "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    setenv("EOFFICE_SECRET_KEY", bad, 1);
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_ERR_INVALID);
    assert_null(strstr(msg, "zz1122"));
}

static void test_lists_and_mail_log_guard(void **state)
{
    (void)state;
    setenv("EOFFICE_CORS_ORIGINS", " https://a.go.id , https://b.go.id,", 1);
    setenv("EOFFICE_TRUSTED_PROXIES", "10.0.0.1, 2001:db8::1", 1);
    eo_config cfg;
    char msg[256];
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_OK);
    assert_int_equal(cfg.n_cors_origins, 2);
    assert_true(eo_config_cors_allowed(&cfg, "https://b.go.id"));
    assert_false(eo_config_cors_allowed(&cfg, "https://c.go.id"));
    assert_false(eo_config_cors_allowed(&cfg, NULL));
    assert_int_equal(cfg.n_trusted_proxies, 2);
    setenv("EOFFICE_MAIL_MODE", "log", 1); /* production + log would lose mails */
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_ERR_INVALID);
    assert_non_null(strstr(msg, "EOFFICE_MAIL_MODE"));
    setenv("EOFFICE_STORAGE", "s3", 1);
    unsetenv("EOFFICE_MAIL_MODE");
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_ERR_INVALID);
    assert_non_null(strstr(msg, "EOFFICE_S3_ENDPOINT"));
}

/* Ranges are parsed at load and matched bit by bit; a plain address is its own range. */
static void test_trusted_proxy_ranges(void **state)
{
    (void)state;
    setenv("EOFFICE_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7, 172.16.0.0/12, fd00::/8, 2001:db8::1, 2001:db8:1::/127",
           1);
    eo_config cfg;
    char msg[256];
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_OK);
    assert_int_equal(cfg.n_trusted_proxies, 6);
    assert_int_equal(cfg.trusted_proxy_nets[0].prefix, 8);
    assert_int_equal(cfg.trusted_proxy_nets[1].prefix, 32);
    assert_int_equal(cfg.trusted_proxy_nets[4].prefix, 128);
    static const char *const inside[] = {"10.0.0.1",         "10.255.255.255", "192.168.1.7",  "172.16.0.1",
                                         "172.31.255.254",   "fd00::1",        "fdff:ffff::9", "2001:db8::1",
                                         "2001:0db8:0:0::1", "2001:db8:1::",   "2001:db8:1::1"};
    static const char *const outside[] = {"11.0.0.1",       "9.255.255.255",   "192.168.1.8", "172.32.0.1",
                                          "172.15.255.255", "fc00::1",         "fe00::1",     "2001:db8::2",
                                          "2001:db8:1::2",  "::ffff:10.0.0.1", "unknown",     "",
                                          "10.0.0.0/8",     "proxy.local"};
    for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++)
        if (!eo_config_proxy_trusted(&cfg, inside[i])) fail_msg("%s should be trusted", inside[i]);
    for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
        if (eo_config_proxy_trusted(&cfg, outside[i])) fail_msg("%s should not be trusted", outside[i]);
    assert_false(eo_config_proxy_trusted(&cfg, NULL));

    eo_net_range r;
    assert_true(eo_net_range_parse("0.0.0.0/1", &r));
    assert_true(eo_net_range_parse("128.0.0.0/1", &r));
    assert_true(eo_net_range_parse("10.1.2.3/32", &r));
    assert_true(eo_net_range_parse("::/1", &r));
    assert_false(eo_net_range_parse("/8", &r));
    assert_false(eo_net_range_parse("10.0.0.0/008x", &r));
    assert_false(eo_net_range_parse("10.0.0.0/1000", &r));
    assert_false(eo_net_range_parse("10.0.0.0/8/8", &r));
    assert_false(eo_net_range_parse("10.0.0.0 /8", &r));
    assert_false(eo_net_range_parse("10.0.0.128/25x", &r));
    assert_true(eo_net_range_parse("10.0.0.128/25", &r));
    assert_false(eo_net_range_parse("10.0.0.129/25", &r));

    reset_env(NULL);
    assert_int_equal(eo_config_load(&cfg, msg, sizeof(msg)), EO_OK);
    assert_false(eo_config_proxy_trusted(&cfg, "127.0.0.1")); /* none configured: nobody is a proxy */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults, reset_env),
        cmocka_unit_test_setup(test_dev_mode_defaults_to_logged_mail, reset_env),
        cmocka_unit_test_setup(test_bad_values_name_the_variable, reset_env),
        cmocka_unit_test_setup(test_missing_database_url, reset_env),
        cmocka_unit_test_setup(test_secret_key_is_parsed_and_never_echoed, reset_env),
        cmocka_unit_test_setup(test_lists_and_mail_log_guard, reset_env),
        cmocka_unit_test_setup(test_trusted_proxy_ranges, reset_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
