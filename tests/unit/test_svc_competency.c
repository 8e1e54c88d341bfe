/* The decisions the competency and integration use cases make before they
 * touch the database: admin-only writes, the key's scope, a malformed key.
 * The unit has no pool, so a use case that reached the database before
 * deciding would crash here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "svc/competency.h"
#include "svc/integration.h"

static eo_app app; /* no pool */

static void test_dictionary_writes_are_admin_only(void **state)
{
    (void)state;
    eo_uow u;
    eo_err err;
    json_t *out = NULL;
    eo_principal anpeg = {.employee_id = 7, .roles = EO_ROLE_ANPEG};
    eo_uow_init(&u, &app, &anpeg, 0);

    eo_err_init(&err);
    eo_err_field(&err, "name", "missing_field"); /* dropped: a non-admin learns nothing of the request */
    eo_svc_comp_def_in def = {.code = "T.X-1", .name = "x", .category = "technical", .active = 1};
    assert_int_equal(eo_svc_comp_dict_create(&u, &def, &out, &err), EO_ERR_FORBIDDEN);
    assert_int_equal(err.n_fields, 0);
    eo_err_init(&err);
    assert_int_equal(eo_svc_comp_dict_update(&u, &def, &out, &err), EO_ERR_FORBIDDEN);
    eo_err_init(&err);
    assert_int_equal(eo_svc_comp_level_put(&u, "M.01", 1, "x", NULL, &out, &err), EO_ERR_FORBIDDEN);
    eo_err_init(&err);
    assert_int_equal(eo_svc_comp_standard_put(&u, 1, "M.01", 3, &out, &err), EO_ERR_FORBIDDEN);
    eo_err_init(&err);
    assert_int_equal(eo_svc_comp_standards_get(&u, 1, &out, &err), EO_ERR_FORBIDDEN);
    assert_null(out);

    eo_uow_init(&u, &app, NULL, 0);
    eo_err_init(&err);
    assert_int_equal(eo_svc_comp_dict_create(&u, &def, &out, &err), EO_ERR_UNAUTHORIZED);
    eo_err_init(&err);
    assert_int_equal(eo_svc_comp_profile(&u, NULL, &out, &err), EO_ERR_UNAUTHORIZED);
}

static void test_keys_and_scopes_before_the_database(void **state)
{
    (void)state;
    eo_uow u;
    eo_err err;
    json_t *out = NULL;
    eo_api_client client;
    eo_uow_init(&u, &app, NULL, 0);

    static const char *const bad[] = {NULL, "", "Bearer abc", "eok_short", "eok_0123456789ab_xyz"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eo_err_init(&err);
        assert_int_equal(eo_svc_apikey_authenticate(&u, bad[i], &client, &err), EO_ERR_UNAUTHORIZED);
        assert_string_equal(err.code, i < 2 ? "api_key_required" : "api_key_invalid");
        assert_int_equal(client.id, 0);
    }

    eo_api_client reader = {.id = 1, .partner = "p", .scopes = EO_SCOPE_EMPLOYEES_READ};
    eo_api_client writer = {.id = 2, .partner = "p", .scopes = EO_SCOPE_ASSESSMENT_WRITE | EO_SCOPE_TRAINING_WRITE};
    json_t *report = json_array();
    eo_err_init(&err);
    assert_int_equal(eo_svc_integration_assessments(&u, &reader, NULL, 0, report, &out, &err), EO_ERR_FORBIDDEN);
    assert_string_equal(err.code, "api_key_scope_missing");
    eo_err_clear(&err);
    assert_int_equal(eo_svc_integration_trainings(&u, &reader, NULL, 0, report, &out, &err), EO_ERR_FORBIDDEN);
    eo_err_clear(&err);
    assert_int_equal(eo_svc_integration_employee(&u, &writer, "199305212019032001", &out, &err), EO_ERR_FORBIDDEN);
    eo_err_clear(&err);
    assert_int_equal(eo_svc_integration_employee(&u, &reader, "12345", &out, &err), EO_ERR_NOT_FOUND);
    eo_err_clear(&err);
    json_decref(report);

    /* key administration: admin or the command line (no principal) */
    eo_principal staff = {.employee_id = 7, .roles = EO_ROLE_HUMAS};
    eo_uow_init(&u, &app, &staff, 0);
    char key[EO_APIKEY_TEXT_LEN + 1];
    const char *scopes[] = {"employees:read"};
    eo_svc_apikey_create_in in = {.partner = "p", .scopes = scopes, .n_scopes = 1};
    eo_err_init(&err);
    assert_int_equal(eo_svc_apikey_create(&u, &in, key, &out, &err), EO_ERR_FORBIDDEN);
    assert_string_equal(key, "");
    eo_err_init(&err);
    assert_int_equal(eo_svc_apikey_revoke(&u, 1, NULL, &out, &err), EO_ERR_FORBIDDEN);

    eo_uow_init(&u, &app, NULL, 0);
    const char *wrong[] = {"employees:write"};
    eo_svc_apikey_create_in bad_in = {.partner = "Bad Partner", .scopes = wrong, .n_scopes = 1};
    eo_err_init(&err);
    assert_int_equal(eo_svc_apikey_create(&u, &bad_in, key, &out, &err), EO_ERR_INVALID);
    assert_int_equal(err.n_fields, 2);
}

static void test_report_helper(void **state)
{
    (void)state;
    json_t *r = json_array();
    eo_svc_integration_report(r, 3, "nip", "employee_not_found");
    eo_svc_integration_report(r, 1, "scores", "missing_field");
    eo_svc_integration_report(r, 3, "assessed_on", "invalid_value");
    assert_int_equal(json_array_size(r), 2);
    json_t *first = json_array_get(r, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "index")), 3);
    assert_int_equal(json_array_size(json_object_get(first, "errors")), 2);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dictionary_writes_are_admin_only),
        cmocka_unit_test(test_keys_and_scopes_before_the_database),
        cmocka_unit_test(test_report_helper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
