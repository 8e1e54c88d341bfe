#include "db/import.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    eo_db *db;
    eo_import_batch *b;
    eo_import_counts *counts;
    eo_err *err;
    long long *ids; /* per row: the upserted id, 0 when the row had an error */
} apply_ctx;

#define ID_TEXT 24

static const char *bool_text(bool v) { return v ? "true" : "false"; }

static void id_text(char *buf, long long id) { snprintf(buf, ID_TEXT, "%lld", id); }

/* A statement failed. A lost database is returned as is; anything else
 * (a constraint the validator did not foresee) becomes an error on the line
 * being applied. Either way the transaction is dead, so the caller stops. */
static eo_status statement_failed(apply_ctx *c, int line, const char *field)
{
    if (c->err->status == EO_ERR_UNAVAILABLE) return c->err->status;
    eo_import_add_error(c->b, line, field, "db_error", "%s", c->err->log_detail);
    eo_err_clear(c->err);
    return EO_ERR_INVALID;
}

static void count_upsert(apply_ctx *c, PGresult *r)
{
    const char *ins = eo_db_get(r, 0, 1);
    if (ins && ins[0] == 't')
        c->counts->inserted++;
    else
        c->counts->updated++;
}

/* ---- units ---------------------------------------------------------------- */

/* Pass 1 detaches every unit of the file (when the file has parent_code) so
 * that pass 2, re-attaching them one by one, only ever builds subsets of the
 * final tree: a cycle is then reported exactly when the final tree has one,
 * whatever the row order. */
static eo_status apply_units(apply_ctx *c)
{
    static const char upsert_sql[] = "insert into org_units (code, name) values ($1, $2) "
                                     "on conflict (code) do update set name = excluded.name, "
                                     "  parent_id = case when $3::boolean then null else org_units.parent_id end "
                                     "returning id, (xmax = 0) as inserted";
    static const char parent_sql[] = "select id, $2::bigint = any(path) from org_units where code = $1";
    static const char attach_sql[] = "update org_units set parent_id = $1 where id = $2";

    bool has_parent = eo_import_has_column(c->b, "parent_code");
    for (size_t i = 0; i < c->b->n_rows; i++) {
        eo_import_unit *u = &c->b->rows.units[i];
        const char *p[] = {u->code, u->name, bool_text(has_parent)};
        PGresult *r = eo_db_exec(c->db, "imp_unit_upsert", upsert_sql, 3, p, c->err);
        if (!r) return statement_failed(c, u->line, "code");
        c->ids[i] = eo_db_get_ll(r, 0, 0);
        count_upsert(c, r);
        PQclear(r);
    }
    if (!has_parent) return EO_OK;

    for (size_t i = 0; i < c->b->n_rows; i++) {
        eo_import_unit *u = &c->b->rows.units[i];
        if (!u->parent_code) continue;
        char self[ID_TEXT];
        id_text(self, c->ids[i]);
        const char *p[] = {u->parent_code, self};
        PGresult *r = eo_db_exec(c->db, "imp_unit_parent", parent_sql, 2, p, c->err);
        if (!r) return statement_failed(c, u->line, "parent_code");
        if (PQntuples(r) == 0) {
            eo_import_add_error(c->b, u->line, "parent_code", "unknown_parent", "%s", u->parent_code);
            PQclear(r);
            continue;
        }
        char parent[ID_TEXT];
        snprintf(parent, sizeof(parent), "%s", eo_db_get(r, 0, 0));
        bool cycle = eo_db_get(r, 0, 1)[0] == 't';
        PQclear(r);
        if (cycle) {
            eo_import_add_error(c->b, u->line, "parent_code", "unit_cycle", "%s", u->parent_code);
            continue;
        }
        const char *q[] = {parent, self};
        if (eo_db_run(c->db, attach_sql, 2, q, c->err) != EO_OK) return statement_failed(c, u->line, "parent_code");
    }
    return EO_OK;
}

/* ---- locations ------------------------------------------------------------ */

/* pg_timezone_names reads the zone files: ask once per distinct name. */
typedef struct {
    const char *names[32];
    int n;
} tz_cache;

static eo_status time_zone_known(apply_ctx *c, tz_cache *cache, const char *tz, int line, bool *known)
{
    for (int i = 0; i < cache->n; i++)
        if (strcmp(cache->names[i], tz) == 0) {
            *known = true;
            return EO_OK;
        }
    const char *p[] = {tz};
    PGresult *r = eo_db_exec(c->db, "imp_tz", "select 1 from pg_timezone_names where name = $1", 1, p, c->err);
    if (!r) return statement_failed(c, line, "time_zone");
    *known = PQntuples(r) > 0;
    PQclear(r);
    if (*known && cache->n < 32) cache->names[cache->n++] = tz;
    return EO_OK;
}

