/* Object storage for attachments (core/attachment.h, svc/attachments.h): a
 * small interface with two back-ends, the local file system (default) and an
 * S3-compatible service.
 *
 * Keys are chosen by the server only: "<64 hex sha256>.<jpg|png|pdf|docx>"; anything
 * else is refused (eo_storage_key_valid), so no user input ever becomes a path.
 * Every function is thread-safe. A back-end that cannot be reached answers
 * EO_ERR_UNAVAILABLE "storage_unavailable". */
#ifndef EO_STORAGE_H
#define EO_STORAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/status.h"

typedef struct eo_storage eo_storage;

struct eo_storage_ops {
    eo_status (*put)(eo_storage *s, const char *key, const void *data, size_t len, const char *content_type,
                     eo_err *err);
    /* *data is malloc'ed; caller free()s. Missing -> EO_ERR_NOT_FOUND "photo_not_found". */
    eo_status (*get)(eo_storage *s, const char *key, unsigned char **data, size_t *len, size_t max_len, eo_err *err);
    /* Deleting a missing object is not an error. */
    eo_status (*del)(eo_storage *s, const char *key, eo_err *err);
    /* Calls each(ud, key, mtime) for every object whose name is a valid key;
     * each returns false to stop early. Order unspecified. */
    eo_status (*list)(eo_storage *s, bool (*each)(void *ud, const char *key, double mtime), void *ud, eo_err *err);
    /* Removes temporary objects a crashed write left, last written before
     * older_than (Unix seconds); counts them in *removed. NULL when the
     * back-end writes none (an S3 PUT is atomic). */
    eo_status (*sweep_temp)(eo_storage *s, double older_than, int *removed, eo_err *err);
    void (*close)(eo_storage *s);
};

struct eo_storage {
    const struct eo_storage_ops *ops;
    const char *name; /* "fs" | "s3" */
};

/* Opens the back-end named by cfg->storage_backend ("fs" default, or "s3"). */
eo_status eo_storage_open(const eo_config *cfg, eo_storage **out, eo_err *err);

/* Local directory (created if missing, mode 0700). */
eo_status eo_storage_fs_open(const char *dir, eo_storage **out, eo_err *err);

typedef struct {
    const char *endpoint; /* http(s)://host:port, no trailing path */
    const char *bucket;
    const char *region;
    const char *access_key;
    const char *secret_key;
    long timeout_ms; /* whole request; 0 = 10000 */
} eo_s3_options;

eo_status eo_storage_s3_open(const eo_s3_options *opt, eo_storage **out, eo_err *err);

bool eo_storage_key_valid(const char *key);

eo_status eo_storage_put(eo_storage *s, const char *key, const void *data, size_t len, const char *content_type,
                         eo_err *err);
eo_status eo_storage_get(eo_storage *s, const char *key, unsigned char **data, size_t *len, size_t max_len,
                         eo_err *err);
eo_status eo_storage_delete(eo_storage *s, const char *key, eo_err *err);
/* Lists the store (fs: walks <dir>/xx/; S3: ListObjectsV2 pages with
 * continuation tokens). mtime: Unix seconds of the object's last write. Used
 * by the orphan sweeper (svc/attachments.h), never on a request path. */
typedef bool (*eo_storage_each_fn)(void *ud, const char *key, double mtime);
eo_status eo_storage_list(eo_storage *s, eo_storage_each_fn each, void *ud, eo_err *err);
/* Removes what interrupted writes left behind (fs: "<dir>/xx/.tmp-<key>-XXXXXX"
 * files last written before older_than, Unix seconds). The caller picks
 * older_than past the longest a write can take, so a live write's temp file is
 * never touched. *removed: how many. Used by the sweeper (svc/sweeper.c). */
eo_status eo_storage_sweep_temp(eo_storage *s, double older_than, int *removed, eo_err *err);
void eo_storage_close(eo_storage *s);

#endif
