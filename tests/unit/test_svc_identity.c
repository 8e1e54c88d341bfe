/* Identity use cases against a real PostgreSQL with an explicit `now`.
 *
 * Runs when DATABASE_URL names a database it may write to (scripts/dev test
 * sets it to the throw-away test database before ctest); skips otherwise.
 * It applies the migrations itself (idempotent, as `eoffice migrate` later
 * finds nothing to do), works on its own org unit, employee and throttle keys,
 * and deletes them again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/password.h"
#include "core/token.h"
#include "svc_db.h"
#include "svc/identity.h"

/* A fixed P-256 test key (as in test_token.c). */
static const char *test_key = "-----BEGIN PRIVATE KEY-----\n"
                              "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQglYfUYBHX1GpDXPSy\n"
                              "d4Lc6QaqYO4PneLRF3aPqBIJnXyhRANCAASuuDsy6/1DOjbda95FcZjZ8Iq8aXIv\n"
                              "1tkXV8Ht+dA/EjFS/7vFcyqUPKM5Vt1IMm2wnvBP4Lxm/ch3yqmKbrzW\n"
                              "-----END PRIVATE KEY-----\n";

#define TEST_NIP  "198001012006041999" /* not a demo NIP; removed again by cleanup */
#define TEST_UNIT "SVC-TEST"

static eo_app app;

/* Statements of the test's own fixture (the code under test keeps its SQL in db/). */
static void sql(const char *stmt, const char *param) { svc_db_sql(app.pool, stmt, param); }

static void cleanup(void)
{
    sql("delete from audit_log where target_id = $1 or actor_employee_id in "
        "(select id from employees where nip = $1)",
        TEST_NIP);
    sql("delete from sessions where employee_id in (select id from employees where nip = $1)", TEST_NIP);
    sql("delete from accounts where employee_id in (select id from employees where nip = $1)", TEST_NIP);
    sql("delete from employees where nip = $1", TEST_NIP);
    sql("delete from org_units where code = $1", TEST_UNIT);
    sql("delete from auth_throttle where key like '%svc-test%' or key like $1", "%" TEST_NIP);
}

static int setup(void **state)
{
    (void)state;
    const char *url = getenv("DATABASE_URL");
    if (!url || !*url || sodium_init() < 0) return 0; /* every test skips */
    eo_err err;
    eo_err_init(&err);
    memset(&app, 0, sizeof app);
    app.cfg.access_ttl_s = 300;
    app.cfg.refresh_ttl_s = 3600;
    app.cfg.max_concurrent_hashes = 1;
    snprintf(app.cfg.jwt_issuer, sizeof app.cfg.jwt_issuer, "https://svc.test");
    snprintf(app.cfg.jwt_audience, sizeof app.cfg.jwt_audience, "eoffice");
    snprintf(app.cfg.totp_issuer, sizeof app.cfg.totp_issuer, "e-Office");
    randombytes_buf(app.cfg.secret_key, sizeof app.cfg.secret_key);
    eo_password_init(1);
    if (eo_token_keys_from_pem(test_key, strlen(test_key), &app.jwt, &err)) return -1;
    if (svc_db_open(&app, url, "test_svc_identity")) return -1;
    cleanup();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    svc_db_close(&app, cleanup);
    eo_token_keys_free(app.jwt);
    return 0;
}

static void uow_at(eo_uow *u, double now)
{
    eo_uow_init(u, &app, NULL, now);
    u->ip = "192.0.2.77-svc-test";
    u->user_agent = "test_svc_identity";
}

/* One sign-in attempt at now for an unknown NIP; returns the status and, when
 * throttled, the wait. */
static eo_status login_at(double now, int *retry_after)
{
    eo_uow u;
    uow_at(&u, now);
    eo_err err;
    eo_err_init(&err);
    eo_login_result r;
    eo_login_req q = {.nip = TEST_NIP, .password = "wrong-password-1", .otp = "123456"};
    eo_status st = eo_svc_identity_login(&u, &q, &r, &err);
    if (st == EO_ERR_UNAUTHORIZED) assert_string_equal(err.code, "invalid_credentials");
    if (st == EO_ERR_THROTTLED) assert_string_equal(err.code, "too_many_attempts");
    *retry_after = err.retry_after_s;
    eo_uow_end(&u);
    eo_err_clear(&err);
    return st;
}

/* The wait after each failure doubles, and it ends exactly when the use
 * case's now passes it: the database clock plays no part. */