static eo_status apply_locations(apply_ctx *c)
{
    static const char upsert_sql[] =
        "insert into office_locations (code, name, unit_id, latitude, longitude, radius_m, time_zone) "
        "values ($1, $2, $3, $4, $5, $6, $7) "
        "on conflict (code) do update set name = excluded.name, latitude = excluded.latitude, "
        "  longitude = excluded.longitude, radius_m = excluded.radius_m, "
        "  time_zone = excluded.time_zone, "
        "  unit_id = case when $8::boolean then excluded.unit_id else office_locations.unit_id end "
        "returning id, (xmax = 0) as inserted";
    static const char unit_sql[] = "select id from org_units where code = $1";

    bool has_unit = eo_import_has_column(c->b, "unit_code");
    tz_cache cache = {.n = 0};
    for (size_t i = 0; i < c->b->n_rows; i++) {
        eo_import_location *l = &c->b->rows.locations[i];
        bool ok = true, known = false;
        eo_status st = time_zone_known(c, &cache, l->time_zone, l->line, &known);
        if (st != EO_OK) return st;
        if (!known) {
            eo_import_add_error(c->b, l->line, "time_zone", "time_zone_unknown", "%s", l->time_zone);
            ok = false;
        }
        char unit[ID_TEXT] = "";
        if (l->unit_code) {
            const char *p[] = {l->unit_code};
            PGresult *r = eo_db_exec(c->db, "imp_unit_id", unit_sql, 1, p, c->err);
            if (!r) return statement_failed(c, l->line, "unit_code");
            if (PQntuples(r) == 0) {
                eo_import_add_error(c->b, l->line, "unit_code", "unknown_unit", "%s", l->unit_code);
                ok = false;
            } else {
                snprintf(unit, sizeof(unit), "%s", eo_db_get(r, 0, 0));
            }
            PQclear(r);
        }
        if (!ok) continue;

        char lat[40], lon[40], radius[16];
        snprintf(lat, sizeof(lat), "%.17g", l->latitude);
        snprintf(lon, sizeof(lon), "%.17g", l->longitude);
        snprintf(radius, sizeof(radius), "%d", l->radius_m);
        const char *p[] = {l->code, l->name, unit[0] ? unit : NULL, lat,
                           lon,     radius,  l->time_zone,          bool_text(has_unit)};
        PGresult *r = eo_db_exec(c->db, "imp_loc_upsert", upsert_sql, 8, p, c->err);
        if (!r) return statement_failed(c, l->line, "code");
        c->ids[i] = eo_db_get_ll(r, 0, 0);
        count_upsert(c, r);
        PQclear(r);
    }
    return EO_OK;
}

/* ---- employees ------------------------------------------------------------ */

/* Finds or creates the position; *id_out receives its id as text. */
static eo_status resolve_position(apply_ctx *c, const eo_import_employee *e, char *id_out)
{
    static const char sql[] = "insert into positions (name, type) values ($1, $2) "
                              "on conflict (name) do update set "
                              "  type = case when $3::boolean then excluded.type else positions.type end "
                              "returning id, (xmax = 0) as inserted";
    const char *p[] = {e->position, e->position_type, bool_text(e->position_type_given)};
    PGresult *r = eo_db_exec(c->db, "imp_position", sql, 3, p, c->err);
    if (!r) return statement_failed(c, e->line, "position");
    snprintf(id_out, ID_TEXT, "%s", eo_db_get(r, 0, 0));
    const char *ins = eo_db_get(r, 0, 1);
    if (ins && ins[0] == 't') c->counts->positions_created++;
    PQclear(r);
    return EO_OK;
}

/* Pass 1: references and the employee row itself. With a supervisor_nip
 * column the file's employees are detached from their supervisors here and
 * re-attached in pass 2 (same reasoning as for units). Optional columns that
 * the header leaves out keep their database values. */
