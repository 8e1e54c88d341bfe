/* Applying a validated import batch (core/import.h) to the database.
 *
 * Everything happens in ONE transaction, serialised against other imports by
 * an advisory lock: upserts keyed by code (units, locations) or NIP
 * (employees), so a re-import updates rows and never duplicates them.
 * References (parent_code, unit_code, office_location_code, work_schedule,
 * supervisor_nip) are resolved against the database as it is inside the
 * transaction, so a parent or supervisor may appear later in the same file
 * (two passes). Unknown references become line errors in the batch; any
 * error rolls everything back. Positions named in an employees file are
 * created on demand. A successful import writes one audit_log row.
 */
#ifndef EO_DB_IMPORT_H
#define EO_DB_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/import.h"
#include "db/pool.h"

typedef struct {
    size_t inserted;
    size_t updated; /* rows whose key already existed */
    size_t positions_created;
} eo_import_counts;

/* Applies b (which must have no parse errors). source names the file for
 * the audit log (may be NULL); actor_employee_id is 0 for the CLI.
 * With dry_run everything is checked and then rolled back.
 * Returns EO_OK; EO_ERR_INVALID when line errors were added to b (nothing
 * applied); or the database status in err (EO_ERR_UNAVAILABLE…). */
eo_status eo_db_import_apply(eo_db *db, eo_import_batch *b, const char *source, long long actor_employee_id,
                             bool dry_run, eo_import_counts *counts, eo_err *err);

#endif
