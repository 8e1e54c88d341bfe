#include "core/storage.h"

#include <string.h>

bool eo_storage_key_valid(const char *key)
{
    if (!key) return false;
    size_t n = strlen(key);
    if (n < 68 || n > 69) return false;
    for (size_t i = 0; i < 64; i++) {
        char ch = key[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
    }
    return strcmp(key + 64, ".jpg") == 0 || strcmp(key + 64, ".png") == 0 || strcmp(key + 64, ".pdf") == 0 ||
           strcmp(key + 64, ".docx") == 0;
}

eo_status eo_storage_open(const eo_config *cfg, eo_storage **out, eo_err *err)
{
    if (cfg->storage_backend[0] == '\0' || strcmp(cfg->storage_backend, "fs") == 0)
        return eo_storage_fs_open(cfg->storage_dir[0] ? cfg->storage_dir : "./.var/photos", out, err);
    if (strcmp(cfg->storage_backend, "s3") == 0) {
        eo_s3_options o = {
            .endpoint = cfg->s3_endpoint,
            .bucket = cfg->s3_bucket,
            .region = cfg->s3_region[0] ? cfg->s3_region : "us-east-1",
            .access_key = cfg->s3_access_key,
            .secret_key = cfg->s3_secret_key,
            .timeout_ms = 10000,
        };
        return eo_storage_s3_open(&o, out, err);
    }
    return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "EOFFICE_STORAGE must be fs or s3");
}

eo_status eo_storage_put(eo_storage *s, const char *key, const void *data, size_t len, const char *content_type,
                         eo_err *err)
{
    if (!eo_storage_key_valid(key)) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "bad storage key");
    return s->ops->put(s, key, data, len, content_type, err);
}

eo_status eo_storage_get(eo_storage *s, const char *key, unsigned char **data, size_t *len, size_t max_len, eo_err *err)
{
    *data = NULL;
    *len = 0;
    if (!eo_storage_key_valid(key)) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "bad storage key");
    return s->ops->get(s, key, data, len, max_len, err);
}

eo_status eo_storage_delete(eo_storage *s, const char *key, eo_err *err)
{
    if (!eo_storage_key_valid(key)) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "bad storage key");
    return s->ops->del(s, key, err);
}

eo_status eo_storage_list(eo_storage *s, eo_storage_each_fn each, void *ud, eo_err *err)
{
    return s->ops->list(s, each, ud, err);
}

eo_status eo_storage_sweep_temp(eo_storage *s, double older_than, int *removed, eo_err *err)
{
    *removed = 0;
    return s->ops->sweep_temp ? s->ops->sweep_temp(s, older_than, removed, err) : EO_OK;
}

void eo_storage_close(eo_storage *s)
{
    if (s) s->ops->close(s);
}
