/* Kept only so that db/throttle.c (being redesigned on another branch)
 * builds unchanged: its helpers now live in db/pool.h. Include db/pool.h. */
#ifndef EO_DB_SQL_UTIL_H
#define EO_DB_SQL_UTIL_H

#include "db/pool.h"

#endif
