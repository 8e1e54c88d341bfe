/* bench/photo_inspect: what the check-in's photo check costs per photo.
 * Usage (through bench/photo_inspect): photo_inspect PHOTO.jpg [N]
 * Times eo_photo_inspect (core/photo.c: marker walk, polyglot checks and the
 * full libjpeg-turbo decode at 1/8 scale) N times on the same bytes and prints
 * the median and p90, beside the SHA-256 of the same bytes (content-addressed
 * storage hashes every photo: a cost no design avoids) in the same run, then
 * the same figures as one "BENCH_JSON {...}" line for bench/run. */
#include <stdio.h>
#include <stdlib.h>

#include "timing.h"
#include "core/photo.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: photo_inspect PHOTO [N]\n");
        return 2;
    }
    int n = 500;
    if (argc > 2) {
        char *end;
        long v = strtol(argv[2], &end, 10);
        if (*end || v < 1 || v > 100000) {
            fprintf(stderr, "N must be a whole number from 1 to 100000\n");
            return 2;
        }
        n = (int)v;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static unsigned char buf[4 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    double *ins = calloc((size_t)n, sizeof *ins), *sha = calloc((size_t)n, sizeof *sha);
    if (!ins || !sha) return 1;
    eo_photo_info info = {0};
    char hex[65];
    for (int i = 0; i < n; i++) {
        eo_err err;
        eo_err_init(&err);
        double t0 = bench_now_ms();
        if (eo_photo_inspect(buf, len, &info, &err) != EO_OK) {
            fprintf(stderr, "the photo is refused: %s\n", err.code);
            return 1;
        }
        double t1 = bench_now_ms();
        eo_sha256_hex(buf, len, hex);
        double t2 = bench_now_ms();
        ins[i] = t1 - t0;
        sha[i] = t2 - t1;
    }
    qsort(ins, (size_t)n, sizeof *ins, bench_cmp_double);
    qsort(sha, (size_t)n, sizeof *sha, bench_cmp_double);
    printf("photo %ux%u, %zu bytes, %d runs on one core\n", info.width, info.height, len, n);
    printf("%-44s%10s%10s\n", "", "p50 ms", "p90 ms");
    printf("%-44s%10.3f%10.3f\n", "eo_photo_inspect (walk + full decode @1/8)", ins[n / 2], ins[n * 9 / 10]);
    printf("%-44s%10.3f%10.3f\n", "baseline: SHA-256 of the same bytes", sha[n / 2], sha[n * 9 / 10]);
    printf("inspect / sha256: %.1fx; one core inspects at most %.0f photos/s\n", ins[n / 2] / sha[n / 2],
           1000.0 / ins[n / 2]);
    printf("BENCH_JSON {\"width\":%u,\"height\":%u,\"bytes\":%zu,\"runs\":%d,\"inspect_p50_ms\":%.4f,"
           "\"inspect_p90_ms\":%.4f,\"sha256_p50_ms\":%.4f}\n",
           info.width, info.height, len, n, ins[n / 2], ins[n * 9 / 10], sha[n / 2]);
    free(ins);
    free(sha);
    return 0;
}
