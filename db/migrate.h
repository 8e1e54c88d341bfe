/* Schema migrations: the embedded db/migrations/NNNN_name.sql files, applied
 * in order, each in its own transaction, under a PostgreSQL advisory lock (two
 * servers starting at once never race), recorded with a SHA-256 checksum. An
 * applied migration whose file has changed is refused: migrations are
 * append-only. */
#ifndef EO_DB_MIGRATE_H
#define EO_DB_MIGRATE_H

#include <stdio.h>

#include "db/pool.h"

typedef struct {
    int available; /* migrations in the binary */
    int applied;   /* recorded in schema_migrations and matching */
    int pending;   /* in the binary, not yet applied */
    int changed;   /* applied, but the file's checksum differs */
    int unknown;   /* applied, but not in this binary (a newer server ran) */
    char first_problem[160];
} eo_migrate_state;

/* Applies every pending migration; progress lines go to log (may be NULL). */
eo_status eo_migrate_apply(eo_db *db, FILE *log, eo_err *err);
/* Compares the database with the binary without changing anything. */
eo_status eo_migrate_status(eo_db *db, eo_migrate_state *st, FILE *log, eo_err *err);

#endif
