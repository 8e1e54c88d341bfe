/* Attendance (presensi) over HTTP: check-in/out (mobile, optional web), views,
 * corrections, duty-travel extra locations, photos; plus the storage back-end
 * and the orphan-photo sweeper started with the server. Decisions: docs/presensi.md. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/http.h"
#include "api/authz.h"
#include "api/idempotency.h"
#include "api/presensi.h"
#include "core/parse.h"
#include "core/geo.h"
#include "core/photo.h"
#include "core/presensi.h"
#include "core/presensi_rules.h"
#include "core/storage.h"
#include "db/presensi.h"

/* ---------------------------------------------------------------- helpers */

static void hhmm(char out[6], int minutes)
{
    unsigned m = minutes > 0 ? (unsigned)minutes % 1440u : 0u;
    snprintf(out, 6, "%02u:%02u", m / 60u, m % 60u);
}

static json_t *schedule_json(const eo_presensi_day *d)
{
    if (!d->working_day) return json_null();
    char s[6], e[6];
    hhmm(s, d->start_min);
    hhmm(e, d->end_min);
    return json_pack("{s:s, s:s}", "start", s, "end", e);
}

json_t *eo_presensi_evaluation_json(const eo_presensi_day *day, const char *holiday, int in_min, int out_min,
                                    bool day_over)
{
    eo_presensi_eval ev;
    eo_presensi_evaluate(day, in_min, out_min, day_over, &ev);
    const char *tl = eo_presensi_tl_code(ev.late_class);
    const char *psw = eo_presensi_psw_code(ev.early_class);
    return json_pack("{s:b, s:s?, s:b, s:o, s:i, s:s?, s:i, s:s?, s:b, s:b, s:b}", "working_day",
                     ev.working_day, "holiday", holiday && *holiday ? holiday : NULL, "ramadan",
                     day->ramadan, "schedule", schedule_json(day), "late_minutes", ev.late_min, "tl", tl,
                     "early_leave_minutes", ev.early_min, "psw", psw, "absent", ev.absent,
                     "missing_check_in", ev.missing_check_in, "missing_check_out", ev.missing_check_out);
}

/* Local minutes of "HH:MM:SS" in a record side, or NONE. */
static int side_minutes(json_t *record, const char *side)
{
    json_t *s = record ? json_object_get(record, side) : NULL;
    const char *t = s ? json_string_value(json_object_get(s, "local_time")) : NULL;
    int m;
    char buf[6];
    if (!t || strlen(t) < 5) return EO_PRESENSI_NONE;
    memcpy(buf, t, 5);
    buf[5] = '\0';
    return eo_presensi_parse_hhmm(buf, &m) ? m : EO_PRESENSI_NONE;
}

static json_t *dayrow_json(const eo_presensi_dayrow *d, bool with_employee)
{
    json_t *o = json_pack("{s:s, s:i, s:s, s:O?, s:o}", "date", d->date, "isodow", d->isodow, "time_zone",
                          d->time_zone, "record", d->record,
                          "evaluation", eo_presensi_evaluation_json(&d->day, d->holiday, d->in_min, d->out_min, d->day_over));
    if (o && with_employee) {
        json_object_set_new(o, "nip", json_string(d->nip));
        json_object_set_new(o, "name", json_string(d->name));
    }
    return o;
}

/* May the caller see target's attendance? Self, a supervisor up the chain,
 * anpeg of a unit above target's, or admin (api/authz.h). */
static eo_status may_view(eo_ctx *c, eo_db *db, long long target, bool *ok, eo_err *err)
{
    *ok = false;
    eo_status st = eo_authz_can_view_employee(c, db, target, err);
    if (st == EO_ERR_FORBIDDEN) {
        eo_err_clear(err);
        return EO_OK;
    }
    if (st != EO_OK) return st;
    *ok = true;
    return EO_OK;
}

static bool valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char ch = p[i];
        size_t k = ch < 0x80 ? 0 : (ch >> 5) == 6 ? 1 : (ch >> 4) == 14 ? 2 : (ch >> 3) == 30 ? 3 : 9;
        if (k == 9 || ch == 0 || i + k >= n) return false;
        for (size_t j = 1; j <= k; j++)
            if ((p[i + j] & 0xC0) != 0x80) return false;
        i += k + 1;
    }
    return true;
}

