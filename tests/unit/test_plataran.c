/* The Plataran Sehat client's parsers and configuration (core/plataran.c):
 * what counts as a good document and every kind of garbage refused whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/plataran.h"

#define OK_ITEM "{\"id\": \"PS-1\", \"title\": \"T\", \"method\": \"seminar\", \"category\": \"social\", \"jp\": 4}"

static void test_catalogue(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int items; /* -1: refused */
    } rows[] = {
        {"{\"programmes\": []}", 0},
        {"{\"programmes\": [" OK_ITEM "]}", 1},
        {"{\"programmes\": [{\"id\": \"PS-2\", \"title\": \"T\", \"description\": \"d\", \"method\": \"on_the_job\","
         " \"category\": \"experiential\", \"jp\": 1000, \"competencies\": [\"M.01\"], \"organiser_unit_code\": \"X\"},"
         " " OK_ITEM "]}",
         2},
        {"{\"programmes\": [" OK_ITEM ", " OK_ITEM "]}", -1}, /* duplicate id */
        {"{\"programmes\": [{\"id\": \"PS-1\", \"title\": \"T\", \"method\": \"kuliah\", \"category\": \"social\", "
         "\"jp\": 4}]}",
         -1},
        {"{\"programmes\": [{\"id\": \"PS-1\", \"title\": \"T\", \"method\": \"seminar\", \"category\": \"x\", "
         "\"jp\": 4}]}",
         -1},
        {"{\"programmes\": [{\"id\": \"PS-1\", \"title\": \"T\", \"method\": \"seminar\", \"category\": \"social\", "
         "\"jp\": 0}]}",
         -1},
        {"{\"programmes\": [{\"id\": \"PS-1\", \"title\": \"T\", \"method\": \"seminar\", \"category\": \"social\", "
         "\"jp\": \"4\"}]}",
         -1},
        {"{\"programmes\": [{\"id\": \"\", \"title\": \"T\", \"method\": \"seminar\", \"category\": \"social\", "
         "\"jp\": 4}]}",
         -1},
        {"{\"programmes\": [{\"id\": \"PS-1\", \"title\": \"T\", \"method\": \"seminar\", \"category\": \"social\", "
         "\"jp\": 4, \"competencies\": [1]}]}",
         -1},
        {"{\"programmes\": [1]}", -1},
        {"{\"programmes\": {}}", -1},
        {"{\"programmes\": [], \"programmes\": []}", -1}, /* duplicate key */
        {"[]", -1},
        {"<html></html>", -1},
        {"", -1},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        eo_err err;
        eo_err_init(&err);
        json_t *out = NULL;
        eo_status st = eo_plataran_parse_catalogue(rows[i].body, strlen(rows[i].body), &out, &err);
        if (rows[i].items < 0) {
            if (st != EO_ERR_UNAVAILABLE || out) fail_msg("row %zu accepted", i);
            assert_string_equal(err.code, "plataran_bad_response");
        } else {
            if (st != EO_OK) fail_msg("row %zu refused: %s", i, err.log_detail);
            assert_int_equal(json_array_size(out), (size_t)rows[i].items);
            for (size_t k = 0; k < json_array_size(out); k++) {
                json_t *p = json_array_get(out, k);
                assert_true(json_is_array(json_object_get(p, "competencies")));
                assert_true(json_is_string(json_object_get(p, "description")));
                assert_non_null(json_object_get(p, "organiser_unit_code"));
            }
        }
        json_decref(out);
        eo_err_clear(&err);
    }
}

