/* File-system photo storage (core/storage_fs.c): round trip, atomicity, key checks. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/photo.h"
#include "core/storage.h"

static char root[256];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "/tmp/eo-storage-test-XXXXXX");
    assert_non_null(mkdtemp(root));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void key_for(const char *data, size_t n, const char *ext, char key[72])
{
    char hex[65];
    eo_sha256_hex(data, n, hex);
    snprintf(key, 72, "%s.%s", hex, ext);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void test_round_trip(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof(dir), "%s/a/b/photos", root); /* nested: created */
    eo_storage *s = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_storage_fs_open(dir, &s, &err), EO_OK);
    assert_string_equal(s->name, "fs");

    const char body[] = "pretend this is a jpeg";
    char key[72];
    key_for(body, sizeof(body), "jpg", key);
    assert_int_equal(eo_storage_put(s, key, body, sizeof(body), "image/jpeg", &err), EO_OK);
    assert_int_equal(eo_storage_put(s, key, body, sizeof(body), "image/jpeg", &err), EO_OK);

    unsigned char *got = NULL;
    size_t n = 0;
    assert_int_equal(eo_storage_get(s, key, &got, &n, 1 << 20, &err), EO_OK);
    assert_int_equal(n, sizeof(body));
    assert_memory_equal(got, body, n);
    free(got);

    /* No temp files left behind; the object sits in its fan-out directory. */
    char sub[400];
    snprintf(sub, sizeof(sub), "%s/%.2s", dir, key);
    assert_int_equal(count_entries(sub), 1);
    struct stat st;
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", sub, key);
    assert_int_equal(stat(path, &st), 0);

    /* Too large for the caller's cap. */
    assert_int_equal(eo_storage_get(s, key, &got, &n, 4, &err), EO_ERR_INTERNAL);
    eo_err_clear(&err);

    assert_int_equal(eo_storage_delete(s, key, &err), EO_OK);
    assert_int_equal(eo_storage_delete(s, key, &err), EO_OK); /* idempotent */
    assert_int_equal(eo_storage_get(s, key, &got, &n, 1 << 20, &err), EO_ERR_NOT_FOUND);
    assert_string_equal(err.code, "photo_not_found");
    eo_err_clear(&err);
    eo_storage_close(s);
}

static void test_keys_are_server_chosen(void **state)
{
    (void)state;
    eo_storage *s = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_storage_fs_open(root, &s, &err), EO_OK);
    static const char *bad[] = {
        "../../etc/passwd",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.exe",
        "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD.jpg",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a/.jpg",
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(eo_storage_key_valid(bad[i]));
        assert_int_equal(eo_storage_put(s, bad[i], "x", 1, "image/jpeg", &err), EO_ERR_INTERNAL);
        eo_err_clear(&err);
    }
    assert_false(eo_storage_key_valid(NULL));
    assert_true(eo_storage_key_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.png"));
    assert_true(eo_storage_key_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.pdf"));
    assert_true(eo_storage_key_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.docx"));
    assert_false(eo_storage_key_valid("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.docxx"));
    eo_storage_close(s);
}

typedef struct {
    int n;
    char keys[4][72];
    double mtime[4];
} listing;

static bool collect(void *ud, const char *key, double mtime)
{
    listing *l = ud;
    if (l->n < 4) {
        snprintf(l->keys[l->n], 72, "%s", key);
        l->mtime[l->n] = mtime;
    }
    l->n++;
    return true;
}

static bool stop_at_first(void *ud, const char *key, double mtime)
{
    (void)key;
    (void)mtime;
    ++*(int *)ud;
    return false;
}

/* The sweeper's view of the store: every object once, with its write time;
 * temp files and strangers skipped; the callback can stop the walk. */
static void test_list(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof(dir), "%s/listed", root);
    eo_storage *s = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_storage_fs_open(dir, &s, &err), EO_OK);
    listing l;
    memset(&l, 0, sizeof(l));
    assert_int_equal(eo_storage_list(s, collect, &l, &err), EO_OK);
    assert_int_equal(l.n, 0);
    char k1[72], k2[72];
    key_for("one", 3, "jpg", k1);
    key_for("two", 3, "pdf", k2);
    assert_int_equal(eo_storage_put(s, k1, "one", 3, "image/jpeg", &err), EO_OK);
    assert_int_equal(eo_storage_put(s, k2, "two", 3, "application/pdf", &err), EO_OK);
    char junk[600];
    snprintf(junk, sizeof(junk), "%s/%.2s/.tmp-%s-abcdef", dir, k1, k1);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(junk, sizeof(junk), "%s/zz", dir);
    assert_int_equal(mkdir(junk, 0700), 0);
    assert_int_equal(eo_storage_list(s, collect, &l, &err), EO_OK);
    assert_int_equal(l.n, 2);
    bool saw1 = false, saw2 = false;
    for (int i = 0; i < 2; i++) {
        saw1 |= strcmp(l.keys[i], k1) == 0;
        saw2 |= strcmp(l.keys[i], k2) == 0;
        assert_true(l.mtime[i] > 1.6e9);
    }
    assert_true(saw1 && saw2);
    int calls = 0;
    assert_int_equal(eo_storage_list(s, stop_at_first, &calls, &err), EO_OK);
    assert_int_equal(calls, 1);
    eo_storage_close(s);
}

