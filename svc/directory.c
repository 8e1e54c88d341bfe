#include "svc/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/directory.h"
#include "core/nip.h"
#include "core/parse.h"
#include "db/employees.h"
#include "db/directory.h"
#include "db/keyset.h"
#include "svc/notify.h"

static eo_status signed_in(eo_uow *u, eo_db **db, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    return eo_uow_db(u, db, err);
}

/* The search position sealed in the cursor: [rank, id], both decimal strings;
 * for a NIP prefix the "rank" is the NIP of the last card. */
static eo_status search_pos(const json_t *after, bool nip, eo_db_dir_pos *pos, eo_err *err)
{
    memset(pos, 0, sizeof *pos);
    if (!after) return EO_OK;
    json_t *r = json_array_get(after, 0), *i = json_array_get(after, 1);
    if (json_array_size(after) != 2 || !json_is_string(r) || !json_is_string(i) ||
        !eo_parse_int(json_string_value(r), 0, nip ? 999999999999999999LL : 1000000000LL, &pos->rank) ||
        !eo_parse_id(json_string_value(i), &pos->id)) {
        eo_err_field(err, "cursor", "invalid_cursor");
        return err->status;
    }
    pos->set = true;
    return EO_OK;
}

eo_status eo_svc_dir_search(eo_uow *u, const char *q, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_dir_query query;
    eo_db_dir_pos pos;
    if (eo_dir_query_parse(q, &query, err) || search_pos(in->after, query.nip, &pos, err)) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_db_dir_search(db, query.text, query.nip, &pos, in->limit, &out->items, &out->next, err);
}

/* An active employee by NIP; a NIP that cannot exist is simply not found. */
static eo_status employee_by_nip(eo_db *db, const char *nip, long long *id, eo_err *err)
{
    char buf[33] = "";
    const char *n = nip ? eo_nip_normalize(nip, buf, sizeof buf) : "";
    if (strlen(n) != 18 || strspn(n, "0123456789") != 18) return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    return eo_db_employee_id(db, n, true, "employee_not_found", id, err);
}

eo_status eo_svc_dir_profile(eo_uow *u, const char *nip, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    long long id;
    if (signed_in(u, &db, err) || employee_by_nip(db, nip, &id, err)) return err->status;
    return eo_db_dir_public_profile(db, id, out, err);
}

eo_status eo_svc_dir_about_get(eo_uow *u, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    if (signed_in(u, &db, err)) return err->status;
    return eo_db_dir_about_get(db, u->who->employee_id, out, err);
}

eo_status eo_svc_dir_about_set(eo_uow *u, const json_t *skills, const char *about, json_t **out, eo_err *err)
{
    *out = NULL;
    json_t *tags = NULL, *before = NULL;
    char *tags_text = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (skills) {
        if (eo_dir_skills_normalise(skills, &tags, err)) return err->status;
        tags_text = json_dumps(tags, JSON_COMPACT);
    } else if (eo_dir_text_check("about", about, EO_DIR_ABOUT_MAX, false, err)) {
        return err->status;
    }
    eo_db *db;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) goto done;
    if (eo_db_dir_about_get(db, u->who->employee_id, &before, err) ||
        eo_db_dir_about_put(db, u->who->employee_id, tags_text, skills ? NULL : about, out, err))
        goto fail;
    const char *key = skills ? "skills" : "about";
    json_t *details = json_pack("{s:O, s:O}", "old", json_object_get(before, key), "new", json_object_get(*out, key));
    eo_status st = eo_uow_audit(u, skills ? "directory.skills_update" : "directory.about_update", "employee",
                                u->who->nip, details, err);
    json_decref(details);
    if (st || eo_db_commit(db, err)) goto fail;
    goto done;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
done:
    json_decref(tags);
    json_decref(before);
    free(tags_text);
    return err->status;
}

