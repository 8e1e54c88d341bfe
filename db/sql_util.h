/* Small helpers shared by the identity db/ files (accounts, sessions,
 * throttle, seeding). Binary values (hashes, sealed secrets) cross the libpq
 * boundary as hex text: encode(col, 'hex') out, decode($n, 'hex') in. */
#ifndef EO_DB_SQL_UTIL_H
#define EO_DB_SQL_UTIL_H

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "db/pool.h"

/* out needs 2 * n + 1 bytes. */
static inline void eo_db_hex_out(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
    sodium_bin2hex(out, outlen, bin, n);
}

/* Reads a hex column into bin (exactly n bytes); false when NULL or the wrong length. */
static inline bool eo_db_hex_in(const char *hex, unsigned char *bin, size_t n)
{
    size_t got = 0;
    if (!hex) return false;
    return sodium_hex2bin(bin, n, hex, strlen(hex), NULL, &got, NULL) == 0 && got == n;
}

/* eo_db_exec as a status: the result goes to *out (caller PQclear()s), or is
 * dropped when out is NULL. */
static inline eo_status eo_db_query(eo_db *db, const char *sql, int n, const char *const *p, PGresult **out,
                                    eo_err *err)
{
    PGresult *r = eo_db_exec(db, NULL, sql, n, p, err);
    if (!r) return err->status ? err->status : EO_ERR_INTERNAL;
    if (out)
        *out = r;
    else
        PQclear(r);
    return EO_OK;
}

/* Rows a command touched (PQcmdTuples), 0 when it reports none. */
static inline long long eo_db_affected(PGresult *r)
{
    const char *s = PQcmdTuples(r);
    long long n = 0;
    for (; s && *s >= '0' && *s <= '9'; s++) n = n * 10 + (*s - '0');
    return n;
}

#endif