static void test_login_throttle_follows_now(void **state)
{
    (void)state;
    if (!app.pool) skip();
    double t = eo_uow_clock();
    int wait = 0;
    for (int i = 0; i < 6; i++) assert_int_equal(login_at(t, &wait), EO_ERR_UNAUTHORIZED); /* 5 free, 6th: 2 s */
    assert_int_equal(login_at(t, &wait), EO_ERR_THROTTLED);
    assert_int_equal(wait, 2);
    assert_int_equal(login_at(t + 1, &wait), EO_ERR_THROTTLED);
    assert_int_equal(wait, 1);
    assert_int_equal(login_at(t + 2, &wait), EO_ERR_UNAUTHORIZED); /* 7th failure: 4 s */
    assert_int_equal(login_at(t + 2, &wait), EO_ERR_THROTTLED);
    assert_int_equal(wait, 4);
    assert_int_equal(login_at(t + 5.5, &wait), EO_ERR_THROTTLED);
    assert_int_equal(wait, 1);
    assert_int_equal(login_at(t + 6, &wait), EO_ERR_UNAUTHORIZED);
}

static long long test_employee(void)
{
    sql("insert into org_units (code, name) values ($1, 'svc test')", TEST_UNIT);
    sql("insert into employees (nip, nik, name, gender, birth_date, employee_type, unit_id) values ($1, "
        "'3174010101800001', 'Svc Test', 'L', '1980-01-01', 'PNS', (select id from org_units where code = 'SVC-TEST'))",
        TEST_NIP);
    /* Active needs an authenticator; this one is never opened (no sign-in here). */
    sql("insert into accounts (employee_id, password_hash, personal_email, office_email, phone, status, "
        "totp_secret_enc, totp_nonce) select id, 'x', 'svc@example.invalid', 'svc@example.invalid', "
        "'+6281200000000', 'active', '\\x00'::bytea, '\\x00'::bytea from employees where nip = $1",
        TEST_NIP);
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_db_acquire(app.pool, &db, &err), EO_OK);
    const char *p[] = {TEST_NIP};
    long long id = 0;
    assert_int_equal(eo_db_one_ll(db, NULL, "select id from employees where nip = $1", 1, p, "not_found", &id, &err),
                     EO_OK);
    eo_db_release(db);
    return id;
}

static eo_status refresh_at(double now, const char *token, eo_session_tokens *out, const char **code)
{
    eo_uow u;
    uow_at(&u, now);
    eo_err err;
    eo_err_init(&err);
    eo_session_refresh_req q = {.refresh_token = token};
    eo_status st = eo_svc_session_refresh(&u, &q, out, &err);
    *code = err.code;
    eo_uow_end(&u);
    eo_err_clear(&err);
    return st;
}

/* Tokens carry the use case's now; refresh expiry and rotation follow it. */
static void test_refresh_rotation_follows_now(void **state)
{
    (void)state;
    if (!app.pool) skip();
    long long eid = test_employee();
    double t0 = eo_uow_clock();
    eo_uow u;
    uow_at(&u, t0);
    eo_err err;
    eo_err_init(&err);
    eo_session_tokens first, next;
    eo_session_issue_req q = {.employee_id = eid, .nip = TEST_NIP};
    assert_int_equal(eo_svc_session_issue(&u, &q, &first, &err), EO_OK);
    eo_uow_end(&u);

    eo_token_claims cl;
    assert_int_equal(eo_token_verify(app.jwt, first.access_token, app.cfg.jwt_issuer, app.cfg.jwt_audience,
                                     (long long)t0, &cl, &err),
                     EO_OK);
    assert_int_equal(cl.iat, (long long)t0);
    assert_int_equal(cl.exp, (long long)t0 + app.cfg.access_ttl_s);
    assert_int_equal(cl.sid, first.session_id);

    /* Ten minutes later (the access token has expired): the refresh token rotates. */
    const char *code = NULL;
    assert_int_equal(refresh_at(t0 + 600, first.refresh_token, &next, &code), EO_OK);
    assert_int_equal(next.session_id, first.session_id);
    assert_string_not_equal(next.refresh_token, first.refresh_token);
    assert_int_equal(eo_token_verify(app.jwt, next.access_token, app.cfg.jwt_issuer, app.cfg.jwt_audience,
                                     (long long)t0 + 600, &cl, &err),
                     EO_OK);
    assert_int_equal(cl.iat, (long long)t0 + 600);

    /* Rotation does not prolong the session: it ends refresh_ttl_s after the sign-in. */
    eo_session_tokens later;
    assert_int_equal(refresh_at(t0 + app.cfg.refresh_ttl_s, next.refresh_token, &later, &code), EO_ERR_UNAUTHORIZED);
    assert_string_equal(code, "invalid_refresh_token");
    assert_int_equal(refresh_at(t0 + app.cfg.refresh_ttl_s - 1, next.refresh_token, &later, &code), EO_OK);

    /* A spent token presented again ends the session: its newest token dies with it. */
    eo_session_tokens stolen;
    assert_int_equal(refresh_at(t0 + 700, first.refresh_token, &stolen, &code), EO_ERR_UNAUTHORIZED);
    assert_string_equal(code, "invalid_refresh_token");
    assert_int_equal(refresh_at(t0 + 701, later.refresh_token, &stolen, &code), EO_ERR_UNAUTHORIZED);
    eo_err_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_throttle_follows_now),
        cmocka_unit_test(test_refresh_rotation_follows_now),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
