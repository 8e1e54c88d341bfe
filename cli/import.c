/* eoffice import units|locations|employees|competencies|standards FILE [--dry-run] */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/import.h"
#include "db/import.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: eoffice import units|locations|employees|competencies|standards FILE [--dry-run]\n\n"
                 "Imports master data from a CSV file (UTF-8, header line first; format in docs/import.md).\n"
                 "Everything is checked first and applied in one transaction: a file with any bad line\n"
                 "changes nothing. Rows are matched by code (units, locations, competencies), NIP\n"
                 "(employees) or position and competency code (standards), so\n"
                 "importing the same file again updates instead of duplicating.\n\n"
                 "  --dry-run   check everything, including references in the database, apply nothing\n\n"
                 "Bad lines are printed to stderr as FILE:LINE: field: reason; the exit status is 1.\n");
}

/* Prints the batch's errors in line order; within a line, in the order found.
 * Insertion sort: stable, and the list is capped at EO_IMPORT_MAX_ERRORS. */
static void print_errors(const char *file, eo_import_batch *b)
{
    for (size_t i = 1; i < b->n_kept; i++) {
        eo_import_error cur = b->errors[i];
        size_t j = i;
        for (; j > 0 && b->errors[j - 1].line > cur.line; j--) b->errors[j] = b->errors[j - 1];
        b->errors[j] = cur;
    }
    for (size_t i = 0; i < b->n_kept; i++) {
        const eo_import_error *e = &b->errors[i];
        fprintf(stderr, "%s:%d: %s: %s (%s)%s%s\n", file, e->line, e->field, eo_import_error_text(e->code), e->code,
                e->detail[0] ? ": " : "", e->detail);
    }
    if (b->n_errors > b->n_kept) fprintf(stderr, "%s: ... and %zu more errors\n", file, b->n_errors - b->n_kept);
    fprintf(stderr, "%s: %zu error%s; nothing was imported\n", file, b->n_errors, b->n_errors == 1 ? "" : "s");
}

int eo_cmd_import(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    const char *kind_name = NULL, *file = NULL;
    bool dry_run = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0)
            dry_run = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "eoffice import: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!kind_name)
            kind_name = argv[i];
        else if (!file)
            file = argv[i];
        else {
            usage(stderr);
            return 2;
        }
    }
    eo_import_kind kind;
    if (!kind_name || !file || !eo_import_kind_parse(kind_name, &kind)) {
        usage(stderr);
        return 2;
    }

    int rc = 1;
    FILE *f = NULL;
    eo_csv *csv = NULL;
    eo_import_batch *b = NULL;
    eo_pool *pool = NULL;
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);

    f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "eoffice import: %s: %s\n", file, strerror(errno));
        goto done;
    }
    eo_csv_limits limits = {.max_record_bytes = 16384, .max_fields = 32};
    csv = eo_csv_open_file(f, &limits);
    b = eo_import_batch_new(kind);
    if (!csv || !b) {
        fprintf(stderr, "eoffice import: out of memory\n");
        goto done;
    }
    if (eo_import_parse(b, csv) > 0) {
        print_errors(file, b);
        goto done;
    }

    pool = eo_cli_open_pool(1, &db);
    if (!pool) goto done;
    eo_import_counts counts;
    eo_status st = eo_db_import_apply(db, b, file, 0, dry_run, &counts, &err);
    if (st == EO_ERR_INVALID && b->n_errors) {
        print_errors(file, b);
        goto done;
    }
    if (st != EO_OK) {
        fprintf(stderr, "eoffice import: %s: %s\n", err.code ? err.code : "error", err.log_detail);
        goto done;
    }
    if (dry_run)
        printf("%s: %zu %s rows are valid (dry run: %zu would be inserted, %zu updated; nothing applied)\n", file,
               b->n_rows, eo_import_kind_name(kind), counts.inserted, counts.updated);
    else
        printf("%s: %zu %s rows imported: %zu inserted, %zu updated", file, b->n_rows, eo_import_kind_name(kind),
               counts.inserted, counts.updated);
    if (!dry_run && kind == EO_IMPORT_EMPLOYEES) printf(", %zu positions created", counts.positions_created);
    if (!dry_run) printf("\n");
    rc = 0;

done:
    eo_db_release(db);
    eo_pool_destroy(pool);
    eo_import_batch_free(b);
    eo_csv_close(csv);
    if (f) fclose(f);
    eo_err_clear(&err);
    return rc;
}
