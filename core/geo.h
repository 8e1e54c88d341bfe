/* Great-circle distance for the attendance geofence. */
#ifndef EO_GEO_H
#define EO_GEO_H

#include <stdbool.h>

/* Mean Earth radius (IUGG), metres. */
#define EO_GEO_EARTH_RADIUS_M 6371008.8

/* True when lat/lon are finite and within [-90,90] / [-180,180]. */
bool eo_geo_valid(double lat, double lon);

/* Haversine distance in metres between two WGS-84 points (degrees). */
double eo_geo_distance_m(double lat1, double lon1, double lat2, double lon2);

#endif
