#include "db/accounts.h"

#include <stdio.h>
#include <string.h>

#include "core/identity.h"
#include "db/pool.h"

#define ACCOUNT_COLS                                                                                                   \
    "select e.id, e.nip, e.nik, e.name, coalesce(e.office_email, ''), e.status = 'active', coalesce(a.id, 0), "        \
    "coalesce(a.status, ''), a.password_hash, coalesce(a.office_email, ''), encode(a.totp_secret_enc, 'hex'), "        \
    "encode(a.totp_nonce, 'hex'), coalesce(a.totp_last_step, 0) "                                                      \
    "from employees e left join accounts a on a.employee_id = e.id "

static void read_account(PGresult *r, eo_db_account *a)
{
    memset(a, 0, sizeof *a);
    a->employee_id = eo_db_get_ll(r, 0, 0);
    eo_db_copy(a->nip, sizeof a->nip, r, 0, 1);
    eo_db_copy(a->nik, sizeof a->nik, r, 0, 2);
    eo_db_copy(a->name, sizeof a->name, r, 0, 3);
    eo_db_copy(a->master_office_email, sizeof a->master_office_email, r, 0, 4);
    a->employee_active = eo_db_bool(r, 0, 5);
    a->account_id = eo_db_get_ll(r, 0, 6);
    eo_db_copy(a->status, sizeof a->status, r, 0, 7);
    eo_db_copy(a->password_hash, sizeof a->password_hash, r, 0, 8);
    eo_db_copy(a->office_email, sizeof a->office_email, r, 0, 9);
    a->has_totp = eo_db_hex_in(eo_db_get(r, 0, 10), a->totp_sealed, sizeof a->totp_sealed) &&
                  eo_db_hex_in(eo_db_get(r, 0, 11), a->totp_nonce, sizeof a->totp_nonce);
    a->totp_last_step = eo_db_get_ll(r, 0, 12);
}

