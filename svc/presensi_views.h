/* Attendance read use cases: today, a month's history (own, or another
 * employee's by NIP when the caller may see it), the atasan's team view, a
 * photo, and the app's configuration. The handlers (api/presensi.c,
 * api/mobile.c) only parse and render; who may read what is decided here,
 * through svc/access.h. Decisions: docs/presensi.md. */
#ifndef EO_SVC_PRESENSI_VIEWS_H
#define EO_SVC_PRESENSI_VIEWS_H

#include <stdbool.h>

#include "core/presensi_rules.h"
#include "db/presensi.h"
#include "svc/attachments.h"
#include "svc/uow.h"

/* ---- today: the caller's local day ---- */
typedef struct {
    eo_presensi_ctx *ctx;     /* the caller's local now (malloc'ed) */
    eo_presensi_dayrow *rows; /* today's row: n is 0 or 1 */
    int n;
    const char *status; /* not_checked_in | checked_in | checked_out */
} eo_presensi_today_res;

/* Errors: 404 employee_not_found (no active employee), database errors. */
eo_status eo_svc_presensi_today(eo_uow *u, eo_presensi_today_res *out, eo_err *err);
void eo_presensi_today_res_free(eo_presensi_today_res *r);

/* ---- history: one month of days ---- */
typedef struct {
    const char *month; /* "YYYY-MM" (required) */
    const char *nip;   /* whose; NULL, "" or the caller's own NIP = the caller */
} eo_presensi_history_req;

typedef struct {
    int working_days, absent;
    int absence_days;  /* working days away under an approved absence request (not counted absent) */
    int tl[5], psw[5]; /* counts per class; [0] = on time */
} eo_presensi_summary;

typedef struct {
    eo_presensi_dayrow *rows; /* the month's days up to the employee's local today (future ones dropped) */
    int n;
    char nip[19];       /* whose ("" when the month has no days) */
    char time_zone[64]; /* their zone ("" likewise) */
    eo_presensi_summary summary;
} eo_presensi_history_res;

/* Errors: 422 field month (missing_field / invalid_value) or nip
 * (invalid_value: not 18 digits); 404 employee_not_found for an unknown NIP
 * and for one the caller may not see (svc/access.h: self, a supervisor up the
 * chain, anpeg of a unit above, admin) alike. */
eo_status eo_svc_presensi_history(eo_uow *u, const eo_presensi_history_req *in, eo_presensi_history_res *out,
                                  eo_err *err);
void eo_presensi_history_res_free(eo_presensi_history_res *r);

/* ---- team: the caller's active direct subordinates on one day ---- */
typedef struct {
    const char *date; /* "YYYY-MM-DD", NULL = each employee's local today */
} eo_presensi_team_req;

typedef struct {
    eo_presensi_dayrow *rows; /* one per subordinate (none for an employee without a team) */
    int n;
} eo_presensi_team_res;

/* Errors: 422 field date invalid_value. */
eo_status eo_svc_presensi_team(eo_uow *u, const eo_presensi_team_req *in, eo_presensi_team_res *out, eo_err *err);
void eo_presensi_team_res_free(eo_presensi_team_res *r);

/* ---- a check-in/out selfie ---- */
/* Through the attachments module with eo_svc_presensi_may_read: missing and
 * refused are the same 404 photo_not_found. */
eo_status eo_svc_presensi_photo(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err);

/* ---- the app's configuration ---- */
typedef struct {
    const char *app_version; /* X-App-Version, NULL when not sent */
} eo_presensi_config_req;

typedef struct {
    eo_presensi_ctx *ctx; /* the caller's local now, geofences and schedule (malloc'ed) */
    bool update_required; /* app_version is below the configured minimum */
} eo_presensi_config_res;

/* Errors: 404 employee_not_found, database errors. */
eo_status eo_svc_presensi_config(eo_uow *u, const eo_presensi_config_req *in, eo_presensi_config_res *out, eo_err *err);
void eo_presensi_config_res_free(eo_presensi_config_res *r);

#endif
