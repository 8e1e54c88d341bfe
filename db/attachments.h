/* SQL of the attachments table (migration 0005): insert a row already
 * referenced inside the caller's transaction, read one for serving, and the
 * two halves of the sweep (released rows; objects without a row). Every
 * statement that can race on a storage key takes the transaction-scoped
 * advisory lock hashtextextended(key, 0) first. */
#ifndef EO_DB_ATTACHMENTS_H
#define EO_DB_ATTACHMENTS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/attachment.h"
#include "db/pool.h"

/* Inside the caller's transaction (the record's): one statement. *reused: the
 * owner already has a referenced attachment of this kind with these bytes.
 * put_after: a database time (Unix seconds) taken before the object was
 * written; when the sweeper deleted this key since, nothing is inserted and
 * the answer is EO_ERR_UNAVAILABLE storage_unavailable (retry: the retry
 * writes the object again). */
/* The database's clock in whole Unix seconds, rounded down: the put_after of
 * eo_svc_attachment_insert, read before the object is written (rounding up
 * could place it after a sweeper's tombstone of the same key). */
eo_status eo_db_attachment_clock(eo_db *db, long long *epoch, eo_err *err);
eo_status eo_db_attachment_insert(eo_db *db, const char *kind, long long owner_employee_id, const eo_attachment_meta *m,
                                  long long put_after, long long *id, bool *reused, eo_err *err);

typedef struct {
    long long id;
    long long owner_employee_id;
    char key[72];
    char content_type[80];
} eo_attachment_row;

/* A referenced attachment of that kind; EO_ERR_NOT_FOUND not_found_code otherwise. */
eo_status eo_db_attachment_get(eo_db *db, const char *kind, long long id, const char *not_found_code,
                               eo_attachment_row *row, eo_err *err);

typedef eo_status (*eo_attachment_delete_fn)(void *ud, const char *key, eo_err *err);

/* Released rows older than grace_s: each deleted in its own transaction under
 * the key lock, its object through del() unless another row still uses the
 * key. At most `batch`; returns how many rows went, or -1 on a db error. */
int eo_db_attachment_sweep_released(eo_db *db, int grace_s, int batch, eo_attachment_delete_fn del, void *ud,
                                    eo_err *err);

/* Of `keys` (a JSON array of storage keys, not stolen), those no row uses: a
 * new JSON array in *orphans. One statement. */
eo_status eo_db_attachment_keys_without_row(eo_db *db, json_t *keys, json_t **orphans, eo_err *err);

/* Under the key lock, re-checks that no row uses key (a check-in may have
 * committed one since the listing) and only then deletes the object through
 * del(). *deleted tells which. Own transaction. */
eo_status eo_db_attachment_delete_orphan(eo_db *db, const char *key, eo_attachment_delete_fn del, void *ud,
                                         bool *deleted, eo_err *err);

/* Forgets tombstones older than an hour (no upload takes that long between
 * its database time and its insert). */
eo_status eo_db_attachment_prune_sweeps(eo_db *db, eo_err *err);

#endif
