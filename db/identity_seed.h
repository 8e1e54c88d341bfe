/* Demo accounts for `eoffice seed-demo`: an active account with password
 * and a deterministic authenticator for the NIPs named in db/seed/demo.sql
 * and for everyone holding a role. */
#ifndef EO_DB_IDENTITY_SEED_H
#define EO_DB_IDENTITY_SEED_H

#include <stdio.h>

#include "core/config.h"
#include "db/pool.h"

/* Idempotent (existing accounts are never touched); returns 0 on success. */
int eo_identity_seed_demo_accounts(eo_db *db, const eo_config *cfg, FILE *out);

#endif
