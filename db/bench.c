#include "db/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/totp.h"

eo_status eo_db_bench_place(eo_db *db, const char *location_code, double lat, double lon, int radius_m,
                            const char *time_zone, eo_bench_place *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    const char *up[] = {EO_BENCH_UNIT};
    PGresult *r = eo_db_exec(db, NULL,
                             "insert into org_units (code, name) values ($1, 'Benchmark (synthetic employees)')"
                             " on conflict (code) do update set name = excluded.name returning id",
                             1, up, err);
    if (!r) return err->status;
    out->unit_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);

    char unit[24], la[32], lo[32], rad[16];
    snprintf(unit, sizeof(unit), "%lld", out->unit_id);
    snprintf(la, sizeof(la), "%.7f", lat);
    snprintf(lo, sizeof(lo), "%.7f", lon);
    snprintf(rad, sizeof(rad), "%d", radius_m);
    const char *lp[] = {location_code, unit, la, lo, rad, time_zone};
    r = eo_db_exec(db, NULL,
                   "insert into office_locations (code, name, unit_id, latitude, longitude, radius_m, time_zone)"
                   " values ($1, 'Benchmark office ' || $1, $2, $3, $4, $5, $6)"
                   " on conflict (code) do nothing",
                   6, lp, err);
    if (!r) return err->status;
    PQclear(r);
    const char *cp[] = {location_code};
    r = eo_db_exec(db, NULL,
                   "select id, latitude, longitude, radius_m, time_zone from office_locations where code = $1", 1, cp,
                   err);
    if (!r) return err->status;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return eo_fail(err, EO_ERR_NOT_FOUND, "location_not_found");
    }
    out->location_id = eo_db_get_ll(r, 0, 0);
    out->lat = strtod(eo_db_get(r, 0, 1), NULL);
    out->lon = strtod(eo_db_get(r, 0, 2), NULL);
    out->radius_m = (int)eo_db_get_ll(r, 0, 3);
    snprintf(out->time_zone, sizeof(out->time_zone), "%s", eo_db_get(r, 0, 4));
    PQclear(r);

    const char *sp[] = {EO_BENCH_SCHEDULE};
    r = eo_db_exec(db, NULL, "select id from work_schedules where code = $1", 1, sp, err);
    if (!r) return err->status;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return eo_fail_log(err, EO_ERR_NOT_FOUND, "schedule_not_found",
                           "work schedule " EO_BENCH_SCHEDULE " is missing (run 'eoffice seed-demo' first)");
    }
    out->schedule_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

/* Bench employee i (1..$1): see db/bench.h for the scheme. */
#define BENCH_ROWS                                                                                                     \
    "with g as (select i, date '1985-01-01' + (i - 1) / 100 as birth, 1 + (i - 1) % 2 as gd"                           \
    "  from generate_series(1, $1::int) i),"                                                                           \
    " v as (select i, birth, case gd when 1 then 'L' else 'P' end as gender,"                                          \
    "  to_char(birth, 'YYYYMMDD') || to_char(birth + interval '22 years', 'YYYYMM') || gd::text"                       \
    "   || lpad((900 + (i - 1) % 100)::text, 3, '0') as nip,"                                                          \
    "  '317401' || lpad((extract(day from birth)::int + case gd when 2 then 40 else 0 end)::text, 2, '0')"             \
    "   || to_char(birth, 'MMYY') || lpad((1 + (i - 1) % 9999)::text, 4, '0') as nik from g)"

