/* The janitor: a background thread that, every min(grace, 60 s), sweeps
 * released attachment rows and expires old idempotency answers, and once a
 * grace period walks the store for orphan objects (svc/attachments.h). Started by the
 * presensi module's start hook; all its state lives in the eo_sweeper. */
#ifndef EO_SVC_SWEEPER_H
#define EO_SVC_SWEEPER_H

#include "svc/uow.h"

typedef struct eo_sweeper eo_sweeper;

/* Starts the thread; grace_s is the age an unreferenced object or released
 * row must reach before it goes. */
eo_status eo_sweeper_start(eo_app *app, int grace_s, eo_sweeper **out, eo_err *err);
/* Wakes, stops and joins the thread, then frees it. NULL is fine. */
void eo_sweeper_stop(eo_sweeper *s);

#endif
