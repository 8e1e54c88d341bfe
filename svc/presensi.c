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
 * required, the geofence decides, and the photo is stored durably with the
 * connection back in the pool meanwhile (an fsync or a round trip to S3 needs
 * no database). Should the write that follows never commit, the object has no
 * row and the sweeper's listing of the store finds it. */
static eo_status judge_and_store(eo_uow *u, const eo_presensi_punch_req *in, const eo_presensi_ctx *ctx,
                                 const eo_attachment *photo, eo_presensi_judgement *j, eo_err *err)
{
    const eo_config *cfg = &u->app->cfg;
    if (!ctx->has_location) return eo_fail(err, EO_ERR_INVALID, "no_work_location");
    eo_presensi_judge(ctx->fences, ctx->n_fences, in->lat, in->lon, in->accuracy_m, in->mock, cfg->max_accuracy_m,
                      cfg->geofence, j);
    if (j->verdict != EO_VERDICT_ACCEPT) return refuse(j, ctx, in, cfg, err);
    eo_uow_db_release(u);
    if (eo_svc_attachment_put(u, photo, in->photo, err) != EO_OK) return err->status;
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
    if (judge_and_store(u, in, ctx, in->photo_meta, &j, err) != EO_OK) goto fail;
    db = u->db;

    eo_presensi_flags flags = j.flags;
    if (slow) flags |= EO_PFLAG_SLOW_UPLOAD;
    if (plan.photo_seen) flags |= EO_PFLAG_PHOTO_REUSED;
    const eo_geofence *at = j.g.inside >= 0 ? &ctx->fences[j.g.inside] : NULL;
    eo_presensi_punch p = {
        .check_out = false,
        .source = in->mobile ? "mobile" : "web",
        .time_zone = ctx->time_zone,
        .photo_id = plan.photo_id,
        .lat = in->lat,
        .lon = in->lon,
        .accuracy_m = in->accuracy_m,
        .distance_m = j.g.distance_m,
        .mock = in->mock,
        .location = at ? at->code : NULL,
        .device_epoch = in->device_epoch,
        .device_id = in->device_id,
        .flags = flags,
        .at = stamp,
    };
    eo_db_presensi_checkin_record(&p, &plan, &out->record);
    out->has_record = true;
    out->status = 201;
    out->day = ctx->day;
    memcpy(out->holiday, ctx->holiday, sizeof(out->holiday));
    memcpy(out->server_time, ctx->server_time, sizeof(out->server_time));
    out->body = in->render(out, in->render_ud);
    if (!out->body) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto fail;
    }
    eo_presensi_checkin_write w = {
        .idem_key = u->idempotency_key,
        .idem_scope = in->scope,
        .idem_hash = in->request_hash,
        .status = out->status,
        .body = out->body,
        .meta = &in->photo_meta->meta,
        .kind = in->photo_meta->policy->kind,
        .put_after = ctx->server_epoch, /* the database's clock, read before the upload */
    };
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

eo_status eo_svc_presensi_punch(eo_uow *u, const eo_presensi_punch_req *in, eo_presensi_punch_result *out, eo_err *err)
{
    if (!in->check_out) {
        memset(out, 0, sizeof(*out));
        return check_in(u, in, out, err);
    }
    memset(out, 0, sizeof(*out));
    const eo_config *cfg = &u->app->cfg;
    const long long me = u->who->employee_id;
    bool in_tx = false;
    eo_idem_answer stored;
    eo_db *db;
    eo_presensi_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) return eo_fail(err, EO_ERR_INTERNAL, "internal");

    if (eo_uow_db(u, &db, err) != EO_OK) goto fail;
    if (eo_svc_idem_replay(u, in->request_hash, &stored, err) != EO_OK) goto fail;
    if (stored.replayed) goto replay;
    if (eo_db_presensi_context(db, me, ctx, err) != EO_OK) goto fail;
    eo_presensi_judgement j;
    eo_attachment photo = *in->photo_meta;
    if (judge_and_store(u, in, ctx, &photo, &j, err) != EO_OK) goto fail;
    db = u->db;

    /* The moment the employee pressed the button is when the request began to
     * arrive; a suspiciously slow upload is stamped on receipt instead. */
    eo_presensi_flags flags = j.flags;
    double stamp = in->arrived_at;
    if (u->now - in->arrived_at > (double)cfg->max_upload_s) {
        stamp = u->now;
        flags |= EO_PFLAG_SLOW_UPLOAD;
    }

    if (eo_db_begin(db, err) != EO_OK) goto fail;
    in_tx = true;
    bool claimed = false;
    if (eo_svc_idem_claim(u, in->scope, in->request_hash, &claimed, &stored, err) != EO_OK) goto fail;
    if (!claimed) {
        in_tx = false; /* rolled back by the claim */
        goto replay;
    }
    /* One transaction: the photo's row (born referenced), the attendance row
     * and the stored answer commit together. */
    /* ctx->server_epoch: the database's clock, read before the upload. */
    if (eo_svc_attachment_insert(u, &photo, me, ctx->server_epoch, err) != EO_OK) goto fail;
    if (photo.reused) flags |= EO_PFLAG_PHOTO_REUSED;
    const eo_geofence *at = j.g.inside >= 0 ? &ctx->fences[j.g.inside] : NULL;
    eo_presensi_punch p = {
        .check_out = in->check_out,
        .source = in->mobile ? "mobile" : "web",
        .time_zone = ctx->time_zone,
        .photo_id = photo.id,
        .lat = in->lat,
        .lon = in->lon,
        .accuracy_m = in->accuracy_m,
        .distance_m = j.g.distance_m,
        .mock = in->mock,
        .location = at ? at->code : NULL,
        .device_epoch = in->device_epoch,
        .device_id = in->device_id,
        .flags = flags,
        .last_checkout_wins = cfg->last_checkout_wins,
        .at = stamp,
    };
    if (eo_db_presensi_punch(db, me, &p, &out->record, err) != EO_OK) {
        if (err->status == EO_ERR_CONFLICT) { /* show the row that stands */
            eo_db_rollback(db);
            in_tx = false;
            eo_err e2;
            eo_err_init(&e2);
            if (eo_db_presensi_record(db, me, ctx->local_date, &out->record, &out->has_record, &e2) != EO_OK)
                out->has_record = false;
            eo_err_clear(&e2);
        }
        goto fail;
    }
    out->has_record = true;
    out->status = in->check_out ? 200 : 201;
    out->day = ctx->day;
    memcpy(out->holiday, ctx->holiday, sizeof(out->holiday));
    memcpy(out->server_time, ctx->server_time, sizeof(out->server_time));
    out->body = in->render(out, in->render_ud);
    if (!out->body) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto fail;
    }
    if (eo_svc_idem_complete(u, out->status, out->body, err) != EO_OK) goto fail;
    in_tx = false;
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    free(ctx);
    return EO_OK;
replay:
    out->replayed = true;
    out->status = stored.status;
    out->body = stored.body;
    free(ctx);
    return EO_OK;
fail:
    if (in_tx) eo_db_rollback(db);
    free(out->body);
    out->body = NULL;
    free(ctx);
    return err->status;
}

eo_status eo_svc_presensi_may_read(eo_uow *u, long long owner_employee_id, bool *allowed, eo_err *err)
{
    *allowed = false;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_svc_access_can_view(u, db, owner_employee_id, allowed, err);
}