/* The subject learns of a new or changed recommendation, in the step's transaction. */
static eo_status notify_subject(eo_uow *u, long long subject, const json_t *reco, bool edited, eo_err *err)
{
    char target[24], title[256];
    snprintf(target, sizeof target, "%lld", (long long)json_integer_value(json_object_get(reco, "id")));
    const char *author = json_string_value(json_object_get(json_object_get(reco, "author"), "name"));
    snprintf(title, sizeof title, "%s %.200s", edited ? "Rekomendasi diperbarui oleh" : "Rekomendasi baru dari",
             author ? author : "rekan kerja");
    json_t *data = json_pack("{s:s, s:s}", "author_nip",
                             json_string_value(json_object_get(json_object_get(reco, "author"), "nip")), "status",
                             json_string_value(json_object_get(reco, "status")));
    eo_notice n = {.kind = edited ? "recommendation.updated" : "recommendation.received",
                   .title = title,
                   .body = "Terima atau sembunyikan rekomendasi ini di profil Anda.",
                   .target_type = "recommendation",
                   .target_id = target,
                   .data = data};
    eo_status st = eo_svc_notify(u, EO_NOTIFY_EMPLOYEE, subject, &n, NULL, err);
    json_decref(data);
    return st;
}

eo_status eo_svc_reco_create(eo_uow *u, const char *nip, const char *text, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    long long subject, id;
    char target[24];
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_dir_text_check("text", text, EO_DIR_RECO_MAX, true, err)) return err->status;
    if (eo_uow_db(u, &db, err) || employee_by_nip(db, nip, &subject, err)) return err->status;
    if (subject == u->who->employee_id) return eo_fail(err, EO_ERR_FORBIDDEN, "recommendation_self");
    if (eo_db_begin(db, err)) return err->status;
    if (eo_db_reco_create(db, u->who->employee_id, subject, text, out, &id, err)) goto fail;
    snprintf(target, sizeof target, "%lld", id);
    if (eo_uow_audit(u, "directory.recommendation_create", "recommendation", target, *out, err) ||
        notify_subject(u, subject, *out, false, err) || eo_db_commit(db, err))
        goto fail;
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_reco_edit(eo_uow *u, long long id, const char *text, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    long long subject;
    json_t *before = NULL;
    char target[24];
    snprintf(target, sizeof target, "%lld", id);
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_dir_text_check("text", text, EO_DIR_RECO_MAX, true, err)) return err->status;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    if (eo_db_reco_edit(db, id, u->who->employee_id, text, out, &subject, &before, err)) goto fail;
    json_t *details = json_pack("{s:O, s:O}", "old", before, "new", *out);
    eo_status st = eo_uow_audit(u, "directory.recommendation_edit", "recommendation", target, details, err);
    json_decref(details);
    if (st || notify_subject(u, subject, *out, true, err) || eo_db_commit(db, err)) goto fail;
    json_decref(before);
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(before);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_reco_decide(eo_uow *u, long long id, bool accept, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    char target[24];
    snprintf(target, sizeof target, "%lld", id);
    if (signed_in(u, &db, err) || eo_db_begin(db, err)) return err->status;
    if (eo_db_reco_decide(db, id, u->who->employee_id, accept ? "accepted" : "hidden", out, err) ||
        eo_uow_audit(u, accept ? "directory.recommendation_accept" : "directory.recommendation_hide", "recommendation",
                     target, *out, err) ||
        eo_db_commit(db, err)) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
        return err->status;
    }
    return EO_OK;
}

eo_status eo_svc_reco_list(eo_uow *u, bool received, const char *status, const eo_svc_page_in *in, eo_svc_page_out *out,
                           eo_err *err)
{
    out->items = out->next = NULL;
    eo_db *db;
    eo_db_keyset k;
    if (status && strcmp(status, "pending") != 0 && strcmp(status, "accepted") != 0 && strcmp(status, "hidden") != 0) {
        eo_err_field(err, "status", "invalid_value");
        return err->status;
    }
    if (eo_db_keyset_from(in->after, &k, err) || signed_in(u, &db, err)) return err->status;
    return eo_db_reco_list(db, u->who->employee_id, received, status, k.set ? k.at : NULL, k.set ? k.id : NULL,
                           in->limit, &out->items, &out->next, err);
}