static eo_status upsert_employees(apply_ctx *c)
{
    static const char refs_sql[] = "select (select id from org_units where code = $1), "
                                   "       (select id from office_locations where code = $2), "
                                   "       (select id from work_schedules where code = $3)";
    static const char upsert_sql[] =
        "insert into employees (nip, nik, name, gender, birth_date, employee_type, unit_id, "
        "  rank, position_id, office_location_id, work_schedule_id, office_email) "
        "values ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $10, $11, $12) "
        "on conflict (nip) do update set nik = excluded.nik, name = excluded.name, "
        "  gender = excluded.gender, birth_date = excluded.birth_date, "
        "  employee_type = excluded.employee_type, unit_id = excluded.unit_id, "
        "  rank = case when $13::boolean then excluded.rank else employees.rank end, "
        "  position_id = case when $14::boolean then excluded.position_id else employees.position_id end, "
        "  office_location_id = case when $15::boolean then excluded.office_location_id "
        "                       else employees.office_location_id end, "
        "  work_schedule_id = case when $16::boolean then excluded.work_schedule_id "
        "                     else employees.work_schedule_id end, "
        "  office_email = case when $17::boolean then excluded.office_email else employees.office_email end, "
        "  supervisor_id = case when $18::boolean then null else employees.supervisor_id end "
        "returning id, (xmax = 0) as inserted";

    const char *has_rank = bool_text(eo_import_has_column(c->b, "rank"));
    const char *has_position = bool_text(eo_import_has_column(c->b, "position"));
    const char *has_location = bool_text(eo_import_has_column(c->b, "office_location_code"));
    const char *has_schedule = bool_text(eo_import_has_column(c->b, "work_schedule"));
    const char *has_email = bool_text(eo_import_has_column(c->b, "office_email"));
    const char *has_supervisor = bool_text(eo_import_has_column(c->b, "supervisor_nip"));

    for (size_t i = 0; i < c->b->n_rows; i++) {
        eo_import_employee *e = &c->b->rows.employees[i];
        const char *rp[] = {e->unit_code, e->office_location_code, e->work_schedule};
        PGresult *r = eo_db_exec(c->db, "imp_emp_refs", refs_sql, 3, rp, c->err);
        if (!r) return statement_failed(c, e->line, "unit_code");
        char unit[ID_TEXT] = "", location[ID_TEXT] = "", schedule[ID_TEXT] = "", position[ID_TEXT] = "";
        if (eo_db_get(r, 0, 0)) snprintf(unit, sizeof(unit), "%s", eo_db_get(r, 0, 0));
        if (eo_db_get(r, 0, 1)) snprintf(location, sizeof(location), "%s", eo_db_get(r, 0, 1));
        if (eo_db_get(r, 0, 2)) snprintf(schedule, sizeof(schedule), "%s", eo_db_get(r, 0, 2));
        PQclear(r);

        bool ok = true;
        if (!unit[0]) {
            eo_import_add_error(c->b, e->line, "unit_code", "unknown_unit", "%s", e->unit_code);
            ok = false;
        }
        if (e->office_location_code && !location[0]) {
            eo_import_add_error(c->b, e->line, "office_location_code", "unknown_location", "%s",
                                e->office_location_code);
            ok = false;
        }
        if (e->work_schedule && !schedule[0]) {
            eo_import_add_error(c->b, e->line, "work_schedule", "unknown_schedule", "%s", e->work_schedule);
            ok = false;
        }
        if (!ok) continue;
        if (e->position) {
            eo_status st = resolve_position(c, e, position);
            if (st != EO_OK) return st;
        }

        const char gender[2] = {e->gender, '\0'};
        const char *p[] = {e->nip,
                           e->nik,
                           e->name,
                           gender,
                           e->birth_date,
                           e->employee_type,
                           unit,
                           e->rank,
                           position[0] ? position : NULL,
                           location[0] ? location : NULL,
                           schedule[0] ? schedule : NULL,
                           e->office_email,
                           has_rank,
                           has_position,
                           has_location,
                           has_schedule,
                           has_email,
                           has_supervisor};
        r = eo_db_exec(c->db, "imp_emp_upsert", upsert_sql, 18, p, c->err);
        if (!r) return statement_failed(c, e->line, "nip");
        c->ids[i] = eo_db_get_ll(r, 0, 0);
        count_upsert(c, r);
        PQclear(r);
    }
    return EO_OK;
}

