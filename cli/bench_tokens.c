/* eoffice bench-tokens --count N --out FILE [--location CODE] [--ttl S] [--jobs J]
 *
 * Dev-only (EOFFICE_ENV=dev): creates N synthetic employees in org unit BENCH
 * with active accounts (db/bench.c, bulk SQL), then a mobile session bound to
 * device "bench-device-<i>" for each through eo_svc_session_mint_unchecked, and
 * writes "ACCESS_TOKEN<TAB>DEVICE_ID" per employee to FILE (mode 600). The
 * tokens are signed with EOFFICE_JWT_PRIVATE_KEY_FILE for EOFFICE_JWT_ISSUER /
 * EOFFICE_JWT_AUDIENCE, so run it with the same environment as the server.
 * Prints one JSON line on stdout: the bench location and the employees' id range
 * (ids_contiguous: ids first_id..last_id are exactly employees 1..N, which
 * bench/pgbench_insert.sql relies on).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/nip.h"
#include "core/token.h"
#include "db/bench.h"
#include "svc/identity.h"

/* The default bench office: Kuningan, Jakarta Selatan. */
#define BENCH_LOCATION "BENCH-JKT"
#define BENCH_LAT      (-6.2297)
#define BENCH_LON      106.8308
#define BENCH_RADIUS_M 300
#define BENCH_TZ       "Asia/Jakarta"
#define MINT_BATCH     500 /* sessions per transaction */
#define MAX_JOBS       8

static void usage(FILE *out)
{
    fprintf(out,
            "usage: eoffice bench-tokens --count N --out FILE [--location CODE] [--ttl SECONDS] [--jobs J]\n\n"
            "Dev only (EOFFICE_ENV=dev). Creates N synthetic employees (1..%d) in org unit " EO_BENCH_UNIT " with\n"
            "valid NIPs/NIKs, office location CODE (default " BENCH_LOCATION ", created at %.4f,%.4f, %d m,\n" BENCH_TZ
            ", when missing), schedule " EO_BENCH_SCHEDULE " and an active account each (no password or\n"
            "authenticator sign-in is possible), then one mobile session per employee bound to device\n"
            "bench-device-<i>. Writes 'ACCESS_TOKEN<TAB>DEVICE_ID' per employee to FILE (mode 600).\n"
            "Idempotent: the same employees are reused; earlier bench sessions are deleted.\n\n"
            "  --ttl S    access-token lifetime (default 3600: outlives a benchmark run)\n"
            "  --jobs J   parallel database connections for minting (default 2)\n\n"
            "Needs DATABASE_URL, EOFFICE_JWT_PRIVATE_KEY_FILE and the server's EOFFICE_JWT_ISSUER /\n"
            "EOFFICE_PUBLIC_URL / EOFFICE_PORT, so the server accepts the tokens.\n",
            EO_BENCH_MAX_EMPLOYEES, BENCH_LAT, BENCH_LON, BENCH_RADIUS_M);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    eo_app *app; /* pool, signing key and the minting configuration */
    const long long *ids;
    char **tokens; /* out: tokens[i], malloc'ed */
    int from, to;  /* [from, to) */
    int failed;
    char msg[300];
} mint_job;

static void *mint_range(void *arg)
{
    mint_job *j = arg;
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    eo_uow u;
    eo_uow_init(&u, j->app, NULL, eo_uow_clock());
    u.ip = "127.0.0.1";
    u.user_agent = "bench";
    eo_session_tokens t;
    if (eo_uow_db(&u, &db, &err) != EO_OK) goto fail;
    if (eo_db_bench_relax_commit(db, &err) != EO_OK) goto fail;
    for (int i = j->from; i < j->to;) {
        if (eo_db_begin(db, &err) != EO_OK) goto fail;
        int end = i + MINT_BATCH < j->to ? i + MINT_BATCH : j->to;
        for (; i < end; i++) {
            char device[32];
            snprintf(device, sizeof(device), "bench-device-%d", i + 1);
            u.now = eo_uow_clock();
            eo_session_mint_req q = {.employee_id = j->ids[i], .device_id = device, .mobile = true};
            if (eo_svc_session_mint_unchecked(&u, &q, &t, &err) != EO_OK) goto fail;
            j->tokens[i] = strdup(t.access_token);
            if (!j->tokens[i]) {
                eo_fail_log(&err, EO_ERR_INTERNAL, "internal", "out of memory");
                goto fail;
            }
        }
        if (eo_db_commit(db, &err) != EO_OK) goto fail;
    }
    eo_uow_end(&u);
    return NULL;
fail:
    j->failed = 1;
    snprintf(j->msg, sizeof(j->msg), "%s%s%s", err.code ? err.code : "error", err.log_detail[0] ? ": " : "",
             err.log_detail);
    eo_uow_end(&u); /* rolls back an open transaction */
    eo_err_clear(&err);
    return NULL;
}