/* A text multipart field: NULL when absent; *bad when not UTF-8 or too long. */
static const char *text_field(eo_ctx *c, const char *name, size_t max, bool *bad)
{
    const char *v = u_map_get(c->req->map_post_body, name);
    if (!v) return NULL;
    ssize_t n = u_map_get_length(c->req->map_post_body, name);
    size_t len = n > 0 ? (size_t)n : 0;
    if (len > 0 && v[len - 1] == '\0') len--; /* text values may carry their NUL */
    if (n < 0 || len > max || strlen(v) != len || !valid_utf8(v, len)) {
        *bad = true;
        return NULL;
    }
    return v;
}

static bool mobile_version_ok(eo_ctx *c)
{
    const char *v = eo_header(c, "X-App-Version");
    if (!v || !c->app->cfg.min_app_version[0]) return true;
    if (eo_presensi_version_cmp(v, c->app->cfg.min_app_version) >= 0) return true;
    eo_err err;
    eo_err_init(&err);
    eo_fail(&err, EO_ERR_UPGRADE, "app_update_required");
    eo_err_extra(&err, "min_app_version", json_string(c->app->cfg.min_app_version));
    eo_reply_err(c, &err);
    return false;
}

static bool is_mobile_path(eo_ctx *c) { return strncmp(c->route->pattern, "/mobile/", 8) == 0; }

/* ---------------------------------------------------------------- check-in / check-out */

typedef struct {
    double lat, lon, accuracy;
    long long device_epoch;
    bool mock;
    const char *device_id;
    const unsigned char *photo;
    size_t photo_len;
    eo_photo_info info;
} punch_input;

