/* Attendance: pure pieces used by api/presensi.c (input parsing, geofence
 * decision, app version comparison). No I/O. */
#ifndef EO_PRESENSI_H
#define EO_PRESENSI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

/* "true" / "false" (also "1" / "0"). */
bool eo_presensi_parse_bool(const char *s, bool *out);
/* RFC 3339 date-time with 'Z' or ±hh:mm offset (fraction allowed) -> Unix seconds. */
bool eo_presensi_parse_rfc3339(const char *s, long long *epoch);
/* "YYYY-MM-DD" with a real calendar date. */
bool eo_presensi_parse_date(const char *s, int *y, int *m, int *d);
/* "HH:MM" (00:00-23:59) -> minutes since midnight. */
bool eo_presensi_parse_hhmm(const char *s, int *minutes);
/* Compares dotted numeric versions ("1.10.0" > "1.9"); a malformed version
 * compares as older than anything well-formed. <0, 0, >0 like strcmp. */
int eo_presensi_version_cmp(const char *a, const char *b);

/* One allowed place: the office or a dated extra location. */
typedef struct {
    long long id;
    bool extra;         /* an extra (duty travel) location */
    double lat, lon;
    int radius_m;
    const char *code;   /* borrowed */
    const char *name;   /* borrowed */
} eo_geofence;

typedef struct {
    int inside;         /* index of the fence the point lies in (nearest such), or -1 */
    int nearest;        /* index of the nearest fence by distance to its edge, or -1 */
    double distance_m;  /* distance to the centre of `inside`, else of `nearest` */
    bool poor_accuracy; /* accuracy_m > max_accuracy_m */
} eo_geofence_result;

void eo_presensi_geofence(const eo_geofence *fences, int n, double lat, double lon,
                          double accuracy_m, int max_accuracy_m, eo_geofence_result *out);

#endif
