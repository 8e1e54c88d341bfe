/* Route matching: path templates, parameters, 404 versus 405. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "api/http.h"
#include "api/router.h"

static void match(const char *method, const char *path, const eo_route **r, bool *known, char *allow,
                  const char **params, char *buf)
{
    *r = eo_router_match(method, path, params, buf, 256, known, allow, 96);
}

static void test_exact_route(void **state)
{
    (void)state;
    const eo_route *r;
    bool known;
    char allow[96], buf[256];
    const char *params[EO_MAX_PATH_PARAMS] = {0};
    match("GET", "/healthz", &r, &known, allow, params, buf);
    assert_non_null(r);
    assert_string_equal(r->pattern, "/healthz");
    assert_true(known);
    match("HEAD", "/healthz", &r, &known, allow, params, buf);
    assert_non_null(r);
}

static void test_405_lists_allowed_methods(void **state)
{
    (void)state;
    const eo_route *r;
    bool known;
    char allow[96], buf[256];
    const char *params[EO_MAX_PATH_PARAMS] = {0};
    match("DELETE", "/healthz", &r, &known, allow, params, buf);
    assert_null(r);
    assert_true(known);
    assert_string_equal(allow, "GET");
}

static void test_404_for_unknown_and_near_misses(void **state)
{
    (void)state;
    const char *paths[] = {"/", "/healthz/", "/healthzz", "/health", "//healthz", "/HEALTHZ", "/healthz/x", ""};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        const eo_route *r;
        bool known = true;
        char allow[96], buf[256];
        const char *params[EO_MAX_PATH_PARAMS] = {0};
        match("GET", paths[i], &r, &known, allow, params, buf);
        assert_null(r);
        assert_false(known);
    }
}

static void test_parameters_are_captured_per_segment(void **state)
{
    (void)state;
    /* Find any route with a parameter in the built-in tables; the modules add them. */
    for (const eo_module *const *m = eo_modules(); *m; m++) {
        for (const eo_route *rt = (*m)->routes; rt->method; rt++) {
            const char *brace = strchr(rt->pattern, '{');
            if (!brace) continue;
            /* Build a concrete path by replacing each {x} with "v1". */
            char path[256] = "";
            for (const char *p = rt->pattern; *p;) {
                if (*p == '{') {
                    strncat(path, "v1", sizeof(path) - strlen(path) - 1);
                    p = strchr(p, '}') + 1;
                } else {
                    strncat(path, p, 1);
                    p++;
                }
            }
            const eo_route *r;
            bool known;
            char allow[96], buf[256];
            const char *params[EO_MAX_PATH_PARAMS] = {0};
            match(rt->method, path, &r, &known, allow, params, buf);
            assert_non_null(r);
            assert_non_null(params[0]);
            assert_string_equal(params[0], "v1");
            /* An empty segment never matches a parameter. */
            char *v = strstr(path, "v1");
            memmove(v, v + 2, strlen(v + 2) + 1);
            match(rt->method, path, &r, &known, allow, params, buf);
            assert_true(r == NULL || strcmp(r->pattern, rt->pattern) != 0);
            return;
        }
    }
    skip(); /* only the health routes are built in */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_route),
        cmocka_unit_test(test_405_lists_allowed_methods),
        cmocka_unit_test(test_404_for_unknown_and_near_misses),
        cmocka_unit_test(test_parameters_are_captured_per_segment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