/* Pass 2: supervisors, now that every employee of the file exists. */
static eo_status attach_supervisors(apply_ctx *c)
{
    /* Walks up from the proposed supervisor; reaching the employee means a cycle. */
    static const char find_sql[] =
        "with recursive up (id, depth) as ( "
        "  select e.id, 0 from employees e where e.nip = $1 "
        "  union all "
        "  select e.supervisor_id, up.depth + 1 from employees e join up on e.id = up.id "
        "   where e.supervisor_id is not null and up.depth < 100) "
        "select (select id from up where depth = 0), exists (select 1 from up where id = $2::bigint)";
    static const char set_sql[] = "update employees set supervisor_id = $1 where id = $2";

    for (size_t i = 0; i < c->b->n_rows; i++) {
        eo_import_employee *e = &c->b->rows.employees[i];
        if (!e->supervisor_nip || !c->ids[i]) continue;
        char self[ID_TEXT];
        id_text(self, c->ids[i]);
        const char *p[] = {e->supervisor_nip, self};
        PGresult *r = eo_db_exec(c->db, "imp_emp_sup", find_sql, 2, p, c->err);
        if (!r) return statement_failed(c, e->line, "supervisor_nip");
        char sup[ID_TEXT] = "";
        if (eo_db_get(r, 0, 0)) snprintf(sup, sizeof(sup), "%s", eo_db_get(r, 0, 0));
        bool cycle = eo_db_get(r, 0, 1) && eo_db_get(r, 0, 1)[0] == 't';
        PQclear(r);
        if (!sup[0]) {
            eo_import_add_error(c->b, e->line, "supervisor_nip", "unknown_supervisor", "%s", e->supervisor_nip);
            continue;
        }
        if (cycle) {
            eo_import_add_error(c->b, e->line, "supervisor_nip", "supervisor_cycle", "%s", e->supervisor_nip);
            continue;
        }
        const char *q[] = {sup, self};
        if (eo_db_run(c->db, set_sql, 2, q, c->err) != EO_OK) return statement_failed(c, e->line, "supervisor_nip");
    }
    return EO_OK;
}

/* ---- competencies and standards (docs/competency.md) ------------------- */

/* Upserts by code; description and active only when their column is there
 * (and, for active, the cell filled); each filled level cell upserts that
 * level, its indicators kept unless the indicators cell is filled too. */
static eo_status apply_competencies(apply_ctx *c)
{
    static const char upsert_sql[] =
        "insert into competencies (code, name, category, description, active) "
        "values ($1, $2, $3, coalesce($4, ''), coalesce($5::boolean, true)) "
        "on conflict (code) do update set name = excluded.name, category = excluded.category, "
        "  description = coalesce($4, competencies.description), "
        "  active = coalesce($5::boolean, competencies.active) "
        "returning id, (xmax = 0) as inserted";
    static const char level_sql[] =
        "insert into competency_levels (competency_id, level, description, indicators) "
        "values ($1, $2::smallint, $3, coalesce($4::jsonb, '[]'::jsonb)) "
        "on conflict (competency_id, level) do update set description = excluded.description, "
        "  indicators = coalesce($4::jsonb, competency_levels.indicators)";
    for (size_t i = 0; i < c->b->n_rows; i++) {
        eo_import_competency *k = &c->b->rows.competencies[i];
        const char *active = k->active < 0 ? NULL : bool_text(k->active == 1);
        const char *p[] = {k->code, k->name, k->category, k->description, active};
        PGresult *r = eo_db_exec(c->db, "imp_comp_upsert", upsert_sql, 5, p, c->err);
        if (!r) return statement_failed(c, k->line, "code");
        c->ids[i] = eo_db_get_ll(r, 0, 0);
        count_upsert(c, r);
        PQclear(r);
        char id[ID_TEXT];
        id_text(id, c->ids[i]);
        for (int lv = 0; lv < 5; lv++) {
            if (!k->levels[lv]) continue;
            char level[4];
            snprintf(level, sizeof level, "%d", lv + 1);
            const char *q[] = {id, level, k->levels[lv], k->indicators[lv]};
            if (eo_db_run(c->db, level_sql, 4, q, c->err) != EO_OK) return statement_failed(c, k->line, "level");
        }
    }
    return EO_OK;
}

/* Upserts (position, competency) -> required level; the position is named
 * as in the employees file, the competency by code (an earlier import or
 * the dictionary). */
