#include "db/identity_seed.h"

#include <sodium.h>
#include <string.h>

#include "core/identity.h"
#include "core/password.h"
#include "core/resources.h"
#include "core/totp.h"
#include "db/pool.h"

#define DEMO_PASSWORD "eOffice-Demo-2026"

/* NIPs named in the comment block that opens db/seed/demo.sql (every run of
 * 18 digits on a leading "--" line). */
static int demo_nips(char nips[][19], int max)
{
    const eo_resource *r = eo_resource_find("db/seed/demo.sql");
    if (!r) return 0;
    int n = 0;
    const char *line = r->data;
    while (*line && n < max) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len < 2 || strncmp(line, "--", 2) != 0) {
            if (len > 0) break; /* the block ends at the first non-comment line */
        } else {
            for (size_t i = 0; i + 18 <= len; i++) {
                size_t k = 0;
                while (k < 18 && line[i + k] >= '0' && line[i + k] <= '9') k++;
                bool boundary = (i == 0 || line[i - 1] < '0' || line[i - 1] > '9') &&
                                (i + 18 == len || line[i + 18] < '0' || line[i + 18] > '9');
                if (k == 18 && boundary) {
                    bool dup = false;
                    for (int j = 0; j < n; j++) dup = dup || strncmp(nips[j], line + i, 18) == 0;
                    if (!dup && n < max) {
                        memcpy(nips[n], line + i, 18);
                        nips[n++][18] = '\0';
                    }
                    i += 17;
                }
            }
        }
        if (!end) break;
        line = end + 1;
    }
    return n;
}

int eo_identity_seed_demo_accounts(eo_db *db, const eo_config *cfg, FILE *out)
{
    static const unsigned char zero[32];
    if (sodium_memcmp(cfg->secret_key, zero, 32) == 0) {
        fprintf(out, "demo accounts skipped: EOFFICE_SECRET_KEY is not set (it encrypts TOTP secrets)\n");
        return 0;
    }
    eo_password_init(cfg->max_concurrent_hashes);
    eo_err err;
    eo_err_init(&err);
    char nips[64][19];
    int n = demo_nips(nips, 48);
    /* Everyone holding a role gets an account too. */
    PGresult *r = eo_db_exec(db, NULL,
                             "select distinct e.nip from role_grants g join employees e on e.id = g.employee_id "
                             "where g.revoked_at is null order by 1 limit 16",
                             0, NULL, &err);
    if (!r) {
        fprintf(out, "demo accounts: %s\n", err.log_detail);
        return 1;
    }
    for (int i = 0; i < PQntuples(r) && n < 64; i++) {
        bool dup = false;
        for (int j = 0; j < n; j++) dup = dup || strcmp(nips[j], eo_db_get(r, i, 0)) == 0;
        if (!dup) snprintf(nips[n++], 19, "%s", eo_db_get(r, i, 0));
    }
    PQclear(r);

    char hash[EO_PASSWORD_HASH_LEN];
    bool hashed = false;
    int rc = 0;
    fprintf(out, "Demo accounts (password for all: %s; current OTP: scripts/dev otp NIP)\n", DEMO_PASSWORD);
    for (int i = 0; i < n; i++) {
        const char *p[] = {nips[i]};
        r = eo_db_exec(db, NULL,
                       "select e.id, e.name, coalesce(e.office_email, ''), "
                       "coalesce((select string_agg(distinct g.role, ',') from role_grants g where "
                       "g.employee_id = e.id and g.revoked_at is null), ''), "
                       "exists (select 1 from employees s where s.supervisor_id = e.id), "
                       "exists (select 1 from accounts a where a.employee_id = e.id) "
                       "from employees e where e.nip = $1",
                       1, p, &err);
        if (!r) {
            rc = 1;
            break;
        }
        if (PQntuples(r) != 1) {
            PQclear(r);
            continue;
        }
        long long eid = eo_db_get_ll(r, 0, 0);
        char roles[64];
        snprintf(roles, sizeof roles, "%s%s%s", eo_db_str(r, 0, 3),
                 (eo_db_str(r, 0, 3)[0] && eo_db_bool(r, 0, 4)) ? "," : "", eo_db_bool(r, 0, 4) ? "atasan" : "");
        fprintf(out, "  %s  %s  %s\n", nips[i], eo_db_get(r, 0, 1), roles[0] ? roles : "pegawai");
        bool exists = eo_db_bool(r, 0, 5);
        char office[255];
        snprintf(office, sizeof office, "%s", eo_db_str(r, 0, 2)[0] ? eo_db_str(r, 0, 2) : "demo@eoffice.invalid");
        PQclear(r);
        if (exists) continue; /* idempotent: never touch an existing account */
        if (!hashed) {
            if (eo_password_hash(DEMO_PASSWORD, hash, &err) != EO_OK) {
                rc = 1;
                break;
            }
            hashed = true;
        }
        /* Secret derived from the server key and the NIP, so re-seeding a
         * fresh database gives the same authenticator. */
        unsigned char secret[EO_TOTP_SECRET_LEN], full[32], sealed[EO_TOTP_SEALED_LEN], nonce[EO_TOTP_NONCE_LEN];
        char label[64];
        snprintf(label, sizeof label, "demo-totp:%.18s", nips[i]); /* a NIP is 18 digits */
        eo_identity_keyed_hash(cfg->secret_key, label, full);
        memcpy(secret, full, EO_TOTP_SECRET_LEN);
        eo_totp_seal(cfg->secret_key, secret, sealed, nonce);
        char sh[2 * EO_TOTP_SEALED_LEN + 1], nh[2 * EO_TOTP_NONCE_LEN + 1], ids[24];
        eo_db_hex_out(sealed, sizeof sealed, sh, sizeof sh);
        eo_db_hex_out(nonce, sizeof nonce, nh, sizeof nh);
        snprintf(ids, sizeof ids, "%lld", eid);
        const char *p2[] = {ids, hash, office, sh, nh};
        r = eo_db_exec(db, NULL,
                       "insert into accounts (employee_id, password_hash, personal_email, office_email, phone, "
                       "status, totp_secret_enc, totp_nonce) values ($1, $2, $3, $3, '+6281200000000', 'active', "
                       "decode($4, 'hex'), decode($5, 'hex')) on conflict (employee_id) do nothing",
                       5, p2, &err);
        sodium_memzero(secret, sizeof secret);
        sodium_memzero(full, sizeof full);
        if (!r) {
            rc = 1;
            break;
        }
        PQclear(r);
    }
    if (rc) fprintf(out, "demo accounts failed: %s\n", err.log_detail);
    eo_err_clear(&err);
    return rc;
}
