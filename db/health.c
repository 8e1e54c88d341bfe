#include "db/health.h"

eo_status eo_db_health_ping(eo_db *db, eo_err *err) { return eo_db_run(db, "SELECT 1", 0, NULL, err); }