static void test_schedule(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int items;
    } rows[] = {
        {"{\"programme_id\": \"PS-1\", \"sessions\": []}", 0},
        {"{\"programme_id\": \"PS-1\", \"sessions\": [{\"id\": \"S1\", \"starts_at\": \"2030-01-01T08:00:00+07:00\","
         " \"ends_at\": \"2030-01-01T09:00:00+07:00\", \"mode\": \"online\"}, {\"id\": \"S2\", \"title\": \"x\","
         " \"starts_at\": \"2030-01-01T01:00:00Z\", \"ends_at\": \"2030-01-01T01:00:01Z\", \"location\": \"R\","
         " \"mode\": \"hybrid\"}]}",
         2},
        {"{\"programme_id\": \"PS-2\", \"sessions\": []}", -1}, /* another programme's */
        {"{\"programme_id\": \"PS-1\", \"sessions\": [{\"id\": \"S1\", \"starts_at\": \"2030-01-01T09:00:00Z\","
         " \"ends_at\": \"2030-01-01T08:00:00Z\", \"mode\": \"online\"}]}",
         -1}, /* ends before it starts */
        {"{\"programme_id\": \"PS-1\", \"sessions\": [{\"id\": \"S1\", \"starts_at\": \"2030-01-01T08:00:00+07:00\","
         " \"ends_at\": \"2030-01-01T09:00:00+07:00\", \"mode\": \"radio\"}]}",
         -1},
        {"{\"programme_id\": \"PS-1\", \"sessions\": [{\"id\": \"S1\", \"starts_at\": \"2030-13-01T08:00:00Z\","
         " \"ends_at\": \"2030-13-01T09:00:00Z\", \"mode\": \"online\"}]}",
         -1},
        {"{\"programme_id\": \"PS-1\", \"sessions\": [{\"id\": \"S1\", \"starts_at\": \"2030-01-01 08:00:00\","
         " \"ends_at\": \"2030-01-01 09:00:00\", \"mode\": \"online\"}]}",
         -1},
        {"{\"programme_id\": \"PS-1\", \"sessions\": [{\"id\": 1}]}", -1},
        {"{\"programme_id\": \"PS-1\"}", -1},
        {"garbage", -1},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        eo_err err;
        eo_err_init(&err);
        json_t *out = NULL;
        eo_status st = eo_plataran_parse_schedule(rows[i].body, strlen(rows[i].body), "PS-1", &out, &err);
        if (rows[i].items < 0) {
            if (st == EO_OK) fail_msg("row %zu accepted", i);
            assert_string_equal(err.code, "plataran_bad_response");
        } else {
            if (st != EO_OK) fail_msg("row %zu refused: %s", i, err.log_detail);
            assert_int_equal(json_array_size(out), (size_t)rows[i].items);
        }
        json_decref(out);
        eo_err_clear(&err);
    }
}

static void test_config(void **state)
{
    (void)state;
    eo_plataran_config c;
    char msg[200];
    unsetenv("EOFFICE_PLATARAN_URL");
    unsetenv("EOFFICE_PLATARAN_RETRIES");
    assert_int_equal(eo_plataran_config_from_env(&c, msg, sizeof(msg)), EO_OK);
    assert_string_equal(c.base_url, "");
    assert_int_equal(c.retries, 2);
    assert_int_equal(c.timeout_ms, 3000);
    setenv("EOFFICE_PLATARAN_URL", "https://plataran.example.go.id/api//", 1);
    assert_int_equal(eo_plataran_config_from_env(&c, msg, sizeof(msg)), EO_OK);
    assert_string_equal(c.base_url, "https://plataran.example.go.id/api");
    setenv("EOFFICE_PLATARAN_URL", "ftp://x", 1);
    assert_int_equal(eo_plataran_config_from_env(&c, msg, sizeof(msg)), EO_ERR_INVALID);
    assert_non_null(strstr(msg, "EOFFICE_PLATARAN_URL"));
    unsetenv("EOFFICE_PLATARAN_URL");
    setenv("EOFFICE_PLATARAN_RETRIES", "6", 1);
    assert_int_equal(eo_plataran_config_from_env(&c, msg, sizeof(msg)), EO_ERR_INVALID);
    assert_non_null(strstr(msg, "EOFFICE_PLATARAN_RETRIES"));
    unsetenv("EOFFICE_PLATARAN_RETRIES");
    /* without a URL the client refuses to call anything */
    eo_err err;
    eo_err_init(&err);
    eo_plataran_response r;
    assert_int_equal(eo_plataran_config_from_env(&c, msg, sizeof(msg)), EO_OK);
    assert_int_equal(eo_plataran_get(&c, "/v1/programmes", "", &r, &err), EO_ERR_UNAVAILABLE);
    assert_string_equal(err.code, "plataran_not_configured");
    eo_err_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
