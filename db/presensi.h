/* Attendance SQL: the day context, geofences, photos, check-in/out, views,
 * corrections and extra locations. Calendar arithmetic is PostgreSQL's
 * (`now() AT TIME ZONE tz`); the process never changes TZ. */
#ifndef EO_DB_PRESENSI_H
#define EO_DB_PRESENSI_H

#include <jansson.h>
#include <stdbool.h>

#include "core/attachment.h"
#include "core/presensi.h"
#include "core/presensi_rules.h"
#include "db/pool.h"

#define EO_PRESENSI_MAX_FENCES 8

/* Everything a check-in needs about the employee and their local "now". */
typedef struct {
    long long employee_id;
    char nip[19];
    char name[201];
    bool has_location;
    long long location_id;
    char location_code[65];
    char location_name[201];
    char time_zone[64];  /* office zone, Asia/Jakarta when no office is set */
    char local_date[11]; /* YYYY-MM-DD in time_zone */
    char local_time[9];  /* HH:MM:SS */
    int local_min;       /* minutes since local midnight */
    int isodow;
    char holiday[201];   /* "" when not a holiday */
    eo_presensi_day day; /* resolved schedule for today */
    bool has_schedule;
    char server_time[32]; /* RFC 3339 UTC */
    long long server_epoch;
    char fence_code[EO_PRESENSI_MAX_FENCES][65];
    char fence_name[EO_PRESENSI_MAX_FENCES][201];
    char fence_tz[EO_PRESENSI_MAX_FENCES][64];
    char fence_valid_to[EO_PRESENSI_MAX_FENCES][11];
    eo_geofence fences[EO_PRESENSI_MAX_FENCES];
    int n_fences; /* office first, then active extra locations */
} eo_presensi_ctx;

/* Loads ctx for an active employee; EO_ERR_NOT_FOUND "employee_not_found". */
eo_status eo_db_presensi_context(eo_db *db, long long employee_id, eo_presensi_ctx *ctx, eo_err *err);

typedef struct {
    bool check_out;
    const char *source; /* mobile | web */
    const char *time_zone;
    long long photo_id;
    double lat, lon, accuracy_m, distance_m;
    bool mock;
    const char *location; /* matched fence code or NULL */
    long long device_epoch;
    const char *device_id;   /* may be "" */
    eo_presensi_flags flags; /* stored by name in a text[] */
    bool last_checkout_wins;
    double at; /* the instant recorded (Unix seconds): when the request arrived */
} eo_presensi_punch;

/* One side (check-in or check-out) of a day's row, as the rules and the
 * renderer read it. SQL NULLs: NAN for numbers, -1 for mock, 0 for photo_id,
 * "" for strings. */
typedef struct {
    bool present;
    char at[24];        /* RFC 3339 UTC */
    char local_time[9]; /* HH:MM:SS in the row's zone */
    int local_min;      /* minutes since local midnight; EO_PRESENSI_NONE when absent */
    double lat, lon, accuracy_m, distance_m;
    int mock;
    char location[65];
    eo_presensi_flags flags;
    long long photo_id;
    char device_time[24]; /* RFC 3339 UTC */
} eo_presensi_side;

/* One attendance row (employee, work date). */
typedef struct {
    long long id;
    char work_date[11];
    char time_zone[64];
    char source[16];
    bool corrected;
    eo_presensi_side in, out;
} eo_presensi_record;

/* What eo_db_presensi_checkin_context needs beyond the employee. */
typedef struct {
    double at;              /* the instant to record (Unix seconds) */
    long long device_epoch; /* the device's clock */
    const char *sha256;     /* the photo's content hash */
    const char *kind;       /* its attachment kind */
} eo_presensi_checkin_in;

/* Known before the check-in's statement runs, so the answer can be rendered first. */
typedef struct {
    long long attendance_id, photo_id; /* drawn from the tables' sequences */
    bool photo_seen;                   /* these bytes already back a referenced attachment of the employee */
    char at[24];                       /* the instant, RFC 3339 UTC */
    char work_date[11];                /* its date in the office zone */
    char local_time[9];                /* HH:MM:SS there */
    int local_min;
    char device_time[24]; /* RFC 3339 UTC */
} eo_presensi_checkin_plan;

/* eo_db_presensi_context plus the plan, in the same round trip. */
eo_status eo_db_presensi_checkin_context(eo_db *db, long long employee_id, const eo_presensi_checkin_in *in,
                                         eo_presensi_ctx *ctx, eo_presensi_checkin_plan *plan, eo_err *err);

/* The record a check-in writes, built from the values it sends (p->photo_id = plan->photo_id). */
void eo_db_presensi_checkin_record(const eo_presensi_punch *p, const eo_presensi_checkin_plan *plan,
                                   eo_presensi_record *record);

