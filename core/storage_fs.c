/* Local file-system back-end: <dir>/<first two hex>/<key>.
 * Writes are atomic and durable: temp file in the same directory, fsync,
 * rename, fsync of the directory. Objects are content-addressed, so a put of
 * an existing key is a no-op overwrite with identical bytes. */
#include "core/storage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    eo_storage base;
    char dir[3072]; /* leaves room for "/xx/.tmp-<key>-XXXXXX" in PATH_MAX */
} fs_storage;

static eo_status fs_unavailable(eo_err *err, const char *what, const char *path)
{
    return eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "%s %s: %s", what, path, strerror(errno));
}

static int fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static eo_status fs_put(eo_storage *s, const char *key, const void *data, size_t len, const char *content_type,
                        eo_err *err)
{
    fs_storage *fs = (fs_storage *)s;
    char sub[3200], final[PATH_MAX], tmp[PATH_MAX];
    snprintf(sub, sizeof(sub), "%s/%.2s", fs->dir, key);
    snprintf(final, sizeof(final), "%s/%s", sub, key);
    if (mkdir(sub, 0700) == 0) {
        if (fsync_dir(fs->dir) != 0) return fs_unavailable(err, "fsync", fs->dir);
    } else if (errno != EEXIST) {
        return fs_unavailable(err, "mkdir", sub);
    }
    snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-XXXXXX", sub, key);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) return fs_unavailable(err, "mkstemp", sub);
    const unsigned char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) continue;
            goto fail;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0) goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, final) != 0) goto fail;
    if (fsync_dir(sub) != 0) return fs_unavailable(err, "fsync", sub);
    return EO_OK;
fail:;
    eo_status st = fs_unavailable(err, "write", tmp);
    if (fd >= 0) close(fd);
    unlink(tmp);
    return st;
}

static eo_status fs_get(eo_storage *s, const char *key, unsigned char **data, size_t *len, size_t max_len, eo_err *err)
{
    fs_storage *fs = (fs_storage *)s;
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%.2s/%s", fs->dir, key, key);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return eo_fail(err, EO_ERR_NOT_FOUND, "photo_not_found");
        return fs_unavailable(err, "open", path);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 0 || (size_t)st.st_size > max_len) {
        close(fd);
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "stored object too large: %s", key);
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = malloc(n ? n : 1);
    if (!buf) {
        close(fd);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            free(buf);
            close(fd);
            return fs_unavailable(err, "read", path);
        }
        got += (size_t)r;
    }
    close(fd);
    *data = buf;
    *len = n;
    return EO_OK;
}

static eo_status fs_del(eo_storage *s, const char *key, eo_err *err)
{
    fs_storage *fs = (fs_storage *)s;
    char path[PATH_MAX], sub[3200];
    snprintf(sub, sizeof(sub), "%s/%.2s", fs->dir, key);
    snprintf(path, sizeof(path), "%s/%s", sub, key);
    if (unlink(path) != 0) {
        if (errno == ENOENT) return EO_OK;
        return fs_unavailable(err, "unlink", path);
    }
    fsync_dir(sub);
    return EO_OK;
}

/* Walks the two-hex-digit subdirectories; temp files (".tmp-…") and anything
 * else that is not a key are skipped. */
static eo_status fs_list(eo_storage *s, eo_storage_each_fn each, void *ud, eo_err *err)
{
    fs_storage *fs = (fs_storage *)s;
    DIR *top = opendir(fs->dir);
    if (!top) return fs_unavailable(err, "opendir", fs->dir);
    eo_status st = EO_OK;
    bool go = true;
    struct dirent *e;
    while (go && (e = readdir(top)) != NULL) {
        if (strlen(e->d_name) != 2 || !strchr("0123456789abcdef", e->d_name[0]) ||
            !strchr("0123456789abcdef", e->d_name[1]))
            continue;
        char sub[3200];
        snprintf(sub, sizeof(sub), "%s/%.2s", fs->dir, e->d_name);
        DIR *d = opendir(sub);
        if (!d) continue; /* not a directory, or gone meanwhile */
        struct dirent *f;
        while (go && (f = readdir(d)) != NULL) {
            if (!eo_storage_key_valid(f->d_name) || strncmp(f->d_name, e->d_name, 2) != 0) continue;
            struct stat sb;
            if (fstatat(dirfd(d), f->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode)) continue;
            go = each(ud, f->d_name, (double)sb.st_mtim.tv_sec + (double)sb.st_mtim.tv_nsec / 1e9);
        }
        closedir(d);
    }
    closedir(top);
    return st;
}

