#include "svc/presensi.h"

#include <stdlib.h>
#include <string.h>

#include "svc/access.h"
#include "svc/idempotency.h"

void eo_presensi_punch_result_free(eo_presensi_punch_result *r)
{
    free(r->body);
    r->body = NULL;
}

/* A refused position: the geofence verdict as an error with its details. */
static eo_status refuse(const eo_presensi_judgement *j, const eo_presensi_ctx *ctx, const eo_presensi_punch_req *in,
                        const eo_config *cfg, eo_err *err)
{
    if (j->verdict == EO_VERDICT_POOR_ACCURACY) {
        eo_fail(err, EO_ERR_INVALID, "poor_accuracy");
        eo_err_extra(err, "accuracy_m", json_real(in->accuracy_m));
        eo_err_extra(err, "max_accuracy_m", json_integer(cfg->max_accuracy_m));
        return err->status;
    }
    eo_fail(err, EO_ERR_INVALID, "outside_geofence");
    eo_err_extra(err, "distance_m", json_integer((json_int_t)(j->g.distance_m + 0.5)));
    if (j->g.nearest >= 0) {
        const eo_geofence *nf = &ctx->fences[j->g.nearest];
        eo_err_extra(err, "nearest_location",
                     json_pack("{s:s, s:s, s:i}", "code", nf->code, "name", nf->name, "radius_m", nf->radius_m));
    }
    return err->status;
}

/* What both punches do once the day context is loaded: a work location is
 * required and the geofence decides. */
static eo_status judge(eo_uow *u, const eo_presensi_punch_req *in, const eo_presensi_ctx *ctx, eo_presensi_judgement *j,
                       eo_err *err)
{
    const eo_config *cfg = &u->app->cfg;
    if (!ctx->has_location) return eo_fail(err, EO_ERR_INVALID, "no_work_location");
    eo_presensi_judge(ctx->fences, ctx->n_fences, in->lat, in->lon, in->accuracy_m, in->mock, cfg->max_accuracy_m,
                      cfg->geofence, j);
    if (j->verdict != EO_VERDICT_ACCEPT) return refuse(j, ctx, in, cfg, err);
    return EO_OK;
}

/* The photo is stored durably with the connection back in the pool meanwhile
 * (an fsync or a round trip to S3 needs no database). Should the write that
 * follows never commit, the object has no row and the sweeper's listing of the
 * store finds it. */
static eo_status store(eo_uow *u, const eo_presensi_punch_req *in, eo_err *err)
{
    eo_uow_db_release(u);
    if (eo_svc_attachment_put(u, in->photo_meta, in->photo, err) != EO_OK) return err->status;
    eo_db *db;
    return eo_uow_db(u, &db, err);
}

/* The check-in row that stands today, for the 409's details. */
static void show_standing(eo_db *db, long long me, const char *date, eo_presensi_punch_result *out)
{
    eo_err e2;
    eo_err_init(&e2);
    if (eo_db_presensi_record(db, me, date, &out->record, &out->has_record, &e2) != EO_OK) out->has_record = false;
    eo_err_clear(&e2);
}

/* The row a punch writes, from the request, the day context and the verdict. */
static eo_presensi_punch punch_of(const eo_uow *u, const eo_presensi_punch_req *in, const eo_presensi_ctx *ctx,
                                  const eo_presensi_judgement *j, bool check_out, bool slow, bool photo_seen,
                                  long long photo_id, double stamp)
{
    eo_presensi_flags flags = j->flags;
    if (slow) flags |= EO_PFLAG_SLOW_UPLOAD;
    if (photo_seen) flags |= EO_PFLAG_PHOTO_REUSED;
    const eo_geofence *at = j->g.inside >= 0 ? &ctx->fences[j->g.inside] : NULL;
    return (eo_presensi_punch){
        .check_out = check_out,
        .source = in->mobile ? "mobile" : "web",
        .time_zone = ctx->time_zone,
        .photo_id = photo_id,
        .lat = in->lat,
        .lon = in->lon,
        .accuracy_m = in->accuracy_m,
        .distance_m = j->g.distance_m,
        .mock = in->mock,
        .location = at ? at->code : NULL,
        .device_epoch = in->device_epoch,
        .device_id = in->device_id,
        .flags = flags,
        .last_checkout_wins = u->app->cfg.last_checkout_wins,
        .at = stamp,
    };
}

/* Renders the answer (out->record already filled) before anything is written,
 * and the write that stores it with the Idempotency-Key. */
