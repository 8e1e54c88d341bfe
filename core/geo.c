#include "core/geo.h"

#include <math.h>

bool eo_geo_valid(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}

static double deg2rad(double d) { return d * (M_PI / 180.0); }

double eo_geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
    double dlat = deg2rad(lat2 - lat1);
    double dlon = deg2rad(lon2 - lon1);
    double s1 = sin(dlat / 2.0);
    double s2 = sin(dlon / 2.0);
    double a = s1 * s1 + cos(deg2rad(lat1)) * cos(deg2rad(lat2)) * s2 * s2;
    if (a > 1.0) a = 1.0; /* rounding near antipodes */
    return 2.0 * EO_GEO_EARTH_RADIUS_M * asin(sqrt(a));
}
