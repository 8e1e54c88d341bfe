#include "svc/review.h"

#include <stdio.h>
#include <string.h>

static void notify_nothing(eo_uow *u, const eo_review_event *ev, void *ud)
{
    (void)u;
    (void)ev;
    (void)ud;
}

static eo_review_notify_fn notify_fn = notify_nothing;
static void *notify_ud;

void eo_review_set_notify(eo_review_notify_fn fn, void *ud)
{
    notify_fn = fn ? fn : notify_nothing;
    notify_ud = fn ? ud : NULL;
}

void eo_svc_review_notify(eo_uow *u, const eo_review_event *ev) { notify_fn(u, ev, notify_ud); }

eo_review_actor eo_svc_review_actor(const eo_uow *u, const eo_review_record *rec)
{
    if (!u->who) return EO_REVIEW_OTHER;
    if (u->who->employee_id == rec->author_id) return EO_REVIEW_AUTHOR;
    if (rec->reviewer_id && u->who->employee_id == rec->reviewer_id) return EO_REVIEW_REVIEWER;
    return EO_REVIEW_OTHER;
}

/* Keeps the codes a module's clients already switch on. */
static void rename_code(const eo_review_kind *k, eo_err *err)
{
    if (!err->code) return;
    if (k->not_reviewer_code && strcmp(err->code, "review_not_reviewer") == 0) err->code = k->not_reviewer_code;
    if (k->closed_code &&
        (strcmp(err->code, "review_final") == 0 || strcmp(err->code, "review_transition_invalid") == 0))
        err->code = k->closed_code;
}

eo_status eo_svc_review_act(eo_uow *u, const eo_review_kind *k, long long id, eo_review_action action, const char *note,
                            json_t **out, eo_err *err)
{
    return eo_svc_review_act_with(u, k, id, action, note, NULL, out, err);
}

eo_status eo_svc_review_act_with(eo_uow *u, const eo_review_kind *k, long long id, eo_review_action action,
                                 const char *note, const void *changes, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_begin(db, err) != EO_OK) return err->status;

    eo_review_record rec;
    memset(&rec, 0, sizeof(rec));
    if (k->load(db, id, &rec, err) != EO_OK) goto fail;
    eo_review_actor actor = eo_svc_review_actor(u, &rec);
    if (actor == EO_REVIEW_OTHER) {
        bool see = false;
        if (k->may_see && k->may_see(u, db, &rec, &see, err) != EO_OK) goto fail;
        if (!see) {
            eo_fail(err, EO_ERR_NOT_FOUND, k->not_found_code);
            goto fail;
        }
    }
    eo_review_state next;
    if (eo_review_apply(rec.state, action, actor, note, &next, err) != EO_OK) {
        rename_code(k, err);
        goto fail;
    }
    if (k->store(u, db, &rec, action, next, note, changes, err) != EO_OK) goto fail;
    if (k->render(db, id, out, err) != EO_OK) goto fail;

    char audit_action[96], target[24];
    snprintf(audit_action, sizeof(audit_action), "%s.%s", k->kind, eo_review_action_name(action));
    snprintf(target, sizeof(target), "%lld", id);
    if (eo_uow_audit(u, audit_action, k->target_type, target, *out, err) != EO_OK) goto fail;
    if (eo_db_commit(db, err) != EO_OK) goto fail_committing;

    eo_review_event ev = {
        .kind = k->kind,
        .record_id = id,
        .action = action,
        .from = rec.state,
        .to = next,
        .actor_id = u->who->employee_id,
        .author_id = rec.author_id,
        .reviewer_id = rec.reviewer_id,
        .note = note,
        .at = u->now,
    };
    eo_svc_review_notify(u, &ev);
    return EO_OK;

fail:
    eo_db_rollback(db);
fail_committing:
    json_decref(*out);
    *out = NULL;
    return err->status;
}