eo_status eo_db_bench_employees(eo_db *db, const eo_bench_place *place, int count, PGresult **rows, eo_err *err)
{
    *rows = NULL;
    if (count < 1 || count > EO_BENCH_MAX_EMPLOYEES) return eo_fail(err, EO_ERR_INVALID, "out_of_range");
    char n[16], unit[24], loc[24], sched[24];
    snprintf(n, sizeof(n), "%d", count);
    snprintf(unit, sizeof(unit), "%lld", place->unit_id);
    snprintf(loc, sizeof(loc), "%lld", place->location_id);
    snprintf(sched, sizeof(sched), "%lld", place->schedule_id);

    /* New NIPs only (ON CONFLICT would still draw an id from the identity
     * sequence for every existing row, leaving holes): a fresh database gets
     * consecutive ids, which bench/pgbench_insert.sql relies on. */
    const char *ep[] = {n, unit, loc, sched};
    PGresult *r = eo_db_exec(
        db, NULL,
        BENCH_ROWS " insert into employees (nip, nik, name, gender, birth_date, employee_type, rank, unit_id,"
                   "  office_location_id, work_schedule_id, status)"
                   " select nip, nik, 'Pegawai Bench ' || lpad(i::text, 6, '0'), gender, birth, 'PNS', 'III/a',"
                   "  $2, $3, $4, 'active' from v where not exists (select 1 from employees e where e.nip = v.nip)"
                   " order by i on conflict (nip) do nothing",
        4, ep, err);
    if (!r) return err->status;
    PQclear(r);
    /* Existing bench employees follow the (possibly other) bench location. */
    r = eo_db_exec(db, NULL,
                   BENCH_ROWS
                   " update employees e set office_location_id = $3, work_schedule_id = $4, status = 'active'"
                   " from v where e.nip = v.nip and e.unit_id = $2"
                   "  and (e.office_location_id, e.work_schedule_id, e.status) is distinct from ($3, $4, 'active')",
                   4, ep, err);
    if (!r) return err->status;
    PQclear(r);

    /* Garbage "sealed" secrets of the right length: they never decrypt (MAC),
     * so the accounts are active yet nobody can pass the authenticator step. */
    char sl[8], nl[8];
    snprintf(sl, sizeof(sl), "%d", (int)EO_TOTP_SEALED_LEN);
    snprintf(nl, sizeof(nl), "%d", (int)EO_TOTP_NONCE_LEN);
    const char *ap[] = {unit, sl, nl};
    r = eo_db_exec(db, NULL,
                   "insert into accounts (employee_id, password_hash, personal_email, office_email, phone, status,"
                   "  totp_secret_enc, totp_nonce)"
                   " select e.id, '!bench-account: no password sign-in', 'bench-' || e.nip || '@bench.invalid',"
                   "  'bench-' || e.nip || '@bench.invalid', '+620000000000', 'active',"
                   "  substr(sha512(convert_to(gen_random_uuid()::text, 'UTF8')), 1, $2::int),"
                   "  substr(sha512(convert_to(gen_random_uuid()::text, 'UTF8')), 1, $3::int)"
                   " from employees e where e.unit_id = $1"
                   " on conflict (employee_id) do update set status = 'active',"
                   "  totp_secret_enc = excluded.totp_secret_enc, totp_nonce = excluded.totp_nonce"
                   " where accounts.status <> 'active'",
                   3, ap, err);
    if (!r) return err->status;
    PQclear(r);

    /* Earlier runs' sessions (and their refresh tokens, by cascade). */
    const char *dp[] = {unit};
    r = eo_db_exec(db, NULL, "delete from sessions s using employees e where s.employee_id = e.id and e.unit_id = $1",
                   1, dp, err);
    if (!r) return err->status;
    PQclear(r);

    const char *sp[] = {n, unit};
    r = eo_db_exec(db, NULL,
                   BENCH_ROWS " select e.id, e.nip, e.nik, to_char(e.birth_date, 'YYYY-MM-DD'), e.gender,"
                              "  e.unit_id = $2::bigint from v join employees e on e.nip = v.nip order by v.i",
                   2, sp, err);
    if (!r) return err->status;
    if (PQntuples(r) != count) {
        PQclear(r);
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "expected %d bench employees", count);
    }
    for (int i = 0; i < count; i++) {
        if (eo_db_get(r, i, 5)[0] != 't') {
            eo_fail_log(err, EO_ERR_CONFLICT, "nip_taken", "NIP %s belongs to an employee outside unit " EO_BENCH_UNIT,
                        eo_db_get(r, i, 1));
            PQclear(r);
            return err->status;
        }
    }
    *rows = r;
    return EO_OK;
}

eo_status eo_db_bench_relax_commit(eo_db *db, eo_err *err)
{
    return eo_db_run(db, "set synchronous_commit = off", 0, NULL, err);
}