eo_status eo_db_account_by_nip(eo_db *db, const char *nip, bool lock, eo_db_account *out, bool *found, eo_err *err)
{
    PGresult *r = NULL;
    const char *p[] = {nip};
    eo_status st = eo_db_query(
        db, lock ? ACCOUNT_COLS "where e.nip = $1 for update of e" : ACCOUNT_COLS "where e.nip = $1", 1, p, &r, err);
    if (st) return st;
    *found = PQntuples(r) == 1;
    if (*found)
        read_account(r, out);
    else
        memset(out, 0, sizeof *out);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_account_by_employee(eo_db *db, long long employee_id, eo_db_account *out, bool *found, eo_err *err)
{
    PGresult *r = NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", employee_id);
    const char *p[] = {id};
    eo_status st = eo_db_query(db, ACCOUNT_COLS "where e.id = $1", 1, p, &r, err);
    if (st) return st;
    *found = PQntuples(r) == 1;
    if (*found)
        read_account(r, out);
    else
        memset(out, 0, sizeof *out);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_account_upsert_pending(eo_db *db, long long employee_id, const char *password_hash,
                                       const char *personal_email, const char *office_email, const char *phone,
                                       long long *account_id, eo_err *err)
{
    PGresult *r = NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", employee_id);
    const char *p[] = {id, password_hash, personal_email, office_email, phone};
    eo_status st = eo_db_query(db,
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

eo_status eo_db_enrolment_create(eo_db *db, long long account_id, const char *kind, const unsigned char token_hash[32],
                                 const unsigned char sealed[EO_TOTP_SEALED_LEN],
                                 const unsigned char nonce[EO_TOTP_NONCE_LEN],
                                 const unsigned char recovery_hashes[][32], int n_recovery, long long *enrolment_id,
                                 char *expires_at, size_t expires_len, eo_err *err)
{
    char acc[24], ttl[16], th[65], sh[2 * EO_TOTP_SEALED_LEN + 1], nh[2 * EO_TOTP_NONCE_LEN + 1];
    snprintf(acc, sizeof acc, "%lld", account_id);
    snprintf(ttl, sizeof ttl, "%d", EO_ENROLMENT_TTL_S);
    eo_db_hex_out(token_hash, 32, th, sizeof th);
    eo_db_hex_out(sealed, EO_TOTP_SEALED_LEN, sh, sizeof sh);
    eo_db_hex_out(nonce, EO_TOTP_NONCE_LEN, nh, sizeof nh);
    const char *p1[] = {acc};
    eo_status st =
        eo_db_query(db, "delete from enrolments where account_id = $1 and verified_at is null", 1, p1, NULL, err);
    if (st) return st;
    PGresult *r = NULL;
    const char *p2[] = {acc, kind, th, sh, nh, ttl};
    st = eo_db_query(db,
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
        eo_db_hex_out(recovery_hashes[i], 32, hh, sizeof hh);
        const char *p3[] = {acc, en, hh};
        st = eo_db_query(
            db, "insert into recovery_codes (account_id, enrolment_id, code_hash) values ($1, $2, decode($3, 'hex'))",
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
    eo_status st =
        eo_db_query(db,
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
        eo_db_copy(out->kind, sizeof out->kind, r, 0, 3);
        bool ok = eo_db_hex_in(eo_db_get(r, 0, 4), out->token_hash, 32) &&
                  eo_db_hex_in(eo_db_get(r, 0, 5), out->sealed, EO_TOTP_SEALED_LEN) &&
                  eo_db_hex_in(eo_db_get(r, 0, 6), out->nonce, EO_TOTP_NONCE_LEN);
        out->expired = eo_db_bool(r, 0, 7);
        out->verified = eo_db_bool(r, 0, 8);
        out->attempts = (int)eo_db_get_ll(r, 0, 9);
        eo_db_copy(out->account_status, sizeof out->account_status, r, 0, 10);
        eo_db_copy(out->nip, sizeof out->nip, r, 0, 11);
        eo_db_copy(out->expires_at, sizeof out->expires_at, r, 0, 12);
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
    return eo_db_query(db, "update enrolments set attempts = attempts + 1 where id = $1", 1, p, NULL, err);
}

eo_status eo_db_enrolment_complete(eo_db *db, const eo_db_enrolment *en, long long matched_step, eo_err *err)
{
    char ids[24], acc[24], step[24], sh[2 * EO_TOTP_SEALED_LEN + 1], nh[2 * EO_TOTP_NONCE_LEN + 1];
    snprintf(ids, sizeof ids, "%lld", en->id);
    snprintf(acc, sizeof acc, "%lld", en->account_id);
    snprintf(step, sizeof step, "%lld", matched_step);
    eo_db_hex_out(en->sealed, EO_TOTP_SEALED_LEN, sh, sizeof sh);
    eo_db_hex_out(en->nonce, EO_TOTP_NONCE_LEN, nh, sizeof nh);
    const char *p1[] = {acc, sh, nh, step};
    eo_status st =
        eo_db_query(db,
                    "update accounts set totp_secret_enc = decode($2, 'hex'), totp_nonce = decode($3, 'hex'), "
                    "totp_last_step = $4, status = case when status = 'pending' then 'active' else status end "
                    "where id = $1",
                    4, p1, NULL, err);
    if (st) return st;
    const char *p2[] = {ids};
    st = eo_db_query(db, "update enrolments set verified_at = now() where id = $1", 1, p2, NULL, err);
    if (st) return st;
    const char *p3[] = {acc, ids};
    st =
        eo_db_query(db, "delete from recovery_codes where account_id = $1 and enrolment_id is distinct from $2::bigint",
                    2, p3, NULL, err);
    if (st) return st;
    st = eo_db_query(db, "update recovery_codes set enrolment_id = null where account_id = $1 and enrolment_id = $2", 2,
                     p3, NULL, err);
    if (st) return st;
    return eo_db_query(db, "delete from enrolments where account_id = $1 and verified_at is null and id <> $2", 2, p3,
                       NULL, err);
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
    *ok = eo_db_affected(r) == 1;
    PQclear(r);
    return EO_OK;
}

/* ---- account changes ---- */

eo_status eo_db_account_set_password(eo_db *db, long long account_id, const char *hash, eo_err *err)
{
    char acc[24];
    snprintf(acc, sizeof acc, "%lld", account_id);
    const char *p[] = {acc, hash};
    return eo_db_query(db, "update accounts set password_hash = $2, password_changed_at = now() where id = $1", 2, p,
                       NULL, err);
}

eo_status eo_db_account_set_status(eo_db *db, long long account_id, const char *status, eo_err *err)
{
    char acc[24];
    snprintf(acc, sizeof acc, "%lld", account_id);
    const char *p[] = {acc, status};
    return eo_db_query(db,
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
    eo_db_hex_out(hash, 32, hh, sizeof hh);
    const char *p1[] = {acc};
    eo_status st = eo_db_query(db,
                               "update email_codes set used_at = now() where account_id = $1 and used_at is null "
                               "and purpose = 'authenticator_reset'",
                               1, p1, NULL, err);
    if (st) return st;
    const char *p2[] = {acc, hh, ttl};
    return eo_db_query(db,
                       "insert into email_codes (account_id, purpose, code_hash, expires_at) values "
                       "($1, 'authenticator_reset', decode($2, 'hex'), now() + make_interval(secs => $3::int))",
                       3, p2, NULL, err);
}

eo_status eo_db_email_code_consume(eo_db *db, long long account_id, const unsigned char hash[32], bool *ok, eo_err *err)
{
    char acc[24], hh[65], max[8];
    snprintf(acc, sizeof acc, "%lld", account_id);
    snprintf(max, sizeof max, "%d", EO_EMAIL_CODE_MAX_ATTEMPTS);
    eo_db_hex_out(hash, 32, hh, sizeof hh);
    const char *p[] = {acc, hh, max};
    /* Either consumes the matching live code or counts an attempt on the newest one. */
    PGresult *r = NULL;
    eo_status st = eo_db_query(db,
                               "with c as (select id, code_hash = decode($2, 'hex') as hit from email_codes "
                               "where account_id = $1 and purpose = 'authenticator_reset' and used_at is null "
                               "and expires_at > now() and attempts < $3::int order by id desc limit 1 for update) "
                               "update email_codes e set used_at = case when c.hit then now() else e.used_at end, "
                               "attempts = e.attempts + case when c.hit then 0 else 1 end from c where e.id = c.id "
                               "returning c.hit",
                               3, p, &r, err);
    if (st) return st;
    *ok = PQntuples(r) == 1 && eo_db_bool(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_recovery_code_consume(eo_db *db, long long account_id, const unsigned char hash[32], bool *ok,
                                      eo_err *err)
{
    char acc[24], hh[65];
    snprintf(acc, sizeof acc, "%lld", account_id);
    eo_db_hex_out(hash, 32, hh, sizeof hh);
    const char *p[] = {acc, hh};
    PGresult *r = eo_db_exec(db, NULL,
                             "update recovery_codes set used_at = now() where id = (select id from recovery_codes "
                             "where account_id = $1 and enrolment_id is null and used_at is null "
                             "and code_hash = decode($2, 'hex') limit 1 for update)",
                             2, p, err);
    if (!r) return err->status;
    *ok = eo_db_affected(r) == 1;
    PQclear(r);
    return EO_OK;
}
