/* fsync_write: the storage baseline of the check-in benchmark.
 *
 * T threads write files of the photo's size with exactly the pattern of the
 * fs photo back-end (core/storage_fs.c, fs_put):
 *   <dir>/<first two hex>/ created on first use (then the parent dir is fsync'd),
 *   temp file "<sub>/.tmp-<key>-XXXXXX" (mkostemp: O_CREAT|O_EXCL), write, fsync,
 *   close, rename to "<sub>/<key>", fsync of <sub>.
 * Keys are 64 hex digits, distinct per file (like content addresses of distinct
 * selfies), and each file's bytes differ a little too. Runs for --seconds or
 * --count files in total, whichever comes first, then deletes what it wrote
 * (not timed) unless --keep. Prints one JSON object on stdout.
 *
 * Build: cc -O2 -pthread -o fsync_write fsync_write.c
 * Usage: fsync_write --dir DIR --threads T (--seconds S | --count K)
 *                    (--size BYTES | --file PHOTO) [--keep]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

#define MAX_THREADS 1024

static const char *g_dir;
static unsigned char *g_data;
static size_t g_size;
static double g_deadline; /* monotonic seconds; 0 = none */
static long g_count;      /* total files; 0 = unbounded (deadline only) */
static long g_claimed;    /* files claimed so far (atomic) */
static int g_keep;

typedef struct {
    int id;
    pthread_t th;
    double *lat; /* per-file latency, ms */
    long n, cap;
    long errors;
    char (*keys)[65];
} worker;