typedef struct {
    const char *idem_key; /* NULL without an Idempotency-Key */
    const char *idem_scope;
    const char *idem_hash;
    int status;       /* the answer stored with the key */
    const char *body; /* its exact bytes */
    const eo_attachment_meta *meta;
    const char *kind;
    long long put_after; /* database epoch read before the object was stored */
} eo_presensi_checkin_write;

/* The whole check-in in one statement (autocommit: no transaction may be
 * open): the key's claim with its answer, the photo's row and the attendance
 * row. *claimed = false: another request with this key committed first
 * (nothing written). 409 already_checked_in; 503 storage_unavailable when the
 * sweeper took the object meanwhile. */
eo_status eo_db_presensi_checkin(eo_db *db, long long employee_id, const eo_presensi_punch *p,
                                 const eo_presensi_checkin_plan *plan, const eo_presensi_checkin_write *w,
                                 bool *claimed, eo_err *err);

/* Known before the check-out's statement runs: the day's row as it stands
 * (its version guards the write) and the new side's instant in the row's zone. */
typedef struct {
    long long photo_id; /* drawn from the attachments sequence */
    bool photo_seen;    /* these bytes already back a referenced attachment of the employee */
    char at[24];        /* the instant, RFC 3339 UTC */
    char local_time[9]; /* HH:MM:SS in the row's zone */
    int local_min;
    char device_time[24];      /* RFC 3339 UTC */
    bool found;                /* a row exists for the instant's date in the office zone */
    char version[24];          /* its xmin: any change to the row since makes the write a no-op */
    eo_presensi_record record; /* the row as read */
} eo_presensi_checkout_plan;

/* eo_db_presensi_context plus the check-out plan, in the same round trip
 * (in->sha256 and in->kind as for check-in). */
eo_status eo_db_presensi_checkout_context(eo_db *db, long long employee_id, const eo_presensi_checkin_in *in,
                                          eo_presensi_ctx *ctx, eo_presensi_checkout_plan *plan, eo_err *err);

/* The record a check-out writes: plan->record with the new check-out side
 * (p->photo_id = plan->photo_id). */
void eo_db_presensi_checkout_record(const eo_presensi_punch *p, const eo_presensi_checkout_plan *plan,
                                    eo_presensi_record *record);

/* What the check-out statement reports when it wrote nothing. */
typedef enum {
    EO_PRESENSI_OUT_WRITTEN,
    EO_PRESENSI_OUT_STALE,  /* the row changed (or went) since the plan was read: read it again */
    EO_PRESENSI_OUT_REPLAY, /* another request with this key committed first */
} eo_presensi_checkout_outcome;

/* The whole check-out in one statement (autocommit: no transaction may be
 * open): today's row locked at the planned version, the key's claim with its
 * answer, the photo's row, the row's new check-out side and the release of a
 * replaced check-out photo to the sweeper. 503 storage_unavailable when the
 * sweeper took the object meanwhile. */
eo_status eo_db_presensi_checkout(eo_db *db, long long employee_id, const eo_presensi_punch *p,
                                  const eo_presensi_checkout_plan *plan, const eo_presensi_checkin_write *w,
                                  eo_presensi_checkout_outcome *outcome, eo_err *err);

/* One employee-day with everything the rules need. */
typedef struct {
    long long employee_id;
    char nip[19];
    char name[201];
    char date[11];
    char time_zone[64];
    int isodow;
    char holiday[201];
    bool ramadan;
    eo_presensi_day day;
    bool day_over; /* date < today in time_zone */
    bool future;
    int in_min, out_min; /* EO_PRESENSI_NONE when absent */
    char absence[24];    /* kind of an approved absence request covering the day, "" when none */
    json_t *record;      /* owned; NULL when no row. Built in SQL: a read-only view of up to
                          * 500 x 62 rows, where one jsonb per row beats a struct round trip */
} eo_presensi_dayrow;

/* Days [from, to] (NULL = employee's local today) for the employee, or for the
 * active direct subordinates of employee_id when team. Caller frees with
 * eo_db_presensi_days_free. At most 62 days and 500 employees. */
eo_status eo_db_presensi_days(eo_db *db, long long employee_id, bool team, const char *from, const char *to,
                              eo_presensi_dayrow **rows, int *n, eo_err *err);
void eo_db_presensi_days_free(eo_presensi_dayrow *rows, int n);

/* The row of (employee, work_date); *found = false when there is none. */
eo_status eo_db_presensi_record(eo_db *db, long long employee_id, const char *work_date, eo_presensi_record *record,
                                bool *found, eo_err *err);

#endif
