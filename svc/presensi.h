/* Attendance use cases: check-in / check-out (punch) and reading a photo.
 * Decisions: docs/presensi.md. */
#ifndef EO_SVC_PRESENSI_H
#define EO_SVC_PRESENSI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/presensi.h"
#include "db/presensi.h"
#include "svc/attachments.h"
#include "svc/uow.h"

typedef struct eo_presensi_punch_result eo_presensi_punch_result;

/* Renders the success answer (malloc'ed JSON text). It is stored with the
 * Idempotency-Key inside the punch's transaction, so a replay returns these
 * exact bytes: the renderer belongs to api/, the commit to the use case. */
typedef char *(*eo_presensi_render_fn)(const eo_presensi_punch_result *r, void *ud);

typedef struct {
    bool check_out;
    bool mobile;                 /* source "mobile" (else "web") */
    double lat, lon, accuracy_m; /* validated by the caller */
    bool mock;
    long long device_epoch;
    const char *device_id;      /* "" when none */
    const unsigned char *photo; /* the selfie's bytes (already checked: photo below) */
    size_t photo_len;
    const eo_attachment *photo_meta; /* from eo_svc_attachment_check with eo_attachment_presensi_photo */
    const char *scope;               /* idempotency scope, e.g. "presensi" */
    const char *request_hash;        /* SHA-256 hex of the request; used with u->idempotency_key */
    double arrived_at;               /* when the request line arrived: the instant recorded */
    eo_presensi_render_fn render;
    void *render_ud;
} eo_presensi_punch_req;

struct eo_presensi_punch_result {
    int status;      /* 201 check-in, 200 check-out (or the replayed status) */
    char *body;      /* the answer (malloc'ed; eo_presensi_punch_result_free) */
    bool replayed;   /* body is a stored answer to the same Idempotency-Key */
    bool has_record; /* record: the day's row (also set with 409 conflicts) */
    eo_presensi_record record;
    eo_presensi_day day; /* today's schedule in the employee's zone */
    char holiday[201];
    char server_time[32];
};

/* Errors: 422 no_work_location / poor_accuracy / outside_geofence (with
 * details), 409 already_checked_in / not_checked_in / already_checked_out
 * (record set when a row exists) / idempotency_key_reused, 503 storage or
 * database unavailable (nothing recorded). */
eo_status eo_svc_presensi_punch(eo_uow *u, const eo_presensi_punch_req *in, eo_presensi_punch_result *out, eo_err *err);
void eo_presensi_punch_result_free(eo_presensi_punch_result *r);

/* The presensi read rule for photos: the employee, a supervisor up the chain,
 * an anpeg whose unit covers the employee's, or an admin. */
eo_status eo_svc_presensi_may_read(eo_uow *u, long long owner_employee_id, bool *allowed, eo_err *err);

#endif