/* Parses and validates the multipart form; replies and returns false on bad input. */
static bool parse_punch(eo_ctx *c, bool mobile, punch_input *in)
{
    eo_err err;
    eo_err_init(&err);
    const char *ct = eo_header(c, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        eo_reply_problem(c, EO_ERR_MEDIA_TYPE, "multipart_required");
        return false;
    }
    bool bad;
#define FIELD(var, name, max)                                                                  \
    bad = false;                                                                               \
    const char *var = text_field(c, name, max, &bad);                                          \
    if (bad) eo_err_field(&err, name, "invalid_value");                                        \
    else if (!var) eo_err_field(&err, name, "missing_field");
    FIELD(lat, "latitude", 32)
    FIELD(lon, "longitude", 32)
    FIELD(acc, "accuracy", 32)
    FIELD(dt, "device_time", 40)
#undef FIELD
    bad = false;
    const char *mock = text_field(c, "mock_location", 8, &bad);
    if (bad) eo_err_field(&err, "mock_location", "invalid_value");
    bad = false;
    const char *dev = text_field(c, "device_id", 128, &bad);
    if (bad) eo_err_field(&err, "device_id", "invalid_value");
    else if (!dev && mobile) eo_err_field(&err, "device_id", "missing_field");

    if (lat && !eo_parse_decimal(lat, -90, 90, &in->lat)) eo_err_field(&err, "latitude", "out_of_range");
    if (lon && !eo_parse_decimal(lon, -180, 180, &in->lon)) eo_err_field(&err, "longitude", "out_of_range");
    if (acc && !eo_parse_decimal(acc, 0, 100000, &in->accuracy)) eo_err_field(&err, "accuracy", "out_of_range");
    if (dt && !eo_presensi_parse_rfc3339(dt, &in->device_epoch)) eo_err_field(&err, "device_time", "invalid_value");
    in->mock = false;
    if (mock && !eo_presensi_parse_bool(mock, &in->mock)) eo_err_field(&err, "mock_location", "invalid_value");
    in->device_id = dev ? dev : "";
    if (err.n_fields) {
        eo_reply_err(c, &err);
        return false;
    }
    if (!eo_geo_valid(in->lat, in->lon)) { /* belt and braces: parse_number refuses NaN already */
        eo_err_field(&err, "latitude", "out_of_range");
        eo_reply_err(c, &err);
        return false;
    }

    in->photo = (const unsigned char *)u_map_get(c->req->map_post_body, "photo");
    ssize_t plen = u_map_get_length(c->req->map_post_body, "photo");
    if (!in->photo || plen <= 0) {
        eo_reply_problem(c, EO_ERR_INVALID, "photo_required");
        return false;
    }
    in->photo_len = (size_t)plen;
    if (eo_photo_inspect(in->photo, in->photo_len, &in->info, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return false;
    }

    /* The app's routes take only the app's device-bound sessions: a web session has
     * no device, so it could otherwise claim any device id. */
    if (mobile && (!c->who->mobile || !c->who->device_id[0])) {
        eo_reply_problem(c, EO_ERR_FORBIDDEN, "mobile_session_required");
        return false;
    }
    if (mobile && strcmp(c->who->device_id, in->device_id) != 0) {
        eo_reply_problem(c, EO_ERR_FORBIDDEN, "device_mismatch");
        return false;
    }
    long long now = (long long)time(NULL);
    long long skew = in->device_epoch - now;
    if (skew < 0) skew = -skew;
    if (skew > c->app->cfg.max_device_skew_s) {
        eo_fail(&err, EO_ERR_INVALID, "device_time_skew");
        eo_err_extra(&err, "skew_s", json_integer(skew));
        eo_err_extra(&err, "max_skew_s", json_integer(c->app->cfg.max_device_skew_s));
        eo_reply_err(c, &err);
        return false;
    }
    return true;
}

static void punch(eo_ctx *c, bool check_out)
{
    bool mobile = is_mobile_path(c);
    const eo_config *cfg = &c->app->cfg;
    if (!mobile && !cfg->web_presensi) {
        eo_reply_problem(c, EO_ERR_FORBIDDEN, "web_presensi_disabled");
        return;
    }
    if (mobile && !mobile_version_ok(c)) return;
    punch_input in;
    memset(&in, 0, sizeof(in));
    if (!parse_punch(c, mobile, &in)) return;

    eo_idem idem;
    if (!eo_idem_begin(c, &idem)) return;
    char num[64];
    eo_idem_update(&idem, "route", c->route->pattern, strlen(c->route->pattern));
    snprintf(num, sizeof(num), "%.7f,%.7f,%.2f", in.lat, in.lon, in.accuracy);
    eo_idem_update(&idem, "position", num, strlen(num));
    snprintf(num, sizeof(num), "%lld,%d", in.device_epoch, in.mock);
    eo_idem_update(&idem, "device", num, strlen(num));
    eo_idem_update(&idem, "device_id", in.device_id, strlen(in.device_id));
    /* The photo enters the request hash by its content hash (computed once: it
     * also names the stored object). */
    char sha[65], key[72];
    eo_sha256_hex(in.photo, in.photo_len, sha);
    eo_idem_update(&idem, "photo_sha256", sha, 64);
    eo_idem_final(&idem);

    eo_db *db;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    if (eo_idem_precheck(c, db, &idem)) return;

    eo_err err;
    eo_err_init(&err);
    json_t *record = NULL;
    char *body = NULL;
    eo_presensi_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) {
        eo_fail(&err, EO_ERR_INTERNAL, "internal");
        goto fail;
    }
    if (eo_db_presensi_context(db, c->who->employee_id, ctx, &err) != EO_OK) goto fail;
    if (!ctx->has_location) {
        eo_fail(&err, EO_ERR_INVALID, "no_work_location");
        goto fail;
    }

    /* Geofence: the server decides, from the office and today's extra locations. */
    eo_geofence_result g;
    eo_presensi_geofence(ctx->fences, ctx->n_fences, in.lat, in.lon, in.accuracy, cfg->max_accuracy_m, &g);
    bool reject = strcmp(cfg->geofence_mode, "flag") != 0;
    json_t *flags = json_array();
    if (in.mock) json_array_append_new(flags, json_string("mock_location"));
    if (g.poor_accuracy) json_array_append_new(flags, json_string("poor_accuracy"));
    if (g.inside < 0) json_array_append_new(flags, json_string("outside_geofence"));
    if (reject && g.poor_accuracy) {
        json_decref(flags);
        eo_fail(&err, EO_ERR_INVALID, "poor_accuracy");
        eo_err_extra(&err, "accuracy_m", json_real(in.accuracy));
        eo_err_extra(&err, "max_accuracy_m", json_integer(cfg->max_accuracy_m));
        goto fail;
    }
    if (reject && g.inside < 0) {
        json_decref(flags);
        const eo_geofence *nf = &ctx->fences[g.nearest];
        eo_fail(&err, EO_ERR_INVALID, "outside_geofence");
        eo_err_extra(&err, "distance_m", json_integer((json_int_t)(g.distance_m + 0.5)));
        eo_err_extra(&err, "nearest_location",
                     json_pack("{s:s, s:s, s:i}", "code", nf->code, "name", nf->name, "radius_m", nf->radius_m));
        goto fail;
    }

    /* Photo: pending row first, then the object; referenced in the transaction below. */
    snprintf(key, sizeof(key), "%s.%s", sha, in.info.ext);
    long long photo_id = 0;
    bool reused = false;
    if (eo_db_photo_insert_pending(db, c->who->employee_id, key, sha, in.info.content_type, in.photo_len,
                                   &photo_id, &reused, &err) != EO_OK) {
        json_decref(flags);
        goto fail;
    }
    if (reused) json_array_append_new(flags, json_string("photo_reused"));
    /* The upload (fsync or a round trip to S3) needs no database: let another
     * request use the connection meanwhile. The pending row is committed, so a
     * crash from here on leaves an object the sweeper removes. */
    eo_ctx_db_release(c);
    if (eo_storage_put(c->app->storage, key, in.photo, in.photo_len, in.info.content_type, &err) != EO_OK) {
        json_decref(flags);
        if (err.status == EO_ERR_UNAVAILABLE && err.retry_after_s <= 0) err.retry_after_s = 5;
        goto fail;
    }
    if (!eo_ctx_db_or_reply(c, &db)) {
        json_decref(flags);
        goto done;
    }

    /* The moment the employee pressed the button is when the request began to
     * arrive; a suspiciously slow upload is stamped on receipt instead. */
    double stamp = c->arrived_at;
    if (c->dispatched_at - c->arrived_at > (double)cfg->max_upload_s) {
        stamp = c->dispatched_at;
        json_array_append_new(flags, json_string("slow_upload"));
    }

    char flag_lit[128] = "{";
    for (size_t i = 0; i < json_array_size(flags); i++) {
        if (i) strcat(flag_lit, ",");
        strcat(flag_lit, json_string_value(json_array_get(flags, i)));
    }
    strcat(flag_lit, "}");
    json_decref(flags);

    const eo_geofence *at = g.inside >= 0 ? &ctx->fences[g.inside] : NULL;
    eo_presensi_punch p = {
        .check_out = check_out,
        .source = mobile ? "mobile" : "web",
        .time_zone = ctx->time_zone,
        .photo_id = photo_id,
        .lat = in.lat,
        .lon = in.lon,
        .accuracy_m = in.accuracy,
        .distance_m = g.distance_m,
        .mock = in.mock,
        .location = at ? at->code : NULL,
        .device_epoch = in.device_epoch,
        .device_id = in.device_id,
        .flags_array = flag_lit,
        .last_checkout_wins = cfg->last_checkout_wins,
        .at = stamp,
    };
    if (eo_db_begin(db, &err) != EO_OK) goto fail;
    bool replied = false;
    if (!eo_idem_claim(c, db, &idem, "presensi", &err, &replied)) {
        if (replied) goto done;
        goto fail_tx;
    }
    if (eo_db_presensi_punch(db, c->who->employee_id, &p, &record, &err) != EO_OK) {
        if (err.status == EO_ERR_CONFLICT) {
            eo_db_rollback(db);
            json_t *existing = NULL;
            eo_err e2;
            eo_err_init(&e2);
            if (eo_db_presensi_record(db, c->who->employee_id, ctx->local_date, &existing, &e2) == EO_OK &&
                existing)
                eo_err_extra(&err, "record", existing);
            eo_err_clear(&e2);
            goto fail;
        }
        goto fail_tx;
    }
    if (!record) {
        eo_fail(&err, EO_ERR_INTERNAL, "internal");
        goto fail_tx;
    }
    json_t *out = json_pack("{s:O, s:o, s:s, s:s}", "record", record, "evaluation",
                            eo_presensi_evaluation_json(&ctx->day, ctx->holiday, side_minutes(record, "check_in"),
                                            side_minutes(record, "check_out"), false),
                            "server_time", ctx->server_time, "local_date",
                            json_string_value(json_object_get(record, "work_date")));
    body = out ? json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(out);
    if (!body) {
        eo_fail(&err, EO_ERR_INTERNAL, "internal");
        goto fail_tx;
    }
    int status = check_out ? 200 : 201;
    if (eo_idem_finish(c, db, &idem, status, body, &err) != EO_OK) goto fail_tx;
    if (eo_db_commit(db, &err) != EO_OK) goto fail;
    eo_reply_bytes(c, status, "application/json; charset=utf-8", body, strlen(body));
    goto done;

fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    eo_err_clear(&err);
    json_decref(record);
    free(body);
    free(ctx);
}