static eo_status answer_of(const eo_uow *u, const eo_presensi_punch_req *in, const eo_presensi_ctx *ctx, int status,
                           eo_presensi_punch_result *out, eo_presensi_checkin_write *w, eo_err *err)
{
    out->has_record = true;
    out->status = status;
    out->day = ctx->day;
    memcpy(out->holiday, ctx->holiday, sizeof(out->holiday));
    memcpy(out->server_time, ctx->server_time, sizeof(out->server_time));
    out->body = in->render(out, in->render_ud);
    if (!out->body) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    *w = (eo_presensi_checkin_write){
        .idem_key = u->idempotency_key,
        .idem_scope = in->scope,
        .idem_hash = in->request_hash,
        .status = out->status,
        .body = out->body,
        .meta = &in->photo_meta->meta,
        .kind = in->photo_meta->policy->kind,
        .put_after = ctx->server_epoch, /* the database's clock, read before the upload */
    };
    return EO_OK;
}

/* Check-in: two round trips in all (three with an Idempotency-Key: its replay
 * lookup). The context query also draws the ids and formats the instant, so
 * the answer is rendered in C before anything is written, and ONE statement
 * then stores the key with that answer, the photo's row and the attendance row
 * (eo_db_presensi_checkin): one WAL flush, no open transaction across a
 * round trip. */
static eo_status check_in(eo_uow *u, const eo_presensi_punch_req *in, eo_presensi_punch_result *out, eo_err *err)
{
    const eo_config *cfg = &u->app->cfg;
    const long long me = u->who->employee_id;
    eo_idem_answer stored;
    eo_db *db;
    eo_presensi_checkin_plan plan;
    eo_presensi_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) return eo_fail(err, EO_ERR_INTERNAL, "internal");

    if (eo_uow_db(u, &db, err) != EO_OK) goto fail;
    if (eo_svc_idem_replay(u, in->request_hash, &stored, err) != EO_OK) goto fail;
    if (stored.replayed) goto replay;

    /* The moment the employee pressed the button is when the request began to
     * arrive; a suspiciously slow upload is stamped on receipt instead. */
    double stamp = in->arrived_at;
    bool slow = u->now - in->arrived_at > (double)cfg->max_upload_s;
    if (slow) stamp = u->now;
    eo_presensi_checkin_in ci = {.at = stamp,
                                 .device_epoch = in->device_epoch,
                                 .sha256 = in->photo_meta->meta.sha256,
                                 .kind = in->photo_meta->policy->kind};
    if (eo_db_presensi_checkin_context(db, me, &ci, ctx, &plan, err) != EO_OK) goto fail;
    eo_presensi_judgement j;
    if (judge(u, in, ctx, &j, err) != EO_OK) goto fail;
    if (store(u, in, err) != EO_OK) goto fail;
    db = u->db;

    eo_presensi_punch p = punch_of(u, in, ctx, &j, false, slow, plan.photo_seen, plan.photo_id, stamp);
    eo_db_presensi_checkin_record(&p, &plan, &out->record);
    eo_presensi_checkin_write w;
    if (answer_of(u, in, ctx, 201, out, &w, err) != EO_OK) goto fail;
    bool claimed = false;
    if (eo_db_presensi_checkin(db, me, &p, &plan, &w, &claimed, err) != EO_OK) {
        out->has_record = false;
        if (err->status == EO_ERR_CONFLICT) show_standing(db, me, plan.work_date, out);
        goto fail;
    }
    if (!claimed) { /* another request with this key committed meanwhile: its answer stands */
        free(out->body);
        out->body = NULL;
        out->has_record = false;
        if (eo_svc_idem_replay(u, in->request_hash, &stored, err) != EO_OK) goto fail;
        if (!stored.replayed) {
            eo_fail(err, EO_ERR_CONFLICT, "idempotency_key_reused");
            goto fail;
        }
        goto replay;
    }
    free(ctx);
    return EO_OK;
replay:
    out->replayed = true;
    out->status = stored.status;
    out->body = stored.body;
    free(ctx);
    return EO_OK;
fail:
    free(out->body);
    out->body = NULL;
    free(ctx);
    return err->status;
}

/* Check-out: the same shape as check-in, two round trips (three with an
 * Idempotency-Key). The context query also reads today's row with its version
 * and formats the instant, so the 409s are decided before the photo is stored
 * and the answer is rendered before ONE statement (eo_db_presensi_checkout)
 * locks the row at that version, stores the key with the answer, the photo's
 * row and the new check-out side, and releases a replaced check-out photo to
 * the sweeper. Should the row change in between (a racing check-out or a
 * correction), the statement writes nothing and the row is read again. */
