/* The identity feature's SQL, one header for all of it: accounts and
 * enrolments (db/accounts.h), sessions and devices (db/sessions.h),
 * throttling (db/throttle.h), demo seeding (db/identity_seed.h), plus the
 * reads and writes behind /api/v1/me (db/me.h). Binary
 * values (hashes, sealed secrets) cross the libpq boundary as hex text. */
#ifndef EO_DB_IDENTITY_H
#define EO_DB_IDENTITY_H

#include <stdbool.h>
#include <stdio.h>

#include "core/config.h"
#include "core/identity.h"
#include "core/password.h"
#include "core/token.h"
#include "core/totp.h"
#include "db/accounts.h"
#include "db/identity_seed.h"
#include "db/me.h"
#include "db/pool.h"
#include "db/sessions.h"
#include "db/throttle.h"

#endif
