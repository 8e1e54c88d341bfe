#include "core/presensi.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"

bool eo_presensi_parse_bool(const char *s, bool *out)
{
    if (!s) return false;
    if (!strcmp(s, "true") || !strcmp(s, "1")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "false") || !strcmp(s, "0")) {
        *out = false;
        return true;
    }
    return false;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool eo_presensi_parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    int yy = num(s, 4), mm = num(s + 5, 2), dd = num(s + 8, 2);
    if (yy < 1900 || mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(yy, mm)) return false;
    *y = yy;
    *m = mm;
    *d = dd;
    return true;
}

bool eo_presensi_parse_hhmm(const char *s, int *minutes)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return false;
    int h = num(s, 2), m = num(s + 3, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59) return false;
    *minutes = h * 60 + m;
    return true;
}

bool eo_presensi_parse_rfc3339(const char *s, long long *epoch)
{
    if (!s || strlen(s) < 20 || strlen(s) > 40) return false;
    int y, mo, d;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!eo_presensi_parse_date(date, &y, &mo, &d)) return false;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
    int hh = num(s + 11, 2), mi = num(s + 14, 2), ss = num(s + 17, 2);
    if (s[13] != ':' || s[16] != ':' || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60) return false;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        /* Hours and ':' first: the minutes are read only when the string reaches them
         * ("...+0" ends two bytes before p + 4; found by tests/fuzz/fuzz_presensi). */
        int oh = num(p + 1, 2);
        if (oh < 0 || oh > 23 || p[3] != ':') return false;
        int om = num(p + 4, 2);
        if (om < 0 || om > 59) return false;
        off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    if (*p) return false;
    *epoch = days_from_civil(y, mo, d) * 86400LL + hh * 3600LL + mi * 60LL + ss - off;
    return true;
}

int eo_presensi_version_cmp(const char *a, const char *b)
{
    long va[4] = {0}, vb[4] = {0};
    const char *src[2] = {a, b};
    long *dst[2] = {va, vb};
    int ok[2] = {1, 1};
    for (int k = 0; k < 2; k++) {
        const char *p = src[k];
        if (!p || !*p) {
            ok[k] = 0;
            continue;
        }
        for (int i = 0; i < 4; i++) {
            if (*p < '0' || *p > '9') {
                ok[k] = 0;
                break;
            }
            long v = 0;
            while (*p >= '0' && *p <= '9' && v < 1000000) v = v * 10 + (*p++ - '0');
            dst[k][i] = v;
            if (*p == '.') {
                p++;
                continue;
            }
            if (*p == '\0' || *p == '-' || *p == '+') break; /* pre-release/build suffix ignored */
            ok[k] = 0;
            break;
        }
    }
    if (ok[0] != ok[1]) return ok[0] - ok[1];
    for (int i = 0; i < 4; i++)
        if (va[i] != vb[i]) return va[i] < vb[i] ? -1 : 1;
    return 0;
}

void eo_presensi_geofence(const eo_geofence *fences, int n, double lat, double lon, double accuracy_m,
                          int max_accuracy_m, eo_geofence_result *out)
{
    out->inside = -1;
    out->nearest = -1;
    out->distance_m = 0;
    out->poor_accuracy = accuracy_m > (double)max_accuracy_m;
    double best_in = INFINITY, best_edge = INFINITY;
    double nearest_dist = 0;
    for (int i = 0; i < n; i++) {
        double dist = eo_geo_distance_m(lat, lon, fences[i].lat, fences[i].lon);
        if (dist <= (double)fences[i].radius_m && dist < best_in) {
            best_in = dist;
            out->inside = i;
        }
        double edge = dist - (double)fences[i].radius_m;
        if (edge < best_edge) {
            best_edge = edge;
            out->nearest = i;
            nearest_dist = dist;
        }
    }
    out->distance_m = out->inside >= 0 ? best_in : nearest_dist;
}

static const char *const flag_names[EO_PFLAG_COUNT] = {"mock_location", "poor_accuracy", "outside_geofence",
                                                       "photo_reused", "slow_upload"};

const char *eo_presensi_flag_name(int i) { return i >= 0 && i < EO_PFLAG_COUNT ? flag_names[i] : NULL; }

bool eo_presensi_flag_parse(const char *name, eo_presensi_flags *set)
{
    for (int i = 0; i < EO_PFLAG_COUNT; i++)
        if (name && strcmp(name, flag_names[i]) == 0) {
            *set |= 1u << i;
            return true;
        }
    return false;
}

void eo_presensi_judge(const eo_geofence *fences, int n, double lat, double lon, double accuracy_m, bool mock,
                       int max_accuracy_m, eo_geofence_mode mode, eo_presensi_judgement *out)
{
    eo_presensi_geofence(fences, n, lat, lon, accuracy_m, max_accuracy_m, &out->g);
    out->flags = 0;
    if (mock) out->flags |= EO_PFLAG_MOCK_LOCATION;
    if (out->g.poor_accuracy) out->flags |= EO_PFLAG_POOR_ACCURACY;
    if (out->g.inside < 0) out->flags |= EO_PFLAG_OUTSIDE_GEOFENCE;
    out->verdict = EO_VERDICT_ACCEPT;
    if (mode == EO_GEOFENCE_FLAG) return;
    if (out->g.poor_accuracy)
        out->verdict = EO_VERDICT_POOR_ACCURACY;
    else if (out->g.inside < 0)
        out->verdict = EO_VERDICT_OUTSIDE;
}