static eo_status check_out(eo_uow *u, const eo_presensi_punch_req *in, eo_presensi_punch_result *out, eo_err *err)
{
    const eo_config *cfg = &u->app->cfg;
    const long long me = u->who->employee_id;
    eo_idem_answer stored;
    eo_db *db;
    eo_presensi_checkout_plan *plan = calloc(1, sizeof(*plan));
    eo_presensi_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx || !plan) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto fail;
    }

    if (eo_uow_db(u, &db, err) != EO_OK) goto fail;
    if (eo_svc_idem_replay(u, in->request_hash, &stored, err) != EO_OK) goto fail;
    if (stored.replayed) goto replay;

    /* The moment the employee pressed the button is when the request began to
     * arrive; a suspiciously slow upload is stamped on receipt instead. */
    double stamp = in->arrived_at;
    bool slow = u->now - in->arrived_at > (double)cfg->max_upload_s;
    if (slow) stamp = u->now;
    eo_presensi_checkin_in ci = {.at = stamp,
                                 .device_epoch = in->device_epoch,
                                 .sha256 = in->photo_meta->meta.sha256,
                                 .kind = in->photo_meta->policy->kind};
    bool stored_photo = false;
    for (int attempt = 0;; attempt++) {
        if (attempt == 8) { /* the row keeps changing under us: each retry follows another commit */
            eo_fail(err, EO_ERR_UNAVAILABLE, "busy");
            err->retry_after_s = 1;
            goto fail;
        }
        if (eo_db_presensi_checkout_context(db, me, &ci, ctx, plan, err) != EO_OK) goto fail;
        eo_presensi_judgement j;
        if (judge(u, in, ctx, &j, err) != EO_OK) goto fail;
        if (!plan->found || !plan->record.in.present || (plan->record.out.present && !cfg->last_checkout_wins)) {
            out->record = plan->record; /* the row that stands, for the 409's details */
            out->has_record = plan->found;
            eo_fail(err, EO_ERR_CONFLICT, plan->record.in.present ? "already_checked_out" : "not_checked_in");
            goto fail;
        }
        if (!stored_photo) {
            if (store(u, in, err) != EO_OK) goto fail;
            stored_photo = true;
            db = u->db;
        }

        eo_presensi_punch p = punch_of(u, in, ctx, &j, true, slow, plan->photo_seen, plan->photo_id, stamp);
        eo_db_presensi_checkout_record(&p, plan, &out->record);
        eo_presensi_checkin_write w;
        if (answer_of(u, in, ctx, 200, out, &w, err) != EO_OK) goto fail;
        eo_presensi_checkout_outcome outcome;
        if (eo_db_presensi_checkout(db, me, &p, plan, &w, &outcome, err) != EO_OK) goto fail;
        if (outcome == EO_PRESENSI_OUT_WRITTEN) break;
        free(out->body);
        out->body = NULL;
        out->has_record = false;
        if (outcome == EO_PRESENSI_OUT_REPLAY || u->idempotency_key) {
            /* Another request with this key may have committed meanwhile: its answer stands. */
            if (eo_svc_idem_replay(u, in->request_hash, &stored, err) != EO_OK) goto fail;
            if (stored.replayed) goto replay;
            if (outcome == EO_PRESENSI_OUT_REPLAY) {
                eo_fail(err, EO_ERR_CONFLICT, "idempotency_key_reused");
                goto fail;
            }
        }
    }
    free(plan);
    free(ctx);
    return EO_OK;
replay:
    out->replayed = true;
    out->status = stored.status;
    out->body = stored.body;
    free(plan);
    free(ctx);
    return EO_OK;
fail:
    free(out->body);
    out->body = NULL;
    free(plan);
    free(ctx);
    return err->status;
}

eo_status eo_svc_presensi_punch(eo_uow *u, const eo_presensi_punch_req *in, eo_presensi_punch_result *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    return in->check_out ? check_out(u, in, out, err) : check_in(u, in, out, err);
}

eo_status eo_svc_presensi_may_read(eo_uow *u, long long owner_employee_id, bool *allowed, eo_err *err)
{
    *allowed = false;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_svc_access_can_view(u, db, owner_employee_id, allowed, err);
}
