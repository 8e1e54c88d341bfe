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

eo_status eo_svc_attachment_insert(eo_uow *u, eo_attachment *a, long long owner_employee_id, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_attachment_insert(db, a->policy->kind, owner_employee_id, &a->meta, &a->id, &a->reused, err);
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

/* Listing callback: collects keys old enough to be orphans, up to a batch. */
typedef struct {
    double before;
    json_t *keys;
    int listed;
} listing;

enum { SWEEP_BATCH = 500 };

static bool collect_old(void *ud, const char *key, double mtime)
{
    listing *l = ud;
    l->listed++;
    if (mtime < l->before) json_array_append_new(l->keys, json_string(key));
    return json_array_size(l->keys) < SWEEP_BATCH;
}

eo_status eo_svc_attachments_sweep(eo_app *app, double now, int grace_s, eo_sweep_stats *stats, eo_err *err)
{
    memset(stats, 0, sizeof(*stats));
    eo_db *db = NULL;
    json_t *orphans = NULL;
    listing l = {.before = now - (double)grace_s, .keys = json_array()};
    if (!l.keys) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    if (eo_db_acquire(app->pool, &db, err) != EO_OK) goto done;
    int n = eo_db_attachment_sweep_released(db, grace_s, 200, delete_object, app->storage, err);
    if (n < 0) goto done;
    stats->released = n;
    /* Listing the store is the only way to see an object whose transaction
     * never committed: by design no row was ever written for it. */
    if (eo_storage_list(app->storage, collect_old, &l, err) != EO_OK) goto done;
    stats->listed = l.listed;
    if (json_array_size(l.keys) == 0) goto done;
    if (eo_db_attachment_keys_without_row(db, l.keys, &orphans, err) != EO_OK) goto done;
    size_t i;
    json_t *k;
    json_array_foreach(orphans, i, k)
    {
        bool deleted = false;
        if (eo_db_attachment_delete_orphan(db, json_string_value(k), delete_object, app->storage, &deleted, err) !=
            EO_OK)
            goto done;
        stats->orphans += deleted;
    }
done:
    json_decref(orphans);
    json_decref(l.keys);
    if (db) eo_db_release(db);
    return err->status;
}
