#include "db/presensi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UTC_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"

/* One side (in/out) of a row as JSON; times in UTC and in the row's zone. */
#define SIDE_JSON(p)                                                                                                   \
    "case when a." p "_at is null then null else jsonb_build_object("                                                  \
    "'at', to_char(a." p "_at at time zone 'UTC', " UTC_FMT "),"                                                       \
    "'local_time', to_char(a." p "_at at time zone a.time_zone, 'HH24:MI:SS'),"                                        \
    "'latitude', a." p "_lat, 'longitude', a." p "_lon, 'accuracy_m', a." p "_accuracy_m,"                             \
    "'mock_location', a." p "_mock, 'distance_m', round(a." p "_distance_m::numeric),"                                 \
    "'location', a." p "_location, 'flags', to_jsonb(a." p "_flags),"                                                  \
    "'photo_id', a." p "_photo_id,"                                                                                    \
    "'device_time', to_char(a." p "_device_time at time zone 'UTC', " UTC_FMT ")) end"

#define RECORD_JSON                                                                                                    \
    "jsonb_build_object('id', a.id, 'work_date', to_char(a.work_date, 'YYYY-MM-DD'),"                                  \
    "'time_zone', a.time_zone, 'source', a.source, 'corrected', a.corrected_by is not null,"                           \
    "'check_in', " SIDE_JSON("check_in") ", 'check_out', " SIDE_JSON("check_out") ")::text"

#define LOCAL_MIN(p)                                                                                                   \
    "(extract(hour from a." p "_at at time zone a.time_zone) * 60 + "                                                  \
    "extract(minute from a." p "_at at time zone a.time_zone))::int"

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

static json_t *parse_json(const char *text) { return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL; }

static int slot_min(PGresult *r, int row, int col)
{
    return eo_db_get(r, row, col) ? (int)eo_db_get_ll(r, row, col) : -1;
}

/* Fills an eo_schedule's slot for one weekday from normal/ramadan minutes (-1 = none). */
static void resolve_day(eo_presensi_day *day, int isodow, bool ramadan, bool holiday, int ns, int ne, int rs, int re)
{
    eo_schedule s;
    memset(&s, 0, sizeof(s));
    if (isodow >= 1 && isodow <= 7) {
        if (ns >= 0 && ne >= 0) s.slots[0][isodow] = (eo_schedule_slot){true, ns, ne};
        if (rs >= 0 && re >= 0) s.slots[1][isodow] = (eo_schedule_slot){true, rs, re};
    }
    eo_presensi_day_resolve(&s, isodow, ramadan, holiday, day);
}

/* Columns shared by the context and the day queries: schedule slots of `d` for `sid`. */
#define SLOT_COLS(sid, d)                                                                                              \
    "(select (extract(epoch from start_time) / 60)::int from work_schedule_days "                                      \
    " where schedule_id = " sid " and season = 'normal' and isodow = extract(isodow from " d ")),"                     \
    "(select (extract(epoch from end_time) / 60)::int from work_schedule_days "                                        \
    " where schedule_id = " sid " and season = 'normal' and isodow = extract(isodow from " d ")),"                     \
    "(select (extract(epoch from start_time) / 60)::int from work_schedule_days "                                      \
    " where schedule_id = " sid " and season = 'ramadan' and isodow = extract(isodow from " d ")),"                    \
    "(select (extract(epoch from end_time) / 60)::int from work_schedule_days "                                        \
    " where schedule_id = " sid " and season = 'ramadan' and isodow = extract(isodow from " d ")),"                    \
    "(select name from public_holidays where holiday_date = " d "),"                                                   \
    "exists (select 1 from ramadan_periods where " d " between start_date and end_date)"

/* The context query: `with` adds CTEs ahead of e, extra_cols columns after
 * column 29, extra_from joins after e. */
// clang-format off
#define CTX_SQL(with, extra_cols, extra_from)                                                                          \
        "with " with "e as (select e.id, e.nip, e.name, e.work_schedule_id, l.id as lid, l.code, l.name as lname," \
        "  l.latitude, l.longitude, l.radius_m, coalesce(l.time_zone, 'Asia/Jakarta') as tz," \
        "  now() at time zone coalesce(l.time_zone, 'Asia/Jakarta') as lt" \
        "  from employees e left join office_locations l on l.id = e.office_location_id" \
        " where e.id = $1 and e.status = 'active')" \
        " select e.nip, e.name, e.lid, e.code, e.lname, e.latitude, e.longitude, e.radius_m, e.tz," \
        "  to_char(e.lt, 'YYYY-MM-DD'), to_char(e.lt, 'HH24:MI:SS')," \
        "  (extract(hour from e.lt) * 60 + extract(minute from e.lt))::int," \
        "  extract(isodow from e.lt)::int," \
        SLOT_COLS("e.work_schedule_id", "e.lt::date") "," \
        "  e.work_schedule_id is not null," \
        "  to_char(now() at time zone 'UTC', " UTC_FMT "), extract(epoch from now())::bigint," \
        "  x.id, x.code, x.name, x.latitude, x.longitude, x.radius_m, x.time_zone, x.valid_to" extra_cols \
        " from e " extra_from " left join lateral (select x.id, coalesce(o.code, 'EXTRA-' || x.id) as code, x.name," \
        "   x.latitude, x.longitude, x.radius_m, x.time_zone, to_char(x.valid_to, 'YYYY-MM-DD') as valid_to" \
        "   from extra_locations x left join office_locations o on o.id = x.office_location_id" \
        "   where x.employee_id = e.id and x.revoked_at is null" \
        "     and e.lt::date between x.valid_from and x.valid_to order by x.id limit 7) x on true" \
        " order by x.id" \
