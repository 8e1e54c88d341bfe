/* eoffice seed-demo: load db/seed/demo.sql (embedded) and the demo accounts. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/resources.h"

/* Provided by the identity module when it is linked in: creates sign-in
 * accounts (password + TOTP) for the demo employees and prints how to use
 * them. Returns 0 on success. Weak, so seed-demo works without it. */
__attribute__((weak)) int eo_identity_seed_demo_accounts(eo_db *db, FILE *out);

/* The people the demo is built around; their NIPs are listed at the top of
 * db/seed/demo.sql and used by the black-box tests. */
static const struct {
    const char *nip;
    const char *persona;
} demo_personas[] = {
    {"198807142014031001", "admin"},
    {"198611022010121001", "anpeg (Biro Organisasi dan SDM)"},
    {"198303032009011001", "anpeg (Dinas Pendidikan Musi Banyuasin)"},
    {"199112192017122001", "humas"},
    {"199305212019032001", "pegawai, Kemenkes (WIB)"},
    {"197806252003121001", "atasan of the Kemenkes staff"},
    {"198709232012031001", "guru, SD Negeri 1 Sekayu (WIB)"},
    {"197504142000032001", "kepala sekolah SD Negeri 1 Sekayu (atasan)"},
    {"198908172014032001", "guru, SD Negeri 1 Jayapura (WIT)"},
    {"198401282009032001", "pegawai, BBPK Makassar (WITA)"},
};

static void print_accounts(eo_db *db)
{
    static const char sql[] =
        "select e.name, coalesce(string_agg(g.role || coalesce(' ' || u.code, ''), ', ' "
        "                                   order by g.role, u.code), '') "
        "from employees e "
        "left join role_grants g on g.employee_id = e.id and g.revoked_at is null "
        "left join org_units u on u.id = g.unit_id "
        "where e.nip = $1 group by e.id, e.name";
    printf("\n%-18s  %-36s  %-42s  %s\n", "NIP", "name", "persona", "granted roles");
    for (size_t i = 0; i < sizeof(demo_personas) / sizeof(demo_personas[0]); i++) {
        eo_err err;
        eo_err_init(&err);
        const char *p[] = {demo_personas[i].nip};
        PGresult *r = eo_db_exec(db, NULL, sql, 1, p, &err);
        const char *name = r && PQntuples(r) ? eo_db_get(r, 0, 0) : "(missing from demo.sql!)";
        const char *roles = r && PQntuples(r) ? eo_db_get(r, 0, 1) : "";
        printf("%-18s  %-36.36s  %-42s  %s\n", demo_personas[i].nip, name, demo_personas[i].persona,
               roles[0] ? roles : "-");
        if (r) PQclear(r);
        eo_err_clear(&err);
    }
}

int eo_cmd_seed_demo(int argc, char **argv)
{
    if (eo_cli_wants_help(argc, argv) || argc > 1) {
        FILE *out = argc > 1 && !eo_cli_wants_help(argc, argv) ? stderr : stdout;
        fprintf(out, "usage: eoffice seed-demo\n\n"
                     "Loads the demo organisation, locations, schedules, holidays, ~50 employees and\n"
                     "role grants (db/seed/demo.sql, built into the binary) in one transaction, then\n"
                     "the demo sign-in accounts. Idempotent: running it again changes nothing.\n"
                     "Run 'eoffice migrate' first. Never run it against production data.\n");
        return out == stdout ? 0 : 2;
    }
    const eo_resource *seed = eo_resource_find("db/seed/demo.sql");
    if (!seed) {
        fprintf(stderr, "eoffice seed-demo: db/seed/demo.sql is not built into this binary\n");
        return 1;
    }
    eo_pool *pool = eo_cli_open_pool(1);
    if (!pool) return 1;
    int rc = 1;
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    if (eo_db_acquire(pool, &db, &err) != EO_OK) {
        fprintf(stderr, "eoffice seed-demo: %s\n", err.log_detail);
        goto done;
    }
    if (eo_db_begin(db, &err) != EO_OK) {
        fprintf(stderr, "eoffice seed-demo: %s\n", err.log_detail);
        goto done;
    }
    /* A multi-statement script: PQexec runs it all and reports the first error. */
    PGresult *r = PQexec(eo_db_conn(db), seed->data);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fprintf(stderr, "eoffice seed-demo: %s", PQresultErrorMessage(r));
        fprintf(stderr, "eoffice seed-demo: nothing was loaded (has 'eoffice migrate' been run?)\n");
        PQclear(r);
        eo_db_rollback(db);
        goto done;
    }
    PQclear(r);
    if (eo_db_commit(db, &err) != EO_OK) {
        fprintf(stderr, "eoffice seed-demo: %s\n", err.log_detail);
        goto done;
    }
    printf("demo data loaded\n");

    if (eo_identity_seed_demo_accounts) {
        if (eo_identity_seed_demo_accounts(db, stdout) != 0) {
            fprintf(stderr, "eoffice seed-demo: creating the demo accounts failed\n");
            goto done;
        }
    }
    print_accounts(db);
    rc = 0;

done:
    eo_db_release(db);
    eo_err_clear(&err);
    eo_pool_destroy(pool);
    return rc;
}