static void test_unwritable_dir(void **state)
{
    (void)state;
    eo_storage *s = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_storage_fs_open("/dev/null/photos" /* ENOTDIR, even for root */, &s, &err), EO_ERR_UNAVAILABLE);
    assert_string_equal(err.code, "storage_unavailable");
    eo_err_clear(&err);
}

static void test_open_from_config(void **state)
{
    (void)state;
    eo_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    snprintf(cfg.storage_backend, sizeof(cfg.storage_backend), "fs");
    snprintf(cfg.storage_dir, sizeof(cfg.storage_dir), "%s/cfg", root);
    eo_storage *s = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_storage_open(&cfg, &s, &err), EO_OK);
    eo_storage_close(s);
    snprintf(cfg.storage_backend, sizeof(cfg.storage_backend), "s3");
    assert_int_equal(eo_storage_open(&cfg, &s, &err), EO_ERR_INVALID); /* no endpoint/bucket */
    eo_err_clear(&err);
    snprintf(cfg.storage_backend, sizeof(cfg.storage_backend), "ftp");
    assert_int_equal(eo_storage_open(&cfg, &s, &err), EO_ERR_INVALID);
    eo_err_clear(&err);
}

/* Temp files a crashed write left: only the back-end's own ".tmp-<key>-XXXXXX"
 * names, only those last written before the cut-off; objects are never touched. */
static void touch(const char *path, double mtime)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("partial", f);
    fclose(f);
    struct timespec ts[2] = {{.tv_sec = (time_t)mtime}, {.tv_sec = (time_t)mtime}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void test_sweep_temp(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof(dir), "%s/crashed", root);
    eo_storage *s = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_storage_fs_open(dir, &s, &err), EO_OK);
    char k[72];
    key_for("kept", 4, "jpg", k);
    assert_int_equal(eo_storage_put(s, k, "kept", 4, "image/jpeg", &err), EO_OK);
    double now = (double)time(NULL), cut = now - 600;
    char stale[600], fresh[600], stranger[600], object[600];
    snprintf(stale, sizeof(stale), "%s/%.2s/.tmp-%s-Ab3dE9", dir, k, k);
    snprintf(fresh, sizeof(fresh), "%s/%.2s/.tmp-%s-zz9Q0a", dir, k, k);
    snprintf(stranger, sizeof(stranger), "%s/%.2s/.tmp-notakey-Ab3dE9", dir, k);
    snprintf(object, sizeof(object), "%s/%.2s/%s", dir, k, k);
    touch(stale, now - 3600);
    touch(fresh, now);
    touch(stranger, now - 3600);
    assert_int_equal(utimensat(AT_FDCWD, object,
                               (struct timespec[2]){{.tv_sec = (time_t)(now - 3600)}, {.tv_sec = (time_t)(now - 3600)}},
                               0),
                     0);
    int removed = -1;
    assert_int_equal(eo_storage_sweep_temp(s, cut, &removed, &err), EO_OK);
    assert_int_equal(removed, 1);
    assert_int_not_equal(access(stale, F_OK), 0);
    assert_int_equal(access(fresh, F_OK), 0);
    assert_int_equal(access(stranger, F_OK), 0);
    assert_int_equal(access(object, F_OK), 0);
    assert_int_equal(eo_storage_sweep_temp(s, cut, &removed, &err), EO_OK);
    assert_int_equal(removed, 0);
    eo_storage_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),       cmocka_unit_test(test_keys_are_server_chosen),
        cmocka_unit_test(test_unwritable_dir),   cmocka_unit_test(test_list),
        cmocka_unit_test(test_open_from_config), cmocka_unit_test(test_sweep_temp),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
