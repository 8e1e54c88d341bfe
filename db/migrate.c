#include "db/migrate.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/resources.h"

#define MIGRATION_PREFIX "db/migrations/"
/* Arbitrary constant: the advisory lock key of the migration runner. */
#define MIGRATION_LOCK_KEY "7305119872"

static const char *migration_name(const eo_resource *r) { return r->name + strlen(MIGRATION_PREFIX); }

static bool is_migration(const eo_resource *r)
{
    size_t n = strlen(r->name);
    return strncmp(r->name, MIGRATION_PREFIX, strlen(MIGRATION_PREFIX)) == 0 && n > 4 &&
           strcmp(r->name + n - 4, ".sql") == 0;
}

static void checksum_hex(const eo_resource *r, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)r->data, r->len);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

static eo_status ensure_table(eo_db *db, eo_err *err)
{
    return eo_db_run(db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " name text PRIMARY KEY,"
                     " checksum text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())",
                     0, NULL, err);
}

/* Looks up the recorded checksum of name in r (rows: name, checksum). */
static const char *recorded_checksum(PGresult *r, const char *name)
{
    for (int i = 0; i < PQntuples(r); i++)
        if (strcmp(PQgetvalue(r, i, 0), name) == 0) return PQgetvalue(r, i, 1);
    return NULL;
}

eo_status eo_migrate_status(eo_db *db, eo_migrate_state *st, FILE *log, eo_err *err)
{
    memset(st, 0, sizeof(*st));
    PGresult *r = eo_db_exec(db, NULL,
                             "SELECT name, checksum FROM schema_migrations WHERE "
                             "to_regclass('schema_migrations') IS NOT NULL ORDER BY name",
                             0, NULL, err);
    if (!r) {
        /* The table does not exist yet: everything is pending. */
        if (strcmp(eo_db_last_sqlstate(db), "42P01") != 0) return err->status;
        eo_err_clear(err);
        r = eo_db_exec(db, NULL, "SELECT ''::text, ''::text WHERE false", 0, NULL, err);
        if (!r) return err->status;
    }
    for (const eo_resource *m = eo_resources; m->name; m++) {
        if (!is_migration(m)) continue;
        st->available++;
        char sum[65];
        checksum_hex(m, sum);
        const char *rec = recorded_checksum(r, migration_name(m));
        if (!rec) {
            st->pending++;
            if (log) fprintf(log, "pending   %s\n", migration_name(m));
        } else if (strcmp(rec, sum) != 0) {
            st->changed++;
            if (!st->first_problem[0])
                snprintf(st->first_problem, sizeof(st->first_problem), "%s was changed after it was applied",
                         migration_name(m));
            if (log)
                fprintf(log, "CHANGED   %s (applied with checksum %.12s…, file has %.12s…)\n", migration_name(m), rec,
                        sum);
        } else {
            st->applied++;
            if (log) fprintf(log, "applied   %s\n", migration_name(m));
        }
    }
    for (int i = 0; i < PQntuples(r); i++) {
        char full[256];
        snprintf(full, sizeof(full), MIGRATION_PREFIX "%s", PQgetvalue(r, i, 0));
        if (!eo_resource_find(full)) {
            st->unknown++;
            if (log) fprintf(log, "UNKNOWN   %s (applied, not in this binary)\n", PQgetvalue(r, i, 0));
        }
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_migrate_apply(eo_db *db, FILE *log, eo_err *err)
{
    eo_status rc;
    bool locked = false;
    PGresult *applied = NULL;

    /* Session-level lock: held across the per-migration transactions. */
    if ((rc = eo_db_run(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", 0, NULL, err))) goto done;
    locked = true;
    if ((rc = ensure_table(db, err))) goto done;
    applied = eo_db_exec(db, NULL, "SELECT name, checksum FROM schema_migrations ORDER BY name", 0, NULL, err);
    if (!applied) {
        rc = err->status;
        goto done;
    }

    int done_count = 0;
    for (const eo_resource *m = eo_resources; m->name; m++) {
        if (!is_migration(m)) continue;
        const char *name = migration_name(m);
        char sum[65];
        checksum_hex(m, sum);
        const char *rec = recorded_checksum(applied, name);
        if (rec) {
            if (strcmp(rec, sum) != 0) {
                rc = eo_fail_log(err, EO_ERR_CONFLICT, "migration_changed",
                                 "migration %s was changed after it was applied (checksum %.12s… in the "
                                 "database, %.12s… in this binary); migrations are append-only: add a new one",
                                 name, rec, sum);
                goto done;
            }
            continue;
        }
        if ((rc = eo_db_begin(db, err))) goto done;
        PGresult *r = PQexec(eo_db_conn(db), m->data);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = eo_fail_log(err, EO_ERR_INTERNAL, "migration_failed", "migration %s failed: %.180s", name,
                             PQresultErrorMessage(r));
            PQclear(r);
            eo_db_rollback(db);
            goto done;
        }
        PQclear(r);
        const char *params[2] = {name, sum};
        if ((rc = eo_db_run(db, "INSERT INTO schema_migrations(name, checksum) VALUES ($1, $2)", 2, params, err))) {
            eo_db_rollback(db);
            goto done;
        }
        if ((rc = eo_db_commit(db, err))) goto done;
        if (log) fprintf(log, "applied %s\n", name);
        done_count++;
    }
    if (log) fprintf(log, "%d migration(s) applied, schema is current\n", done_count);
    rc = EO_OK;
done:
    PQclear(applied);
    if (locked) {
        PGresult *r = PQexec(eo_db_conn(db), "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")");
        PQclear(r);
    }
    return rc;
}
