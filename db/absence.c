#include "db/absence.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"

#define UTC_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
#define KEY_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'"

// clang-format off
#define ABSENCE_JSON                                                                                                   \
    "jsonb_build_object('id', a.id, 'employee', jsonb_build_object('nip', e.nip, 'name', e.name),"                     \
    " 'kind', a.kind, 'cuti_type', a.cuti_type,"                                                                       \
    " 'date_from', to_char(a.date_from, 'YYYY-MM-DD'), 'date_to', to_char(a.date_to, 'YYYY-MM-DD'),"                   \
    " 'days', a.date_to - a.date_from + 1, 'reason', a.reason, 'status', a.status,"                                    \
    " 'reviewer', (select jsonb_build_object('nip', r.nip, 'name', r.name) from employees r where r.id = a.reviewer_id)," \
    " 'decided_by', (select jsonb_build_object('nip', d.nip, 'name', d.name) from employees d"                         \
    "   where d.id = a.decided_by),"                                                                                   \
    " 'review_note', a.review_note,"                                                                                   \
    " 'document', (select jsonb_build_object('content_type', t.content_type, 'size', t.size_bytes)"                    \
    "   from attachments t where t.id = a.attachment_id),"                                                             \
    " 'extra_locations', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'name', x.name) order by x.id)"     \
    "   from absence_request_locations l join extra_locations x on x.id = l.extra_location_id"                         \
    "   where l.absence_request_id = a.id), '[]'::jsonb),"                                                             \
    " 'submitted_at', to_char(a.submitted_at at time zone 'UTC', " UTC_FMT "),"                                        \
    " 'decided_at', to_char(a.decided_at at time zone 'UTC', " UTC_FMT "),"                                            \
    " 'created_at', to_char(a.created_at at time zone 'UTC', " UTC_FMT "),"                                            \
    " 'updated_at', to_char(a.updated_at at time zone 'UTC', " UTC_FMT "))"
#define ABSENCE_COMPACT                                                                                                \
    "jsonb_build_object('id', a.id, 'kind', a.kind, 'cuti_type', a.cuti_type,"                                         \
    " 'date_from', to_char(a.date_from, 'YYYY-MM-DD'), 'date_to', to_char(a.date_to, 'YYYY-MM-DD'),"                   \
    " 'days', a.date_to - a.date_from + 1, 'status', a.status, 'review_note', a.review_note)"
// clang-format on

/* A failed write: overlap (exclusion 23P01) is the client's conflict; a
 * CHECK or date error the client's value. */
static eo_status write_error(eo_db *db, eo_err *err)
{
    if (strcmp(eo_db_last_sqlstate(db), "23P01") == 0) {
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_CONFLICT, "absence_overlap");
    }
    return eo_db_value_error(db, err);
}

