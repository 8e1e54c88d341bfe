/* SQL of the dev-only benchmark accounts (`eoffice bench-tokens`, bench/).
 *
 * Bench employees live in their own org unit (code "BENCH"), so they never mix
 * with real or demo data and bench/run can find (and clean) exactly their rows.
 * Employee i (1-based) has a deterministic NIP, so re-running is idempotent:
 *   birth date  = 1985-01-01 + (i-1)/100 days
 *   NIP         = birth YYYYMMDD + TMT (birth + 22 years) YYYYMM + gender + 900+(i-1)%100
 *   gender      = L for odd i, P for even i
 *   NIK         = 317401 (Jakarta Selatan) + DD(+40 for P) MM YY + (1+(i-1)%9999) as 4 digits
 * Sequences 900-999 keep them clear of hand-made NIPs; callers still check
 * every row with eo_nip_validate / eo_nik_validate. */
#ifndef EO_DB_BENCH_H
#define EO_DB_BENCH_H

#include "db/pool.h"

#define EO_BENCH_UNIT          "BENCH"
#define EO_BENCH_MAX_EMPLOYEES 200000
#define EO_BENCH_SCHEDULE      "5HK"

typedef struct {
    long long unit_id;
    long long location_id;
    long long schedule_id;
    double lat, lon;
    int radius_m;
    char time_zone[64];
} eo_bench_place;

/* Upserts the BENCH org unit and the office location `code` (created at
 * lat/lon/radius/tz when missing, otherwise used as it is), and finds work
 * schedule 5HK (EO_ERR_NOT_FOUND "schedule_not_found": run seed-demo first). */
eo_status eo_db_bench_place(eo_db *db, const char *location_code, double lat, double lon, int radius_m,
                            const char *time_zone, eo_bench_place *out, eo_err *err);

/* Bulk-creates bench employees 1..count (one INSERT … SELECT generate_series;
 * existing NIPs are kept and moved to place) and an active account for each
 * that has none (unusable password and authenticator: nobody can sign in as
 * them; sessions come only from eo_svc_session_mint_unchecked). Deletes earlier bench
 * sessions, so tokens of a previous run stop working. Returns the rows in
 * order of i: columns id, nip, nik, birth_date (YYYY-MM-DD), gender. Caller's
 * transaction; the caller PQclear()s *rows. EO_ERR_CONFLICT "nip_taken" when
 * a generated NIP belongs to an employee outside the BENCH unit. */
eo_status eo_db_bench_employees(eo_db *db, const eo_bench_place *place, int count, PGresult **rows, eo_err *err);

/* Bench sessions are throw-away: this connection stops waiting for the WAL
 * flush of every commit (synchronous_commit = off) until it is closed. */
eo_status eo_db_bench_relax_commit(eo_db *db, eo_err *err);

#endif