static void h_check_in(eo_ctx *c) { punch(c, false); }
static void h_check_out(eo_ctx *c) { punch(c, true); }

/* ---------------------------------------------------------------- views */

static void h_today(eo_ctx *c)
{
    if (is_mobile_path(c) && !mobile_version_ok(c)) return;
    eo_db *db;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    eo_err err;
    eo_err_init(&err);
    eo_presensi_ctx *ctx = calloc(1, sizeof(*ctx));
    eo_presensi_dayrow *rows = NULL;
    int n = 0;
    if (!ctx) {
        eo_fail(&err, EO_ERR_INTERNAL, "internal");
        goto fail;
    }
    if (eo_db_presensi_context(db, c->who->employee_id, ctx, &err) != EO_OK) goto fail;
    if (eo_db_presensi_days(db, c->who->employee_id, false, ctx->local_date, ctx->local_date, &rows, &n, &err) !=
        EO_OK)
        goto fail;
    json_t *rec = n == 1 ? rows[0].record : NULL;
    const char *status = !rec ? "not_checked_in"
                         : json_is_null(json_object_get(rec, "check_out")) ? "checked_in"
                                                                            : "checked_out";
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O?, s:o}", "date", ctx->local_date, "time_zone",
                          ctx->time_zone, "local_time", ctx->local_time, "server_time", ctx->server_time,
                          "status", status, "record", rec, "evaluation",
                          n == 1 ? eo_presensi_evaluation_json(&rows[0].day, rows[0].holiday, rows[0].in_min, rows[0].out_min, false)
                                 : json_null());
    eo_db_presensi_days_free(rows, n);
    free(ctx);
    eo_reply_json(c, 200, o);
    return;
