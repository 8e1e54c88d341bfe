/* The review workflow every reviewed record shares (docs/internals.md, "Review").
 *
 * A module plugs in with one eo_review_kind: how to load and lock its record
 * (state, author, reviewer), who besides those two may see it, how to store a
 * new state (and its effects, e.g. an approved correction rewrites the day),
 * and how to render it. eo_svc_review_act then does the rest in one
 * transaction: lock, decide the caller's part (author / reviewer / other),
 * apply the pure rule of core/review.h, store, audit "<kind>.<action>", commit,
 * and finally tell the notification hook.
 */
#ifndef EO_SVC_REVIEW_H
#define EO_SVC_REVIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "core/review.h"
#include "svc/uow.h"

/* What svc needs to know of one record. */
typedef struct {
    long long id;
    eo_review_state state;
    long long author_id;   /* the employee who wrote it */
    long long reviewer_id; /* who decides it (corrections: the author's direct supervisor); 0 = nobody */
} eo_review_record;

/* One step that happened (committed), as the notification hook sees it. */
typedef struct {
    const char *kind; /* the module's kind, e.g. "presensi.correction" */
    long long record_id;
    eo_review_action action;
    eo_review_state from, to;
    long long actor_id, author_id, reviewer_id;
    const char *note; /* may be NULL */
    double at;        /* the unit's now */
} eo_review_event;

/* The notification hook: called once per committed step, after the commit, on
 * the request's thread; it must not fail the request (it returns nothing) and
 * should only enqueue (the unit's connection is free to use, outside any
 * transaction). Today the default does nothing; the notifications module
 * installs its own at start with eo_review_set_notify (NULL restores the
 * no-op). Install before serving: the pointer is not synchronised. */
typedef void (*eo_review_notify_fn)(eo_uow *u, const eo_review_event *ev, void *ud);
void eo_review_set_notify(eo_review_notify_fn fn, void *ud);
/* Calls the hook (for modules that create records already submitted). */
void eo_svc_review_notify(eo_uow *u, const eo_review_event *ev);

typedef struct eo_review_kind {
    const char *kind;           /* audit action prefix: "<kind>.<action>" */
    const char *target_type;    /* audit target_type, e.g. "attendance_correction" */
    const char *not_found_code; /* unknown id, or a record the caller may not see */
    /* Codes the module's clients already know, used instead of core's (NULL: keep core's). */
    const char *not_reviewer_code; /* for review_not_reviewer */
    const char *closed_code;       /* for review_final and review_transition_invalid */
    /* Loads and locks (FOR UPDATE) the record inside the open transaction;
     * fails with not_found_code when there is none. */
    eo_status (*load)(eo_db *db, long long id, eo_review_record *rec, eo_err *err);
    /* May a caller who is neither author nor reviewer see the record? When not,
     * the answer is not_found_code (ids are no oracle). NULL: nobody else may. */
    eo_status (*may_see)(eo_uow *u, eo_db *db, const eo_review_record *rec, bool *ok, eo_err *err);
    /* Stores next (with note, actor u->who, time u->now) and its effects,
     * inside the transaction. changes: the module's own edit carried by the
     * step (e.g. a resubmission's new content), NULL when none; it is applied
     * here, after the rule allowed the step, so only the author can edit. */
    eo_status (*store)(eo_uow *u, eo_db *db, const eo_review_record *rec, eo_review_action action, eo_review_state next,
                       const char *note, const void *changes, eo_err *err);
    /* The record as clients see it; also the audit row's details. */
    eo_status (*render)(eo_db *db, long long id, json_t **out, eo_err *err);
} eo_review_kind;

/* The caller's part in rec: the author (even when also the reviewer), the reviewer, or other. */
eo_review_actor eo_svc_review_actor(const eo_uow *u, const eo_review_record *rec);

/* Applies action to record id as u->who. *out: the rendered record (caller
 * decrefs). Errors: not_found_code (404), core/review.h's codes (with the
 * kind's overrides), and database errors. */
eo_status eo_svc_review_act(eo_uow *u, const eo_review_kind *k, long long id, eo_review_action action, const char *note,
                            json_t **out, eo_err *err);
/* The same, handing the module's store the step's changes (e.g. a resubmit
 * that edits the record; see eo_review_kind.store). */
eo_status eo_svc_review_act_with(eo_uow *u, const eo_review_kind *k, long long id, eo_review_action action,
                                 const char *note, const void *changes, json_t **out, eo_err *err);

#endif