// clang-format on

/* Fills ctx from a CTX_SQL result (columns 0-29). */
static eo_status read_ctx(PGresult *r, long long employee_id, eo_presensi_ctx *ctx, eo_err *err)
{
    memset(ctx, 0, sizeof(*ctx));
    if (PQntuples(r) < 1) return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    ctx->employee_id = employee_id;
    copy(ctx->nip, sizeof(ctx->nip), eo_db_get(r, 0, 0));
    copy(ctx->name, sizeof(ctx->name), eo_db_get(r, 0, 1));
    ctx->has_location = eo_db_get(r, 0, 2) != NULL;
    ctx->location_id = eo_db_get_ll(r, 0, 2);
    copy(ctx->location_code, sizeof(ctx->location_code), eo_db_get(r, 0, 3));
    copy(ctx->location_name, sizeof(ctx->location_name), eo_db_get(r, 0, 4));
    copy(ctx->time_zone, sizeof(ctx->time_zone), eo_db_get(r, 0, 8));
    copy(ctx->local_date, sizeof(ctx->local_date), eo_db_get(r, 0, 9));
    copy(ctx->local_time, sizeof(ctx->local_time), eo_db_get(r, 0, 10));
    ctx->local_min = (int)eo_db_get_ll(r, 0, 11);
    ctx->isodow = (int)eo_db_get_ll(r, 0, 12);
    copy(ctx->holiday, sizeof(ctx->holiday), eo_db_get(r, 0, 17));
    bool ramadan = eo_db_bool(r, 0, 18);
    resolve_day(&ctx->day, ctx->isodow, ramadan, ctx->holiday[0] != '\0', slot_min(r, 0, 13), slot_min(r, 0, 14),
                slot_min(r, 0, 15), slot_min(r, 0, 16));
    ctx->has_schedule = eo_db_bool(r, 0, 19);
    copy(ctx->server_time, sizeof(ctx->server_time), eo_db_get(r, 0, 20));
    ctx->server_epoch = eo_db_get_ll(r, 0, 21);
    if (ctx->has_location) {
        eo_geofence *f = &ctx->fences[0];
        f->id = ctx->location_id;
        f->extra = false;
        f->lat = strtod(eo_db_str(r, 0, 5), NULL);
        f->lon = strtod(eo_db_str(r, 0, 6), NULL);
        f->radius_m = (int)eo_db_get_ll(r, 0, 7);
        copy(ctx->fence_code[0], sizeof(ctx->fence_code[0]), ctx->location_code);
        copy(ctx->fence_name[0], sizeof(ctx->fence_name[0]), ctx->location_name);
        copy(ctx->fence_tz[0], sizeof(ctx->fence_tz[0]), ctx->time_zone);
        ctx->n_fences = 1;
    }
    for (int i = 0; i < PQntuples(r) && ctx->n_fences < EO_PRESENSI_MAX_FENCES; i++) {
        if (!eo_db_get(r, i, 22)) continue; /* no extra location today */
        int k = ctx->n_fences++;
        eo_geofence *f = &ctx->fences[k];
        f->id = eo_db_get_ll(r, i, 22);
        f->extra = true;
        copy(ctx->fence_code[k], sizeof(ctx->fence_code[k]), eo_db_get(r, i, 23));
        copy(ctx->fence_name[k], sizeof(ctx->fence_name[k]), eo_db_get(r, i, 24));
        f->lat = strtod(eo_db_str(r, i, 25), NULL);
        f->lon = strtod(eo_db_str(r, i, 26), NULL);
        f->radius_m = (int)eo_db_get_ll(r, i, 27);
        copy(ctx->fence_tz[k], sizeof(ctx->fence_tz[k]), eo_db_get(r, i, 28));
        copy(ctx->fence_valid_to[k], sizeof(ctx->fence_valid_to[k]), eo_db_get(r, i, 29));
    }
    for (int k = 0; k < ctx->n_fences; k++) {
        ctx->fences[k].code = ctx->fence_code[k];
        ctx->fences[k].name = ctx->fence_name[k];
    }
    return EO_OK;
}

