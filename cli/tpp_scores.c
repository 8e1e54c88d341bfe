/* eoffice tpp-scores YYYY-MM UNIT_CODE FILE.csv: imports monthly kinerja
 * scores (rules with kinerja_source "imported") from a CSV with the header
 * `nip,score` (score 0..100, at most two decimals), 1000 rows per
 * transaction, through the same use case as PUT /api/v1/tpp/months/{month}/
 * kinerja-scores (audited with no actor). NIPs outside UNIT_CODE's subtree are
 * listed and not stored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/csv.h"
#include "svc/tpp.h"

#define CHUNK 1000

static void usage(FILE *out)
{
    fprintf(out, "usage: eoffice tpp-scores YYYY-MM UNIT_CODE FILE.csv\n\n"
                 "FILE: a CSV with the header nip,score (score 0..100, two decimals at most).\n"
                 "Stores each employee's kinerja score of the month (1000 rows per transaction);\n"
                 "NIPs unknown or outside UNIT_CODE's subtree are listed, not stored. Needs DATABASE_URL.\n");
}

/* Imports one chunk; prints unknown NIPs. Returns rows stored or -1. */
static long long flush(eo_uow *u, const char *month, const char *unit, json_t *items)
{
    if (json_array_size(items) == 0) return 0;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    long long stored = -1;
    if (eo_svc_tpp_scores_import(u, month, unit, items, &out, &err) != EO_OK) {
        fprintf(stderr, "eoffice tpp-scores: %s", err.code ? err.code : "error");
        for (int i = 0; i < err.n_fields; i++) fprintf(stderr, " %s:%s", err.fields[i].field, err.fields[i].code);
        fprintf(stderr, "%s%s\n", err.log_detail[0] ? " " : "", err.log_detail);
    } else {
        stored = json_integer_value(json_object_get(out, "stored"));
        size_t i;
        json_t *nip;
        json_array_foreach(json_object_get(out, "unknown_nips"), i, nip)
            fprintf(stderr, "not stored (unknown or outside %s): %s\n", unit, json_string_value(nip));
    }
    json_decref(out);
    eo_err_clear(&err);
    json_array_clear(items);
    return stored;
}

int eo_cmd_tpp_scores(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (argc != 4) {
        usage(stderr);
        return 2;
    }
    const char *month = argv[1], *unit = argv[2], *file = argv[3];
    int rc = 1;
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "eoffice tpp-scores: %s: %s\n", file, strerror(errno));
        return 1;
    }
    eo_csv_limits limits = {.max_record_bytes = 1024, .max_fields = 4};
    eo_csv *csv = eo_csv_open_file(f, &limits);
    json_t *items = json_array();
    eo_db *db = NULL;
    eo_pool *pool = NULL;
    long long total = 0;
    eo_uow u;
    bool uow = false;
    if (!csv || !items) goto done;
    pool = eo_cli_open_pool(1, &db);
    if (!pool) goto done;
    eo_db_release(db); /* the unit of work borrows its own */
    db = NULL;
    eo_app app = {.pool = pool};
    eo_uow_init(&u, &app, NULL, eo_uow_clock());
    u.ip = "";
    u.user_agent = "eoffice tpp-scores";
    uow = true;
    eo_csv_record rec;
    eo_csv_result r;
    bool header = true;
    while ((r = eo_csv_read(csv, &rec)) == EO_CSV_RECORD) {
        if (header) {
            header = false;
            if (rec.n_fields != 2 || strcmp(rec.fields[0], "nip") != 0 || strcmp(rec.fields[1], "score") != 0) {
                fprintf(stderr, "eoffice tpp-scores: %s: the header must be nip,score\n", file);
                goto done;
            }
            continue;
        }
        char *end = NULL;
        double score = rec.n_fields == 2 ? strtod(rec.fields[1], &end) : -1;
        if (rec.n_fields != 2 || !end || end == rec.fields[1] || *end) {
            fprintf(stderr, "eoffice tpp-scores: %s line %d: expected nip,score\n", file, rec.line);
            goto done;
        }
        json_array_append_new(items, json_pack("{s:s,s:f}", "nip", rec.fields[0], "score", score));
        if (json_array_size(items) == CHUNK) {
            long long n = flush(&u, month, unit, items);
            if (n < 0) goto done;
            total += n;
        }
    }
    if (r == EO_CSV_ERROR) {
        fprintf(stderr, "eoffice tpp-scores: %s line %d: %s\n", file, eo_csv_error_line(csv), eo_csv_error_code(csv));
        goto done;
    }
    long long n = flush(&u, month, unit, items);
    if (n < 0) goto done;
    total += n;
    printf("%s: %lld kinerja scores stored for %s in %s\n", file, total, month, unit);
    rc = 0;
done:
    if (uow) eo_uow_end(&u);
    eo_db_release(db);
    eo_pool_destroy(pool);
    json_decref(items);
    eo_csv_close(csv);
    fclose(f);
    return rc;
}