static double now_s(void) { return bench_now_ms() / 1e3; }

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* One put, as fs_put does it. Returns 0 on success. */
static int put(const char *key, const unsigned char *data, size_t len)
{
    char sub[3200], final[PATH_MAX], tmp[PATH_MAX]; /* g_dir is < 3072 (checked in main) */
    snprintf(sub, sizeof(sub), "%s/%.2s", g_dir, key);
    snprintf(final, sizeof(final), "%s/%s", sub, key);
    if (mkdir(sub, 0700) == 0) {
        if (fsync_dir(g_dir) != 0) return -1;
    } else if (errno != EEXIST) {
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-XXXXXX", sub, key);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) return -1;
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
    if (fsync_dir(sub) != 0) return -1;
    return 0;
fail:
    if (fd >= 0) close(fd);
    unlink(tmp);
    return -1;
}

static void *run(void *arg)
{
    worker *w = arg;
    unsigned char *buf = malloc(g_size);
    if (!buf) return NULL;
    memcpy(buf, g_data, g_size);
    uint64_t seed = 0x5eed0000ull + (uint64_t)w->id * 0x100000001ull + (uint64_t)time(NULL);
    for (;;) {
        if (g_deadline > 0 && now_s() >= g_deadline) break;
        if (g_count > 0 && __atomic_fetch_add(&g_claimed, 1, __ATOMIC_RELAXED) >= g_count) break;
        if (w->n == w->cap) {
            long ncap = w->cap ? w->cap * 2 : 4096;
            double *nl = realloc(w->lat, (size_t)ncap * sizeof(double));
            char(*nk)[65] = realloc(w->keys, (size_t)ncap * sizeof(*nk));
            if (nl) w->lat = nl;
            if (nk) w->keys = nk;
            if (!nl || !nk) break;
            w->cap = ncap;
        }
        char *key = w->keys[w->n];
        for (int i = 0; i < 4; i++) snprintf(key + 16 * i, 17, "%016llx", (unsigned long long)splitmix(&seed));
        /* Distinct bytes per file: stamp the key in the middle of the photo. */
        if (g_size > 128) memcpy(buf + g_size / 2, key, 64);
        double t0 = now_s();
        int rc = put(key, buf, g_size);
        double ms = (now_s() - t0) * 1000.0;
        if (rc != 0) {
            w->errors++;
            continue;
        }
        w->lat[w->n++] = ms;
    }
    free(buf);
    return NULL;
}

static double pct(const double *v, long n, double p)
{
    if (n == 0) return 0;
    long i = (long)(p / 100.0 * (double)n + 0.5) - 1; /* nearest rank */
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return v[i];
}

static void usage(void)
{
    fprintf(stderr, "usage: fsync_write --dir DIR --threads T (--seconds S | --count K) "
                    "(--size BYTES | --file PHOTO) [--keep]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int threads = 1;
    double seconds = 0;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--keep")) {
            g_keep = 1;
            continue;
        }
        if (!v) usage();
        if (!strcmp(a, "--dir"))
            g_dir = v;
        else if (!strcmp(a, "--threads"))
            threads = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--seconds"))
            seconds = atof(v);
        else if (!strcmp(a, "--count"))
            g_count = strtol(v, NULL, 10);
        else if (!strcmp(a, "--size"))
            g_size = (size_t)strtoul(v, NULL, 10);
        else if (!strcmp(a, "--file"))
            file = v;
        else
            usage();
        i++;
    }
    if (!g_dir || threads < 1 || threads > MAX_THREADS || (seconds <= 0 && g_count <= 0)) usage();
    if (strlen(g_dir) >= 3072) {
        fprintf(stderr, "fsync_write: --dir is too long\n");
        return 2;
    }
    if (seconds > 3600 || g_count > 10000000) {
        fprintf(stderr, "fsync_write: refusing more than 1 h or 10M files\n");
        return 2;
    }
    if (file) {
        FILE *f = fopen(file, "rb");
        if (!f) {
            perror(file);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        if (n <= 0) {
            fprintf(stderr, "%s: empty\n", file);
            return 1;
        }
        g_size = (size_t)n;
        g_data = malloc(g_size);
        if (!g_data || fread(g_data, 1, g_size, f) != g_size) {
            perror(file);
            return 1;
        }
        fclose(f);
    } else {
        if (g_size == 0) usage();
        g_data = malloc(g_size);
        if (!g_data) return 1;
        uint64_t s = 42;
        for (size_t i = 0; i < g_size; i++) g_data[i] = (unsigned char)splitmix(&s);
    }
    if (mkdir(g_dir, 0700) != 0 && errno != EEXIST) {
        perror(g_dir);
        return 1;
    }

    worker *ws = calloc((size_t)threads, sizeof(*ws));
    if (!ws) return 1;
    double t0 = now_s();
    if (seconds > 0) g_deadline = t0 + seconds;
    for (int i = 0; i < threads; i++) {
        ws[i].id = i;
        if (pthread_create(&ws[i].th, NULL, run, &ws[i]) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    for (int i = 0; i < threads; i++) pthread_join(ws[i].th, NULL);
    double elapsed = now_s() - t0;

    long total = 0, errors = 0;
    for (int i = 0; i < threads; i++) {
        total += ws[i].n;
        errors += ws[i].errors;
    }
    double *all = malloc((size_t)(total ? total : 1) * sizeof(double));
    if (!all) return 1;
    long k = 0;
    double sum = 0;
    for (int i = 0; i < threads; i++)
        for (long j = 0; j < ws[i].n; j++) {
            all[k++] = ws[i].lat[j];
            sum += ws[i].lat[j];
        }
    qsort(all, (size_t)total, sizeof(double), bench_cmp_double);

    printf("{\"threads\":%d,\"bytes_per_file\":%zu,\"files\":%ld,\"errors\":%ld,\"seconds\":%.3f,"
           "\"ops_per_s\":%.1f,\"mean_ms\":%.3f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
           "\"p999_ms\":%.3f,\"max_ms\":%.3f}\n",
           threads, g_size, total, errors, elapsed, elapsed > 0 ? (double)total / elapsed : 0.0,
           total ? sum / (double)total : 0.0, pct(all, total, 50), pct(all, total, 90), pct(all, total, 99),
           pct(all, total, 99.9), total ? all[total - 1] : 0.0);
    fflush(stdout);

    if (!g_keep) {
        char path[PATH_MAX];
        for (int i = 0; i < threads; i++)
            for (long j = 0; j < ws[i].n; j++) {
                snprintf(path, sizeof(path), "%s/%.2s/%s", g_dir, ws[i].keys[j], ws[i].keys[j]);
                unlink(path);
            }
    }
    for (int i = 0; i < threads; i++) {
        free(ws[i].lat);
        free(ws[i].keys);
    }
    free(ws);
    free(all);
    free(g_data);
    return errors > 0 ? 1 : 0;
}
