#include "db/identity.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/resources.h"

/* ---- small helpers ---- */

static void to_hex(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
    sodium_bin2hex(out, outlen, bin, n);
}

/* Reads a hex column into bin (exactly n bytes); false when NULL or wrong length. */
static bool from_hex(const char *hex, unsigned char *bin, size_t n)
{
    size_t got = 0;
    if (!hex) return false;
    return sodium_hex2bin(bin, n, hex, strlen(hex), NULL, &got, NULL) == 0 && got == n;
}

static void copy_col(PGresult *r, int row, int col, char *dst, size_t cap)
{
    const char *v = eo_db_get(r, row, col);
    snprintf(dst, cap, "%s", v ? v : "");
}

static bool col_true(PGresult *r, int row, int col)
{
    const char *v = eo_db_get(r, row, col);
    return v && v[0] == 't';
}

static eo_status run1(eo_db *db, const char *sql, int n, const char *const *p, PGresult **out, eo_err *err)
{
    PGresult *r = eo_db_exec(db, NULL, sql, n, p, err);
    if (!r) return err->status ? err->status : EO_ERR_INTERNAL;
    if (out) *out = r;
    else PQclear(r);
    return EO_OK;
}

/* ---- accounts ---- */

#define ACCOUNT_COLS                                                                                             \
    "select e.id, e.nip, e.nik, e.name, coalesce(e.office_email, ''), e.status = 'active', coalesce(a.id, 0), " \
    "coalesce(a.status, ''), a.password_hash, coalesce(a.office_email, ''), encode(a.totp_secret_enc, 'hex'), " \
    "encode(a.totp_nonce, 'hex'), coalesce(a.totp_last_step, 0) "                                               \
    "from employees e left join accounts a on a.employee_id = e.id "

static void read_account(PGresult *r, eo_db_account *a)
{
    memset(a, 0, sizeof *a);
    a->employee_id = eo_db_get_ll(r, 0, 0);
    copy_col(r, 0, 1, a->nip, sizeof a->nip);
    copy_col(r, 0, 2, a->nik, sizeof a->nik);
    copy_col(r, 0, 3, a->name, sizeof a->name);
    copy_col(r, 0, 4, a->master_office_email, sizeof a->master_office_email);
    a->employee_active = col_true(r, 0, 5);
    a->account_id = eo_db_get_ll(r, 0, 6);
    copy_col(r, 0, 7, a->status, sizeof a->status);
    copy_col(r, 0, 8, a->password_hash, sizeof a->password_hash);
    copy_col(r, 0, 9, a->office_email, sizeof a->office_email);
    a->has_totp = from_hex(eo_db_get(r, 0, 10), a->totp_sealed, sizeof a->totp_sealed) &&
                  from_hex(eo_db_get(r, 0, 11), a->totp_nonce, sizeof a->totp_nonce);
    a->totp_last_step = eo_db_get_ll(r, 0, 12);
}

