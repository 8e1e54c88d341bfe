/* Attendance (presensi) over HTTP: check-in/out (mobile, optional web), views,
 * corrections, duty-travel extra locations, photos. The module's start hook
 * opens the storage back-end and starts the attachment sweeper (svc/sweeper.h).
 * Use cases: svc/presensi.h. Decisions: docs/presensi.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/http.h"
#include "api/idempotency.h"
#include "api/presensi.h"
#include "core/parse.h"
#include "core/attachment.h"
#include "core/geo.h"
#include "core/multipart.h"
#include "core/presensi.h"
#include "core/presensi_rules.h"
#include "core/storage.h"
#include "db/presensi.h"
#include "svc/attachments.h"
#include "svc/presensi.h"
#include "svc/presensi_views.h"
#include "svc/sweeper.h"

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
    return json_pack("{s:b, s:s?, s:b, s:o, s:i, s:s?, s:i, s:s?, s:b, s:b, s:b}", "working_day", ev.working_day,
                     "holiday", holiday && *holiday ? holiday : NULL, "ramadan", day->ramadan, "schedule",
                     schedule_json(day), "late_minutes", ev.late_min, "tl", tl, "early_leave_minutes", ev.early_min,
                     "psw", psw, "absent", ev.absent, "missing_check_in", ev.missing_check_in, "missing_check_out",
                     ev.missing_check_out);
}

/* A number column that may be SQL NULL (NAN). */
static json_t *num_or_null(double v) { return isnan(v) ? json_null() : json_real(v); }

static json_t *side_json(const eo_presensi_side *sd)
{
    if (!sd->present) return json_null();
    json_t *flags = json_array();
    for (int i = 0; i < EO_PFLAG_COUNT; i++)
        if (sd->flags & (1u << i)) json_array_append_new(flags, json_string(eo_presensi_flag_name(i)));
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s?, s:o, s:o, s:s?}", "at", sd->at, "local_time",
                     sd->local_time, "latitude", num_or_null(sd->lat), "longitude", num_or_null(sd->lon), "accuracy_m",
                     num_or_null(sd->accuracy_m), "mock_location", sd->mock < 0 ? json_null() : json_boolean(sd->mock),
                     "distance_m",
                     isnan(sd->distance_m) ? json_null() : json_integer((json_int_t)llround(sd->distance_m)),
                     "location", sd->location[0] ? sd->location : NULL, "flags", flags, "photo_id",
                     sd->photo_id ? json_integer(sd->photo_id) : json_null(), "device_time",
                     sd->device_time[0] ? sd->device_time : NULL);
}

/* The wire form of a day's row; the same shape the views build in SQL (db/presensi.c RECORD_JSON). */
static json_t *record_json(const eo_presensi_record *r)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:o, s:o}", "id", (json_int_t)r->id, "work_date", r->work_date,
                     "time_zone", r->time_zone, "source", r->source, "corrected", r->corrected, "check_in",
                     side_json(&r->in), "check_out", side_json(&r->out));
}

