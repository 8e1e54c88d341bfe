#include "db/profile.h"

#include <stdio.h>
#include <string.h>

#include "db/keyset.h"
#include "db/rows.h"

#define ID(buf, v) snprintf(buf, sizeof(buf), "%lld", (long long)(v))

// clang-format off
#define OWNER_SQL \
    "select e.id, e.nip, e.employee_type = 'PPPK', extract(year from e.birth_date)::int," \
    " jsonb_build_object('nip', e.nip, 'name', e.name, 'gender', e.gender, 'employee_type', e.employee_type," \
    "  'rank', e.rank, 'position', p.name, 'unit', jsonb_build_object('code', u.code, 'name', u.name))::text" \
    " from employees e join org_units u on u.id = e.unit_id left join positions p on p.id = e.position_id"

#define DOC_JSON(a) \
    "case when " a ".id is null then null else jsonb_build_object('id', " a ".id, 'content_type', " a ".content_type) end"

#define RECORD_JSON \
    "jsonb_build_object('id', r.id, 'section', r.section, 'data', r.data, 'version', r.version," \
    " 'source', case when r.training_id is null then 'employee' else 'integration' end," \
    " 'training', (select jsonb_build_object('id', t.id, 'partner', t.partner, 'partner_training_id'," \
    "   t.partner_training_id) from training_completions t where t.id = r.training_id)," \
    " 'document', " DOC_JSON("a") ", 'updated_at', " EO_DB_TS("r.updated_at") "," \
    " 'pending_change', (select jsonb_build_object('id', c.id, 'op', c.op, 'submitted_at', " EO_DB_TS("c.submitted_at") ")" \
    "   from pdm_changes c where c.record_id = r.id and c.status = 'pending'))"

#define CHANGE_JSON \
    "jsonb_build_object('id', c.id," \
    " 'employee', jsonb_build_object('nip', e.nip, 'name', e.name, 'unit', jsonb_build_object('code', u.code, 'name', u.name))," \
    " 'section', c.section, 'op', c.op, 'record_id', c.record_id, 'base_version', c.base_version, 'data', c.data," \
    " 'current', case when c.op <> 'add' then r.data end, 'document', " DOC_JSON("a") ", 'note', c.note," \
    " 'status', c.status, 'submitted_at', " EO_DB_TS("c.submitted_at") ", 'decided_at', " EO_DB_TS("c.decided_at") "," \
    " 'decided_by', (select jsonb_build_object('nip', d.nip, 'name', d.name) from employees d where d.id = c.decided_by)," \
    " 'reason', c.reason)"

#define CHANGE_FROM \
    " from pdm_changes c join employees e on e.id = c.employee_id join org_units u on u.id = e.unit_id" \
    " left join profile_records r on r.id = c.record_id left join attachments a on a.id = c.attachment_id"
// clang-format on

static eo_status owner_of(PGresult *r, eo_profile_owner *out, eo_err *err)
{
    out->id = eo_db_get_ll(r, 0, 0);
    eo_db_copy(out->nip, sizeof(out->nip), r, 0, 1);
    out->pppk = eo_db_bool(r, 0, 2);
    out->birth_year = (int)eo_db_get_ll(r, 0, 3);
    eo_status st = eo_db_json(r, 0, 4, &out->card, err);
    PQclear(r);
    return st;
}

eo_status eo_db_profile_owner_by_nip(eo_db *db, const char *nip, eo_profile_owner *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    const char *p[] = {nip};
    PGresult *r = eo_db_one(db, "profile_owner_nip", OWNER_SQL " where e.nip = $1", 1, p, "employee_not_found", err);
    return r ? owner_of(r, out, err) : err->status;
}

eo_status eo_db_profile_owner_by_id(eo_db *db, long long id, eo_profile_owner *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    char s[24];
    ID(s, id);
    const char *p[] = {s};
    PGresult *r = eo_db_one(db, "profile_owner_id", OWNER_SQL " where e.id = $1", 1, p, "employee_not_found", err);
    return r ? owner_of(r, out, err) : err->status;
}

eo_status eo_db_profile_records(eo_db *db, long long employee_id, json_t **records, json_t **additions, eo_err *err)
{
    *records = *additions = NULL;
    char s[24];
    ID(s, employee_id);
    const char *p[] = {s};
    // clang-format off
    PGresult *r = eo_db_one(db, "profile_records",
        "select (select coalesce(jsonb_agg(" RECORD_JSON " order by r.section, r.id), '[]')"
        "   from profile_records r left join attachments a on a.id = r.attachment_id"
        "  where r.employee_id = $1 and r.deleted_at is null)::text,"
        " (select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'section', c.section, 'data', c.data,"
        "   'document', " DOC_JSON("a") ", 'submitted_at', " EO_DB_TS("c.submitted_at") ") order by c.id), '[]')"
        "   from pdm_changes c left join attachments a on a.id = c.attachment_id"
        "  where c.employee_id = $1 and c.status = 'pending' and c.op = 'add')::text",
        1, p, NULL, err);
    // clang-format on
    if (!r) return err->status ? err->status : eo_fail_log(err, EO_ERR_INTERNAL, "internal", "profile records: no row");
    eo_status st = eo_db_json(r, 0, 0, records, err);
    if (st == EO_OK) st = eo_db_json(r, 0, 1, additions, err);
    PQclear(r);
    if (st != EO_OK) {
        json_decref(*records);
        *records = NULL;
    }
    return st;
}

