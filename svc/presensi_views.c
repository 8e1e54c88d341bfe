#include "svc/presensi_views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/presensi.h"
#include "core/nip.h"
#include "db/employees.h"
#include "svc/access.h"
#include "svc/presensi.h"

static eo_presensi_ctx *new_ctx(eo_err *err)
{
    eo_presensi_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) eo_fail(err, EO_ERR_INTERNAL, "internal");
    return ctx;
}

/* ---------------------------------------------------------------- today */

void eo_presensi_today_res_free(eo_presensi_today_res *r)
{
    eo_db_presensi_days_free(r->rows, r->n);
    free(r->ctx);
    memset(r, 0, sizeof(*r));
}

eo_status eo_svc_presensi_today(eo_uow *u, eo_presensi_today_res *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (!(out->ctx = new_ctx(err))) return err->status;
    const long long me = u->who->employee_id;
    if (eo_db_presensi_context(db, me, out->ctx, err) != EO_OK ||
        eo_db_presensi_days(db, me, false, out->ctx->local_date, out->ctx->local_date, &out->rows, &out->n, err) !=
            EO_OK) {
        eo_presensi_today_res_free(out);
        return err->status;
    }
    bool in = out->n == 1 && out->rows[0].record;
    out->status = !in ? "not_checked_in" : out->rows[0].out_min == EO_PRESENSI_NONE ? "checked_in" : "checked_out";
    return EO_OK;
}

/* ---------------------------------------------------------------- history */

void eo_presensi_history_res_free(eo_presensi_history_res *r)
{
    eo_db_presensi_days_free(r->rows, r->n);
    memset(r, 0, sizeof(*r));
}

/* "YYYY-MM" -> its first and last day; false when it is no month. */
static bool month_range(const char *month, char from[11], char to[11])
{
    int y, m, d;
    if (!month || strlen(month) != 7) return false;
    snprintf(from, 11, "%.7s-01", month);
    if (!eo_presensi_parse_date(from, &y, &m, &d)) return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    snprintf(to, 11, "%04d-%02d-%02d", y, m, last);
    return true;
}

/* The employee whose attendance is asked for: the caller by default, else the
 * one with that NIP when the caller may see them. Unknown and not visible
 * answer alike, so a NIP is no oracle. */
static eo_status target_employee(eo_uow *u, eo_db *db, const char *nip, long long *target, eo_err *err)
{
    *target = u->who->employee_id;
    char nipbuf[EO_NIP_LEN + 1];
    const char *typed = nip;
    nip = eo_nip_normalize(typed, nipbuf, sizeof nipbuf);
    /* Trimmed text too long for a NIP comes back as "": keep it as typed so
     * it is refused below, never read as "the caller". */
    if (nip && !*nip && typed[strspn(typed, " \t\r\n\v\f")]) nip = typed;
    if (!nip || !*nip || strcmp(nip, u->who->nip) == 0) return EO_OK;
    if (strlen(nip) != 18 || strspn(nip, "0123456789") != 18) {
        eo_err_field(err, "nip", "invalid_value");
        return err->status;
    }
    if (eo_db_employee_id(db, nip, false, "employee_not_found", target, err) != EO_OK) return err->status;
    bool ok = false;
    if (eo_svc_access_can_view(u, db, *target, &ok, err) != EO_OK) return err->status;
    return ok ? EO_OK : eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
}

eo_status eo_svc_presensi_history(eo_uow *u, const eo_presensi_history_req *in, eo_presensi_history_res *out,
                                  eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    char from[11], to[11];
    if (!month_range(in->month, from, to)) {
        eo_err_field(err, "month", in->month ? "invalid_value" : "missing_field");
        return err->status;
    }
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    long long target;
    if (target_employee(u, db, in->nip, &target, err) != EO_OK) return err->status;
    eo_presensi_dayrow *rows = NULL;
    int n = 0;
    if (eo_db_presensi_days(db, target, false, from, to, &rows, &n, err) != EO_OK) return err->status;
    if (n > 0) { /* whose, even when every day of the month is still ahead */
        snprintf(out->nip, sizeof(out->nip), "%s", rows[0].nip);
        snprintf(out->time_zone, sizeof(out->time_zone), "%s", rows[0].time_zone);
    }
    /* Keep the days up to today; the future is not reported. */
    eo_presensi_summary *s = &out->summary;
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (rows[i].future) {
            json_decref(rows[i].record);
            continue;
        }
        eo_presensi_eval ev;
        eo_presensi_evaluate(&rows[i].day, rows[i].in_min, rows[i].out_min, rows[i].day_over, &ev);
        s->tl[ev.late_class]++;
        s->psw[ev.early_class]++;
        /* A working day under an approved absence request is that absence, not "absent". */
        bool away = rows[i].absence[0] != '\0' && ev.working_day;
        s->absent += ev.absent && !away;
        s->absence_days += away;
        s->working_days += ev.working_day;
        rows[kept++] = rows[i];
    }
    out->rows = rows;
    out->n = kept;
    return EO_OK;
}

/* ---------------------------------------------------------------- team */

void eo_presensi_team_res_free(eo_presensi_team_res *r)
{
    eo_db_presensi_days_free(r->rows, r->n);
    memset(r, 0, sizeof(*r));
}

eo_status eo_svc_presensi_team(eo_uow *u, const eo_presensi_team_req *in, eo_presensi_team_res *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    int y, m, d;
    if (in->date && !eo_presensi_parse_date(in->date, &y, &m, &d)) {
        eo_err_field(err, "date", "invalid_value");
        return err->status;
    }
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    /* The team is the caller's direct subordinates: nothing else to decide. */
    return eo_db_presensi_days(db, u->who->employee_id, true, in->date, in->date, &out->rows, &out->n, err);
}

/* ---------------------------------------------------------------- photo */

eo_status eo_svc_presensi_photo(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err)
{
    return eo_svc_attachment_read(u, eo_attachment_presensi_photo.kind, id, eo_svc_presensi_may_read, "photo_not_found",
                                  out, err);
}

/* ---------------------------------------------------------------- the app's configuration */

void eo_presensi_config_res_free(eo_presensi_config_res *r)
{
    free(r->ctx);
    memset(r, 0, sizeof(*r));
}

eo_status eo_svc_presensi_config(eo_uow *u, const eo_presensi_config_req *in, eo_presensi_config_res *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    const char *min = u->app->cfg.min_app_version;
    /* Told, never refused: the app needs this answer to show "please update". */
    out->update_required = in->app_version && min[0] && eo_presensi_version_cmp(in->app_version, min) < 0;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (!(out->ctx = new_ctx(err))) return err->status;
    if (eo_db_presensi_context(db, u->who->employee_id, out->ctx, err) != EO_OK) {
        eo_presensi_config_res_free(out);
        return err->status;
    }
    return EO_OK;
}
