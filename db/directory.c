#include "db/directory.h"

#include <stdio.h>
#include <string.h>

#include "db/keyset.h"
#include "db/rows.h"

// clang-format off
/* The public card: what any signed-in employee may learn of another. Never
 * NIK, birth date, address, family, e-mail or phone. */
#define CARD_JSON(e)                                                                                                   \
    "jsonb_build_object('nip', " e ".nip, 'name', " e ".name,"                                                        \
    " 'position', (select p.name from positions p where p.id = " e ".position_id),"                                    \
    " 'unit', (select jsonb_build_object('code', u.code, 'name', u.name) from org_units u where u.id = " e ".unit_id)," \
    " 'office_location', (select jsonb_build_object('code', l.code, 'name', l.name) from office_locations l"          \
    "   where l.id = " e ".office_location_id))"

#define PERSON_JSON(e) "jsonb_build_object('nip', " e ".nip, 'name', " e ".name)"

#define RECO_JSON                                                                                                      \
    "jsonb_build_object('id', r.id,"                                                                                   \
    " 'author', (select " PERSON_JSON("a") " from employees a where a.id = r.author_id),"                             \
    " 'subject', (select " PERSON_JSON("s") " from employees s where s.id = r.subject_id),"                           \
    " 'text', r.body, 'status', r.status, 'created_at', " EO_DB_TS("r.created_at") ","                               \
    " 'updated_at', " EO_DB_TS("r.updated_at") ", 'decided_at', " EO_DB_TS("r.decided_at") ")"

/* Name search: eo_employee_search() (migration 0015, docs/directory.md) ranks;
 * this renders the page's cards. */
static const char search_name_sql[] =
    "select (" CARD_JSON("e") ")::text, s.r_rank, s.r_id"
    " from eo_employee_search($1, $2::bigint, $3::bigint, $4::int) s join employees e on e.id = s.r_id"
    " order by s.r_rank desc, s.r_id";

/* A NIP prefix: in NIP order, the position's "rank" being the NIP itself. The
 * prefix is a byte range (NIPs are 18 digits; ':' follows '9') with the
 * pattern operators, which the generic plan of a prepared statement can take
 * to the employees_nip_prefix index, in its order; "like $1 || '%'" cannot,
 * and read all employees (50 ms at 100,000) once the plan went generic. */
static const char search_nip_sql[] =
    "select (" CARD_JSON("e") ")::text, e.nip, e.id from employees e"
    " where e.nip ~>=~ $1::bpchar and e.nip ~<~ ($1 || ':')::bpchar and e.status = 'active'"
    "   and ($2::bigint is null or e.nip ~>~ lpad($2::bigint::text, 18, '0')::bpchar)"
    " order by e.nip using ~<~ limit $3";
// clang-format on