eo_status eo_db_profile_record_get(eo_db *db, long long id, bool lock, const char *not_found_code,
                                   eo_profile_record_row *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    char s[24];
    ID(s, id);
    const char *p[] = {s};
    PGresult *r = eo_db_one(db, lock ? "profile_record_lock" : "profile_record_get",
                            lock ? "select employee_id, section, version, deleted_at is not null, attachment_id,"
                                   " training_id is not null from profile_records where id = $1 for update"
                                 : "select employee_id, section, version, deleted_at is not null, attachment_id,"
                                   " training_id is not null from profile_records where id = $1",
                            1, p, not_found_code, err);
    if (!r) return err->status;
    out->id = id;
    out->employee_id = eo_db_get_ll(r, 0, 0);
    eo_db_copy(out->section, sizeof(out->section), r, 0, 1);
    out->version = (int)eo_db_get_ll(r, 0, 2);
    out->deleted = eo_db_bool(r, 0, 3);
    out->attachment_id = eo_db_get_ll(r, 0, 4);
    out->managed = eo_db_bool(r, 0, 5);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_profile_record_json(eo_db *db, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    char s[24];
    ID(s, id);
    const char *p[] = {s};
    PGresult *r = eo_db_one(db, "profile_record_json",
                            "select " RECORD_JSON "::text from profile_records r"
                            " left join attachments a on a.id = r.attachment_id where r.id = $1",
                            1, p, NULL, err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_profile_identity_exists(eo_db *db, long long employee_id, bool *out, eo_err *err)
{
    char s[24];
    ID(s, employee_id);
    const char *p[] = {s};
    PGresult *r = eo_db_one(db, "profile_identity_exists",
                            "select exists (select 1 from profile_records where employee_id = $1"
                            " and section = 'identity' and deleted_at is null)",
                            1, p, NULL, err);
    if (!r) return err->status ? err->status : eo_fail_log(err, EO_ERR_INTERNAL, "internal", "identity exists: no row");
    *out = eo_db_bool(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_profile_record_insert(eo_db *db, long long employee_id, const char *section, const char *data,
                                      long long attachment_id, long long *id, eo_err *err)
{
    char e[24], a[24];
    ID(e, employee_id);
    ID(a, attachment_id);
    const char *p[] = {e, section, data, attachment_id ? a : NULL};
    if (eo_db_one_ll(db, "profile_record_insert",
                     "insert into profile_records (employee_id, section, data, attachment_id)"
                     " values ($1, $2, $3::jsonb, $4::bigint) returning id",
                     4, p, NULL, id, err) != EO_OK)
        return err->status == EO_ERR_INTERNAL ? eo_db_value_error(db, err) : err->status;
    return EO_OK;
}

eo_status eo_db_profile_record_update(eo_db *db, long long id, const char *data, long long attachment_id, eo_err *err)
{
    char s[24], a[24];
    ID(s, id);
    ID(a, attachment_id);
    const char *p[] = {s, data, attachment_id ? a : NULL};
    if (eo_db_run(db,
                  "update profile_records set data = $2::jsonb, attachment_id = coalesce($3::bigint, attachment_id),"
                  " version = version + 1 where id = $1",
                  3, p, err) != EO_OK)
        return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_profile_record_delete(eo_db *db, long long id, double now, eo_err *err)
{
    char s[24], at[32];
    ID(s, id);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {s, at};
    return eo_db_run(
        db, "update profile_records set deleted_at = to_timestamp($2), version = version + 1 where id = $1", 2, p, err);
}

/* ---------------------------------------------------------------- PDM */

eo_status eo_db_pdm_insert(eo_db *db, const eo_pdm_new *in, long long *id, eo_err *err)
{
    char e[24], rec[24], bv[24], att[24], at[32];
    ID(e, in->employee_id);
    ID(rec, in->record_id);
    ID(bv, in->base_version);
    ID(att, in->attachment_id);
    snprintf(at, sizeof(at), "%.6f", in->now);
    bool add = strcmp(in->op, "add") == 0;
    const char *p[] = {e,
                       in->section,
                       in->op,
                       in->record_id ? rec : NULL,
                       add ? NULL : bv,
                       in->data,
                       in->attachment_id ? att : NULL,
                       in->note,
                       at};
    if (eo_db_one_ll(db, "pdm_insert",
                     "insert into pdm_changes (employee_id, section, op, record_id, base_version, data, attachment_id,"
                     " note, submitted_at) values ($1, $2, $3, $4::bigint, $5::int, $6::jsonb, $7::bigint, $8,"
                     " to_timestamp($9)) returning id",
                     9, p, NULL, id, err) != EO_OK) {
        if (err->status == EO_ERR_CONFLICT) {
            eo_err_clear(err);
            return eo_fail(err, EO_ERR_CONFLICT, "pdm_pending_exists");
        }
        return eo_db_value_error(db, err);
    }
    return EO_OK;
}

eo_status eo_db_pdm_get(eo_db *db, long long id, bool lock, eo_pdm_row *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    char s[24];
    ID(s, id);
    const char *p[] = {s};
    PGresult *r = eo_db_one(db, lock ? "pdm_lock" : "pdm_get",
                            lock ? "select employee_id, section, op, coalesce(record_id, 0), coalesce(base_version, 0),"
                                   " data::text, coalesce(attachment_id, 0), status from pdm_changes where id = $1"
                                   " for update"
                                 : "select employee_id, section, op, coalesce(record_id, 0), coalesce(base_version, 0),"
                                   " data::text, coalesce(attachment_id, 0), status from pdm_changes where id = $1",
                            1, p, "pdm_change_not_found", err);
    if (!r) return err->status;
    out->id = id;
    out->employee_id = eo_db_get_ll(r, 0, 0);
    eo_db_copy(out->section, sizeof(out->section), r, 0, 1);
    eo_db_copy(out->op, sizeof(out->op), r, 0, 2);
    out->record_id = eo_db_get_ll(r, 0, 3);
    out->base_version = (int)eo_db_get_ll(r, 0, 4);
    out->attachment_id = eo_db_get_ll(r, 0, 6);
    eo_db_copy(out->status, sizeof(out->status), r, 0, 7);
    eo_status st = EO_OK;
    if (eo_db_get(r, 0, 5)) st = eo_db_json(r, 0, 5, &out->data, err);
    PQclear(r);
    return st;
}

eo_status eo_db_pdm_set_status(eo_db *db, long long id, const char *status, long long decided_by, const char *reason,
                               long long record_id, double now, eo_err *err)
{
    char s[24], by[24], rec[24], at[32];
    ID(s, id);
    ID(by, decided_by);
    ID(rec, record_id);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {s, status, decided_by ? by : NULL, reason, record_id ? rec : NULL, at};
    if (eo_db_run(db,
                  "update pdm_changes set status = $2, decided_by = $3::bigint,"
                  " decided_at = case when $3::bigint is null then null else to_timestamp($6) end,"
                  " reason = $4, record_id = coalesce($5::bigint, record_id) where id = $1",
                  6, p, err) != EO_OK)
        return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_pdm_json(eo_db *db, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    char s[24];
    ID(s, id);
    const char *p[] = {s};
    PGresult *r = eo_db_one(db, "pdm_json", "select " CHANGE_JSON "::text" CHANGE_FROM " where c.id = $1", 1, p,
                            "pdm_change_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_pdm_list(eo_db *db, const eo_pdm_filter *f, json_t **items, json_t **next, eo_err *err)
{
    *items = *next = NULL;
    char own[24], rev[24], lim[16];
    ID(own, f->owner);
    ID(rev, f->reviewer);
    snprintf(lim, sizeof(lim), "%d", f->limit + 1);
    const char *p[] = {f->owner > 0 ? own : NULL,
                       f->reviewer > 0 ? rev : NULL,
                       f->status,
                       f->section,
                       f->unit,
                       f->after_at,
                       f->after_id,
                       lim,
                       f->everyone ? "t" : "f"};
    // clang-format off
    PGresult *r = eo_db_exec(db, "pdm_list",
        "select " CHANGE_JSON "::text, " EO_DB_KEYSET_TS("c.created_at") ", c.id" CHANGE_FROM
        " where ($1::bigint is null or c.employee_id = $1)"
        "  and ($2::bigint is null or (c.employee_id <> $2 and ($9::boolean or exists (select 1 from role_grants g"
        "       where g.employee_id = $2 and g.role = 'anpeg' and g.revoked_at is null and u.path @> array[g.unit_id]))))"
        "  and ($1::bigint is not null or $2::bigint is not null)"
        "  and ($3::text is null or c.status = $3)"
        "  and ($4::text is null or c.section = $4)"
        "  and ($5::text is null or u.path @> array[(select o.id from org_units o where o.code = $5)])"
        "  and ($6::timestamptz is null or (c.created_at, c.id) < ($6::timestamptz, $7::bigint))"
        " order by c.created_at desc, c.id desc limit $8::int",
        9, p, err);
    // clang-format on
    if (!r) return err->status;
    eo_status st = eo_db_json_page(r, f->limit, items, next, err);
    PQclear(r);
    return st;
}
