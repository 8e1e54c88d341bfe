/* LKH use cases on the real database with an explicit `now` (svc/lkh.c):
 * the filing window follows the employee's time zone, schedule and holidays;
 * the atasan's permit opens a day past it; submit notifies the atasan in the
 * same transaction; nobody approves their own report.
 *
 * Runs when DATABASE_URL names a database it may write to (scripts/dev test
 * sets it before ctest); skips otherwise. Its fixture lives in March 2031 (a
 * 5-day schedule, an office in WIT, a holiday on Wednesday 5 March). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "svc_db.h"
#include "svc/lkh.h"

#define AUTHOR_NIP "198102032010011001"
#define ATASAN_NIP "197502032000011001"
#define UNIT       "SVC-LKH-TEST"
#define SCHEDULE   "SVC-LKH-5"
#define LOCATION   "SVC-LKH-WIT"
#define HOLIDAY    "2031-03-05"

/* 2031-03-10 01:00 in Asia/Jayapura (UTC+9) = 2031-03-09 16:00 UTC: Monday
 * there while it is still Sunday in UTC. */
#define MONDAY_EARLY_WIT 1930838400.0

static eo_app app;
static long long author_id, atasan_id;

static void sql(const char *stmt, const char *param) { svc_db_sql(app.pool, stmt, param); }

static long long number(const char *stmt, const char *param)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_db_acquire(app.pool, &db, &err), EO_OK);
    const char *p[] = {param};
    long long v = -1;
    assert_int_equal(eo_db_one_ll(db, NULL, stmt, param ? 1 : 0, param ? p : NULL, "not_found", &v, &err), EO_OK);
    eo_db_release(db);
    return v;
}

static void cleanup(void)
{
    static const char *const nips = "{" AUTHOR_NIP "," ATASAN_NIP "}";
    sql("delete from notifications where employee_id in (select id from employees where nip = any($1::text[]))", nips);
    sql("delete from audit_log where actor_employee_id in (select id from employees where nip = any($1::text[]))",
        nips);
    sql("delete from lkh_reports where employee_id in (select id from employees where nip = any($1::text[]))", nips);
    sql("delete from lkh_late_permits where employee_id in (select id from employees where nip = any($1::text[]))",
        nips);
    sql("update employees set supervisor_id = null where nip = any($1::text[])", nips);
    sql("delete from employees where nip = any($1::text[])", nips);
    sql("delete from office_locations where code = $1", LOCATION);
    sql("delete from work_schedules where code = $1", SCHEDULE);
    sql("delete from org_units where code = $1", UNIT);
    sql("delete from public_holidays where holiday_date = $1::date", HOLIDAY);
}

static int setup(void **state)
{
    (void)state;
    const char *url = getenv("DATABASE_URL");
    if (!url || !*url) return 0; /* every test skips */
    memset(&app, 0, sizeof app);
    app.cfg.lkh_backfill_workdays = 3;
    if (svc_db_open(&app, url, "test_svc_lkh")) return -1;
    cleanup();
    sql("insert into org_units (code, name) values ($1, 'svc lkh test')", UNIT);
    sql("insert into work_schedules (code, name, days_per_week) values ($1, '5 hari', 5)", SCHEDULE);
    sql("insert into work_schedule_days (schedule_id, season, isodow, start_time, end_time)"
        " select s.id, 'normal', d, '07:30', '16:00' from work_schedules s, generate_series(1, 5) d where s.code = $1",
        SCHEDULE);
    sql("insert into office_locations (code, name, unit_id, latitude, longitude, radius_m, time_zone)"
        " select $1, 'Kantor uji WIT', id, -2.5337, 140.7181, 200, 'Asia/Jayapura' from org_units where code = "
        "'SVC-LKH-TEST'",
        LOCATION);
    sql("insert into public_holidays (holiday_date, name) values ($1::date, 'Libur uji')", HOLIDAY);
    static const char emp[] =
        "insert into employees (nip, nik, name, gender, birth_date, employee_type, unit_id, office_location_id,"
        " work_schedule_id) select $1::text, '3174010101800002', 'Uji LKH', 'L', to_date(substr($1::text, 1, 8), "
        "'YYYYMMDD'),"
        " 'PNS', u.id, l.id, s.id from org_units u, office_locations l, work_schedules s"
        " where u.code = 'SVC-LKH-TEST' and l.code = 'SVC-LKH-WIT' and s.code = 'SVC-LKH-5'";
    sql(emp, ATASAN_NIP);
    sql(emp, AUTHOR_NIP);
    sql("update employees set supervisor_id = (select id from employees where nip = '" ATASAN_NIP "') where nip = $1",
        AUTHOR_NIP);
    author_id = number("select id from employees where nip = $1", AUTHOR_NIP);
    atasan_id = number("select id from employees where nip = $1", ATASAN_NIP);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    svc_db_close(&app, cleanup);
    return 0;
}

static eo_lkh_req one_activity(const char *date)
{
    eo_lkh_req q;
    memset(&q, 0, sizeof q);
    q.work_date = date;
    q.n = 1;
    q.activities[0] = (eo_lkh_activity_in){.description = "Menyusun laporan",
                                           .output = "Laporan",
                                           .unit = "dokumen",
                                           .start_time = "08:00",
                                           .end_time = "10:00",
                                           .quantity = 1};
    return q;
}

