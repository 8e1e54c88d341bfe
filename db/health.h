/* SQL of the operations endpoints (/readyz). */
#ifndef EO_DB_HEALTH_H
#define EO_DB_HEALTH_H

#include "db/pool.h"

/* A round trip to the database (SELECT 1): the connection really works. */
eo_status eo_db_health_ping(eo_db *db, eo_err *err);

#endif