eo_status eo_db_account_by_nip(eo_db *db, const char *nip, bool lock, eo_db_account *out, bool *found,
                               eo_err *err)
{
    PGresult *r = NULL;
    const char *p[] = {nip};
    eo_status st = run1(db, lock ? ACCOUNT_COLS "where e.nip = $1 for update of e"
                                 : ACCOUNT_COLS "where e.nip = $1",
                        1, p, &r, err);
    if (st) return st;
    *found = PQntuples(r) == 1;
    if (*found) read_account(r, out);
    else memset(out, 0, sizeof *out);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_account_by_employee(eo_db *db, long long employee_id, eo_db_account *out, bool *found,
                                    eo_err *err)
{
    PGresult *r = NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", employee_id);
    const char *p[] = {id};
    eo_status st = run1(db, ACCOUNT_COLS "where e.id = $1", 1, p, &r, err);
    if (st) return st;
    *found = PQntuples(r) == 1;
    if (*found) read_account(r, out);
    else memset(out, 0, sizeof *out);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_account_upsert_pending(eo_db *db, long long employee_id, const char *password_hash,
                                       const char *personal_email, const char *office_email,
                                       const char *phone, long long *account_id, eo_err *err)
{
    PGresult *r = NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", employee_id);
    const char *p[] = {id, password_hash, personal_email, office_email, phone};
    eo_status st = run1(db,
                        "insert into accounts (employee_id, password_hash, personal_email, office_email, phone) "
                        "values ($1, $2, $3, $4, $5) "
                        "on conflict (employee_id) do update set password_hash = excluded.password_hash, "
                        "personal_email = excluded.personal_email, office_email = excluded.office_email, "
                        "phone = excluded.phone, password_changed_at = now() "
                        "where accounts.status = 'pending' returning id",
                        5, p, &r, err);
    if (st) return st;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return eo_fail_log(err, EO_ERR_CONFLICT, "registration_rejected", "account no longer pending");
    }
    *account_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

/* ---- enrolments ---- */

eo_status eo_db_enrolment_create(eo_db *db, long long account_id, const char *kind,
                                 const unsigned char token_hash[32],
                                 const unsigned char sealed[EO_TOTP_SEALED_LEN],
                                 const unsigned char nonce[EO_TOTP_NONCE_LEN],
                                 const unsigned char recovery_hashes[][32], int n_recovery,
                                 long long *enrolment_id, char *expires_at, size_t expires_len, eo_err *err)
{
    char acc[24], ttl[16], th[65], sh[2 * EO_TOTP_SEALED_LEN + 1], nh[2 * EO_TOTP_NONCE_LEN + 1];
    snprintf(acc, sizeof acc, "%lld", account_id);
    snprintf(ttl, sizeof ttl, "%d", EO_ENROLMENT_TTL_S);
    to_hex(token_hash, 32, th, sizeof th);
    to_hex(sealed, EO_TOTP_SEALED_LEN, sh, sizeof sh);
    to_hex(nonce, EO_TOTP_NONCE_LEN, nh, sizeof nh);
    const char *p1[] = {acc};
    eo_status st = run1(db, "delete from enrolments where account_id = $1 and verified_at is null", 1, p1, NULL, err);
    if (st) return st;
    PGresult *r = NULL;
    const char *p2[] = {acc, kind, th, sh, nh, ttl};
    st = run1(db,
              "insert into enrolments (account_id, kind, token_hash, totp_secret_enc, totp_nonce, expires_at) "
              "values ($1, $2, decode($3, 'hex'), decode($4, 'hex'), decode($5, 'hex'), "
              "now() + make_interval(secs => $6::int)) "
              "returning id, to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
              6, p2, &r, err);
    if (st) return st;
    *enrolment_id = eo_db_get_ll(r, 0, 0);
    snprintf(expires_at, expires_len, "%s", eo_db_get(r, 0, 1));
    PQclear(r);
    char en[24];
    snprintf(en, sizeof en, "%lld", *enrolment_id);
    for (int i = 0; i < n_recovery; i++) {
        char hh[65];
        to_hex(recovery_hashes[i], 32, hh, sizeof hh);
        const char *p3[] = {acc, en, hh};
        st = run1(db, "insert into recovery_codes (account_id, enrolment_id, code_hash) values ($1, $2, decode($3, 'hex'))",
                  3, p3, NULL, err);
        if (st) return st;
    }
    return EO_OK;
}

eo_status eo_db_enrolment_get(eo_db *db, long long id, bool lock, eo_db_enrolment *out, bool *found, eo_err *err)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *p[] = {ids};
    PGresult *r = NULL;
    eo_status st = run1(db,
                        lock ? "select en.id, en.account_id, a.employee_id, en.kind, encode(en.token_hash, 'hex'), "
                               "encode(en.totp_secret_enc, 'hex'), encode(en.totp_nonce, 'hex'), en.expires_at <= now(), "
                               "en.verified_at is not null, en.attempts, a.status, e.nip, "
                               "to_char(en.expires_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                               "from enrolments en join accounts a on a.id = en.account_id "
                               "join employees e on e.id = a.employee_id where en.id = $1 for update of en, a"
                             : "select en.id, en.account_id, a.employee_id, en.kind, encode(en.token_hash, 'hex'), "
                               "encode(en.totp_secret_enc, 'hex'), encode(en.totp_nonce, 'hex'), en.expires_at <= now(), "
                               "en.verified_at is not null, en.attempts, a.status, e.nip, "
                               "to_char(en.expires_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                               "from enrolments en join accounts a on a.id = en.account_id "
                               "join employees e on e.id = a.employee_id where en.id = $1",
                        1, p, &r, err);
    if (st) return st;
    memset(out, 0, sizeof *out);
    *found = PQntuples(r) == 1;
    if (*found) {
        out->id = eo_db_get_ll(r, 0, 0);
        out->account_id = eo_db_get_ll(r, 0, 1);
        out->employee_id = eo_db_get_ll(r, 0, 2);
        copy_col(r, 0, 3, out->kind, sizeof out->kind);
        bool ok = from_hex(eo_db_get(r, 0, 4), out->token_hash, 32) &&
                  from_hex(eo_db_get(r, 0, 5), out->sealed, EO_TOTP_SEALED_LEN) &&
                  from_hex(eo_db_get(r, 0, 6), out->nonce, EO_TOTP_NONCE_LEN);
        out->expired = col_true(r, 0, 7);
        out->verified = col_true(r, 0, 8);
        out->attempts = (int)eo_db_get_ll(r, 0, 9);
        copy_col(r, 0, 10, out->account_status, sizeof out->account_status);
        copy_col(r, 0, 11, out->nip, sizeof out->nip);
        copy_col(r, 0, 12, out->expires_at, sizeof out->expires_at);
        if (!ok) *found = false;
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_enrolment_failed_attempt(eo_db *db, long long id, eo_err *err)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *p[] = {ids};
    return run1(db, "update enrolments set attempts = attempts + 1 where id = $1", 1, p, NULL, err);
}

eo_status eo_db_enrolment_complete(eo_db *db, const eo_db_enrolment *en, long long matched_step, eo_err *err)
{
    char ids[24], acc[24], step[24], sh[2 * EO_TOTP_SEALED_LEN + 1], nh[2 * EO_TOTP_NONCE_LEN + 1];
    snprintf(ids, sizeof ids, "%lld", en->id);
    snprintf(acc, sizeof acc, "%lld", en->account_id);
    snprintf(step, sizeof step, "%lld", matched_step);
    to_hex(en->sealed, EO_TOTP_SEALED_LEN, sh, sizeof sh);
    to_hex(en->nonce, EO_TOTP_NONCE_LEN, nh, sizeof nh);
    const char *p1[] = {acc, sh, nh, step};
    eo_status st = run1(db,
                        "update accounts set totp_secret_enc = decode($2, 'hex'), totp_nonce = decode($3, 'hex'), "
                        "totp_last_step = $4, status = case when status = 'pending' then 'active' else status end "
                        "where id = $1",
                        4, p1, NULL, err);
    if (st) return st;
    const char *p2[] = {ids};
    st = run1(db, "update enrolments set verified_at = now() where id = $1", 1, p2, NULL, err);
    if (st) return st;
    const char *p3[] = {acc, ids};
    st = run1(db, "delete from recovery_codes where account_id = $1 and enrolment_id is distinct from $2::bigint",
              2, p3, NULL, err);
    if (st) return st;
    st = run1(db, "update recovery_codes set enrolment_id = null where account_id = $1 and enrolment_id = $2", 2, p3,
              NULL, err);
    if (st) return st;
    return run1(db, "delete from enrolments where account_id = $1 and verified_at is null and id <> $2", 2, p3, NULL,
                err);
}

eo_status eo_db_account_use_step(eo_db *db, long long account_id, long long step, bool *ok, eo_err *err)
{
    char acc[24], s[24];
    snprintf(acc, sizeof acc, "%lld", account_id);
    snprintf(s, sizeof s, "%lld", step);
    const char *p[] = {acc, s};
    PGresult *r = eo_db_exec(db, NULL, "update accounts set totp_last_step = $2 where id = $1 and totp_last_step < $2",
                             2, p, err);
    if (!r) return err->status;
    *ok = atoi(PQcmdTuples(r)) == 1;
    PQclear(r);
    return EO_OK;
}

/* ---- throttling ---- */

eo_status eo_db_throttle_wait(eo_db *db, const char *key, int *wait_s, eo_err *err)
{
    const char *p[] = {key};
    PGresult *r = NULL;
    eo_status st = run1(db,
                        "select ceil(extract(epoch from throttle_until - now()))::int from auth_throttle "
                        "where key = $1 and throttle_until > now()",
                        1, p, &r, err);
    if (st) return st;
    *wait_s = PQntuples(r) == 1 ? (int)eo_db_get_ll(r, 0, 0) : 0;
    if (*wait_s < 0) *wait_s = 0;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_throttle_fail(eo_db *db, const char *key, const eo_throttle_rule *rule, int *wait_s, eo_err *err)
{
    char window[16];
    snprintf(window, sizeof window, "%d", rule->window_s);
    const char *p[] = {key, window};
    PGresult *r = NULL;
    /* A quiet window (no failure for window_s) starts the count afresh. */
    eo_status st = run1(db,
                        "insert into auth_throttle as t (key, failures) values ($1, 1) "
                        "on conflict (key) do update set failures = case when t.updated_at < now() - "
                        "make_interval(secs => $2::int) then 1 else t.failures + 1 end, "
                        "window_start = case when t.updated_at < now() - make_interval(secs => $2::int) "
                        "then now() else t.window_start end returning failures",
                        2, p, &r, err);
    if (st) return st;
    int failures = (int)eo_db_get_ll(r, 0, 0);
    PQclear(r);
    *wait_s = eo_throttle_delay(rule, failures);
    if (*wait_s > 0) {
        char w[16];
        snprintf(w, sizeof w, "%d", *wait_s);
        const char *p2[] = {key, w};
        st = run1(db, "update auth_throttle set throttle_until = now() + make_interval(secs => $2::int) where key = $1",
                  2, p2, NULL, err);
    }
    return st;
}

eo_status eo_db_throttle_clear(eo_db *db, const char *key, eo_err *err)
{
    const char *p[] = {key};
    return run1(db, "delete from auth_throttle where key = $1", 1, p, NULL, err);
}

/* ---- sessions ---- */

eo_status eo_db_device_upsert(eo_db *db, long long employee_id, const char *device_id, const char *name,
                              const char *platform, const char *app_version, long long *row_id, eo_err *err)
{
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {eid, device_id, name, platform, app_version};
    PGresult *r = NULL;
    eo_status st = run1(db,
                        "insert into devices (employee_id, device_id, device_name, platform, app_version) "
                        "values ($1, $2, $3, $4, $5) on conflict (employee_id, device_id) do update set "
                        "device_name = excluded.device_name, platform = excluded.platform, "
                        "app_version = excluded.app_version, last_seen_at = now() returning id",
                        5, p, &r, err);
    if (st) return st;
    *row_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_session_create(eo_db *db, long long employee_id, const char *client, long long device_row,
                               const char *ip, const char *user_agent, int refresh_ttl_s,
                               const unsigned char refresh_hash[32], long long *session_id, eo_err *err)
{
    char eid[24], dev[24], ttl[16], hh[65], ua[513];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(dev, sizeof dev, "%lld", device_row);
    snprintf(ttl, sizeof ttl, "%d", refresh_ttl_s);
    snprintf(ua, sizeof ua, "%s", user_agent ? user_agent : "");
    to_hex(refresh_hash, 32, hh, sizeof hh);
    const char *p[] = {eid, client, device_row ? dev : NULL, ip, ua, ttl};
    PGresult *r = NULL;
    eo_status st = run1(db,
                        "insert into sessions (employee_id, client, device_id, ip, user_agent, expires_at) "
                        "values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::int)) returning id",
                        6, p, &r, err);
    if (st) return st;
    *session_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", *session_id);
    const char *p2[] = {sid, hh, ttl};
    return run1(db,
                "insert into refresh_tokens (session_id, token_hash, expires_at) "
                "values ($1, decode($2, 'hex'), now() + make_interval(secs => $3::int))",
                3, p2, NULL, err);
}

eo_status eo_db_refresh_get(eo_db *db, const unsigned char hash[32], eo_db_refresh *out, bool *found, eo_err *err)
{
    char hh[65];
    to_hex(hash, 32, hh, sizeof hh);
    const char *p[] = {hh};
    PGresult *r = NULL;
    eo_status st = run1(db,
                        "select rt.id, rt.session_id, s.employee_id, rt.used_at is not null, "
                        "rt.expires_at <= now() or s.expires_at <= now(), s.revoked_at is not null, "
                        "a.status = 'active' and e.status = 'active', s.client, e.nip, coalesce(d.device_id, '') "
                        "from refresh_tokens rt join sessions s on s.id = rt.session_id "
                        "join employees e on e.id = s.employee_id join accounts a on a.employee_id = e.id "
                        "left join devices d on d.id = s.device_id "
                        "where rt.token_hash = decode($1, 'hex') for update of rt, s",
                        1, p, &r, err);
    if (st) return st;
    memset(out, 0, sizeof *out);
    *found = PQntuples(r) == 1;
    if (*found) {
        out->token_id = eo_db_get_ll(r, 0, 0);
        out->session_id = eo_db_get_ll(r, 0, 1);
        out->employee_id = eo_db_get_ll(r, 0, 2);
        out->used = col_true(r, 0, 3);
        out->expired = col_true(r, 0, 4);
        out->revoked = col_true(r, 0, 5);
        out->account_active = col_true(r, 0, 6);
        copy_col(r, 0, 7, out->client, sizeof out->client);
        copy_col(r, 0, 8, out->nip, sizeof out->nip);
        copy_col(r, 0, 9, out->device_id, sizeof out->device_id);
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_refresh_rotate(eo_db *db, const eo_db_refresh *old, const unsigned char next_hash[32],
                               int refresh_ttl_s, eo_err *err)
{
    char tid[24], sid[24], ttl[16], hh[65];
    snprintf(tid, sizeof tid, "%lld", old->token_id);
    snprintf(sid, sizeof sid, "%lld", old->session_id);
    snprintf(ttl, sizeof ttl, "%d", refresh_ttl_s);
    to_hex(next_hash, 32, hh, sizeof hh);
    const char *p1[] = {tid};
    eo_status st = run1(db, "update refresh_tokens set used_at = now() where id = $1", 1, p1, NULL, err);
    if (st) return st;
    const char *p2[] = {sid, hh, ttl};
    st = run1(db,
              "insert into refresh_tokens (session_id, token_hash, expires_at) "
              "values ($1, decode($2, 'hex'), now() + make_interval(secs => $3::int))",
              3, p2, NULL, err);
    if (st) return st;
    const char *p3[] = {sid};
    return run1(db, "update sessions set last_seen_at = now() where id = $1", 1, p3, NULL, err);
}

eo_status eo_db_session_revoke(eo_db *db, long long session_id, long long employee_id, const char *reason,
                               bool *found, eo_err *err)
{
    char sid[24], eid[24];
    snprintf(sid, sizeof sid, "%lld", session_id);
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {sid, employee_id ? eid : NULL, reason};
    PGresult *r = eo_db_exec(db, NULL,
                             "update sessions set revoked_at = now(), revoked_reason = $3 where id = $1 "
                             "and ($2::bigint is null or employee_id = $2) and revoked_at is null",
                             3, p, err);
    if (!r) return err->status;
    *found = atoi(PQcmdTuples(r)) == 1;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_sessions_revoke_all(eo_db *db, long long employee_id, long long keep_session, const char *reason,
                                    int *count, eo_err *err)
{
    char eid[24], keep[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(keep, sizeof keep, "%lld", keep_session);
    const char *p[] = {eid, keep, reason};
    PGresult *r = eo_db_exec(db, NULL,
                             "update sessions set revoked_at = now(), revoked_reason = $3 "
                             "where employee_id = $1 and id <> $2 and revoked_at is null",
                             3, p, err);
    if (!r) return err->status;
    if (count) *count = atoi(PQcmdTuples(r));
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_session_principal(eo_db *db, long long session_id, long long employee_id, bool *ok,
                                  unsigned *roles, char *device_id, size_t device_len, eo_err *err)
{
    char sid[24], eid[24];
    snprintf(sid, sizeof sid, "%lld", session_id);
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {sid, eid};
    PGresult *r = eo_db_exec(db, "eo_auth_session",
                             "select coalesce(d.device_id, ''), "
                             "coalesce((select bit_or(case g.role when 'admin' then 1 when 'anpeg' then 2 "
                             "when 'humas' then 4 else 0 end) from role_grants g "
                             "where g.employee_id = s.employee_id and g.revoked_at is null), 0) "
                             "from sessions s join accounts a on a.employee_id = s.employee_id "
                             "join employees e on e.id = s.employee_id left join devices d on d.id = s.device_id "
                             "where s.id = $1 and s.employee_id = $2 and s.revoked_at is null "
                             "and s.expires_at > now() and a.status = 'active' and e.status = 'active'",
                             2, p, err);
    if (!r) return err->status;
    *ok = PQntuples(r) == 1;
    if (*ok) {
        snprintf(device_id, device_len, "%s", eo_db_get(r, 0, 0));
        *roles = (unsigned)eo_db_get_ll(r, 0, 1);
    }
    PQclear(r);
    return EO_OK;
}

/* ---- account changes ---- */

eo_status eo_db_account_set_password(eo_db *db, long long account_id, const char *hash, eo_err *err)
{
    char acc[24];
    snprintf(acc, sizeof acc, "%lld", account_id);
    const char *p[] = {acc, hash};
    return run1(db, "update accounts set password_hash = $2, password_changed_at = now() where id = $1", 2, p, NULL,
                err);
}

eo_status eo_db_account_set_status(eo_db *db, long long account_id, const char *status, eo_err *err)
{
    char acc[24];
    snprintf(acc, sizeof acc, "%lld", account_id);
    const char *p[] = {acc, status};
    return run1(db,
                "update accounts set status = $2, disabled_at = case when $2 = 'disabled' then now() end "
                "where id = $1",
                2, p, NULL, err);
}

/* ---- one-time codes ---- */

eo_status eo_db_email_code_create(eo_db *db, long long account_id, const unsigned char hash[32], eo_err *err)
{
    char acc[24], hh[65], ttl[16];
    snprintf(acc, sizeof acc, "%lld", account_id);
    snprintf(ttl, sizeof ttl, "%d", EO_EMAIL_CODE_TTL_S);
    to_hex(hash, 32, hh, sizeof hh);
    const char *p1[] = {acc};
    eo_status st = run1(db,
                        "update email_codes set used_at = now() where account_id = $1 and used_at is null "
                        "and purpose = 'authenticator_reset'",
                        1, p1, NULL, err);
    if (st) return st;
    const char *p2[] = {acc, hh, ttl};
    return run1(db,
                "insert into email_codes (account_id, purpose, code_hash, expires_at) values "
                "($1, 'authenticator_reset', decode($2, 'hex'), now() + make_interval(secs => $3::int))",
                3, p2, NULL, err);
}

eo_status eo_db_email_code_consume(eo_db *db, long long account_id, const unsigned char hash[32], bool *ok,
                                   eo_err *err)
{
    char acc[24], hh[65], max[8];
    snprintf(acc, sizeof acc, "%lld", account_id);
    snprintf(max, sizeof max, "%d", EO_EMAIL_CODE_MAX_ATTEMPTS);
    to_hex(hash, 32, hh, sizeof hh);
    const char *p[] = {acc, hh, max};
    /* Either consumes the matching live code or counts an attempt on the newest one. */
    PGresult *r = NULL;
    eo_status st = run1(db,
                        "with c as (select id, code_hash = decode($2, 'hex') as hit from email_codes "
                        "where account_id = $1 and purpose = 'authenticator_reset' and used_at is null "
                        "and expires_at > now() and attempts < $3::int order by id desc limit 1 for update) "
                        "update email_codes e set used_at = case when c.hit then now() else e.used_at end, "
                        "attempts = e.attempts + case when c.hit then 0 else 1 end from c where e.id = c.id "
                        "returning c.hit",
                        3, p, &r, err);
    if (st) return st;
    *ok = PQntuples(r) == 1 && col_true(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_recovery_code_consume(eo_db *db, long long account_id, const unsigned char hash[32], bool *ok,
                                      eo_err *err)
{
    char acc[24], hh[65];
    snprintf(acc, sizeof acc, "%lld", account_id);
    to_hex(hash, 32, hh, sizeof hh);
    const char *p[] = {acc, hh};
    PGresult *r = eo_db_exec(db, NULL,
                             "update recovery_codes set used_at = now() where id = (select id from recovery_codes "
                             "where account_id = $1 and enrolment_id is null and used_at is null "
                             "and code_hash = decode($2, 'hex') limit 1 for update)",
                             2, p, err);
    if (!r) return err->status;
    *ok = atoi(PQcmdTuples(r)) == 1;
    PQclear(r);
    return EO_OK;
}

/* ---- sessions without the sign-in flow (benchmarks only) ---- */

eo_status eo_identity_mint_session(eo_db *db, const struct eo_jwt_keys *keys, const eo_config *cfg,
                                   long long employee_id, const char *device_id, bool mobile, char *access_out,
                                   size_t access_len, eo_err *err)
{
    eo_db_account a;
    bool found = false;
    eo_status st = eo_db_account_by_employee(db, employee_id, &a, &found, err);
    if (st) return st;
    if (!found || strcmp(a.status, "active") != 0)
        return eo_fail_log(err, EO_ERR_NOT_FOUND, "not_found", "employee %lld has no active account", employee_id);
    long long device_row = 0;
    if (mobile && device_id && *device_id) {
        st = eo_db_device_upsert(db, employee_id, device_id, "bench", "android", "1.0.0", &device_row, err);
        if (st) return st;
    }
    char refresh[EO_OPAQUE_LEN];
    unsigned char rh[32];
    eo_token_opaque(refresh);
    eo_token_hash(refresh, rh);
    long long sid = 0;
    st = eo_db_session_create(db, employee_id, mobile ? "mobile" : "web", device_row, "127.0.0.1", "bench",
                              cfg->refresh_ttl_s, rh, &sid, err);
    if (st) return st;
    long long now = (long long)time(NULL);
    eo_token_claims cl = {.eid = employee_id, .sid = sid, .iat = now, .nbf = now,
                          .exp = now + cfg->access_ttl_s, .mobile = mobile};
    snprintf(cl.sub, sizeof cl.sub, "%s", a.nip);
    return eo_token_mint(keys, cfg->jwt_issuer, cfg->jwt_audience, &cl, access_out, access_len, err);
}

/* ---- demo accounts ---- */

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
    fprintf(out, "Demo accounts (password for all: %s; OTP: eoffice dev-otp NIP)\n", DEMO_PASSWORD);
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
        snprintf(roles, sizeof roles, "%s%s%s", eo_db_get(r, 0, 3), (*eo_db_get(r, 0, 3) && col_true(r, 0, 4)) ? "," : "",
                 col_true(r, 0, 4) ? "atasan" : "");
        fprintf(out, "  %s  %s  %s\n", nips[i], eo_db_get(r, 0, 1), roles[0] ? roles : "pegawai");
        bool exists = col_true(r, 0, 5);
        char office[255];
        snprintf(office, sizeof office, "%s", *eo_db_get(r, 0, 2) ? eo_db_get(r, 0, 2) : "demo@eoffice.invalid");
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
        to_hex(sealed, sizeof sealed, sh, sizeof sh);
        to_hex(nonce, sizeof nonce, nh, sizeof nh);
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

/* ---- /me ---- */

eo_status eo_db_me_settings_update(eo_db *db, long long employee_id, const char *location_code,
                                   const char *supervisor_nip, const char *schedule_code, eo_err *err)
{
    char eid[24], loc_id[24] = "", sup_id[24] = "", sch_id[24] = "";
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {location_code, supervisor_nip, schedule_code};
    PGresult *r = eo_db_exec(db, NULL,
                             "select (select id from office_locations where code = $1), "
                             "(select id from employees where nip = $2 and status = 'active'), "
                             "(select id from work_schedules where code = $3)",
                             3, p, err);
    if (!r) return err->status;
    if (eo_db_get(r, 0, 0)) snprintf(loc_id, sizeof loc_id, "%s", eo_db_get(r, 0, 0));
    if (eo_db_get(r, 0, 1)) snprintf(sup_id, sizeof sup_id, "%s", eo_db_get(r, 0, 1));
    if (eo_db_get(r, 0, 2)) snprintf(sch_id, sizeof sch_id, "%s", eo_db_get(r, 0, 2));
    PQclear(r);
    if (location_code && *location_code && !loc_id[0]) eo_err_field(err, "office_location_code", "location_not_found");
    if (schedule_code && !sch_id[0]) eo_err_field(err, "work_schedule_code", "schedule_not_found");
    if (supervisor_nip && *supervisor_nip) {
        if (!sup_id[0]) eo_err_field(err, "supervisor_nip", "supervisor_not_found");
        else if (atoll(sup_id) == employee_id) eo_err_field(err, "supervisor_nip", "supervisor_self");
        else {
            /* The new supervisor must not report (up the chain) to this employee. */
            const char *p2[] = {eid, sup_id};
            r = eo_db_exec(db, NULL,
                           "with recursive up(id, depth) as (select supervisor_id, 1 from employees where id = $2 "
                           "union all select e.supervisor_id, up.depth + 1 from employees e join up on e.id = up.id "
                           "where up.depth < 100 and up.id is not null) select exists (select 1 from up where id = $1)",
                           2, p2, err);
            if (!r) return err->status;
            if (col_true(r, 0, 0)) eo_err_field(err, "supervisor_nip", "supervisor_cycle");
            PQclear(r);
        }
    }
    if (err->status) return err->status;
    const char *p3[] = {eid, location_code ? "1" : NULL, loc_id[0] ? loc_id : NULL, supervisor_nip ? "1" : NULL,
                        sup_id[0] ? sup_id : NULL, schedule_code ? "1" : NULL, sch_id[0] ? sch_id : NULL};
    return run1(db,
                "update employees set "
                "office_location_id = case when $2::text is null then office_location_id else $3::bigint end, "
                "supervisor_id = case when $4::text is null then supervisor_id else $5::bigint end, "
                "work_schedule_id = case when $6::text is null then work_schedule_id else $7::bigint end "
                "where id = $1",
                7, p3, NULL, err);
}
