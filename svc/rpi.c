#include "svc/rpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/keyset.h"
#include "svc/access.h"
#include "svc/notify.h"
#include "svc/realisation.h"

int eo_svc_rpi_current_year(double now)
{
    time_t t = (time_t)now + 7 * 3600; /* WIB: the plan year of the central offices */
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

/* ------------------------------------------------------------ catalogue */

static bool one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0) return true;
    return false;
}

static const char *const methods[] = {"pelatihan", "coaching",   "mentoring",  "magang", "e_learning",
                                      "seminar",   "self_study", "on_the_job", NULL};
static const char *const categories[] = {"formal", "social", "experiential", NULL};

static eo_status check_programme(eo_db *db, const eo_db_programme_in *in, eo_err *err)
{
    if (in->method && !one_of(in->method, methods)) eo_err_field(err, "method", "invalid_value");
    if (in->category && !one_of(in->category, categories)) eo_err_field(err, "category", "invalid_value");
    if (err->status != EO_OK) return err->status;
    return eo_db_programme_check_refs(db, in, err);
}

static eo_status require_admin(eo_uow *u, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (!eo_svc_access_is_admin(u)) return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
    return EO_OK;
}

static eo_status programme_write(eo_uow *u, long long id, const eo_db_programme_in *in, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    if (require_admin(u, err) != EO_OK || eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (check_programme(db, in, err) != EO_OK) return err->status;
    bool creating = id == 0;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (creating) {
        if (eo_db_programme_create(db, in, &id, err) != EO_OK) goto fail;
    } else if (eo_db_programme_update(db, id, in, err) != EO_OK) {
        goto fail;
    }
    if (eo_db_programme_get(db, id, out, err) != EO_OK) goto fail;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    if (eo_uow_audit(u, creating ? "programme.create" : "programme.update", "dev_programme", target, *out, err) !=
        EO_OK)
        goto fail;
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_programme_create(eo_uow *u, const eo_db_programme_in *in, json_t **out, eo_err *err)
{
    return programme_write(u, 0, in, out, err);
}

eo_status eo_svc_programme_update(eo_uow *u, long long id, const eo_db_programme_in *in, json_t **out, eo_err *err)
{
    return programme_write(u, id, in, out, err);
}

eo_status eo_svc_programme_archive(eo_uow *u, long long id, eo_err *err)
{
    eo_db *db;
    if (require_admin(u, err) != EO_OK || eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    if (eo_db_programme_archive(db, id, err) != EO_OK ||
        eo_uow_audit(u, "programme.archive", "dev_programme", target, NULL, err) != EO_OK ||
        eo_db_commit(db, err) != EO_OK) {
        eo_db_rollback(db);
        return err->status;
    }
    return EO_OK;
}

eo_status eo_svc_programme_get(eo_uow *u, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_programme_get(db, id, out, err);
}

eo_status eo_svc_programme_list(eo_uow *u, const eo_programme_filter *f, const eo_svc_page_in *in, eo_svc_page_out *out,
                                eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (f->method && !one_of(f->method, methods)) eo_err_field(err, "method", "invalid_value");
    eo_db_programme_filter q = {
        .method = f->method, .organiser = f->organiser, .competency = f->competency, .limit = in->limit};
    eo_db_keyset_from(in->after, &q.after, err);
    if (err->status != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_programme_list(db, &q, &out->items, &out->next, err);
}

/* ------------------------------------------------------------ RPI views */

/* Adds "summary" (JP totals, the split against 10-20-70, warnings) to a plan
 * rendered by eo_db_rpi_get; *total_jp and *missing (may be NULL) feed the submit check. */
static void add_summary(json_t *rpi, int *total_jp, int *missing)
{
    json_t *items = json_object_get(rpi, "items");
    size_t n = json_array_size(items);
    int *jp = calloc(n ? n : 1, sizeof(*jp));
    eo_rpi_category *cat = calloc(n ? n : 1, sizeof(*cat));
    if (!jp || !cat) n = 0; /* out of memory: an empty summary rather than a crash */
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        jp[i] = (int)json_integer_value(json_object_get(it, "jp"));
        if (!eo_rpi_category_parse(json_string_value(json_object_get(it, "category")), &cat[i]))
            cat[i] = EO_RPI_N_CATEGORIES;
    }
    eo_rpi_summary s;
    eo_rpi_summarise(jp, cat, n, &s);
    free(jp);
    free(cat);
    json_t *per = json_object(), *split = json_object(), *target = json_object(), *warn = json_array();
    for (int c = 0; c < EO_RPI_N_CATEGORIES; c++) {
        const char *name = eo_rpi_category_name((eo_rpi_category)c);
        json_object_set_new(per, name, json_integer(s.jp[c]));
        json_object_set_new(split, name, json_integer(s.share[c]));
        json_object_set_new(target, name, json_integer(eo_rpi_target_share((eo_rpi_category)c)));
        if (s.split_off[c])
            json_array_append_new(warn, json_pack("{s:s, s:s, s:s, s:i, s:i}", "code", "split_far", "category", name,
                                                  "direction", s.split_off[c] > 0 ? "above" : "below", "share",
                                                  s.share[c], "target", eo_rpi_target_share((eo_rpi_category)c)));
    }
    int miss = (int)json_array_size(json_object_get(rpi, "missing_mandatory"));
    bool self = json_is_true(json_object_get(rpi, "self_assessed"));
    if (s.below_min_jp)
        json_array_append_new(warn, json_pack("{s:s, s:i, s:i}", "code", "jp_below_minimum", "total_jp", s.total_jp,
                                              "minimum", EO_RPI_MIN_JP));
    if (miss) json_array_append_new(warn, json_pack("{s:s, s:i}", "code", "mandatory_missing", "count", miss));
    if (!self) json_array_append_new(warn, json_pack("{s:s}", "code", "self_assessment_missing"));
    json_object_set_new(rpi, "summary",
                        json_pack("{s:i, s:o, s:o, s:o, s:o, s:b}", "total_jp", s.total_jp, "jp_per_category", per,
                                  "split", split, "target_split", target, "warnings", warn, "submittable",
                                  !s.below_min_jp && miss == 0 && self));
    if (total_jp) *total_jp = s.total_jp;
    if (missing) *missing = miss;
}

static eo_status render(eo_db *db, long long id, json_t **out, eo_err *err)
{
    if (eo_db_rpi_get(db, id, out, err) != EO_OK) return err->status;
    add_summary(*out, NULL, NULL);
    return eo_svc_rpi_realisation_attach(db, id, *out, false, err);
}

/* The caller's parts in the plan (EO_RPI_*), 0 for a bystander. */
static unsigned parts_of(const eo_uow *u, const eo_db_rpi_row *row)
{
    unsigned parts = 0;
    long long me = u->who->employee_id;
    if (row->employee_id == me) parts |= EO_RPI_AUTHOR;
    if (row->verifier) parts |= EO_RPI_VERIFIER;
    if (row->supervisor_id == me) parts |= EO_RPI_APPROVER;
    return parts;
}

/* Loads the plan for the caller; a bystander (no part, no admin) gets 404. */
static eo_status load_visible(eo_uow *u, eo_db *db, long long id, bool lock, eo_db_rpi_row *row, unsigned *parts,
                              eo_err *err)
{
    if (eo_db_rpi_load(db, id, u->who->employee_id, lock, row, err) != EO_OK) return err->status;
    *parts = parts_of(u, row);
    if (*parts == 0 && !eo_svc_access_is_admin(u)) return eo_fail(err, EO_ERR_NOT_FOUND, "rpi_not_found");
    return EO_OK;
}

eo_status eo_svc_rpi_recommendations(eo_uow *u, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    json_t *items;
    if (eo_db_rpi_recommendations(db, u->who->employee_id, &items, err) != EO_OK) return err->status;
    *out = json_pack("{s:o}", "items", items);
    return EO_OK;
}

static eo_status check_year(eo_uow *u, int *year, eo_err *err)
{
    int now = eo_svc_rpi_current_year(u->now);
    if (*year == 0) *year = now;
    if (*year < now - 1 || *year > now + 1) eo_err_field(err, "year", "out_of_range");
    return err->status;
}

eo_status eo_svc_rpi_create(eo_uow *u, int year, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (check_year(u, &year, err) != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    long long id;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_rpi_create(db, u->who->employee_id, year, u->now, &id, err) != EO_OK) goto fail;
    if (render(db, id, out, err) != EO_OK) goto fail;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    if (eo_uow_audit(u, "rpi.create", "rpi", target, NULL, err) != EO_OK) goto fail;
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_rpi_mine(eo_uow *u, int year, bool compact, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (year == 0) year = eo_svc_rpi_current_year(u->now);
    eo_db *db;
    long long id;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_rpi_find(db, u->who->employee_id, year, &id, err) != EO_OK)
        return err->status;
    if (!compact) return render(db, id, out, err);
    if (eo_db_rpi_compact(db, id, out, err) || eo_svc_rpi_realisation_attach(db, id, *out, true, err)) {
        json_decref(*out);
        *out = NULL;
    }
    return err->status;
}

eo_status eo_svc_rpi_get(eo_uow *u, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    eo_db_rpi_row row;
    unsigned parts;
    if (eo_uow_db(u, &db, err) != EO_OK || load_visible(u, db, id, false, &row, &parts, err) != EO_OK)
        return err->status;
    return render(db, id, out, err);
}

/* The author edits items of a draft; a reviewer learns it is not theirs (403). */
static eo_status item_edit(eo_uow *u, long long id, long long programme_id, bool add, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_begin(db, err) != EO_OK) return err->status;
    eo_db_rpi_row row;
    unsigned parts;
    eo_rpi_state st;
    if (load_visible(u, db, id, true, &row, &parts, err) != EO_OK) goto fail;
    if (!(parts & EO_RPI_AUTHOR)) {
        eo_fail(err, EO_ERR_FORBIDDEN, "rpi_not_author");
        goto fail;
    }
    if (!eo_rpi_state_parse(row.status, &st) || !eo_rpi_editable(st)) {
        eo_fail(err, EO_ERR_CONFLICT, "rpi_not_editable");
        goto fail;
    }
    if ((add ? eo_db_rpi_item_add(db, id, programme_id, err) : eo_db_rpi_item_remove(db, id, programme_id, err)) !=
        EO_OK)
        goto fail;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    json_t *details = json_pack("{s:I}", "programme_id", (json_int_t)programme_id);
    eo_status ast = eo_uow_audit(u, add ? "rpi.item_add" : "rpi.item_remove", "rpi", target, details, err);
    json_decref(details);
    if (ast != EO_OK || render(db, id, out, err) != EO_OK || eo_db_commit(db, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_rpi_item_add(eo_uow *u, long long id, long long programme_id, json_t **out, eo_err *err)
{
    return item_edit(u, id, programme_id, true, out, err);
}

eo_status eo_svc_rpi_item_remove(eo_uow *u, long long id, long long programme_id, json_t **out, eo_err *err)
{
    return item_edit(u, id, programme_id, false, out, err);
}

/* The notice each step sends to the next actor (withdraw: nobody; the plan
 * simply leaves the anpeg's queue). */
static eo_status notify_step(eo_uow *u, eo_rpi_action a, const eo_db_rpi_row *row, json_t *rpi, eo_err *err)
{
    static const struct {
        eo_notify_to to;
        const char *kind, *title;
    } notes[EO_RPI_N_ACTIONS] = {
        [EO_RPI_SUBMIT] = {EO_NOTIFY_ANPEG, "rpi.submitted", "RPI menunggu verifikasi"},
        [EO_RPI_VERIFY] = {EO_NOTIFY_SUPERVISOR, "rpi.verified", "RPI menunggu persetujuan atasan"},
        [EO_RPI_APPROVE] = {EO_NOTIFY_EMPLOYEE, "rpi.approved", "RPI Anda disetujui"},
        [EO_RPI_RETURN] = {EO_NOTIFY_EMPLOYEE, "rpi.returned", "RPI Anda dikembalikan untuk diperbaiki"},
    };
    if (!notes[a].kind) return EO_OK;
    char target[24], body[256];
    snprintf(target, sizeof(target), "%lld", row->id);
    json_t *emp = json_object_get(rpi, "employee");
    snprintf(body, sizeof(body), "RPI %d %s (%s)", row->year, json_string_value(json_object_get(emp, "name")),
             json_string_value(json_object_get(emp, "nip")));
    json_t *data = json_pack("{s:I, s:i, s:s}", "rpi_id", (json_int_t)row->id, "year", row->year, "status",
                             json_string_value(json_object_get(rpi, "status")));
    eo_notice n = {.kind = notes[a].kind,
                   .title = notes[a].title,
                   .body = body,
                   .target_type = "rpi",
                   .target_id = target,
                   .data = data};
    eo_status st = eo_svc_notify(u, notes[a].to, row->employee_id, &n, NULL, err);
    json_decref(data);
    return st;
}

eo_status eo_svc_rpi_act(eo_uow *u, long long id, eo_rpi_action action, const char *note, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_begin(db, err) != EO_OK) return err->status;
    eo_db_rpi_row row;
    unsigned parts;
    eo_rpi_state from, to;
    json_t *before = NULL;
    if (load_visible(u, db, id, true, &row, &parts, err) != EO_OK) goto fail;
    if (!eo_rpi_state_parse(row.status, &from)) {
        eo_fail_log(err, EO_ERR_INTERNAL, "internal", "rpi %lld: status %s", id, row.status);
        goto fail;
    }
    if (eo_rpi_apply(from, action, parts, note, &to, err) != EO_OK) goto fail;
    if (action == EO_RPI_SUBMIT) {
        int total = 0, missing = 0;
        if (eo_db_rpi_get(db, id, &before, err) != EO_OK) goto fail;
        add_summary(before, &total, &missing);
        if (eo_rpi_check_submit(total, missing, json_is_true(json_object_get(before, "self_assessed")), err) != EO_OK) {
            eo_err_extra(err, "total_jp", json_integer(total));
            eo_err_extra(err, "missing_mandatory", json_incref(json_object_get(before, "missing_mandatory")));
            goto fail;
        }
    }
    const char *blank_free = note && strspn(note, " \t\r\n") != strlen(note) ? note : NULL;
    if (eo_db_rpi_step(db, id, eo_rpi_action_name(action), eo_rpi_state_name(from), eo_rpi_state_name(to),
                       u->who->employee_id, blank_free, u->now, err) != EO_OK)
        goto fail;
    if (action == EO_RPI_APPROVE && eo_svc_rpi_realised_check(u, db, row.employee_id, err) != EO_OK) goto fail;
    if (render(db, id, out, err) != EO_OK) goto fail;
    char action_name[32], target[24];
    snprintf(action_name, sizeof(action_name), "rpi.%s", eo_rpi_action_name(action));
    snprintf(target, sizeof(target), "%lld", id);
    json_t *details = json_pack("{s:s, s:s, s:i, s:s?}", "from", eo_rpi_state_name(from), "to", eo_rpi_state_name(to),
                                "revision", row.revision, "note", blank_free);
    eo_status ast = eo_uow_audit(u, action_name, "rpi", target, details, err);
    json_decref(details);
    if (ast != EO_OK || notify_step(u, action, &row, *out, err) != EO_OK || eo_db_commit(db, err) != EO_OK) goto fail;
    json_decref(before);
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(before);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_rpi_queue(eo_uow *u, const char *status, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (!status)
        eo_err_field(err, "status", "missing_field");
    else if (strcmp(status, "submitted") && strcmp(status, "verified"))
        eo_err_field(err, "status", "invalid_value");
    eo_db_keyset after;
    eo_db_keyset_from(in->after, &after, err);
    if (err->status != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_rpi_queue(db, u->who->employee_id, status, &after, in->limit, &out->items, &out->next, err);
}
