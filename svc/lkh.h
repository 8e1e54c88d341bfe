/* LKH use cases (docs/lkh.md): an employee files one report per working day
 * (several activities, one piece of evidence), submits it to the direct
 * atasan, who approves or returns it (svc/review.h kind "lkh.report"); the
 * atasan's team queue and bulk approval; late permits; SKP targets. */
#ifndef EO_SVC_LKH_H
#define EO_SVC_LKH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/lkh.h"
#include "svc/attachments.h"
#include "svc/list.h"
#include "svc/review.h"
#include "svc/uow.h"

extern const eo_review_kind eo_review_kind_lkh;
/* Evidence from a computer: JPEG/PNG/PDF/DOCX; from the phone: JPEG/PNG. */
extern const eo_attachment_policy eo_lkh_evidence_policy;
extern const eo_attachment_policy eo_lkh_photo_policy;

/* One activity as the client sent it (api/ checked types and lengths). */
typedef struct {
    const char *description, *output, *unit;
    const char *start_time, *end_time; /* "HH:MM" or NULL */
    long long duration_min;            /* 0 when absent */
    long long quantity;
    long long skp_target_id; /* 0 when none */
} eo_lkh_activity_in;

typedef struct {
    const char *work_date; /* "YYYY-MM-DD"; NULL: the employee's today (mobile) */
    eo_lkh_activity_in activities[EO_LKH_MAX_ACTIVITIES];
    size_t n;
} eo_lkh_req;

/* A new draft for in->work_date: 422 lkh_not_working_day / lkh_future_date /
 * lkh_too_far_back, 409 lkh_report_exists. *out: the report. */
eo_status eo_svc_lkh_create(eo_uow *u, const eo_lkh_req *in, json_t **out, eo_err *err);
/* Replaces the activities of the author's draft or returned report (409
 * lkh_read_only otherwise; 403 lkh_not_author for those who may see it; 404). */
eo_status eo_svc_lkh_update(eo_uow *u, long long id, const eo_lkh_req *in, json_t **out, eo_err *err);
/* The report for the author and whoever may see the author (svc/access.h); 404 otherwise. */
eo_status eo_svc_lkh_get(eo_uow *u, long long id, json_t **out, eo_err *err);

/* The mobile form: creates or edits today's report (with a photo when
 * photo is not NULL) and, when submit, submits it in the same transaction.
 * With an Idempotency-Key (u->idempotency_key) the answer is stored with the
 * effect and replayed for the same key and request_hash (svc/idempotency.h). */
typedef struct {
    const eo_lkh_req *report;
    const unsigned char *photo; /* NULL: keep the stored one */
    size_t photo_len;
    bool submit;
    const char *request_hash; /* api/idempotency.h */
} eo_lkh_today_req;
typedef struct {
    int status; /* 201 created, 200 edited */
    char *body; /* malloc'ed JSON text: the compact report (the stored one when replayed) */
    bool replayed;
} eo_lkh_today_res;
eo_status eo_svc_lkh_save_today(eo_uow *u, const eo_lkh_today_req *in, eo_lkh_today_res *out, eo_err *err);
/* Today for the app: {work_date, working_day, report: compact | null}. */
eo_status eo_svc_lkh_today(eo_uow *u, json_t **out, eo_err *err);

typedef struct {
    bool team;
    const char *from, *to, *status, *nip;
    eo_svc_page_in page;
} eo_lkh_list_req;
eo_status eo_svc_lkh_list(eo_uow *u, const eo_lkh_list_req *in, eo_svc_page_out *out, eo_err *err);

/* submit / withdraw (author), approve / return (the author's direct atasan). */
eo_status eo_svc_lkh_act(eo_uow *u, long long id, eo_review_action action, const char *note, json_t **out, eo_err *err);
/* Approves each id on its own (per-item results, each step audited):
 * *out = {"results": [{"id", "status": 200, "report"} | {"id", "status": 4xx, "code"}], "approved", "failed"}. */
eo_status eo_svc_lkh_bulk_approve(eo_uow *u, const long long *ids, size_t n, json_t **out, eo_err *err);

/* Stores the evidence (checked against policy) on the author's draft or
 * returned report, replacing the previous one. */
eo_status eo_svc_lkh_attach(eo_uow *u, long long id, const eo_attachment_policy *policy, const unsigned char *data,
                            size_t len, json_t **out, eo_err *err);
/* The evidence bytes for whoever may see the report; 404 lkh_attachment_not_found otherwise. */
eo_status eo_svc_lkh_attachment_read(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err);

/* The atasan (admin, or above in the chain) opens a past working day beyond
 * the window for one employee. *created false: it was open already. */
eo_status eo_svc_lkh_permit(eo_uow *u, const char *nip, const char *work_date, json_t **out, bool *created,
                            eo_err *err);

/* SKP targets of the caller. */
typedef struct {
    int year;
    const char *title, *unit;
    long long target_quantity;
} eo_skp_in;
eo_status eo_svc_skp_list(eo_uow *u, int year, const eo_svc_page_in *page, eo_svc_page_out *out, eo_err *err);
eo_status eo_svc_skp_create(eo_uow *u, const eo_skp_in *in, json_t **out, eo_err *err);
eo_status eo_svc_skp_update(eo_uow *u, long long id, const eo_skp_in *in, json_t **out, eo_err *err);
eo_status eo_svc_skp_delete(eo_uow *u, long long id, eo_err *err);

#endif