/* Every generated identity must pass the same checks as an import. */
static int check_identities(PGresult *rows, int count)
{
    for (int i = 0; i < count; i++) {
        const char *nip = eo_db_get(rows, i, 1), *nik = eo_db_get(rows, i, 2);
        const char *birth_s = eo_db_get(rows, i, 3), *gender = eo_db_get(rows, i, 4);
        eo_nip_info ni;
        eo_nik_info ki;
        eo_nip_date birth;
        eo_err err;
        eo_err_init(&err);
        bool ok = eo_nip_validate(nip, &ni, &err) == EO_OK && eo_nik_validate(nik, &ki, &err) == EO_OK &&
                  eo_nip_date_parse(birth_s, &birth) && ni.birth.year == birth.year && ni.birth.month == birth.month &&
                  ni.birth.day == birth.day && ni.gender == gender[0] && eo_nik_consistent_with(&ki, birth, gender[0]);
        if (!ok) {
            fprintf(stderr, "eoffice bench-tokens: generated identity %d is invalid: NIP %s NIK %s (%s)\n", i + 1, nip,
                    nik, err.n_fields ? err.fields[0].code : "birth date / gender mismatch");
            eo_err_clear(&err);
            return -1;
        }
        eo_err_clear(&err);
    }
    return 0;
}

