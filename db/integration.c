#include "db/integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rows.h"

#define ID_TEXT 24

// clang-format off
#define KEY_JSON \
    "json_build_object('id', k.id, 'prefix', k.prefix, 'partner', k.partner, 'description', k.description, " \
    "  'scopes', to_json(k.scopes), 'created_at', " EO_DB_TS("k.created_at") ", " \
    "  'created_by', (select nip from employees where id = k.created_by), " \
    "  'last_used_at', " EO_DB_TS("k.last_used_at") ", 'revoked_at', " EO_DB_TS("k.revoked_at") ")::text"
// clang-format on

eo_status eo_db_apikey_insert(eo_db *db, const char *prefix, const unsigned char hash[32], const char *partner,
                              const char *description, const json_t *scopes, long long created_by, long long *id,
                              json_t **out, eo_err *err)
{
    char hex[65], by[ID_TEXT];
    eo_db_hex_out(hash, 32, hex, sizeof hex);
    snprintf(by, sizeof by, "%lld", created_by);
    char *sc = json_dumps(scopes, JSON_COMPACT);
    if (!sc) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    const char *p[] = {prefix, hex, partner, description ? description : "", sc, created_by ? by : NULL};
    PGresult *r = eo_db_one(db, NULL,
                            "with k as (insert into api_keys (prefix, secret_sha256, partner, description, scopes, "
                            "  created_by) select $1, decode($2, 'hex'), $3, $4, "
                            "  array(select distinct jsonb_array_elements_text($5::jsonb) order by 1), $6 "
                            "  returning *) select k.id, " KEY_JSON " from k",
                            6, p, "internal", err);
    free(sc);
    if (!r) return eo_db_value_error(db, err);
    *id = eo_db_get_ll(r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_apikey_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    char t[ID_TEXT];
    snprintf(t, sizeof t, "%lld", id);
    const char *p[] = {t};
    PGresult *r =
        eo_db_one(db, NULL, "select " KEY_JSON " from api_keys k where k.id = $1", 1, p, "api_key_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_apikey_list(eo_db *db, const eo_db_keyset *after, int limit, json_t **items, json_t **next, eo_err *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {after->set ? after->at : NULL, after->set ? after->id : NULL, lim};
    PGresult *r = eo_db_exec(
        db, NULL,
        "select " KEY_JSON ", " EO_DB_KEYSET_TS(
            "k.created_at") ", k.id from api_keys k "
                            "where ($1::timestamptz is null or (k.created_at, k.id) < ($1::timestamptz, $2::bigint)) "
                            "order by k.created_at desc, k.id desc limit $3::int",
        3, p, err);
    if (!r) return err->status;
    eo_status st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_apikey_revoke(eo_db *db, long long id, long long by, eo_err *err)
{
    char t[ID_TEXT], b[ID_TEXT];
    snprintf(t, sizeof t, "%lld", id);
    snprintf(b, sizeof b, "%lld", by);
    const char *p[] = {t, by ? b : NULL};
    PGresult *r = eo_db_one(db, NULL,
                            "with old as (select id, revoked_at is not null as revoked from api_keys where id = $1 "
                            "  for update), upd as (update api_keys set revoked_at = now(), revoked_by = $2 "
                            "  where id = (select id from old where not revoked) returning id) "
                            "select (select revoked from old), (select count(*) from upd)",
                            2, p, "internal", err);
    if (!r) return err->status;
    bool exists = eo_db_get(r, 0, 0) != NULL, revoked = eo_db_get_ll(r, 0, 1) == 1;
    PQclear(r);
    if (!exists) return eo_fail(err, EO_ERR_NOT_FOUND, "api_key_not_found");
    return revoked ? EO_OK : eo_fail(err, EO_ERR_CONFLICT, "api_key_already_revoked");
}

eo_status eo_db_apikey_id_by_prefix(eo_db *db, const char *prefix, long long *id, eo_err *err)
{
    *id = 0;
    const char *p[] = {prefix};
    PGresult *r = eo_db_exec(db, NULL, "select id from api_keys where prefix = $1", 1, p, err);
    if (!r) return err->status;
    if (PQntuples(r) == 1) *id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_apikey_lookup(eo_db *db, const char *prefix, eo_db_apikey_row *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    const char *p[] = {prefix};
    PGresult *r = eo_db_exec(db, "apikey_lookup",
                             "select id, encode(secret_sha256, 'hex'), partner, revoked_at is not null, "
                             "  'assessment:write' = any(scopes), 'training:write' = any(scopes), "
                             "  'employees:read' = any(scopes) from api_keys where prefix = $1",
                             1, p, err);
    if (!r) return err->status;
    if (PQntuples(r) == 1 && eo_db_hex_in(eo_db_get(r, 0, 1), out->hash, 32)) {
        out->found = true;
        out->client.id = eo_db_get_ll(r, 0, 0);
        snprintf(out->client.prefix, sizeof out->client.prefix, "%s", prefix);
        eo_db_copy(out->client.partner, sizeof out->client.partner, r, 0, 2);
        out->revoked = eo_db_bool(r, 0, 3);
        if (eo_db_bool(r, 0, 4)) out->client.scopes |= EO_SCOPE_ASSESSMENT_WRITE;
        if (eo_db_bool(r, 0, 5)) out->client.scopes |= EO_SCOPE_TRAINING_WRITE;
        if (eo_db_bool(r, 0, 6)) out->client.scopes |= EO_SCOPE_EMPLOYEES_READ;
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_apikey_touch(eo_db *db, long long id, eo_err *err)
{
    char t[ID_TEXT];
    snprintf(t, sizeof t, "%lld", id);
    const char *p[] = {t};
    return eo_db_run(db,
                     "update api_keys set last_used_at = now() where id = $1 "
                     "and (last_used_at is null or last_used_at < now() - interval '60 seconds')",
                     1, p, err);
}

eo_status eo_db_training_insert(eo_db *db, const eo_db_training *t, long long *id, bool *existed, bool *same,
                                eo_err *err)
{
    *id = 0;
    *existed = *same = false;
    char emp[ID_TEXT], key[ID_TEXT], prog[ID_TEXT];
    snprintf(emp, sizeof emp, "%lld", t->employee_id);
    snprintf(key, sizeof key, "%lld", t->api_key_id);
    snprintf(prog, sizeof prog, "%lld", t->programme_id);
    const char *p[] = {emp,
                       t->title,
                       t->organiser,
                       t->jp_hours,
                       t->started_on,
                       t->finished_on,
                       t->partner,
                       t->partner_training_id,
                       t->api_key_id ? key : NULL,
                       t->programme_external_id,
                       t->programme_id ? prog : NULL,
                       t->programme_ref};
    PGresult *r = eo_db_exec(db, "training_insert",
                             "insert into training_completions (employee_id, title, organiser, jp_hours, started_on, "
                             "  finished_on, partner, partner_training_id, api_key_id, programme_external_id, "
                             "  programme_id, programme_ref) "
                             "values ($1, $2, $3, $4::numeric, $5::date, $6::date, $7, $8, $9, $10, $11::bigint, $12) "
                             "on conflict (partner, partner_training_id) do nothing returning id",
                             12, p, err);
    if (!r) return eo_db_value_error(db, err);
    if (PQntuples(r) == 1) {
        *id = eo_db_get_ll(r, 0, 0);
        PQclear(r);
        return EO_OK;
    }
    PQclear(r);
    const char *q[] = {emp, t->title, t->jp_hours, t->started_on, t->finished_on, t->partner, t->partner_training_id};
    r = eo_db_one(db, NULL,
                  "select id, (employee_id, title, jp_hours, started_on, finished_on) = "
                  "  ($1::bigint, $2::text, $3::numeric, $4::date, $5::date) "
                  "from training_completions where partner = $6 and partner_training_id = $7",
                  7, q, "internal", err);
    if (!r) return err->status;
    *id = eo_db_get_ll(r, 0, 0);
    *existed = true;
    *same = eo_db_bool(r, 0, 1);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_integration_programme_exists(eo_db *db, long long id, bool *exists, eo_err *err)
{
    char t[ID_TEXT];
    snprintf(t, sizeof t, "%lld", id);
    const char *p[] = {t};
    PGresult *r = eo_db_one(db, NULL, "select exists (select 1 from dev_programmes where id = $1::bigint)", 1, p,
                            "internal", err);
    if (!r) return err->status;
    *exists = eo_db_bool(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_integration_employee_card(eo_db *db, const char *nip, json_t **out, eo_err *err)
{
    const char *p[] = {nip};
    PGresult *r =
        eo_db_one(db, "integ_card",
                  "select json_build_object('nip', e.nip, 'name', e.name, 'employee_type', e.employee_type, "
                  "  'rank', e.rank, 'status', e.status, 'position', p.name, "
                  "  'position_type', p.type, 'unit', json_build_object('code', u.code, 'name', u.name))::text "
                  "from employees e join org_units u on u.id = e.unit_id "
                  "left join positions p on p.id = e.position_id where e.nip = $1",
                  1, p, "employee_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}