static void id_array(const eo_absence_fields *f, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    n += (size_t)snprintf(buf, cap, "{");
    for (int i = 0; i < f->n_locations && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%lld", i ? "," : "", f->locations[i]);
    if (n < cap) snprintf(buf + n, cap - n, "}");
}

static eo_status set_locations(eo_db *db, const char *rid, const eo_absence_fields *f, eo_err *err)
{
    if (!f->set_locations) return EO_OK;
    const char *p0[] = {rid};
    if (eo_db_run(db, "delete from absence_request_locations where absence_request_id = $1", 1, p0, err))
        return err->status;
    if (f->n_locations == 0) return EO_OK;
    char ids[EO_ABSENCE_MAX_LOCATIONS * 24 + 4], n[16];
    id_array(f, ids, sizeof ids);
    snprintf(n, sizeof n, "%d", f->n_locations);
    const char *p[] = {rid, ids, n};
    /* Only the author's own extra locations that are not revoked. */
    PGresult *r = eo_db_exec(db, NULL,
                             "with x as (insert into absence_request_locations (absence_request_id, extra_location_id)"
                             " select a.id, x.id from absence_requests a join extra_locations x"
                             "  on x.employee_id = a.employee_id and x.revoked_at is null"
                             " where a.id = $1 and x.id = any($2::bigint[]) returning 1)"
                             " select count(*) = $3::int from x",
                             3, p, err);
    if (!r) return eo_db_value_error(db, err);
    bool ok = eo_db_bool(r, 0, 0);
    PQclear(r);
    if (!ok) eo_err_field(err, "extra_location_ids", "absence_location_not_found");
    return err->status;
}

eo_status eo_db_absence_create(eo_db *db, long long employee_id, const eo_absence_fields *f, long long *id, eo_err *err)
{
    char emp[24], rid[24];
    snprintf(emp, sizeof emp, "%lld", employee_id);
    const char *p[] = {emp, f->kind, f->cuti_type, f->date_from, f->date_to, f->reason};
    *id = 0;
    if (eo_db_one_ll(db, "absence_create",
                     "insert into absence_requests (employee_id, kind, cuti_type, date_from, date_to, reason)"
                     " values ($1, $2, $3, $4::date, $5::date, $6) returning id",
                     6, p, NULL, id, err))
        return write_error(db, err);
    snprintf(rid, sizeof rid, "%lld", *id);
    return set_locations(db, rid, f, err);
}

eo_status eo_db_absence_edit(eo_db *db, long long id, const eo_absence_fields *f, eo_err *err)
{
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", id);
    const char *p[] = {rid,          f->kind,    f->cuti_type, f->clear_cuti_type ? "1" : NULL,
                       f->date_from, f->date_to, f->reason};
    if (eo_db_run(db,
                  "update absence_requests set kind = coalesce($2, kind),"
                  " cuti_type = case when coalesce($2, kind) <> 'cuti' or $4::text is not null then null"
                  "  else coalesce($3, cuti_type) end,"
                  " date_from = coalesce($5::date, date_from), date_to = coalesce($6::date, date_to),"
                  " reason = coalesce($7, reason) where id = $1",
                  7, p, err))
        return write_error(db, err);
    return set_locations(db, rid, f, err);
}

eo_status eo_db_absence_lock(eo_db *db, long long id, eo_absence_row *row, eo_err *err)
{
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", id);
    const char *p[] = {rid};
    memset(row, 0, sizeof(*row));
    PGresult *r = eo_db_one(db, "absence_lock",
                            "select a.employee_id, e.supervisor_id, a.reviewer_id, a.status, a.kind,"
                            " a.date_to - a.date_from + 1, a.attachment_id"
                            " from absence_requests a join employees e on e.id = a.employee_id"
                            " where a.id = $1 for update of a",
                            1, p, "absence_not_found", err);
    if (!r) return err->status;
    row->employee_id = eo_db_get_ll(r, 0, 0);
    row->supervisor_id = eo_db_get_ll(r, 0, 1);
    row->reviewer_id = eo_db_get_ll(r, 0, 2);
    eo_db_copy(row->status, sizeof row->status, r, 0, 3);
    eo_db_copy(row->kind, sizeof row->kind, r, 0, 4);
    row->days = (int)eo_db_get_ll(r, 0, 5);
    row->attachment_id = eo_db_get_ll(r, 0, 6);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_absence_step(eo_db *db, long long id, const char *status, long long reviewer_id, long long decided_by,
                             const char *note, double now, eo_err *err)
{
    char rid[24], rev[24], by[24], at[32];
    snprintf(rid, sizeof rid, "%lld", id);
    snprintf(rev, sizeof rev, "%lld", reviewer_id);
    snprintf(by, sizeof by, "%lld", decided_by);
    snprintf(at, sizeof at, "%.6f", now);
    const char *p[] = {rid, status, reviewer_id ? rev : NULL, decided_by ? by : NULL, note, at};
    /* submitted: a new submission (note and decision cleared); draft: withdrawn;
     * approved / returned / rejected: the atasan's decision. */
    if (eo_db_run(db,
                  "update absence_requests set status = $2,"
                  " reviewer_id = case when $2 = 'submitted' then $3::bigint else reviewer_id end,"
                  " submitted_at = case when $2 = 'submitted' then to_timestamp($6) else submitted_at end,"
                  " decided_by = case when $2 in ('submitted', 'draft') then null else $4::bigint end,"
                  " decided_at = case when $2 in ('submitted', 'draft') then null else to_timestamp($6) end,"
                  " review_note = case when $2 in ('submitted', 'draft') then null else $5 end"
                  " where id = $1",
                  6, p, err))
        return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_absence_set_document(eo_db *db, long long id, long long attachment_id, eo_err *err)
{
    char rid[24], att[24];
    snprintf(rid, sizeof rid, "%lld", id);
    snprintf(att, sizeof att, "%lld", attachment_id);
    const char *p[] = {rid, att};
    return eo_db_run(db,
                     "with old as (select attachment_id as aid from absence_requests where id = $1),"
                     " upd as (update absence_requests set attachment_id = $2::bigint where id = $1 returning 1)"
                     " update attachments set status = 'pending', pending_since = now()"
                     " where id = (select aid from old) and id <> $2::bigint and status = 'referenced'"
                     "  and not exists (select 1 from absence_requests where attachment_id = attachments.id"
                     "   and id <> $1)",
                     2, p, err);
}

eo_status eo_db_absence_delete(eo_db *db, long long id, eo_err *err)
{
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", id);
    const char *p[] = {rid};
    return eo_db_run(db,
                     "with d as (delete from absence_requests where id = $1 returning attachment_id)"
                     " update attachments set status = 'pending', pending_since = now()"
                     " where id = (select attachment_id from d) and status = 'referenced'"
                     "  and not exists (select 1 from absence_requests where attachment_id = attachments.id"
                     "   and id <> $1)",
                     1, p, err);
}

eo_status eo_db_absence_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", id);
    const char *p[] = {rid};
    *out = NULL;
    PGresult *r = eo_db_one(db, "absence_get",
                            "select " ABSENCE_JSON "::text from absence_requests a"
                            " join employees e on e.id = a.employee_id where a.id = $1",
                            1, p, "absence_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_absence_list(eo_db *db, const eo_absence_filter *f, json_t **items, json_t **next, eo_err *err)
{
    // clang-format off
#define LIST_SQL(shape)                                                                                                \
    "select " shape "::text, to_char(a.created_at at time zone 'UTC', " KEY_FMT "), a.id"                              \
    " from absence_requests a join employees e on e.id = a.employee_id"                                                \
    " where case when $2::boolean then e.supervisor_id = $1 and a.status <> 'draft' else a.employee_id = $1 end"       \
    "   and ($3::text is null or a.status = $3) and ($4::text is null or a.kind = $4)"                                 \
    "   and ($5::text is null or e.nip = $5)"                                                                          \
    "   and ($6::date is null or a.date_to >= $6::date) and ($7::date is null or a.date_from <= $7::date)"            \
    "   and ($8::timestamptz is null or (a.created_at, a.id) < ($8::timestamptz, $9::bigint))"                         \
    " order by a.created_at desc, a.id desc limit $10"
    // clang-format on
    char viewer[24], lim[16];
    snprintf(viewer, sizeof viewer, "%lld", f->viewer_id);
    snprintf(lim, sizeof lim, "%d", f->limit + 1);
    const char *p[] = {
        viewer, f->team ? "true" : "false", f->status, f->kind, f->nip, f->from, f->to, f->after_at, f->after_id, lim};
    *items = *next = NULL;
    PGresult *r = f->compact ? eo_db_exec(db, "absence_list_c", LIST_SQL(ABSENCE_COMPACT), 10, p, err)
                             : eo_db_exec(db, "absence_list", LIST_SQL(ABSENCE_JSON), 10, p, err);
#undef LIST_SQL
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, f->limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_absence_on(eo_db *db, long long employee_id, const char *date, char *kind, size_t kind_cap, eo_err *err)
{
    char emp[24];
    snprintf(emp, sizeof emp, "%lld", employee_id);
    const char *p[] = {emp, date};
    kind[0] = '\0';
    PGresult *r = eo_db_exec(db, "absence_on",
                             "select kind from absence_requests where employee_id = $1 and status = 'approved'"
                             " and $2::date between date_from and date_to limit 1",
                             2, p, err);
    if (!r) return eo_db_value_error(db, err);
    if (PQntuples(r) == 1) eo_db_copy(kind, kind_cap, r, 0, 0);
    PQclear(r);
    return EO_OK;
}