/* The day's context and every fence in ONE round trip: the employee's row
 * joined to today's extra locations (zero rows of those still give one row,
 * the lateral join is a left join); columns 0-21 repeat on every row. */
eo_status eo_db_presensi_context(eo_db *db, long long employee_id, eo_presensi_ctx *ctx, eo_err *err)
{
    static const char sql[] = CTX_SQL("", "", "");
    char id[24];
    snprintf(id, sizeof(id), "%lld", employee_id);
    const char *params[] = {id};
    PGresult *r = eo_db_exec(db, "presensi_ctx1", sql, 1, params, err);
    if (!r) return err->status;
    eo_status st = read_ctx(r, employee_id, ctx, err);
    PQclear(r);
    return st;
}

/* The context plus what the check-in's single statement needs known before it
 * runs, so the answer is rendered (and stored with the Idempotency-Key) by the
 * statement that writes the row: both ids from their sequences (a refused or
 * failed check-in leaves a gap, as any rolled back insert does), the instant in
 * every format the record shows (PostgreSQL's own to_char, the same text the
 * row would be read back as) and whether these photo bytes were already used. */
eo_status eo_db_presensi_checkin_context(eo_db *db, long long employee_id, const eo_presensi_checkin_in *in,
                                         eo_presensi_ctx *ctx, eo_presensi_checkin_plan *plan, eo_err *err)
{
    // clang-format off
    static const char sql[] = CTX_SQL(
        "ids as materialized (select nextval(pg_get_serial_sequence('attendance', 'id')) as aid,"
        "  nextval(pg_get_serial_sequence('attachments', 'id')) as pid,"
        "  exists (select 1 from attachments p where p.employee_id = $1 and p.sha256 = $4 and p.kind = $5"
        "   and p.status = 'referenced') as seen), st as (select to_timestamp($2) as t, to_timestamp($3) as d), ",
        ", ids.aid, ids.pid, ids.seen, to_char(st.t at time zone 'UTC', " UTC_FMT "),"
        "  to_char((st.t at time zone e.tz)::date, 'YYYY-MM-DD'), to_char(st.t at time zone e.tz, 'HH24:MI:SS'),"
        "  (extract(hour from st.t at time zone e.tz) * 60 + extract(minute from st.t at time zone e.tz))::int,"
        "  to_char(st.d at time zone 'UTC', " UTC_FMT ")",
        "cross join ids cross join st");
    // clang-format on
    char id[24], at[32], dev[24];
    snprintf(id, sizeof(id), "%lld", employee_id);
    snprintf(at, sizeof(at), "%.6f", in->at);
    snprintf(dev, sizeof(dev), "%lld", in->device_epoch);
    const char *params[] = {id, at, dev, in->sha256, in->kind};
    memset(plan, 0, sizeof(*plan));
    PGresult *r = eo_db_exec(db, "presensi_ctx_checkin", sql, 5, params, err);
    if (!r) return err->status;
    eo_status st = read_ctx(r, employee_id, ctx, err);
    if (st == EO_OK) {
        plan->attendance_id = eo_db_get_ll(r, 0, 30);
        plan->photo_id = eo_db_get_ll(r, 0, 31);
        plan->photo_seen = eo_db_bool(r, 0, 32);
        eo_db_copy(plan->at, sizeof(plan->at), r, 0, 33);
        eo_db_copy(plan->work_date, sizeof(plan->work_date), r, 0, 34);
        eo_db_copy(plan->local_time, sizeof(plan->local_time), r, 0, 35);
        plan->local_min = (int)eo_db_get_ll(r, 0, 36);
        eo_db_copy(plan->device_time, sizeof(plan->device_time), r, 0, 37);
    }
    PQclear(r);
    return st;
}

/* One side of a row as columns (13 of them, in read_side's order). */
#define SIDE_COLS(p)                                                                                                   \
    "a." p "_at is not null, to_char(a." p "_at at time zone 'UTC', " UTC_FMT "),"                                     \
    "to_char(a." p "_at at time zone a.time_zone, 'HH24:MI:SS'), " LOCAL_MIN(                                          \
        p) ","                                                                                                         \
           "a." p "_lat, a." p "_lon, a." p "_accuracy_m, a." p "_distance_m, a." p "_mock,"                           \
           "a." p "_location, array_to_string(a." p "_flags, ','), a." p "_photo_id,"                                  \
           "to_char(a." p "_device_time at time zone 'UTC', " UTC_FMT ")"

static double num_or_nan(PGresult *r, int row, int col)
{
    const char *v = eo_db_get(r, row, col);
    return v ? strtod(v, NULL) : NAN;
}

