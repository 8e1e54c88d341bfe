/* Timing helpers shared by the C benchmarks in bench/ (each is built on its
 * own with cc; this header is all they share). */
#ifndef EO_BENCH_TIMING_H
#define EO_BENCH_TIMING_H

#include <time.h>

/* Monotonic clock in milliseconds. */
static inline double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort comparator for doubles, ascending. */
static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
