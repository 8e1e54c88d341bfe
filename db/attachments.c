#include "db/attachments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

eo_status eo_db_attachment_insert(eo_db *db, const char *kind, long long owner_employee_id, const eo_attachment_meta *m,
                                  long long put_after, long long *id, bool *reused, eo_err *err)
{
    /* RETURNING's subquery sees the table as it was before this insert, so the
     * new row never counts as its own earlier use. */
    static const char sql[] =
        "with lock as (select pg_advisory_xact_lock(hashtextextended($2, 0)))"
        " insert into attachments (kind, employee_id, storage_key, sha256, content_type, size_bytes, status,"
        "  pending_since)"
        " select $6, $1, $2, $3, $4, $5, 'referenced', null from lock"
        " where not exists (select 1 from attachment_sweeps s where s.storage_key = $2"
        "   and s.swept_at >= to_timestamp($7) - interval '1 second')"
        " returning id, exists (select 1 from attachments p where p.employee_id = $1 and p.sha256 = $3"
        "   and p.kind = $6 and p.status = 'referenced')";
    char owner[24], sz[24], after[24];
    snprintf(owner, sizeof(owner), "%lld", owner_employee_id);
    snprintf(sz, sizeof(sz), "%zu", m->size);
    snprintf(after, sizeof(after), "%lld", put_after);
    const char *params[] = {owner, m->key, m->sha256, m->content_type, sz, kind, after};
    PGresult *r = eo_db_one(db, "attachment_insert", sql, 7, params, NULL, err);
    if (!r) {
        if (err->status != EO_OK) return err->status;
        /* The sweeper took this object while it was being written again. */
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "object %s swept during its upload", m->key);
        err->retry_after_s = 1;
        return err->status;
    }
    *id = eo_db_get_ll(r, 0, 0);
    *reused = eo_db_bool(r, 0, 1);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_attachment_get(eo_db *db, const char *kind, long long id, const char *not_found_code,
                               eo_attachment_row *row, eo_err *err)
{
    char ids[24];
    snprintf(ids, sizeof(ids), "%lld", id);
    const char *params[] = {ids, kind};
    memset(row, 0, sizeof(*row));
    PGresult *r = eo_db_one(db, "attachment_get",
                            "select employee_id, storage_key, content_type from attachments"
                            " where id = $1 and kind = $2 and status = 'referenced'",
                            2, params, not_found_code, err);
    if (!r) return err->status;
    row->id = id;
    row->owner_employee_id = eo_db_get_ll(r, 0, 0);
    eo_db_copy(row->key, sizeof(row->key), r, 0, 1);
    eo_db_copy(row->content_type, sizeof(row->content_type), r, 0, 2);
    PQclear(r);
    return EO_OK;
}

/* Under the key lock, after the object is gone: see attachment_sweeps in 0005. */
static eo_status tombstone(eo_db *db, const char *key, eo_err *err)
{
    const char *params[] = {key};
    return eo_db_run(db,
                     "insert into attachment_sweeps (storage_key, swept_at) values ($1, clock_timestamp())"
                     " on conflict (storage_key) do update set swept_at = excluded.swept_at",
                     1, params, err);
}

int eo_db_attachment_sweep_released(eo_db *db, int grace_s, int batch, eo_attachment_delete_fn del, void *ud,
                                    eo_err *err)
{
    char grace[16], lim[16];
    snprintf(grace, sizeof(grace), "%d", grace_s);
    snprintf(lim, sizeof(lim), "%d", batch);
    const char *params[] = {grace, lim};
    PGresult *r = eo_db_exec(db, NULL,
                             "select id from attachments where status = 'pending'"
                             " and pending_since < now() - make_interval(secs => $1::int)"
                             " order by pending_since limit $2",
                             2, params, err);
    if (!r) return -1;
    int done = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *pid[] = {eo_db_str(r, i, 0)};
        if (eo_db_begin(db, err) != EO_OK) break;
        PGresult *k = eo_db_exec(db, NULL,
                                 "select storage_key, pg_advisory_xact_lock(hashtextextended(storage_key, 0))::text"
                                 " from attachments where id = $1 and status = 'pending'",
                                 1, pid, err);
        if (!k) {
            eo_db_rollback(db);
            break;
        }
        if (PQntuples(k) != 1) {
            PQclear(k);
            eo_db_rollback(db);
            continue;
        }
        char key[72];
        eo_db_copy(key, sizeof(key), k, 0, 0);
        PQclear(k);
        const char *kp[] = {pid[0], key};
        PGresult *d = eo_db_exec(db, NULL,
                                 "with gone as (delete from attachments where id = $1 and status = 'pending'"
                                 "  returning id)"
                                 " select count(*) from gone where not exists"
                                 "  (select 1 from attachments where storage_key = $2 and id <> $1)",
                                 2, kp, err);
        if (!d) {
            eo_db_rollback(db);
            break;
        }
        bool last_user = eo_db_get_ll(d, 0, 0) > 0;
        PQclear(d);
        /* The object goes while the key lock is held, so a concurrent upload of
         * the same bytes either sees it gone (and rewrites it) or keeps it alive. */
        if (last_user && (del(ud, key, err) != EO_OK || tombstone(db, key, err) != EO_OK)) {
            eo_db_rollback(db);
            break;
        }
        if (eo_db_commit(db, err) != EO_OK) break;
        done++;
    }
    PQclear(r);
    return err->status == EO_OK ? done : -1;
}

eo_status eo_db_attachment_prune_sweeps(eo_db *db, eo_err *err)
{
    return eo_db_run(db, "delete from attachment_sweeps where swept_at < now() - interval '1 hour'", 0, NULL, err);
}

eo_status eo_db_attachment_keys_without_row(eo_db *db, json_t *keys, json_t **orphans, eo_err *err)
{
    *orphans = NULL;
    char *text = json_dumps(keys, JSON_COMPACT);
    if (!text) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    const char *params[] = {text};
    PGresult *r = eo_db_exec(db, "attachment_keys_without_row",
                             "select k from jsonb_array_elements_text($1::jsonb) k"
                             " where not exists (select 1 from attachments a where a.storage_key = k)",
                             1, params, err);
    free(text);
    if (!r) return err->status;
    json_t *out = json_array();
    for (int i = 0; out && i < PQntuples(r); i++) json_array_append_new(out, json_string(eo_db_str(r, i, 0)));
    PQclear(r);
    if (!out) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    *orphans = out;
    return EO_OK;
}

eo_status eo_db_attachment_delete_orphan(eo_db *db, const char *key, eo_attachment_delete_fn del, void *ud,
                                         bool *deleted, eo_err *err)
{
    *deleted = false;
    const char *params[] = {key};
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    PGresult *r = eo_db_one(db, NULL,
                            "select exists (select 1 from attachments where storage_key = $1)"
                            " from (select pg_advisory_xact_lock(hashtextextended($1, 0))) lock",
                            1, params, "internal", err);
    if (!r) goto fail;
    bool used = eo_db_bool(r, 0, 0);
    PQclear(r);
    if (!used) {
        if (del(ud, key, err) != EO_OK || tombstone(db, key, err) != EO_OK) goto fail;
        *deleted = true;
    }
    return eo_db_commit(db, err);
fail:
    eo_db_rollback(db);
    return err->status;
}

eo_status eo_db_attachment_clock(eo_db *db, long long *epoch, eo_err *err)
{
    return eo_db_one_ll(db, "attachment_clock", "select floor(extract(epoch from now()))::bigint", 0, NULL, "internal",
                        epoch, err);
}