static eo_status apply_standards(apply_ctx *c)
{
    static const char refs_sql[] = "select (select id from positions where name = $1), "
                                   "       (select id from competencies where code = $2)";
    static const char upsert_sql[] =
        "insert into position_standards (position_id, competency_id, required_level) values ($1, $2, $3::smallint) "
        "on conflict (position_id, competency_id) do update set required_level = excluded.required_level, "
        "  updated_at = now() returning position_id, (xmax = 0) as inserted";
    for (size_t i = 0; i < c->b->n_rows; i++) {
        eo_import_standard *t = &c->b->rows.standards[i];
        const char *rp[] = {t->position, t->competency_code};
        PGresult *r = eo_db_exec(c->db, "imp_std_refs", refs_sql, 2, rp, c->err);
        if (!r) return statement_failed(c, t->line, "position");
        char pos[ID_TEXT] = "", comp[ID_TEXT] = "";
        if (eo_db_get(r, 0, 0)) snprintf(pos, sizeof pos, "%s", eo_db_get(r, 0, 0));
        if (eo_db_get(r, 0, 1)) snprintf(comp, sizeof comp, "%s", eo_db_get(r, 0, 1));
        PQclear(r);
        if (!pos[0]) eo_import_add_error(c->b, t->line, "position", "unknown_position", "%.100s", t->position);
        if (!comp[0])
            eo_import_add_error(c->b, t->line, "competency_code", "unknown_competency", "%s", t->competency_code);
        if (!pos[0] || !comp[0]) continue;
        char level[4];
        snprintf(level, sizeof level, "%d", t->required_level);
        const char *p[] = {pos, comp, level};
        r = eo_db_exec(c->db, "imp_std_upsert", upsert_sql, 3, p, c->err);
        if (!r) return statement_failed(c, t->line, "required_level");
        c->ids[i] = eo_db_get_ll(r, 0, 0);
        count_upsert(c, r);
        PQclear(r);
    }
    return EO_OK;
}

static eo_status write_audit(apply_ctx *c, const char *source, long long actor)
{
    json_t *details =
        json_pack("{s:s, s:I, s:I, s:I, s:I}", "kind", eo_import_kind_name(c->b->kind), "rows",
                  (json_int_t)c->b->n_rows, "inserted", (json_int_t)c->counts->inserted, "updated",
                  (json_int_t)c->counts->updated, "positions_created", (json_int_t)c->counts->positions_created);
    if (!details) return eo_fail(c->err, EO_ERR_INTERNAL, "internal");
    if (source) json_object_set_new(details, "source", json_string(source));
    char *text = json_dumps(details, JSON_COMPACT);
    json_decref(details);
    if (!text) return eo_fail(c->err, EO_ERR_INTERNAL, "internal");
    char actor_text[ID_TEXT];
    id_text(actor_text, actor);
    const char *p[] = {actor > 0 ? actor_text : NULL, eo_import_kind_name(c->b->kind), text};
    eo_status st = eo_db_run(c->db,
                             "insert into audit_log (actor_employee_id, action, target_type, details) "
                             "values ($1, 'import', $2, $3::jsonb)",
                             3, p, c->err);
    free(text);
    return st;
}

eo_status eo_db_import_apply(eo_db *db, eo_import_batch *b, const char *source, long long actor_employee_id,
                             bool dry_run, eo_import_counts *counts, eo_err *err)
{
    memset(counts, 0, sizeof(*counts));
    if (b->n_errors) return EO_ERR_INVALID;

    apply_ctx c = {.db = db, .b = b, .counts = counts, .err = err};
    c.ids = calloc(b->n_rows ? b->n_rows : 1, sizeof(*c.ids));
    if (!c.ids) return eo_fail(err, EO_ERR_INTERNAL, "internal");

    eo_status st = eo_db_begin(db, err);
    if (st != EO_OK) goto done;
    /* One import at a time: two concurrent files touching the same units
     * would otherwise interleave their detach/attach passes. */
    st = eo_db_run(db, "select pg_advisory_xact_lock(hashtext('eoffice.import'))", 0, NULL, err);
    if (st != EO_OK) goto rollback;

    switch (b->kind) {
    case EO_IMPORT_UNITS: st = apply_units(&c); break;
    case EO_IMPORT_LOCATIONS: st = apply_locations(&c); break;
    case EO_IMPORT_EMPLOYEES:
        st = upsert_employees(&c);
        if (st == EO_OK && eo_import_has_column(b, "supervisor_nip")) st = attach_supervisors(&c);
        break;
    case EO_IMPORT_COMPETENCIES: st = apply_competencies(&c); break;
    case EO_IMPORT_STANDARDS: st = apply_standards(&c); break;
    }
    if (st != EO_OK) goto rollback;
    if (b->n_errors) {
        st = EO_ERR_INVALID;
        goto rollback;
    }
    if (dry_run) goto rollback; /* st is EO_OK: the file would apply cleanly */

    st = write_audit(&c, source, actor_employee_id);
    if (st != EO_OK) goto rollback;
    st = eo_db_commit(db, err);
    goto done;

rollback:
    eo_db_rollback(db);
done:
    free(c.ids);
    if (st == EO_ERR_INVALID && err->status == EO_OK) eo_fail(err, EO_ERR_INVALID, "validation_failed");
    return st;
}
