/* Attachments as a use-case service: store an uploaded object durably,
 * reference it from a record in ONE commit, serve it to whoever the owning
 * module allows, and sweep what no record holds.
 *
 * How a module uses it (presensi photos; PDM documents, LKH evidence next):
 *   1. eo_svc_attachment_check(policy, bytes)  -- pure: type by content, size,
 *      sha256 key; do it before anything else costs.
 *   2. eo_svc_attachment_put(u, &a, bytes)     -- writes the object (fs: fsync +
 *      rename; S3: PUT). No database connection is needed: release it first.
 *      503 storage_unavailable (Retry-After) and nothing recorded when it fails.
 *   3. inside the record's transaction: eo_svc_attachment_insert(u, &a, owner, t)
 *      then the record's own INSERT/UPDATE naming a.id, then commit. The row is
 *      born 'referenced': there is no pending state and no second commit.
 *   4. a record that lets an attachment go marks it released (status
 *      'pending'); the sweeper removes it after the grace period.
 *   5. reading: eo_svc_attachment_read(u, kind, id, may_read, ...) with the
 *      module's authorisation hook; "not found" for anyone it refuses.
 * Orphans (an object written but its transaction never committed) have no row;
 * eo_svc_attachments_sweep finds them by listing the store. */
#ifndef EO_SVC_ATTACHMENTS_H
#define EO_SVC_ATTACHMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/attachment.h"
#include "svc/uow.h"

typedef struct {
    const eo_attachment_policy *policy;
    eo_attachment_meta meta; /* type, content type, sha256, key */
    long long id;            /* after eo_svc_attachment_insert */
    bool reused;             /* the owner had a referenced attachment with these bytes */
} eo_attachment;

eo_status eo_svc_attachment_check(const eo_attachment_policy *policy, const unsigned char *data, size_t len,
                                  eo_attachment *a, eo_err *err);
/* put_after: a database time (Unix seconds, e.g. SELECT now() already done
 * for the module's own checks) taken before eo_svc_attachment_put. Should the
 * sweeper delete this very key meanwhile (identical bytes of an old orphan),
 * the insert fails with 503 storage_unavailable and the retry stores it anew. */
eo_status eo_svc_attachment_put(eo_uow *u, const eo_attachment *a, const unsigned char *data, eo_err *err);
eo_status eo_svc_attachment_insert(eo_uow *u, eo_attachment *a, long long owner_employee_id, long long put_after,
                                   eo_err *err);

/* The owning module's read rule: may u->who read an attachment owned by owner? */
typedef eo_status (*eo_attachment_may_read_fn)(eo_uow *u, long long owner_employee_id, bool *allowed, eo_err *err);

typedef struct {
    unsigned char *data; /* malloc'ed; eo_svc_attachment_blob_free */
    size_t len;
    char content_type[80];
} eo_attachment_blob;

/* Reads a referenced attachment of `kind`. A missing, released or refused one
 * is the same EO_ERR_NOT_FOUND not_found_code (ids are not an oracle). The
 * connection goes back to the pool before the storage read. */
eo_status eo_svc_attachment_read(eo_uow *u, const char *kind, long long id, eo_attachment_may_read_fn may_read,
                                 const char *not_found_code, eo_attachment_blob *out, eo_err *err);
void eo_svc_attachment_blob_free(eo_attachment_blob *b);

typedef struct {
    int released; /* released rows removed (with their objects when last user) */
    int orphans;  /* objects without a row removed */
    int listed;   /* objects seen in the store */
} eo_sweep_stats;

/* One sweep pass (the background job in svc/sweeper.h calls it): released
 * rows older than grace_s; then, when list_store, a walk of the whole store in
 * which objects older than grace_s are checked against the table 500 at a
 * time, and those no row uses are deleted after a re-check under the key lock.
 * Borrows connections from app->pool per step, never for the whole walk. */
eo_status eo_svc_attachments_sweep(eo_app *app, double now, int grace_s, bool list_store, eo_sweep_stats *stats,
                                   eo_err *err);

#endif