static json_t *dayrow_json(const eo_presensi_dayrow *d, bool with_employee)
{
    json_t *o = json_pack("{s:s, s:i, s:s, s:O?, s:o}", "date", d->date, "isodow", d->isodow, "time_zone", d->time_zone,
                          "record", d->record, "evaluation",
                          eo_presensi_evaluation_json(&d->day, d->holiday, d->in_min, d->out_min, d->day_over));
    /* An approved absence request (docs/absence.md): the day shows its kind instead of absent. */
    json_t *ev = json_object_get(o, "evaluation");
    if (json_is_object(ev)) {
        bool away = d->absence[0] && json_is_true(json_object_get(ev, "working_day"));
        json_object_set_new(ev, "absence", away ? json_string(d->absence) : json_null());
        if (away) json_object_set_new(ev, "absent", json_false());
    }
    if (o && with_employee) {
        json_object_set_new(o, "nip", json_string(d->nip));
        json_object_set_new(o, "name", json_string(d->name));
    }
    return o;
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

/* Text fields, copied out of the raw body with a NUL (the form's parts are not
 * terminated); room for every field parse_punch reads at its maximum length. */
typedef struct {
    char buf[512];
    size_t used;
} text_arena;

/* A text multipart field: NULL when absent or empty; *bad when not UTF-8, with a NUL, or too long. */
static const char *text_field(const eo_multipart_form *form, text_arena *a, const char *name, size_t max, bool *bad)
{
    const eo_multipart_part *p = eo_multipart_get(form, name);
    if (!p || p->len == 0) return NULL; /* an empty field is a missing one, as it always was */
    if (p->len > max || p->len >= sizeof(a->buf) - a->used || memchr(p->data, 0, p->len) ||
        !valid_utf8((const char *)p->data, p->len)) {
        *bad = true;
        return NULL;
    }
    char *v = a->buf + a->used;
    memcpy(v, p->data, p->len);
    v[p->len] = '\0';
    a->used += p->len + 1;
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
    eo_attachment att; /* the selfie judged by content: type, sha256, storage key */
    text_arena text;   /* device_id and the other text fields point here */
} punch_input;

/* Parses and validates the multipart form; replies and returns false on bad input. */
static bool parse_punch(eo_ctx *c, bool mobile, punch_input *in)
{
    eo_err err;
    eo_err_init(&err);
    /* The raw body, read strictly (core/multipart.h): never ulfius's map_post_body,
     * which joins a repeated field's parts with a comma. */
    eo_multipart_form form;
    if (eo_multipart_parse(eo_header(c, "Content-Type"), c->req->binary_body, c->req->binary_body_length, &form,
                           &err) != EO_OK) {
        eo_reply_err(c, &err);
        return false;
    }
    bool bad;
#define FIELD(var, name, max)                                                                                          \
    bad = false;                                                                                                       \
    const char *var = text_field(&form, &in->text, name, max, &bad);                                                   \
    if (bad)                                                                                                           \
        eo_err_field(&err, name, "invalid_value");                                                                     \
    else if (!var)                                                                                                     \
        eo_err_field(&err, name, "missing_field");
    FIELD(lat, "latitude", 32)
    FIELD(lon, "longitude", 32)
    FIELD(acc, "accuracy", 32)
    FIELD(dt, "device_time", 40)
#undef FIELD
    bad = false;
    const char *mock = text_field(&form, &in->text, "mock_location", 8, &bad);
    if (bad) eo_err_field(&err, "mock_location", "invalid_value");
    bad = false;
    const char *dev = text_field(&form, &in->text, "device_id", 128, &bad);
    if (bad)
        eo_err_field(&err, "device_id", "invalid_value");
    else if (!dev && mobile)
        eo_err_field(&err, "device_id", "missing_field");

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

    const eo_multipart_part *photo = eo_multipart_get(&form, "photo");
    if (!photo || photo->len == 0) {
        eo_reply_problem(c, EO_ERR_INVALID, "photo_required");
        return false;
    }
    in->photo = photo->data;
    in->photo_len = photo->len;
    if (eo_svc_attachment_check(&eo_attachment_presensi_photo, in->photo, in->photo_len, &in->att, &err) != EO_OK) {
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
    long long now = (long long)c->uow.now;
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

/* The success answer: the day's row and its evaluation (svc/presensi.h renderer). */
static char *render_punch(const eo_presensi_punch_result *r, void *ud)
{
    (void)ud;
    json_t *out = json_pack(
        "{s:o, s:o, s:s, s:s}", "record", record_json(&r->record), "evaluation",
        eo_presensi_evaluation_json(&r->day, r->holiday, r->record.in.local_min, r->record.out.local_min, false),
        "server_time", r->server_time, "local_date", r->record.work_date);
    char *body = out ? json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(out);
    return body;
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
    eo_idem_update(&idem, "photo_sha256", in.att.meta.sha256, 64);
    eo_idem_final(&idem);

    eo_presensi_punch_req req = {
        .check_out = check_out,
        .mobile = mobile,
        .lat = in.lat,
        .lon = in.lon,
        .accuracy_m = in.accuracy,
        .mock = in.mock,
        .device_epoch = in.device_epoch,
        .device_id = in.device_id,
        .photo = in.photo,
        .photo_len = in.photo_len,
        .photo_meta = &in.att,
        .scope = "presensi",
        .request_hash = idem.hash,
        .arrived_at = c->arrived_at,
        .render = render_punch,
    };
    eo_presensi_punch_result res;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_presensi_punch(&c->uow, &req, &res, &err) != EO_OK) {
        if (err.status == EO_ERR_CONFLICT && res.has_record) eo_err_extra(&err, "record", record_json(&res.record));
        eo_reply_err(c, &err);
        eo_presensi_punch_result_free(&res);
        return;
    }
    if (res.replayed) eo_set_header(c, "Idempotent-Replayed", "true");
    eo_reply_bytes(c, res.status, "application/json; charset=utf-8", res.body, strlen(res.body));
    eo_presensi_punch_result_free(&res);
}

static void h_check_in(eo_ctx *c) { punch(c, false); }
static void h_check_out(eo_ctx *c) { punch(c, true); }

/* ---------------------------------------------------------------- views */

static void h_today(eo_ctx *c)
{
    if (is_mobile_path(c) && !mobile_version_ok(c)) return;
    eo_err err;
    eo_err_init(&err);
    eo_presensi_today_res res;
    if (eo_svc_presensi_today(&c->uow, &res, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    const eo_presensi_ctx *ctx = res.ctx;
    const eo_presensi_dayrow *row = res.n == 1 ? &res.rows[0] : NULL;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O?, s:o}", "date", ctx->local_date, "time_zone", ctx->time_zone,
                          "local_time", ctx->local_time, "server_time", ctx->server_time, "status", res.status,
                          "record", row ? row->record : NULL, "evaluation",
                          row ? eo_presensi_evaluation_json(&row->day, row->holiday, row->in_min, row->out_min, false)
                              : json_null());
    eo_presensi_today_res_free(&res);
    eo_reply_json(c, 200, o);
}

static void h_history(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_presensi_history_req req = {.month = eo_query(c, "month"), .nip = eo_query(c, "nip")};
    eo_presensi_history_res res;
    if (eo_svc_presensi_history(&c->uow, &req, &res, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res.n; i++) json_array_append_new(items, dayrow_json(&res.rows[i], false));
    const eo_presensi_summary *s = &res.summary;
    json_t *summary =
        json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "working_days", s->working_days, "absent",
                  s->absent, "absence_days", s->absence_days, "TL1", s->tl[1], "TL2", s->tl[2], "TL3", s->tl[3], "TL4",
                  s->tl[4], "PSW1", s->psw[1], "PSW2", s->psw[2], "PSW3", s->psw[3], "PSW4", s->psw[4]);
    json_t *o = json_pack("{s:s, s:s, s:s?, s:o, s:o}", "month", req.month, "nip", res.nip, "time_zone",
                          res.time_zone[0] ? res.time_zone : NULL, "items", items, "summary", summary);
    eo_presensi_history_res_free(&res);
    eo_reply_json(c, 200, o);
}

static void h_team(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_presensi_team_req req = {.date = eo_query(c, "date")};
    eo_presensi_team_res res;
    if (eo_svc_presensi_team(&c->uow, &req, &res, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res.n; i++) json_array_append_new(items, dayrow_json(&res.rows[i], true));
    eo_presensi_team_res_free(&res);
    eo_reply_json(c, 200, json_pack("{s:s?, s:o}", "date", req.date, "items", items));
}

static void h_photo(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "photo_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_attachment_blob blob;
    if (eo_svc_presensi_photo(&c->uow, id, &blob, &err) != EO_OK) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_file(c, blob.content_type, blob.data, blob.len, false);
    eo_svc_attachment_blob_free(&blob);
}

const eo_route eo_routes_presensi[] = {
    {"POST", "/mobile/v1/presensi/check-in", h_check_in, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE | EO_R_KEEPS_PROFILE},
    {"POST", "/mobile/v1/presensi/check-out", h_check_out,
     EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE | EO_R_KEEPS_PROFILE},
    {"GET", "/mobile/v1/presensi/today", h_today, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/presensi/check-in", h_check_in, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE | EO_R_KEEPS_PROFILE},
    {"POST", "/api/v1/presensi/check-out", h_check_out, EO_R_AUTH | EO_R_UPLOAD | EO_R_NO_STORE | EO_R_KEEPS_PROFILE},
    {"GET", "/api/v1/presensi/today", h_today, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/history", h_history, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/team", h_team, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/presensi/photos/{id}", h_photo, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

/* ---------------------------------------------------------------- start / stop */

static eo_status presensi_start(eo_app *app, eo_err *err)
{
    if (eo_storage_open(&app->cfg, &app->storage, err) != EO_OK) return err->status;
    if (eo_sweeper_start(app, app->cfg.photo_grace_s, &app->sweeper, err) != EO_OK) {
        eo_storage_close(app->storage);
        app->storage = NULL;
        return err->status;
    }
    return EO_OK;
}

static void presensi_stop(eo_app *app)
{
    eo_sweeper_stop(app->sweeper);
    app->sweeper = NULL;
    eo_storage_close(app->storage);
    app->storage = NULL;
}

const eo_module eo_module_presensi = {"presensi", eo_routes_presensi, presensi_start, presensi_stop};
