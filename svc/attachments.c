#include "svc/attachments.h"

#include <stdlib.h>
#include <string.h>

#include "core/storage.h"
#include "db/attachments.h"

eo_status eo_svc_attachment_check(const eo_attachment_policy *policy, const unsigned char *data, size_t len,
                                  eo_attachment *a, eo_err *err)
{
    memset(a, 0, sizeof(*a));
    a->policy = policy;
    return eo_attachment_check(policy, data, len, &a->meta, err);
}

eo_status eo_svc_attachment_put(eo_uow *u, const eo_attachment *a, const unsigned char *data, eo_err *err)
{
    if (eo_storage_put(u->app->storage, a->meta.key, data, a->meta.size, a->meta.content_type, err) != EO_OK) {
        if (err->status == EO_ERR_UNAVAILABLE && err->retry_after_s <= 0) err->retry_after_s = 5;
        return err->status;
    }
    return EO_OK;
}

eo_status eo_svc_attachment_insert(eo_uow *u, eo_attachment *a, long long owner_employee_id, long long put_after,
                                   eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_attachment_insert(db, a->policy->kind, owner_employee_id, &a->meta, put_after, &a->id, &a->reused,
                                   err);
}

eo_status eo_svc_attachment_read(eo_uow *u, const char *kind, long long id, eo_attachment_may_read_fn may_read,
                                 const char *not_found_code, eo_attachment_blob *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_attachment_row row;
    if (eo_db_attachment_get(db, kind, id, not_found_code, &row, err) != EO_OK) return err->status;
    bool allowed = false;
    if (may_read(u, row.owner_employee_id, &allowed, err) != EO_OK) return err->status;
    if (!allowed) return eo_fail(err, EO_ERR_NOT_FOUND, not_found_code);
    eo_uow_db_release(u); /* a storage round trip needs no database */
    if (eo_storage_get(u->app->storage, row.key, &out->data, &out->len, u->app->cfg.max_upload_bytes + 1, err) !=
        EO_OK) {
        /* A referenced row whose object is missing is a bug or a lost disk, never the client's fault. */
        if (err->status == EO_ERR_NOT_FOUND) {
            eo_err_clear(err);
            return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "attachment %lld: object %s missing", id, row.key);
        }
        return err->status;
    }
    memcpy(out->content_type, row.content_type, sizeof(out->content_type));
    return EO_OK;
}

void eo_svc_attachment_blob_free(eo_attachment_blob *b)
{
    free(b->data);
    b->data = NULL;
}

static eo_status delete_object(void *ud, const char *key, eo_err *err)
{
    return eo_storage_delete((eo_storage *)ud, key, err);
}

/* The orphan pass walks the whole store, checking candidates (objects older
 * than the grace period) against the table in batches as it goes: a batch
 * bound on candidates alone would stop at the first objects in use. */
typedef struct {
    eo_app *app;
    double before;
    json_t *batch;
    eo_sweep_stats *stats;
    eo_err *err;
    bool failed;
} orphan_pass;

enum { SWEEP_BATCH = 500 };

/* A connection per batch, not for the whole walk: listing a large bucket
 * takes a while and the pool is needed by check-ins meanwhile. */
static bool flush(orphan_pass *p)
{
    json_t *orphans = NULL;
    eo_db *db = NULL;
    if (eo_db_acquire(p->app->pool, &db, p->err) != EO_OK) return false;
    if (eo_db_attachment_keys_without_row(db, p->batch, &orphans, p->err) != EO_OK) {
        eo_db_release(db);
        return false;
    }
    json_array_clear(p->batch);
    size_t i;
    json_t *k;
    bool ok = true;
    json_array_foreach(orphans, i, k)
    {
        bool deleted = false;
        if (eo_db_attachment_delete_orphan(db, json_string_value(k), delete_object, p->app->storage, &deleted,
                                           p->err) != EO_OK) {
            ok = false;
            break;
        }
        p->stats->orphans += deleted;
    }
    json_decref(orphans);
    eo_db_release(db);
    return ok;
}

static bool visit(void *ud, const char *key, double mtime)
{
    orphan_pass *p = ud;
    p->stats->listed++;
    if (mtime >= p->before) return true; /* young: its transaction may still be under way */
    json_array_append_new(p->batch, json_string(key));
    if (json_array_size(p->batch) < SWEEP_BATCH) return true;
    p->failed = !flush(p);
    return !p->failed;
}

eo_status eo_svc_attachments_sweep(eo_app *app, double now, int grace_s, bool list_store, eo_sweep_stats *stats,
                                   eo_err *err)
{
    memset(stats, 0, sizeof(*stats));
    eo_db *db = NULL;
    if (eo_db_acquire(app->pool, &db, err) != EO_OK) return err->status;
    int n = eo_db_attachment_sweep_released(db, grace_s, 200, delete_object, app->storage, err);
    eo_db_release(db);
    if (n < 0) return err->status;
    stats->released = n;
    if (!list_store) return EO_OK;
    /* Listing the store is the only way to see an object whose transaction
     * never committed: by design no row was ever written for it. */
    orphan_pass p = {.app = app, .before = now - (double)grace_s, .batch = json_array(), .stats = stats, .err = err};
    if (!p.batch) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    if (eo_storage_list(app->storage, visit, &p, err) == EO_OK && !p.failed && json_array_size(p.batch) > 0) flush(&p);
    json_decref(p.batch);
    return err->status;
}