/* Creates the author's report for date at now; returns the status and the
 * first field error's code (or the problem code) in *code. */
static eo_status create_at(const char *date, double now, long long *id, const char **code)
{
    eo_principal who = {.employee_id = author_id};
    eo_uow u;
    eo_uow_init(&u, &app, &who, now);
    eo_err err;
    eo_err_init(&err);
    eo_lkh_req q = one_activity(date);
    json_t *out = NULL;
    eo_status st = eo_svc_lkh_create(&u, &q, &out, &err);
    *code = err.n_fields ? err.fields[0].code : err.code;
    if (id) *id = out ? json_integer_value(json_object_get(out, "id")) : 0;
    json_decref(out);
    eo_uow_end(&u);
    eo_err_clear(&err);
    return st;
}

static void test_window_in_the_employees_zone(void **state)
{
    (void)state;
    if (!app.pool) skip();
    static const struct {
        const char *date;
        eo_status st;
        const char *code;
    } t[] = {
        {"2031-03-10", EO_OK, NULL},                           /* Monday in WIT (Sunday in UTC) */
        {"2031-03-11", EO_ERR_INVALID, "lkh_future_date"},     /* tomorrow there */
        {"2031-03-09", EO_ERR_INVALID, "lkh_not_working_day"}, /* Sunday */
        {HOLIDAY, EO_ERR_INVALID, "lkh_not_working_day"},      /* the holiday */
        {"2031-03-06", EO_OK, NULL},                           /* Fri, Mon follow: 2 */
        {"2031-03-04", EO_OK, NULL},                           /* Thu, Fri, Mon follow (Wed off): 3 */
        {"2031-03-03", EO_ERR_INVALID, "lkh_too_far_back"},    /* Tue, Thu, Fri, Mon: 4 */
        {"2031-03-10", EO_ERR_CONFLICT, "lkh_report_exists"},  /* one per day */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *code = NULL;
        eo_status st = create_at(t[i].date, MONDAY_EARLY_WIT, NULL, &code);
        if (st != t[i].st) fail_msg("%s: status %d, want %d (%s)", t[i].date, (int)st, (int)t[i].st, code);
        if (t[i].code) assert_string_equal(code, t[i].code);
    }

    /* The author cannot open the day; the atasan can, then it may be filed. */
    const char *code = NULL;
    json_t *out = NULL;
    bool created = false;
    eo_err err;
    eo_uow u;
    eo_principal author = {.employee_id = author_id}, atasan = {.employee_id = atasan_id};
    eo_uow_init(&u, &app, &author, MONDAY_EARLY_WIT);
    eo_err_init(&err);
    assert_int_equal(eo_svc_lkh_permit(&u, AUTHOR_NIP, "2031-03-03", &out, &created, &err), EO_ERR_NOT_FOUND);
    eo_uow_end(&u);
    eo_err_clear(&err);
    eo_uow_init(&u, &app, &atasan, MONDAY_EARLY_WIT);
    assert_int_equal(eo_svc_lkh_permit(&u, AUTHOR_NIP, "2031-03-03", &out, &created, &err), EO_OK);
    assert_true(created);
    json_decref(out);
    eo_uow_end(&u);
    assert_int_equal(create_at("2031-03-03", MONDAY_EARLY_WIT, NULL, &code), EO_OK);
}

static void test_submit_notifies_and_nobody_reviews_their_own(void **state)
{
    (void)state;
    if (!app.pool) skip();
    const char *code = NULL;
    long long id = 0;
    /* a week later the calendar moves on: Monday 17 March, 01:00 WIT */
    double later = MONDAY_EARLY_WIT + 7 * 86400.0;
    assert_int_equal(create_at("2031-03-17", later, &id, &code), EO_OK);
    eo_principal author = {.employee_id = author_id}, atasan = {.employee_id = atasan_id};
    eo_uow u;
    eo_err err;
    json_t *out = NULL;
    eo_uow_init(&u, &app, &author, later);
    eo_err_init(&err);
    assert_int_equal(eo_svc_lkh_act(&u, id, EO_REVIEW_SUBMIT, NULL, &out, &err), EO_OK);
    assert_string_equal(json_string_value(json_object_get(out, "status")), "submitted");
    json_decref(out);
    assert_int_equal(eo_svc_lkh_act(&u, id, EO_REVIEW_APPROVE, NULL, &out, &err), EO_ERR_FORBIDDEN);
    assert_string_equal(err.code, "review_own_record");
    eo_uow_end(&u);
    eo_err_clear(&err);
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", id);
    assert_int_equal(number("select count(*) from notifications where target_type = 'lkh_report' and target_id = $1"
                            " and kind = 'lkh.submitted'",
                            rid),
                     1);
    eo_uow_init(&u, &app, &atasan, later + 60);
    assert_int_equal(eo_svc_lkh_act(&u, id, EO_REVIEW_APPROVE, NULL, &out, &err), EO_OK);
    assert_string_equal(json_string_value(json_object_get(out, "status")), "approved");
    json_decref(out);
    eo_uow_end(&u);
    assert_int_equal(number("select count(*) from lkh_reports where id = $1::bigint and status = 'approved'"
                            " and decided_at = to_timestamp(1930838400 + 7 * 86400 + 60)",
                            rid),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_in_the_employees_zone),
        cmocka_unit_test(test_submit_notifies_and_nobody_reviews_their_own),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