eo_status eo_db_dir_search(eo_db *db, const char *q, bool nip, const eo_db_dir_pos *after, int limit, json_t **items,
                           json_t **next, eo_err *err)
{
    char rank[24], id[24], lim[16];
    snprintf(rank, sizeof rank, "%lld", after->rank);
    snprintf(id, sizeof id, "%lld", after->id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {q, after->set ? rank : NULL, id, lim};
    const char *p_nip[] = {q, after->set ? rank : NULL, lim};
    *items = *next = NULL;
    PGresult *r = nip ? eo_db_exec(db, "dir_search_nip", search_nip_sql, 3, p_nip, err)
                      : eo_db_exec(db, "dir_search_name", search_name_sql, 4, p, err);
    if (!r) return err->status;
    *items = json_array();
    int n = PQntuples(r);
    for (int i = 0; i < n && i < limit; i++) {
        json_t *row;
        if (eo_db_json(r, i, 0, &row, err) != EO_OK) {
            PQclear(r);
            json_decref(*items);
            *items = NULL;
            return err->status;
        }
        json_array_append_new(*items, row);
    }
    if (n > limit) *next = json_pack("[s, s]", eo_db_str(r, limit - 1, 1), eo_db_str(r, limit - 1, 2));
    PQclear(r);
    return EO_OK;
}

static eo_status one_json(eo_db *db, const char *name, const char *sql, int n, const char *const *p,
                          const char *not_found, json_t **out, eo_err *err)
{
    *out = NULL;
    PGresult *r = eo_db_one(db, name, sql, n, p, not_found, err);
    if (!r && err->status == EO_OK) return eo_fail(err, EO_ERR_NOT_FOUND, "not_found");
    return eo_db_json_take(r, 0, out, err);
}

eo_status eo_db_dir_public_profile(eo_db *db, long long employee_id, json_t **out, eo_err *err)
{
    // clang-format off
    static const char sql[] =
        "select (" CARD_JSON("e") " || jsonb_build_object("
        "  'skills', coalesce(to_jsonb(x.skills), '[]'), 'about', coalesce(x.about, ''),"
        "  'recommendations', coalesce((select jsonb_agg(j order by at desc, id desc) from ("
        "     select r.id, r.created_at as at, jsonb_build_object('id', r.id,"
        "       'author', (select " CARD_JSON("a") " from employees a where a.id = r.author_id),"
        "       'text', r.body, 'created_at', " EO_DB_TS("r.created_at") ", 'updated_at', " EO_DB_TS("r.updated_at") ") as j"
        "       from recommendations r join employees a on a.id = r.author_id"
        "      where r.subject_id = e.id and r.status = 'accepted' and a.status = 'active'"
        "      order by r.created_at desc, r.id desc limit 100) t), '[]')))::text"
        " from employees e left join employee_about x on x.employee_id = e.id where e.id = $1";
    // clang-format on
    char id[24];
    snprintf(id, sizeof id, "%lld", employee_id);
    const char *p[] = {id};
    return one_json(db, "dir_public_profile", sql, 1, p, "employee_not_found", out, err);
}

#define ABOUT_JSON(x)                                                                                                  \
    "jsonb_build_object('skills', coalesce(to_jsonb(" x ".skills), '[]'), 'about', coalesce(" x ".about, ''),"         \
    " 'updated_at', " EO_DB_TS(x ".updated_at") ")"

eo_status eo_db_dir_about_get(eo_db *db, long long employee_id, json_t **out, eo_err *err)
{
    static const char sql[] = "select (" ABOUT_JSON("x") ")::text from (select 1) one"
                                                         " left join employee_about x on x.employee_id = $1";
    char id[24];
    snprintf(id, sizeof id, "%lld", employee_id);
    const char *p[] = {id};
    return one_json(db, "dir_about_get", sql, 1, p, NULL, out, err);
}

eo_status eo_db_dir_about_put(eo_db *db, long long employee_id, const char *skills_json, const char *about,
                              json_t **out, eo_err *err)
{
    static const char sql[] =
        "insert into employee_about as x (employee_id, skills, about)"
        " values ($1, coalesce(array(select jsonb_array_elements_text($2::jsonb)), '{}'), coalesce($3, ''))"
        " on conflict (employee_id) do update set"
        "  skills = case when $2::jsonb is null then x.skills else excluded.skills end,"
        "  about = coalesce($3, x.about), updated_at = now()"
        " returning (" ABOUT_JSON("x") ")::text";
    char id[24];
    snprintf(id, sizeof id, "%lld", employee_id);
    const char *p[] = {id, skills_json, about};
    return one_json(db, "dir_about_put", sql, 3, p, NULL, out, err);
}

eo_status eo_db_reco_create(eo_db *db, long long author, long long subject, const char *text, json_t **out,
                            long long *id, eo_err *err)
{
    static const char sql[] = "insert into recommendations as r (author_id, subject_id, body) values ($1, $2, $3)"
                              " returning r.id, (" RECO_JSON ")::text";
    char a[24], s[24];
    snprintf(a, sizeof a, "%lld", author);
    snprintf(s, sizeof s, "%lld", subject);
    const char *p[] = {a, s, text};
    *out = NULL;
    PGresult *r = eo_db_one(db, "reco_create", sql, 3, p, "internal", err);
    if (!r) {
        if (err->status == EO_ERR_CONFLICT) {
            eo_err_clear(err);
            eo_fail(err, EO_ERR_CONFLICT, "recommendation_exists");
        }
        return err->status;
    }
    *id = eo_db_get_ll(r, 0, 0);
    return eo_db_json_take(r, 1, out, err);
}

eo_status eo_db_reco_edit(eo_db *db, long long id, long long author, const char *text, json_t **out, long long *subject,
                          json_t **before, eo_err *err)
{
    // clang-format off
    static const char sql[] =
        "with old as (select r.id, (" RECO_JSON ")::text as j from recommendations r"
        "   where r.id = $1 and r.author_id = $2 for update)"
        " update recommendations r set body = $3, updated_at = now(),"
        "  status = case when r.status = 'accepted' then 'pending' else r.status end,"
        "  decided_at = case when r.status = 'accepted' then null else r.decided_at end"
        " from old where r.id = old.id"
        " returning r.subject_id, (" RECO_JSON ")::text, old.j";
    // clang-format on
    char i[24], a[24];
    snprintf(i, sizeof i, "%lld", id);
    snprintf(a, sizeof a, "%lld", author);
    const char *p[] = {i, a, text};
    *out = *before = NULL;
    PGresult *r = eo_db_one(db, "reco_edit", sql, 3, p, "recommendation_not_found", err);
    if (!r) return err->status;
    *subject = eo_db_get_ll(r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, out, err);
    if (!st) st = eo_db_json(r, 0, 2, before, err);
    PQclear(r);
    return st;
}

eo_status eo_db_reco_decide(eo_db *db, long long id, long long subject, const char *status, json_t **out, eo_err *err)
{
    static const char sql[] = "update recommendations r set status = $3,"
                              " decided_at = case when r.status = $3 then r.decided_at else now() end"
                              " where r.id = $1 and r.subject_id = $2 returning (" RECO_JSON ")::text";
    char i[24], s[24];
    snprintf(i, sizeof i, "%lld", id);
    snprintf(s, sizeof s, "%lld", subject);
    const char *p[] = {i, s, status};
    return one_json(db, "reco_decide", sql, 3, p, "recommendation_not_found", out, err);
}

eo_status eo_db_reco_list(eo_db *db, long long employee_id, bool subject_side, const char *status, const char *after_at,
                          const char *after_id, int limit, json_t **items, json_t **next, eo_err *err)
{
    // clang-format off
#define RECO_LIST(side)                                                                                                \
    "select (" RECO_JSON ")::text, " EO_DB_KEYSET_TS("r.created_at") ", r.id from recommendations r"                   \
    " where r." side " = $1 and ($2::text is null or r.status = $2)"                                                    \
    "   and ($3::timestamptz is null or (r.created_at, r.id) < ($3::timestamptz, $4::bigint))"                          \
    " order by r.created_at desc, r.id desc limit $5"
    // clang-format on
    char e[24], lim[16];
    snprintf(e, sizeof e, "%lld", employee_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {e, status, after_at, after_id, lim};
    *items = *next = NULL;
    PGresult *r = subject_side ? eo_db_exec(db, "reco_received", RECO_LIST("subject_id"), 5, p, err)
                               : eo_db_exec(db, "reco_written", RECO_LIST("author_id"), 5, p, err);
    if (!r) return eo_db_value_error(db, err);
    return eo_db_json_page_take(r, limit, items, next, err);
}
