/* Demo data: the embedded db/seed/demo.sql. */
#ifndef EO_DB_SEED_H
#define EO_DB_SEED_H

#include "db/pool.h"

/* Runs the multi-statement demo script in one transaction (idempotent by its
 * own ON CONFLICT clauses); on failure nothing is loaded and err says why. */
eo_status eo_db_seed_demo(eo_db *db, eo_err *err);

#endif
