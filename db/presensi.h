/* Attendance SQL: the day context, geofences, photos, check-in/out, views,
 * corrections and extra locations. Calendar arithmetic is PostgreSQL's
 * (`now() AT TIME ZONE tz`); the process never changes TZ. */
#ifndef EO_DB_PRESENSI_H
#define EO_DB_PRESENSI_H

#include <jansson.h>
#include <stdbool.h>

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
    char time_zone[64];        /* office zone, Asia/Jakarta when no office is set */
    char local_date[11];       /* YYYY-MM-DD in time_zone */
    char local_time[9];        /* HH:MM:SS */
    int local_min;             /* minutes since local midnight */
    int isodow;
    char holiday[201];         /* "" when not a holiday */
    eo_presensi_day day;       /* resolved schedule for today */
    bool has_schedule;
    char server_time[32];      /* RFC 3339 UTC */
    long long server_epoch;
    char fence_code[EO_PRESENSI_MAX_FENCES][65];
    char fence_name[EO_PRESENSI_MAX_FENCES][201];
    char fence_tz[EO_PRESENSI_MAX_FENCES][64];
    char fence_valid_to[EO_PRESENSI_MAX_FENCES][11];
    eo_geofence fences[EO_PRESENSI_MAX_FENCES];
    int n_fences;              /* office first, then active extra locations */
} eo_presensi_ctx;

/* Loads ctx for an active employee; EO_ERR_NOT_FOUND "employee_not_found". */
eo_status eo_db_presensi_context(eo_db *db, long long employee_id, eo_presensi_ctx *ctx, eo_err *err);

/* Records a photo as pending (before its object is written). Serialised with the
 * sweeper on the storage key by an advisory lock. *reused: the same employee
 * already has a referenced photo with these bytes. */
eo_status eo_db_photo_insert_pending(eo_db *db, long long employee_id, const char *key,
                                     const char *sha256, const char *content_type, size_t size,
                                     long long *photo_id, bool *reused, eo_err *err);

typedef struct {
    bool check_out;
    const char *source;      /* mobile | web */
    const char *time_zone;
    long long photo_id;
    double lat, lon, accuracy_m, distance_m;
    bool mock;
    const char *location;    /* matched fence code or NULL */
    long long device_epoch;
    const char *device_id;   /* may be "" */
    const char *flags_array; /* PostgreSQL array literal, e.g. {mock_location} */
    bool last_checkout_wins;
    double at;               /* the instant recorded (Unix seconds): when the request arrived */
} eo_presensi_punch;

/* Inside the caller's transaction. Check-in inserts today's row (409
 * already_checked_in on the unique constraint); check-out updates it (409
 * not_checked_in / already_checked_out). Marks the photo referenced and
 * releases a replaced check-out photo to the sweeper. *record: the day's row. */
eo_status eo_db_presensi_punch(eo_db *db, long long employee_id, const eo_presensi_punch *p,
                               json_t **record, eo_err *err);

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
    bool day_over;  /* date < today in time_zone */
    bool future;
    int in_min, out_min; /* EO_PRESENSI_NONE when absent */
    json_t *record;      /* owned; NULL when no row */
} eo_presensi_dayrow;

/* Days [from, to] (NULL = employee's local today) for the employee, or for the
 * active direct subordinates of employee_id when team. Caller frees with
 * eo_db_presensi_days_free. At most 62 days and 500 employees. */
eo_status eo_db_presensi_days(eo_db *db, long long employee_id, bool team, const char *from,
                              const char *to, eo_presensi_dayrow **rows, int *n, eo_err *err);
void eo_db_presensi_days_free(eo_presensi_dayrow *rows, int n);

/* The row of (employee, work_date) as JSON, or *record = NULL. */
eo_status eo_db_presensi_record(eo_db *db, long long employee_id, const char *work_date,
                                json_t **record, eo_err *err);

/* Photo lookup for reading: only referenced photos. EO_ERR_NOT_FOUND otherwise. */
eo_status eo_db_photo_get(eo_db *db, long long photo_id, long long *employee_id, char key[72],
                          char content_type[32], eo_err *err);

/* Employee id by NIP (active or not); EO_ERR_NOT_FOUND "employee_not_found". */
eo_status eo_db_presensi_employee_by_nip(eo_db *db, const char *nip, long long *id, eo_err *err);

/* ---- sweeper ---- */
/* Deletes up to `batch` pending photos older than grace_s and their objects
 * through del(key) (skipped while another row uses the key). Returns how many. */
typedef eo_status (*eo_photo_delete_fn)(void *ud, const char *key, eo_err *err);
int eo_db_photo_sweep(eo_db *db, int grace_s, int batch, eo_photo_delete_fn del, void *ud, eo_err *err);

#endif