int eo_cmd_bench_tokens(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    long count = -1, ttl = 3600, jobs = 2;
    const char *out_path = NULL, *location = BENCH_LOCATION;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!v) {
            usage(stderr);
            return 2;
        }
        if (strcmp(a, "--count") == 0)
            count = strtol(v, &end, 10);
        else if (strcmp(a, "--ttl") == 0)
            ttl = strtol(v, &end, 10);
        else if (strcmp(a, "--jobs") == 0)
            jobs = strtol(v, &end, 10);
        else if (strcmp(a, "--out") == 0)
            out_path = v;
        else if (strcmp(a, "--location") == 0)
            location = v;
        else {
            fprintf(stderr, "eoffice bench-tokens: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
        if (end && (*end || end == v)) {
            fprintf(stderr, "eoffice bench-tokens: %s needs a number\n", a);
            return 2;
        }
        i++;
    }
    if (count < 1 || count > EO_BENCH_MAX_EMPLOYEES || !out_path || !*location || ttl < 60 || ttl > 86400 || jobs < 1 ||
        jobs > MAX_JOBS) {
        usage(stderr);
        return 2;
    }

    eo_config cfg;
    char msg[256];
    if (eo_config_load(&cfg, msg, sizeof(msg)) != EO_OK) {
        fprintf(stderr, "eoffice bench-tokens: configuration error: %s\n", msg);
        return 1;
    }
    if (!cfg.dev_mode) {
        fprintf(stderr, "eoffice bench-tokens: refused: only with EOFFICE_ENV=dev (it mints sessions without "
                        "a password)\n");
        return 1;
    }

    int rc = 1, n = (int)count;
    double t0 = now_s();
    struct eo_jwt_keys *keys = NULL;
    eo_pool *pool = NULL;
    eo_db *db = NULL;
    PGresult *rows = NULL;
    long long *ids = NULL;
    char **tokens = NULL;
    FILE *out = NULL;
    eo_bench_place place;
    eo_err err;
    eo_err_init(&err);

    if (eo_token_keys_load(cfg.jwt_private_key_file, &keys, &err) != EO_OK) {
        fprintf(stderr, "eoffice bench-tokens: EOFFICE_JWT_PRIVATE_KEY_FILE: %s\n", err.log_detail);
        goto done;
    }
    pool = eo_cli_open_pool((int)jobs, &db);
    if (!pool) goto done;
    if (eo_db_begin(db, &err) != EO_OK) goto db_fail;
    if (eo_db_bench_place(db, location, BENCH_LAT, BENCH_LON, BENCH_RADIUS_M, BENCH_TZ, &place, &err) != EO_OK ||
        eo_db_bench_employees(db, &place, n, &rows, &err) != EO_OK)
        goto db_fail;
    if (check_identities(rows, n) != 0) goto done; /* release rolls back */
    if (eo_db_commit(db, &err) != EO_OK) goto db_fail;
    eo_db_release(db);
    db = NULL;
    double t_setup = now_s() - t0;

    ids = calloc((size_t)n, sizeof(*ids));
    tokens = calloc((size_t)n, sizeof(*tokens));
    if (!ids || !tokens) {
        fprintf(stderr, "eoffice bench-tokens: out of memory\n");
        goto done;
    }
    bool contiguous = true;
    for (int i = 0; i < n; i++) {
        ids[i] = eo_db_get_ll(rows, i, 0);
        contiguous = contiguous && ids[i] == ids[0] + i;
    }

    /* The tokens must outlive the run: a local copy of the config with a long access TTL. */
    eo_config mint_cfg = cfg;
    mint_cfg.access_ttl_s = (int)ttl;
    eo_app mint_app = {.cfg = mint_cfg, .pool = pool, .jwt = keys};
    mint_job js[MAX_JOBS];
    pthread_t th[MAX_JOBS];
    int started = 0;
    for (int k = 0; k < jobs; k++) {
        js[k] = (mint_job){.app = &mint_app,
                           .ids = ids,
                           .tokens = tokens,
                           .from = (int)((long long)n * k / jobs),
                           .to = (int)((long long)n * (k + 1) / jobs)};
        if (pthread_create(&th[k], NULL, mint_range, &js[k]) != 0) {
            js[k].failed = 1;
            snprintf(js[k].msg, sizeof(js[k].msg), "cannot start a thread");
            break;
        }
        started++;
    }
    for (int k = 0; k < started; k++) pthread_join(th[k], NULL);
    for (int k = 0; k < jobs; k++) {
        if (k >= started || js[k].failed) {
            fprintf(stderr, "eoffice bench-tokens: minting sessions failed: %s\n",
                    k < started ? js[k].msg : "not started");
            goto done;
        }
    }

    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        fprintf(stderr, "eoffice bench-tokens: %s: %s\n", out_path, strerror(errno));
        if (fd >= 0) close(fd);
        goto done;
    }
    for (int i = 0; i < n; i++) fprintf(out, "%s\tbench-device-%d\n", tokens[i], i + 1);
    if (fclose(out) != 0) {
        out = NULL;
        fprintf(stderr, "eoffice bench-tokens: %s: %s\n", out_path, strerror(errno));
        goto done;
    }
    out = NULL;
    double total = now_s() - t0;
    fprintf(stderr,
            "eoffice bench-tokens: %d employees in unit " EO_BENCH_UNIT ", location %s (%.6f, %.6f, %d m, %s); "
            "tokens valid %ld s -> %s (setup %.1f s, total %.1f s)\n",
            n, location, place.lat, place.lon, place.radius_m, place.time_zone, ttl, out_path, t_setup, total);
    printf("{\"employees\":%d,\"unit\":\"" EO_BENCH_UNIT "\",\"location\":\"%s\",\"latitude\":%.7f,"
           "\"longitude\":%.7f,\"radius_m\":%d,\"time_zone\":\"%s\",\"access_ttl_s\":%ld,\"first_id\":%lld,"
           "\"last_id\":%lld,\"ids_contiguous\":%s,\"seconds\":%.2f}\n",
           n, location, place.lat, place.lon, place.radius_m, place.time_zone, ttl, ids[0], ids[n - 1],
           contiguous ? "true" : "false", total);
    rc = 0;
    goto done;

db_fail:
    fprintf(stderr, "eoffice bench-tokens: %s%s%s\n", err.code ? err.code : "database error",
            err.log_detail[0] ? ": " : "", err.log_detail);
done:
    if (out) fclose(out);
    if (tokens)
        for (int i = 0; i < n; i++) free(tokens[i]);
    free(tokens);
    free(ids);
    if (rows) PQclear(rows);
    eo_db_release(db);
    eo_pool_destroy(pool);
    eo_token_keys_free(keys);
    eo_err_clear(&err);
    return rc;
}
