/* The database side the svc unit tests share (tests/unit/test_svc_*.c): open
 * the pool on DATABASE_URL with the schema migrated, and run the test's own
 * fixture statements (the code under test keeps its SQL in db/). Header-only:
 * every tests/unit/test_*.c is its own program (CMakeLists.txt). */
#ifndef EO_TESTS_SVC_DB_H
#define EO_TESTS_SVC_DB_H

#include <stdio.h>

#include "db/migrate.h"
#include "svc/uow.h"

/* app->pool on url, migrated; -1 (after printing why, as `who`) when not. */
static inline int svc_db_open(eo_app *app, const char *url, const char *who)
{
    app->pool = eo_pool_create(url, 2, 5000, 30000);
    if (!app->pool) return -1;
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    if (eo_db_acquire(app->pool, &db, &err) || eo_migrate_apply(db, NULL, &err)) {
        fprintf(stderr, "%s: %s\n", who, err.log_detail);
        eo_db_release(db);
        return -1;
    }
    eo_db_release(db);
    return 0;
}

/* The other end of svc_db_open: the fixture's cleanup, then the pool (none when skipped). */
static inline void svc_db_close(eo_app *app, void (*cleanup)(void))
{
    if (!app->pool) return;
    cleanup();
    eo_pool_destroy(app->pool);
    app->pool = NULL;
}

/* One fixture statement with at most one parameter; fails the test when it fails. */
static inline void svc_db_sql(eo_pool *pool, const char *stmt, const char *param)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_db_acquire(pool, &db, &err), EO_OK);
    const char *p[] = {param};
    eo_status st = eo_db_run(db, stmt, param ? 1 : 0, param ? p : NULL, &err);
    if (st) fprintf(stderr, "fixture SQL failed: %s\n", err.log_detail);
    assert_int_equal(st, EO_OK);
    eo_db_release(db);
    eo_err_clear(&err);
}

#endif
