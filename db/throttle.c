#include "db/throttle.h"

#include <stdio.h>

#include "db/pool.h"

eo_status eo_db_throttle_wait(eo_db *db, const char *key, double now, int *wait_s, eo_err *err)
{
    char at[32];
    snprintf(at, sizeof at, "%.6f", now);
    const char *p[] = {key, at};
    PGresult *r = NULL;
    eo_status st = eo_db_query(db,
                               "select ceil(extract(epoch from throttle_until - to_timestamp($2::float8)))::int "
                               "from auth_throttle where key = $1 and throttle_until > to_timestamp($2::float8)",
                               2, p, &r, err);
    if (st) return st;
    *wait_s = PQntuples(r) == 1 ? (int)eo_db_get_ll(r, 0, 0) : 0;
    if (*wait_s < 0) *wait_s = 0;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_throttle_fail(eo_db *db, const char *key, const eo_throttle_rule *rule, double now, int *wait_s,
                              eo_err *err)
{
    char window[16], at[32];
    snprintf(window, sizeof window, "%d", rule->window_s);
    snprintf(at, sizeof at, "%.6f", now);
    const char *p[] = {key, window, at};
    PGresult *r = NULL;
    /* A quiet window (no failure for window_s) starts the count afresh. */
    eo_status st = eo_db_query(db,
                               "insert into auth_throttle as t (key, failures, window_start) "
                               "values ($1, 1, to_timestamp($3::float8)) "
                               "on conflict (key) do update set failures = case when t.updated_at < "
                               "to_timestamp($3::float8) - make_interval(secs => $2::int) then 1 "
                               "else t.failures + 1 end, "
                               "window_start = case when t.updated_at < to_timestamp($3::float8) - "
                               "make_interval(secs => $2::int) then to_timestamp($3::float8) "
                               "else t.window_start end returning failures",
                               3, p, &r, err);
    if (st) return st;
    int failures = (int)eo_db_get_ll(r, 0, 0);
    PQclear(r);
    *wait_s = eo_throttle_delay(rule, failures);
    if (*wait_s > 0) {
        char w[16];
        snprintf(w, sizeof w, "%d", *wait_s);
        const char *p2[] = {key, w, at};
        st = eo_db_query(db,
                         "update auth_throttle set throttle_until = to_timestamp($3::float8) + "
                         "make_interval(secs => $2::int) where key = $1",
                         3, p2, NULL, err);
    }
    return st;
}

eo_status eo_db_throttle_clear(eo_db *db, const char *key, eo_err *err)
{
    const char *p[] = {key};
    return eo_db_query(db, "delete from auth_throttle where key = $1", 1, p, NULL, err);
}

eo_status eo_db_throttle_sweep(eo_db *db, double now, int limit, int *deleted, eo_err *err)
{
    char quiet[16], at[32], lim[16];
    snprintf(quiet, sizeof quiet, "%d", EO_THROTTLE_QUIET_MAX_S);
    snprintf(at, sizeof at, "%.6f", now);
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[] = {quiet, at, lim};
    PGresult *r = NULL;
    *deleted = 0;
    /* Quiet past the longest window: the next failure would start afresh
     * (eo_db_throttle_fail), so the row says nothing; a wait still running is
     * kept whatever its age. Bounded per pass so one pass is one short lock;
     * skip locked rows a sign-in is updating. */
    eo_status st = eo_db_query(db,
                               "delete from auth_throttle where key in (select key from auth_throttle "
                               "where updated_at < to_timestamp($2::float8) - make_interval(secs => $1::int) "
                               "and (throttle_until is null or throttle_until <= to_timestamp($2::float8)) "
                               "limit $3::int for update skip locked)",
                               3, p, &r, err);
    if (st) return st;
    *deleted = (int)eo_db_affected(r);
    PQclear(r);
    return EO_OK;
}