/* ".tmp-<key>-XXXXXX", as fs_put names its temp files (mkostemp fills the
 * X's with letters and digits); *key_out receives the key. */
static bool fs_temp_name(const char *name, char *key_out, size_t cap)
{
    size_t n = strlen(name);
    if (n < 5 + 68 + 7 || n > 5 + 69 + 7 || strncmp(name, ".tmp-", 5) != 0 || name[n - 7] != '-') return false;
    size_t kl = n - 5 - 7;
    if (kl >= cap) return false;
    memcpy(key_out, name + 5, kl);
    key_out[kl] = '\0';
    for (size_t i = n - 6; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
              (name[i] >= '0' && name[i] <= '9')))
            return false;
    return eo_storage_key_valid(key_out);
}

/* A crash (SIGKILL, power loss) between mkostemp and rename leaves the temp
 * file with no row and no final name, so the listing never shows it: remove
 * those last written before older_than. */
static eo_status fs_sweep_temp(eo_storage *s, double older_than, int *removed, eo_err *err)
{
    fs_storage *fs = (fs_storage *)s;
    DIR *top = opendir(fs->dir);
    if (!top) return fs_unavailable(err, "opendir", fs->dir);
    struct dirent *e;
    while ((e = readdir(top)) != NULL) {
        if (strlen(e->d_name) != 2 || !strchr("0123456789abcdef", e->d_name[0]) ||
            !strchr("0123456789abcdef", e->d_name[1]))
            continue;
        char sub[3200];
        snprintf(sub, sizeof(sub), "%s/%.2s", fs->dir, e->d_name);
        DIR *d = opendir(sub);
        if (!d) continue;
        int swept = 0;
        struct dirent *f;
        while ((f = readdir(d)) != NULL) {
            char key[72];
            if (!fs_temp_name(f->d_name, key, sizeof(key)) || strncmp(key, e->d_name, 2) != 0) continue;
            struct stat sb;
            if (fstatat(dirfd(d), f->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode)) continue;
            double mtime = (double)sb.st_mtim.tv_sec + (double)sb.st_mtim.tv_nsec / 1e9;
            if (mtime >= older_than) continue;
            if (unlinkat(dirfd(d), f->d_name, 0) == 0) swept++;
        }
        if (swept > 0) fsync(dirfd(d));
        *removed += swept;
        closedir(d);
    }
    closedir(top);
    return EO_OK;
}

static void fs_close(eo_storage *s) { free(s); }

static const struct eo_storage_ops fs_ops = {fs_put, fs_get, fs_del, fs_list, fs_sweep_temp, fs_close};

static int mkdir_p(const char *dir)
{
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof(buf)) return -1;
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i < n; i++) {
        if (buf[i] != '/') continue;
        buf[i] = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST) return -1;
        buf[i] = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

eo_status eo_storage_fs_open(const char *dir, eo_storage **out, eo_err *err)
{
    *out = NULL;
    if (!dir || !*dir || strlen(dir) >= 3072)
        return eo_fail_log(err, EO_ERR_INVALID, "storage_config", "EOFFICE_STORAGE_DIR is empty or too long");
    if (mkdir_p(dir) != 0) return fs_unavailable(err, "mkdir", dir);
    if (access(dir, W_OK | X_OK) != 0) return fs_unavailable(err, "access", dir);
    fs_storage *fs = calloc(1, sizeof(*fs));
    if (!fs) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    fs->base.ops = &fs_ops;
    fs->base.name = "fs";
    snprintf(fs->dir, sizeof(fs->dir), "%s", dir);
    size_t n = strlen(fs->dir);
    while (n > 1 && fs->dir[n - 1] == '/') fs->dir[--n] = '\0';
    *out = &fs->base;
    return EO_OK;
}
