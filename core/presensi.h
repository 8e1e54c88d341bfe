/* Attendance: pure pieces used by api/ and svc/presensi.c (input parsing, the
 * geofence judgement of a punch, app version comparison). No I/O. */
#ifndef EO_PRESENSI_H
#define EO_PRESENSI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
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
    bool extra; /* an extra (duty travel) location */
    double lat, lon;
    int radius_m;
    const char *code; /* borrowed */
    const char *name; /* borrowed */
} eo_geofence;

typedef struct {
    int inside;         /* index of the fence the point lies in (nearest such), or -1 */
    int nearest;        /* index of the nearest fence by distance to its edge, or -1 */
    double distance_m;  /* distance to the centre of `inside`, else of `nearest` */
    bool poor_accuracy; /* accuracy_m > max_accuracy_m */
} eo_geofence_result;

void eo_presensi_geofence(const eo_geofence *fences, int n, double lat, double lon, double accuracy_m,
                          int max_accuracy_m, eo_geofence_result *out);

/* The flags a punch can carry, as a set. Rendered (and stored in text[]) by
 * name in bit order, which is the order they were always listed in. */
enum {
    EO_PFLAG_MOCK_LOCATION = 1u << 0,
    EO_PFLAG_POOR_ACCURACY = 1u << 1,
    EO_PFLAG_OUTSIDE_GEOFENCE = 1u << 2,
    EO_PFLAG_PHOTO_REUSED = 1u << 3,
    EO_PFLAG_SLOW_UPLOAD = 1u << 4,
    EO_PFLAG_COUNT = 5,
};
typedef unsigned eo_presensi_flags;
/* Name of flag number i (0 <= i < EO_PFLAG_COUNT). */
const char *eo_presensi_flag_name(int i);
/* Set of names; unknown names are ignored (false returned). */
bool eo_presensi_flag_parse(const char *name, eo_presensi_flags *set);

typedef enum {
    EO_VERDICT_ACCEPT = 0,        /* record it, with `flags` */
    EO_VERDICT_POOR_ACCURACY = 1, /* refuse: 422 poor_accuracy */
    EO_VERDICT_OUTSIDE = 2,       /* refuse: 422 outside_geofence (nearest fence in g.nearest) */
} eo_presensi_verdict;

typedef struct {
    eo_presensi_verdict verdict;
    eo_presensi_flags flags; /* mock_location, poor_accuracy, outside_geofence as they apply */
    eo_geofence_result g;    /* where the point lies: inside / nearest fence and the distance */
} eo_presensi_judgement;

/* The geofence policy of a punch: REJECT mode refuses poor accuracy (first)
 * and positions outside every fence; FLAG mode records them flagged. A mock
 * location is always only flagged. n == 0 counts as outside with no nearest. */
void eo_presensi_judge(const eo_geofence *fences, int n, double lat, double lon, double accuracy_m, bool mock,
                       int max_accuracy_m, eo_geofence_mode mode, eo_presensi_judgement *out);

#endif