static void read_side(PGresult *r, int col, eo_presensi_side *s)
{
    memset(s, 0, sizeof(*s));
    s->present = eo_db_bool(r, 0, col);
    s->local_min = EO_PRESENSI_NONE;
    s->lat = s->lon = s->accuracy_m = s->distance_m = NAN;
    s->mock = -1;
    if (!s->present) return;
    eo_db_copy(s->at, sizeof(s->at), r, 0, col + 1);
    eo_db_copy(s->local_time, sizeof(s->local_time), r, 0, col + 2);
    s->local_min = (int)eo_db_get_ll(r, 0, col + 3);
    s->lat = num_or_nan(r, 0, col + 4);
    s->lon = num_or_nan(r, 0, col + 5);
    s->accuracy_m = num_or_nan(r, 0, col + 6);
    s->distance_m = num_or_nan(r, 0, col + 7);
    s->mock = eo_db_get(r, 0, col + 8) ? eo_db_bool(r, 0, col + 8) : -1;
    eo_db_copy(s->location, sizeof(s->location), r, 0, col + 9);
    /* Flag names never contain a comma: array_to_string is a safe encoding. */
    char flags[256];
    eo_db_copy(flags, sizeof(flags), r, 0, col + 10);
    char *save = NULL;
    for (char *tok = strtok_r(flags, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        (void)eo_presensi_flag_parse(tok, &s->flags);
    s->photo_id = eo_db_get_ll(r, 0, col + 11);
    eo_db_copy(s->device_time, sizeof(s->device_time), r, 0, col + 12);
}

/* The record's columns (read_record's order): the SELECT below and the
 * RETURNING of the check-in INSERT / check-out UPDATE, so a punch answers from
 * the row it wrote without reading it again. */
// clang-format off
#define RECORD_COLS                                                                                                    \
    "a.id, to_char(a.work_date, 'YYYY-MM-DD'), a.time_zone, a.source, a.corrected_by is not null, "                     \
    SIDE_COLS("check_in") ", " SIDE_COLS("check_out")
// clang-format on

/* RECORD_COLS from column `c` of row 0. */
static void read_record(PGresult *r, int c, eo_presensi_record *record)
{
    record->id = eo_db_get_ll(r, 0, c);
    eo_db_copy(record->work_date, sizeof(record->work_date), r, 0, c + 1);
    eo_db_copy(record->time_zone, sizeof(record->time_zone), r, 0, c + 2);
    eo_db_copy(record->source, sizeof(record->source), r, 0, c + 3);
    record->corrected = eo_db_bool(r, 0, c + 4);
    read_side(r, c + 5, &record->in);
    read_side(r, c + 18, &record->out);
}

static void read_checkout_plan(PGresult *r, eo_presensi_checkout_plan *plan)
{
    plan->photo_id = eo_db_get_ll(r, 0, 30);
    plan->photo_seen = eo_db_bool(r, 0, 31);
    eo_db_copy(plan->at, sizeof(plan->at), r, 0, 32);
    eo_db_copy(plan->local_time, sizeof(plan->local_time), r, 0, 33);
    plan->local_min = (int)eo_db_get_ll(r, 0, 34);
    eo_db_copy(plan->device_time, sizeof(plan->device_time), r, 0, 35);
    plan->found = eo_db_bool(r, 0, 36);
    if (!plan->found) return;
    eo_db_copy(plan->version, sizeof(plan->version), r, 0, 37);
    read_record(r, 38, &plan->record);
}

/* The check-out's plan, read by the context query (columns 30 on), the
 * counterpart of eo_db_presensi_checkin_context: the photo's id, the instant
 * formatted in the day's row's own zone (what the row would read back as) and
 * the row itself with its version, so the answer is rendered before the one
 * statement that writes it. */
eo_status eo_db_presensi_checkout_context(eo_db *db, long long employee_id, const eo_presensi_checkin_in *in,
                                          eo_presensi_ctx *ctx, eo_presensi_checkout_plan *plan, eo_err *err)
{
    // clang-format off
    static const char sql[] = CTX_SQL(
        "ids as materialized (select nextval(pg_get_serial_sequence('attachments', 'id')) as pid,"
        "  exists (select 1 from attachments p where p.employee_id = $1 and p.sha256 = $4 and p.kind = $5"
        "   and p.status = 'referenced') as seen), st as (select to_timestamp($2) as t, to_timestamp($3) as d), ",
        ", ids.pid, ids.seen, to_char(st.t at time zone 'UTC', " UTC_FMT "),"
        "  to_char(st.t at time zone a.time_zone, 'HH24:MI:SS'),"
        "  (extract(hour from st.t at time zone a.time_zone) * 60"
        "   + extract(minute from st.t at time zone a.time_zone))::int,"
        "  to_char(st.d at time zone 'UTC', " UTC_FMT "), a.id is not null, a.xmin::text, " RECORD_COLS,
        "cross join ids cross join st left join attendance a on a.employee_id = e.id"
        " and a.work_date = (st.t at time zone e.tz)::date");
    // clang-format on
    char id[24], at[32], dev[24];
    snprintf(id, sizeof(id), "%lld", employee_id);
    snprintf(at, sizeof(at), "%.6f", in->at);
    snprintf(dev, sizeof(dev), "%lld", in->device_epoch);
    const char *params[] = {id, at, dev, in->sha256, in->kind};
    memset(plan, 0, sizeof(*plan));
    PGresult *r = eo_db_exec(db, "presensi_ctx_checkout", sql, 5, params, err);
    if (!r) return err->status;
    eo_status st = read_ctx(r, employee_id, ctx, err);
    if (st == EO_OK) read_checkout_plan(r, plan);
    PQclear(r);
    return st;
}

eo_status eo_db_presensi_record(eo_db *db, long long employee_id, const char *work_date, eo_presensi_record *record,
                                bool *found, eo_err *err)
{
    static const char sql[] =
        "select " RECORD_COLS " from attendance a where a.employee_id = $1 and a.work_date = $2::date";
    char id[24];
    snprintf(id, sizeof(id), "%lld", employee_id);
    const char *params[] = {id, work_date};
    memset(record, 0, sizeof(*record));
    *found = false;
    PGresult *r = eo_db_one(db, "presensi_record_cols", sql, 2, params, NULL, err);
    if (!r) return err->status;
    *found = true;
    read_record(r, 0, record);
    PQclear(r);
    return EO_OK;
}

/* The flag set as a JSON array of names, for $n::jsonb -> text[] in SQL. */
static char *flags_json(eo_presensi_flags flags)
{
    json_t *a = json_array();
    for (int i = 0; a && i < EO_PFLAG_COUNT; i++)
        if (flags & (1u << i)) json_array_append_new(a, json_string(eo_presensi_flag_name(i)));
    char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return text;
}

/* The values a punch statement sends, as text (both punch statements take
 * them; flags is malloc'd: punch_text_free). */
typedef struct {
    char id[24], photo[24], lat[32], lon[32], acc[32], dist[32], dev[24], at[32], st[12], sz[24], after[24], row[24];
    char *flags;
} punch_text;

static eo_status punch_text_fill(punch_text *t, long long employee_id, const eo_presensi_punch *p,
                                 const eo_presensi_checkin_write *w, long long row_id, eo_err *err)
{
    snprintf(t->id, sizeof(t->id), "%lld", employee_id);
    snprintf(t->photo, sizeof(t->photo), "%lld", p->photo_id);
    snprintf(t->lat, sizeof(t->lat), "%.7f", p->lat);
    snprintf(t->lon, sizeof(t->lon), "%.7f", p->lon);
    snprintf(t->acc, sizeof(t->acc), "%.1f", p->accuracy_m);
    snprintf(t->dist, sizeof(t->dist), "%.1f", p->distance_m);
    snprintf(t->dev, sizeof(t->dev), "%lld", p->device_epoch);
    snprintf(t->at, sizeof(t->at), "%.6f", p->at);
    snprintf(t->st, sizeof(t->st), "%d", w->status);
    snprintf(t->sz, sizeof(t->sz), "%zu", w->meta->size);
    snprintf(t->after, sizeof(t->after), "%lld", w->put_after);
    snprintf(t->row, sizeof(t->row), "%lld", row_id);
    t->flags = flags_json(p->flags);
    return t->flags ? EO_OK : eo_fail(err, EO_ERR_INTERNAL, "internal");
}

static void punch_text_free(punch_text *t)
{
    free(t->flags);
    t->flags = NULL;
}

/* A side a punch writes, from the values its statement sends. */
static void fill_side(eo_presensi_side *s, const eo_presensi_punch *p, const char *at, const char *local_time,
                      int local_min, const char *device_time)
{
    char num[32];
    memset(s, 0, sizeof(*s));
    s->present = true;
    copy(s->at, sizeof(s->at), at);
    copy(s->local_time, sizeof(s->local_time), local_time);
    s->local_min = local_min;
    /* The same text the statement sends: what the row would read back as
     * (shortest round-trip output of float8/float4 for these few digits). */
    snprintf(num, sizeof(num), "%.7f", p->lat);
    s->lat = strtod(num, NULL);
    snprintf(num, sizeof(num), "%.7f", p->lon);
    s->lon = strtod(num, NULL);
    snprintf(num, sizeof(num), "%.1f", p->accuracy_m);
    s->accuracy_m = strtod(num, NULL);
    snprintf(num, sizeof(num), "%.1f", p->distance_m);
    s->distance_m = strtod(num, NULL);
    s->mock = p->mock ? 1 : 0;
    copy(s->location, sizeof(s->location), p->location);
    s->flags = p->flags;
    s->photo_id = p->photo_id;
    copy(s->device_time, sizeof(s->device_time), device_time);
}

void eo_db_presensi_checkin_record(const eo_presensi_punch *p, const eo_presensi_checkin_plan *plan,
                                   eo_presensi_record *record)
{
    memset(record, 0, sizeof(*record));
    record->id = plan->attendance_id;
    copy(record->work_date, sizeof(record->work_date), plan->work_date);
    copy(record->time_zone, sizeof(record->time_zone), p->time_zone);
    copy(record->source, sizeof(record->source), p->source);
    fill_side(&record->in, p, plan->at, plan->local_time, plan->local_min, plan->device_time);
    eo_presensi_side *o = &record->out;
    o->local_min = EO_PRESENSI_NONE;
    o->lat = o->lon = o->accuracy_m = o->distance_m = NAN;
    o->mock = -1;
}

void eo_db_presensi_checkout_record(const eo_presensi_punch *p, const eo_presensi_checkout_plan *plan,
                                    eo_presensi_record *record)
{
    *record = plan->record;
    fill_side(&record->out, p, plan->at, plan->local_time, plan->local_min, plan->device_time);
}

eo_status eo_db_presensi_checkin(eo_db *db, long long employee_id, const eo_presensi_punch *p,
                                 const eo_presensi_checkin_plan *plan, const eo_presensi_checkin_write *w,
                                 bool *claimed, eo_err *err)
{
    /* ONE statement, its own (implicit) transaction, one round trip and one
     * WAL flush: the Idempotency-Key claim with its final answer, the photo's
     * row (born referenced, under the object key's lock: see
     * eo_db_attachment_insert) and the attendance row. A key held by another
     * request waits for it; when that one committed, `go` is empty and nothing
     * is written (claimed = false). A second check-in the same day fails on the
     * unique (employee_id, work_date) and rolls all three back. */
    // clang-format off
    static const char sql[] =
        "with claim as (insert into idempotency_keys (employee_id, key, scope, request_hash, status, body)"
        "   select $1, $15, $16, $17, $18::int, $19 where $15::text is not null"
        "   on conflict (employee_id, key) do nothing returning id),"
        " go as (select 1 as one where $15::text is null or exists (select 1 from claim)),"
        " lock as (select pg_advisory_xact_lock(hashtextextended($20, 0)) from go),"
        " att as (insert into attachments (id, kind, employee_id, storage_key, sha256, content_type, size_bytes,"
        "   status, pending_since) overriding system value"
        "   select $4, $25, $1, $20, $21, $22, $23::int, 'referenced', null from lock"
        "   where not exists (select 1 from attachment_sweeps s where s.storage_key = $20"
        "     and s.swept_at >= to_timestamp($24) - interval '1 second')"
        "   returning id),"
        " ins as (insert into attendance (id, employee_id, work_date, time_zone, source, check_in_at,"
        "   check_in_photo_id, check_in_lat, check_in_lon, check_in_accuracy_m, check_in_mock,"
        "   check_in_distance_m, check_in_location, check_in_device_time, check_in_device_id, check_in_flags)"
        "   overriding system value"
        "   select $26, $1, (to_timestamp($14) at time zone $2)::date, $2, $3, to_timestamp($14), att.id, $5, $6,"
        "    $7, $8, $9, $10, to_timestamp($11), $12, array(select jsonb_array_elements_text($13::jsonb))"
        "   from att returning id)"
        " select (select count(*) from go), (select count(*) from ins)";
    // clang-format on
    punch_text t;
    if (punch_text_fill(&t, employee_id, p, w, plan->attendance_id, err) != EO_OK) return err->status;
    const char *params[] = {t.id,
                            p->time_zone,
                            p->source,
                            t.photo,
                            t.lat,
                            t.lon,
                            t.acc,
                            p->mock ? "true" : "false",
                            t.dist,
                            p->location,
                            t.dev,
                            p->device_id,
                            t.flags,
                            t.at,
                            w->idem_key,
                            w->idem_scope,
                            w->idem_hash,
                            t.st,
                            w->body,
                            w->meta->key,
                            w->meta->sha256,
                            w->meta->content_type,
                            t.sz,
                            t.after,
                            w->kind,
                            t.row};
    *claimed = false;
    PGresult *r = eo_db_one(db, "presensi_checkin1", sql, 26, params, "internal", err);
    punch_text_free(&t);
    if (!r) {
        if (err->status == EO_ERR_CONFLICT) {
            eo_err_clear(err);
            return eo_fail(err, EO_ERR_CONFLICT, "already_checked_in");
        }
        return err->status;
    }
    *claimed = eo_db_get_ll(r, 0, 0) > 0;
    bool written = eo_db_get_ll(r, 0, 1) > 0;
    PQclear(r);
    if (*claimed && !written) {
        /* The sweeper took this object while it was being written again. */
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "object %s swept during its upload", w->meta->key);
        err->retry_after_s = 1;
        return err->status;
    }
    return EO_OK;
}

eo_status eo_db_presensi_checkout(eo_db *db, long long employee_id, const eo_presensi_punch *p,
                                  const eo_presensi_checkout_plan *plan, const eo_presensi_checkin_write *w,
                                  eo_presensi_checkout_outcome *outcome, eo_err *err)
{
    /* ONE statement, its own (implicit) transaction, one round trip and one
     * WAL flush. `cur` locks the day's row only if it is still the version the
     * answer was rendered from (xmin; a concurrent check-out or correction
     * makes it empty and the statement writes nothing: STALE). Then, as for
     * check-in, the key's claim with the answer (a key held by another request
     * waits for it; when that one committed nothing is written: REPLAY), the
     * photo's row under the object key's lock, the new check-out side, and the
     * release of the check-out photo it replaced when no row still shows it.
     * Every subquery sees the snapshot before the update, so the row being
     * updated is left out of that "still shown" test by id. */
    // clang-format off
    static const char sql[] =
        "with cur as materialized (select a.id, a.check_in_photo_id, a.check_out_photo_id from attendance a"
        "   where a.id = $25 and a.employee_id = $1 and a.xmin::text = $26 and a.check_in_at is not null"
        "     and ($13::boolean or a.check_out_at is null) for update),"
        " claim as (insert into idempotency_keys (employee_id, key, scope, request_hash, status, body)"
        "   select $1, $14, $15, $16, $17::int, $18 from cur where $14::text is not null"
        "   on conflict (employee_id, key) do nothing returning id),"
        " go as (select 1 as one from cur where $14::text is null or exists (select 1 from claim)),"
        " lock as (select pg_advisory_xact_lock(hashtextextended($19, 0)) from go),"
        " att as (insert into attachments (id, kind, employee_id, storage_key, sha256, content_type, size_bytes,"
        "   status, pending_since) overriding system value"
        "   select $2, $24, $1, $19, $20, $21, $22::int, 'referenced', null from lock"
        "   where not exists (select 1 from attachment_sweeps s where s.storage_key = $19"
        "     and s.swept_at >= to_timestamp($23) - interval '1 second')"
        "   returning id),"
        " upd as (update attendance a set check_out_at = to_timestamp($12), check_out_photo_id = att.id,"
        "   check_out_lat = $3, check_out_lon = $4, check_out_accuracy_m = $5, check_out_mock = $6,"
        "   check_out_distance_m = $7, check_out_location = $8, check_out_device_time = to_timestamp($9),"
        "   check_out_device_id = $10, check_out_flags = array(select jsonb_array_elements_text($11::jsonb)),"
        "   check_out_count = a.check_out_count + 1"
        "   from att, cur where a.id = cur.id returning a.id),"
        " rel as (update attachments t set status = 'pending', pending_since = now() from cur, upd"
        "   where t.id = cur.check_out_photo_id and cur.check_out_photo_id <> $2"
        "     and cur.check_in_photo_id is distinct from cur.check_out_photo_id"
        "     and not exists (select 1 from attendance x where x.id <> cur.id"
        "      and (x.check_in_photo_id = cur.check_out_photo_id or x.check_out_photo_id = cur.check_out_photo_id))"
        "   returning t.id)"
        " select (select count(*) from cur), (select count(*) from go), (select count(*) from upd),"
        "  (select count(*) from rel)";
    // clang-format on
    punch_text t;
    if (punch_text_fill(&t, employee_id, p, w, plan->record.id, err) != EO_OK) return err->status;
    const char *params[] = {t.id,
                            t.photo,
                            t.lat,
                            t.lon,
                            t.acc,
                            p->mock ? "true" : "false",
                            t.dist,
                            p->location,
                            t.dev,
                            p->device_id,
                            t.flags,
                            t.at,
                            p->last_checkout_wins ? "true" : "false",
                            w->idem_key,
                            w->idem_scope,
                            w->idem_hash,
                            t.st,
                            w->body,
                            w->meta->key,
                            w->meta->sha256,
                            w->meta->content_type,
                            t.sz,
                            t.after,
                            w->kind,
                            t.row,
                            plan->version};
    *outcome = EO_PRESENSI_OUT_STALE;
    PGresult *r = eo_db_one(db, "presensi_checkout1", sql, 26, params, "internal", err);
    punch_text_free(&t);
    if (!r) return err->status;
    bool locked = eo_db_get_ll(r, 0, 0) > 0;
    bool claimed = eo_db_get_ll(r, 0, 1) > 0;
    bool written = eo_db_get_ll(r, 0, 2) > 0;
    PQclear(r);
    if (!locked) return EO_OK;
    if (!claimed) {
        *outcome = EO_PRESENSI_OUT_REPLAY;
        return EO_OK;
    }
    if (!written) {
        /* The sweeper took this object while it was being written again. */
        eo_fail_log(err, EO_ERR_UNAVAILABLE, "storage_unavailable", "object %s swept during its upload", w->meta->key);
        err->retry_after_s = 1;
        return err->status;
    }
    *outcome = EO_PRESENSI_OUT_WRITTEN;
    return EO_OK;
}

eo_status eo_db_presensi_days(eo_db *db, long long employee_id, bool team, const char *from, const char *to,
                              eo_presensi_dayrow **rows, int *n, eo_err *err)
{
    // clang-format off
    static const char sql[] =
        "with emp as (select e.id, e.nip, e.name, e.work_schedule_id,"
        "   coalesce(l.time_zone, 'Asia/Jakarta') as tz"
        "  from employees e left join office_locations l on l.id = e.office_location_id"
        "  where case when $2::boolean then e.supervisor_id = $1 and e.status = 'active' else e.id = $1 end"
        "  order by e.name, e.id limit 500),"
        " d as (select emp.*, (now() at time zone emp.tz)::date as today from emp),"
        " days as (select d.*, g::date as day from d,"
        "   generate_series(coalesce($3::date, d.today), coalesce($4::date, d.today), interval '1 day') g)"
        " select days.id, days.nip, days.name, to_char(days.day, 'YYYY-MM-DD'), days.tz,"
        "  extract(isodow from days.day)::int,"
        SLOT_COLS("days.work_schedule_id", "days.day") ","
        "  days.day < days.today, days.day > days.today,"
        "  " LOCAL_MIN("check_in") ", " LOCAL_MIN("check_out") ","
        "  case when a.id is null then null else " RECORD_JSON " end,"
        "  (select r.kind from absence_requests r where r.employee_id = days.id and r.status = 'approved'"
        "    and days.day between r.date_from and r.date_to limit 1)"
        " from days left join attendance a on a.employee_id = days.id and a.work_date = days.day"
        " order by days.name, days.id, days.day";
    // clang-format on
    char id[24];
    snprintf(id, sizeof(id), "%lld", employee_id);
    const char *params[] = {id, team ? "true" : "false", from, to};
    *rows = NULL;
    *n = 0;
    PGresult *r = eo_db_exec(db, "presensi_days", sql, 4, params, err);
    if (!r) return err->status;
    int count = PQntuples(r);
    if (count > 0) {
        *rows = calloc((size_t)count, sizeof(eo_presensi_dayrow));
        if (!*rows) {
            PQclear(r);
            return eo_fail(err, EO_ERR_INTERNAL, "internal");
        }
    }
    for (int i = 0; i < count; i++) {
        eo_presensi_dayrow *d = &(*rows)[i];
        d->employee_id = eo_db_get_ll(r, i, 0);
        copy(d->nip, sizeof(d->nip), eo_db_get(r, i, 1));
        copy(d->name, sizeof(d->name), eo_db_get(r, i, 2));
        copy(d->date, sizeof(d->date), eo_db_get(r, i, 3));
        copy(d->time_zone, sizeof(d->time_zone), eo_db_get(r, i, 4));
        d->isodow = (int)eo_db_get_ll(r, i, 5);
        copy(d->holiday, sizeof(d->holiday), eo_db_get(r, i, 10));
        d->ramadan = eo_db_bool(r, i, 11);
        resolve_day(&d->day, d->isodow, d->ramadan, d->holiday[0] != '\0', slot_min(r, i, 6), slot_min(r, i, 7),
                    slot_min(r, i, 8), slot_min(r, i, 9));
        d->day_over = eo_db_bool(r, i, 12);
        d->future = eo_db_bool(r, i, 13);
        d->in_min = eo_db_get(r, i, 14) ? (int)eo_db_get_ll(r, i, 14) : EO_PRESENSI_NONE;
        d->out_min = eo_db_get(r, i, 15) ? (int)eo_db_get_ll(r, i, 15) : EO_PRESENSI_NONE;
        copy(d->absence, sizeof(d->absence), eo_db_get(r, i, 17)); /* approved absence request (0040) */
        const char *rec = eo_db_get(r, i, 16);
        d->record = parse_json(rec);
        if (rec && !d->record) { /* a row we cannot show must not look like "absent" */
            PQclear(r);
            eo_db_presensi_days_free(*rows, count);
            *rows = NULL;
            return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "attendance JSON did not parse");
        }
    }
    *n = count;
    PQclear(r);
    return EO_OK;
}

void eo_db_presensi_days_free(eo_presensi_dayrow *rows, int n)
{
    for (int i = 0; i < n; i++) json_decref(rows[i].record);
    free(rows);
}
