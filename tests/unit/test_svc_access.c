/* The decisions the identity use cases make before touching the database:
 * who may see whom (svc/access.h), and the admin and principal checks of the
 * me / admin use cases. The unit has no pool, so a use case that reached the
 * database before deciding would crash here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "svc/access.h"
#include "svc/admin.h"
#include "svc/me.h"

static eo_app app; /* no pool */

static void test_view_without_database(void **state)
{
    (void)state;
    eo_uow u;
    eo_err err;
    bool ok = true;
    eo_principal self = {.employee_id = 7, .roles = 0};
    eo_principal admin = {.employee_id = 1, .roles = EO_ROLE_ADMIN};

    eo_uow_init(&u, &app, NULL, 0);
    eo_err_init(&err);
    assert_false(eo_svc_access_is_admin(&u));
    assert_int_equal(eo_svc_access_can_view(&u, NULL, 7, &ok, &err), EO_OK);
    assert_false(ok);
    assert_int_equal(eo_svc_access_require_view(&u, NULL, 7, &err), EO_ERR_UNAUTHORIZED);
    assert_string_equal(err.code, "unauthorized");

    eo_uow_init(&u, &app, &self, 0);
    eo_err_init(&err);
    assert_int_equal(eo_svc_access_require_view(&u, NULL, 7, &err), EO_OK);
    assert_int_equal(eo_svc_access_can_manage(&u, NULL, 7, &ok, &err), EO_OK);
    assert_false(ok); /* nobody manages their own records */

    eo_uow_init(&u, &app, &admin, 0);
    assert_true(eo_svc_access_is_admin(&u));
    assert_int_equal(eo_svc_access_require_view(&u, NULL, 7, &err), EO_OK);
    assert_int_equal(eo_svc_access_can_manage(&u, NULL, 7, &ok, &err), EO_OK);
    assert_true(ok);
}

static void test_admin_use_cases_refuse_first(void **state)
{
    (void)state;
    eo_uow u;
    eo_err err;
    eo_principal staff = {.employee_id = 7, .roles = EO_ROLE_HUMAS};
    eo_svc_admin_status_out st;
    eo_svc_admin_grant_out gr;
    eo_enrolment_started en;

    eo_uow_init(&u, &app, &staff, 0);
    eo_err_init(&err);
    eo_svc_admin_status_in dis = {.nip = "123", .disable = true};
    assert_int_equal(eo_svc_admin_account_status(&u, &dis, &st, &err), EO_ERR_FORBIDDEN);
    assert_string_equal(err.code, "forbidden");

    /* Field errors the handler found are dropped: a non-admin learns nothing of the request. */
    eo_err_init(&err);
    eo_err_field(&err, "role", "invalid_type");
    eo_svc_admin_grant_in g = {.nip = "198908172014032001", .role = NULL};
    assert_int_equal(eo_svc_admin_role_grant(&u, &g, &gr, &err), EO_ERR_FORBIDDEN);
    assert_int_equal(err.n_fields, 0);

    eo_err_init(&err);
    eo_svc_admin_target_in t = {.nip = "198908172014032001"};
    assert_int_equal(eo_svc_admin_authenticator_reset(&u, &t, &en, &err), EO_ERR_FORBIDDEN);
    eo_err_init(&err);
    eo_svc_admin_revoke_in rv = {.nip = "198908172014032001", .grant_id = 1};
    assert_int_equal(eo_svc_admin_role_revoke(&u, &rv, &err), EO_ERR_FORBIDDEN);

    eo_uow_init(&u, &app, NULL, 0);
    eo_err_init(&err);
    assert_int_equal(eo_svc_admin_role_revoke(&u, &rv, &err), EO_ERR_UNAUTHORIZED);
}

static void test_me_use_cases_need_a_principal(void **state)
{
    (void)state;
    eo_uow u;
    eo_err err;
    eo_uow_init(&u, &app, NULL, 0);

    eo_err_init(&err);
    eo_svc_me_password_in pw = {.current_password = "a", .new_password = "b", .new_password_confirmation = "b"};
    eo_svc_me_password_out pwo;
    assert_int_equal(eo_svc_me_password_change(&u, &pw, &pwo, &err), EO_ERR_UNAUTHORIZED);

    eo_err_init(&err);
    eo_svc_me_session_revoke_in rv = {.session_id = 5};
    assert_int_equal(eo_svc_me_session_revoke(&u, &rv, &err), EO_ERR_UNAUTHORIZED);

    eo_err_init(&err);
    eo_svc_me_settings_in s = {.supervisor_nip = ""};
    eo_svc_me_settings_out so;
    assert_int_equal(eo_svc_me_settings_update(&u, &s, &so, &err), EO_ERR_UNAUTHORIZED);

    /* The password rules are the use case's: checked before any database work. */
    eo_principal self = {.employee_id = 7};
    eo_uow_init(&u, &app, &self, 0);
    eo_err_init(&err);
    eo_svc_me_password_in same = {
        .current_password = "Kopi-Tubruk-2026!", .new_password = "Kopi-Tubruk-2026!", .new_password_confirmation = "x"};
    assert_int_equal(eo_svc_me_password_change(&u, &same, &pwo, &err), EO_ERR_INVALID);
    assert_true(err.n_fields >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_without_database),
        cmocka_unit_test(test_admin_use_cases_refuse_first),
        cmocka_unit_test(test_me_use_cases_need_a_principal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