fail:
    eo_db_presensi_days_free(rows, n);
    free(ctx);
    eo_reply_err(c, &err);
}

/* Resolves ?nip= (default: the caller) and checks the caller may view it. */
static bool target_employee(eo_ctx *c, eo_db *db, const char *nip, long long *target, eo_err *err)
{
    *target = c->who->employee_id;
    if (!nip || !*nip || strcmp(nip, c->who->nip) == 0) return true;
    if (strlen(nip) != 18 || strspn(nip, "0123456789") != 18) {
        eo_err_field(err, "nip", "invalid_value");
        return false;
    }
    if (eo_db_presensi_employee_by_nip(db, nip, target, err) != EO_OK) return false;
    bool view = false;
    if (may_view(c, db, *target, &view, err) != EO_OK) return false;
    if (!view) {
        eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found"); /* no hint that the NIP exists */
        return false;
    }
    return true;
}

static void h_history(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    const char *month = eo_query(c, "month");
    int y, m, d;
    char from[11] = "", to[11] = "";
    if (!month || strlen(month) != 7) {
        eo_err_field(&err, "month", month ? "invalid_value" : "missing_field");
    } else {
        snprintf(from, sizeof(from), "%.7s-01", month);
        if (!eo_presensi_parse_date(from, &y, &m, &d)) eo_err_field(&err, "month", "invalid_value");
    }
    if (err.n_fields) {
        eo_reply_err(c, &err);
        return;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    snprintf(to, sizeof(to), "%04d-%02d-%02d", y, m, last);
    eo_db *db;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    long long target;
    if (!target_employee(c, db, eo_query(c, "nip"), &target, &err)) {
        eo_reply_err(c, &err);
        return;
    }
    eo_presensi_dayrow *rows = NULL;
    int n = 0;
    if (eo_db_presensi_days(db, target, false, from, to, &rows, &n, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    json_t *items = json_array();
    int tl[5] = {0}, psw[5] = {0}, absent = 0, working = 0;
    for (int i = 0; i < n; i++) {
        if (rows[i].future) continue;
        eo_presensi_eval ev;
        eo_presensi_evaluate(&rows[i].day, rows[i].in_min, rows[i].out_min, rows[i].day_over, &ev);
        tl[ev.late_class]++;
        psw[ev.early_class]++;
        absent += ev.absent;
        working += ev.working_day;
        json_array_append_new(items, dayrow_json(&rows[i], false));
    }
    json_t *summary = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "working_days", working,
                                "absent", absent, "TL1", tl[1], "TL2", tl[2], "TL3", tl[3], "TL4", tl[4], "PSW1",
                                psw[1], "PSW2", psw[2], "PSW3", psw[3], "PSW4", psw[4]);
    json_t *o = json_pack("{s:s, s:s, s:s?, s:o, s:o}", "month", month, "nip", n ? rows[0].nip : "",
                          "time_zone", n ? rows[0].time_zone : NULL, "items", items, "summary", summary);
    eo_db_presensi_days_free(rows, n);
    eo_reply_json(c, 200, o);
}

static void h_team(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    const char *date = eo_query(c, "date");
    int y, m, d;
    if (date && !eo_presensi_parse_date(date, &y, &m, &d)) {
        eo_err_field(&err, "date", "invalid_value");
        eo_reply_err(c, &err);
        return;
    }
    eo_db *db;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    eo_presensi_dayrow *rows = NULL;
    int n = 0;
    if (eo_db_presensi_days(db, c->who->employee_id, true, date, date, &rows, &n, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, dayrow_json(&rows[i], true));
    eo_db_presensi_days_free(rows, n);
    eo_reply_json(c, 200, json_pack("{s:s?, s:o}", "date", date, "items", items));
}

static void h_photo(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "photo_not_found", &id)) return;
    eo_db *db;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    eo_err err;
    eo_err_init(&err);
    long long owner;
    char key[72], ct[32];
    bool view = false;
    if (eo_db_photo_get(db, id, &owner, key, ct, &err) != EO_OK || may_view(c, db, owner, &view, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    if (!view) { /* same answer as a missing photo: ids are not an oracle */
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "photo_not_found");
        return;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    if (eo_storage_get(c->app->storage, key, &data, &len, c->app->cfg.max_upload_bytes + 1, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_set_header(c, "X-Content-Type-Options", "nosniff");
    eo_reply_bytes(c, 200, ct, data, len);
    free(data);
}

const eo_route eo_routes_presensi[] = {
    {"POST", "/mobile/v1/presensi/check-in", h_check_in, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE},
    {"POST", "/mobile/v1/presensi/check-out", h_check_out, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE},
    {"GET", "/mobile/v1/presensi/today", h_today, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/check-in", h_check_in, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/check-out", h_check_out, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/today", h_today, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/history", h_history, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/team", h_team, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/photos/{id}", h_photo, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

/* ---------------------------------------------------------------- start / stop, sweeper */

static struct {
    pthread_t thread;
    bool running;
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    eo_app *app;
    int grace_s;
} sweeper = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static eo_status sweep_delete(void *ud, const char *key, eo_err *err)
{
    return eo_storage_delete((eo_storage *)ud, key, err);
}

static void *sweeper_main(void *arg)
{
    (void)arg;
    int interval = sweeper.grace_s < 60 ? (sweeper.grace_s > 1 ? sweeper.grace_s : 1) : 60;
    pthread_mutex_lock(&sweeper.mu);
    while (!sweeper.stop) {
        pthread_mutex_unlock(&sweeper.mu);
        eo_err err;
        eo_err_init(&err);
        eo_db *db = NULL;
        if (eo_db_acquire(sweeper.app->pool, &db, &err) == EO_OK) {
            int n = eo_db_photo_sweep(db, sweeper.grace_s, 200, sweep_delete, sweeper.app->storage, &err);
            if (n > 0)
                fprintf(stderr, "{\"level\":\"info\",\"msg\":\"photo sweeper removed pending photos\",\"count\":%d}\n", n);
            eo_db_release(db);
        }
        if (err.status != EO_OK)
            fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"photo sweeper\",\"code\":\"%s\"}\n",
                    err.code ? err.code : "");
        eo_err_clear(&err);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += interval;
        pthread_mutex_lock(&sweeper.mu);
        while (!sweeper.stop && pthread_cond_timedwait(&sweeper.cv, &sweeper.mu, &ts) == 0) {
        }
    }
    pthread_mutex_unlock(&sweeper.mu);
    return NULL;
}

static eo_status presensi_start(eo_app *app, eo_err *err)
{
    if (eo_storage_open(&app->cfg, &app->storage, err) != EO_OK) return err->status;
    sweeper.grace_s = app->cfg.photo_grace_s;
    sweeper.app = app;
    sweeper.stop = false;
    if (pthread_create(&sweeper.thread, NULL, sweeper_main, NULL) != 0) {
        eo_storage_close(app->storage);
        app->storage = NULL;
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "cannot start the photo sweeper");
    }
    sweeper.running = true;
    return EO_OK;
}

static void presensi_stop(eo_app *app)
{
    if (sweeper.running) {
        pthread_mutex_lock(&sweeper.mu);
        sweeper.stop = true;
        pthread_cond_broadcast(&sweeper.cv);
        pthread_mutex_unlock(&sweeper.mu);
        pthread_join(sweeper.thread, NULL);
        sweeper.running = false;
    }
    eo_storage_close(app->storage);
    app->storage = NULL;
}

const eo_module eo_module_presensi = {"presensi", eo_routes_presensi, presensi_start, presensi_stop};
