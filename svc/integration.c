#include "svc/integration.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/competency.h"
#include "core/programme_ref.h"
#include "db/employees.h"
#include "db/competency.h"
#include "db/integration.h"
#include "db/keyset.h"
#include "svc/access.h"
#include "svc/notify.h"
#include "svc/realisation.h"

/* ---- keys ---- */

eo_status eo_svc_apikey_authenticate(eo_uow *u, const char *key, eo_api_client *client, eo_err *err)
{
    memset(client, 0, sizeof(*client));
    if (!key || !*key) return eo_fail(err, EO_ERR_UNAUTHORIZED, "api_key_required");
    char prefix[EO_APIKEY_PREFIX_LEN + 1];
    unsigned char hash[32];
    if (!eo_apikey_parse(key, prefix, hash)) return eo_fail(err, EO_ERR_UNAUTHORIZED, "api_key_invalid");
    eo_db *db = NULL;
    eo_db_apikey_row row;
    if (eo_uow_db(u, &db, err) || eo_db_apikey_lookup(db, prefix, &row, err)) return err->status;
    /* compared whether or not the prefix was found, so the time taken does not tell */
    static const unsigned char none[32];
    bool match = eo_apikey_hash_equal(row.found ? row.hash : none, hash) && row.found;
    sodium_memzero(hash, sizeof hash);
    if (!match) return eo_fail(err, EO_ERR_UNAUTHORIZED, "api_key_invalid");
    if (row.revoked) return eo_fail(err, EO_ERR_UNAUTHORIZED, "api_key_revoked");
    if (eo_db_apikey_touch(db, row.client.id, err)) return err->status;
    *client = row.client;
    return EO_OK;
}

/* An admin, or the command line (no principal: the operator on the server). */
static eo_status require_key_admin(const eo_uow *u, eo_err *err)
{
    if (!u->who || eo_svc_access_is_admin(u)) return EO_OK;
    eo_err_clear(err);
    return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
}

eo_status eo_svc_apikey_create(eo_uow *u, const eo_svc_apikey_create_in *in, char *key_text, json_t **out, eo_err *err)
{
    *out = NULL;
    key_text[0] = '\0';
    if (require_key_admin(u, err)) return err->status;
    if (in->partner && !eo_apikey_partner_valid(in->partner)) eo_err_field(err, "partner", "invalid_value");
    if (in->n_scopes == 0) eo_err_field(err, "scopes", "missing_field");
    for (size_t i = 0; i < in->n_scopes; i++)
        if (!eo_apikey_scope_bit(in->scopes[i])) {
            char f[32];
            snprintf(f, sizeof f, "scopes[%zu]", i);
            eo_err_field(err, f, "invalid_value");
        }
    if (err->status) return err->status;
    json_t *scopes = json_array();
    for (size_t i = 0; i < in->n_scopes; i++) json_array_append_new(scopes, json_string(in->scopes[i]));
    char prefix[EO_APIKEY_PREFIX_LEN + 1];
    unsigned char hash[32];
    eo_apikey_generate(key_text, prefix, hash);
    eo_db *db = NULL;
    long long id = 0;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err) ||
        eo_db_apikey_insert(db, prefix, hash, in->partner, in->description, scopes, u->who ? u->who->employee_id : 0,
                            &id, out, err) ||
        eo_uow_audit(u, "integration.api_key_create", "api_key", prefix, *out, err) || eo_db_commit(db, err)) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
        sodium_memzero(key_text, EO_APIKEY_TEXT_LEN + 1);
    }
    json_decref(scopes);
    return err->status;
}

eo_status eo_svc_apikey_list(eo_uow *u, const eo_svc_page_in *page, eo_svc_page_out *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    eo_db *db = NULL;
    eo_db_keyset after;
    if (require_key_admin(u, err) || eo_db_keyset_from(page->after, &after, err) || eo_uow_db(u, &db, err))
        return err->status;
    return eo_db_apikey_list(db, &after, page->limit, &out->items, &out->next, err);
}

eo_status eo_svc_apikey_revoke(eo_uow *u, long long id, const char *prefix, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_key_admin(u, err) || eo_uow_db(u, &db, err)) return err->status;
    if (prefix && eo_db_apikey_id_by_prefix(db, prefix, &id, err)) return err->status;
    if (id <= 0) return eo_fail(err, EO_ERR_NOT_FOUND, "api_key_not_found");
    if (eo_db_begin(db, err) || eo_db_apikey_revoke(db, id, u->who ? u->who->employee_id : 0, err) ||
        eo_db_apikey_get(db, id, out, err) ||
        eo_uow_audit(u, "integration.api_key_revoke", "api_key", json_string_value(json_object_get(*out, "prefix")),
                     NULL, err) ||
        eo_db_commit(db, err)) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
    }
    return err->status;
}

/* ---- pushes ---- */

void eo_svc_integration_report(json_t *report, size_t index, const char *field, const char *code)
{
    size_t i;
    json_t *it, *found = NULL;
    json_array_foreach(report, i, it)
    {
        if ((size_t)json_integer_value(json_object_get(it, "index")) == index) found = it;
    }
    if (!found) {
        found = json_pack("{s:I, s:[]}", "index", (json_int_t)index, "errors");
        json_array_append_new(report, found);
    }
    json_array_append_new(json_object_get(found, "errors"), json_pack("{s:s, s:s}", "field", field, "code", code));
}

static bool reported(const json_t *report, size_t index)
{
    size_t i;
    json_t *it;
    json_array_foreach(report, i, it)
    {
        if ((size_t)json_integer_value(json_object_get(it, "index")) == index) return true;
    }
    return false;
}

static eo_status require_scope(const eo_api_client *client, unsigned scope, eo_err *err)
{
    if (client && (client->scopes & scope)) return EO_OK;
    eo_err_clear(err);
    eo_fail(err, EO_ERR_FORBIDDEN, "api_key_scope_missing");
    eo_err_extra(err, "required_scope", json_string(eo_apikey_scope_name(scope)));
    return err->status;
}

static eo_status batch_invalid(json_t *report, eo_err *err)
{
    eo_fail(err, EO_ERR_INVALID, "batch_invalid");
    eo_err_extra(err, "items", json_incref(report));
    return err->status;
}

/* The end of a batch push: any item refused rolls everything back (422 with
 * the per-item report); otherwise the audit row, the commit and the answer
 * {items, created, existing}. Owns results either way. */
static eo_status batch_finish(eo_uow *u, eo_db *db, const eo_api_client *client, const char *action, json_t *report,
                              json_t *results, size_t created, size_t existing, json_t **out, eo_err *err)
{
    if (json_array_size(report)) {
        eo_db_rollback(db);
        json_decref(results);
        return batch_invalid(report, err);
    }
    json_t *details = json_pack("{s:s, s:I, s:I}", "partner", client->partner, "created", (json_int_t)created,
                                "existing", (json_int_t)existing);
    eo_status st = eo_uow_audit(u, action, "api_key", client->prefix, details, err);
    json_decref(details);
    if (st || eo_db_commit(db, err)) {
        eo_db_rollback(db);
        json_decref(results);
        return err->status;
    }
    *out = json_pack("{s:o, s:I, s:I}", "items", results, "created", (json_int_t)created, "existing",
                     (json_int_t)existing);
    return EO_OK;
}

static json_t *result_item(size_t index, const char *partner_id, long long id, bool existed)
{
    return json_pack("{s:I, s:s, s:I, s:s}", "index", (json_int_t)index, "partner_id", partner_id, "id", (json_int_t)id,
                     "status", existed ? "existing" : "created");
}

eo_status eo_svc_integration_assessments(eo_uow *u, const eo_api_client *client, const eo_svc_integ_assessment *items,
                                         size_t n, json_t *report, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_scope(client, EO_SCOPE_ASSESSMENT_WRITE, err) || eo_uow_db(u, &db, err) || eo_db_begin(db, err))
        return err->status;
    json_t *results = json_array();
    size_t created = 0, existing = 0;
    eo_db_comp_score scores[64];
    for (size_t i = 0; i < n; i++) {
        const eo_svc_integ_assessment *a = &items[i];
        if (reported(report, i)) continue;
        long long emp = 0;
        if (eo_db_employee_id(db, a->nip, true, NULL, &emp, err)) goto fail;
        if (!emp) eo_svc_integration_report(report, i, "nip", "employee_not_found");
        json_t *codes = json_array(), *unknown = NULL;
        for (size_t k = 0; k < a->n_scores; k++) json_array_append_new(codes, json_string(a->scores[k].code));
        eo_status st = eo_db_comp_unknown_codes(db, codes, &unknown, err);
        json_decref(codes);
        if (st) goto fail;
        for (size_t k = 0; k < a->n_scores; k++) {
            size_t j;
            json_t *v;
            json_array_foreach(unknown, j, v)
            {
                if (strcmp(json_string_value(v), a->scores[k].code) == 0) {
                    char f[48];
                    snprintf(f, sizeof f, "scores[%zu].code", k);
                    eo_svc_integration_report(report, i, f, "competency_not_found");
                }
            }
        }
        json_decref(unknown);
        if (reported(report, i)) continue;
        for (size_t k = 0; k < a->n_scores; k++)
            scores[k] = (eo_db_comp_score){a->scores[k].code, a->scores[k].score_centi, NULL};
        eo_db_comp_assessment row = {.employee_id = emp,
                                     .type = "assessment_centre",
                                     .assessed_on = a->assessed_on,
                                     .assessor = a->assessor,
                                     .source = "integration",
                                     .partner = client->partner,
                                     .partner_result_id = a->partner_result_id,
                                     .api_key_id = client->id,
                                     .scores = scores,
                                     .n_scores = (int)a->n_scores};
        long long id = 0;
        bool existed = false, same = false;
        if (eo_db_comp_assessment_insert(db, &row, &id, &existed, &same, err)) goto fail;
        if (existed && !same) {
            eo_svc_integration_report(report, i, "partner_result_id", "partner_result_conflict");
            continue;
        }
        if (!existed) {
            char idt[24];
            snprintf(idt, sizeof idt, "%lld", id);
            eo_notice notice = {.kind = "assessment.recorded",
                                .title = "Hasil asesmen kompetensi Anda telah diterima",
                                .body = client->partner,
                                .target_type = "assessment",
                                .target_id = idt};
            if (eo_svc_notify(u, EO_NOTIFY_EMPLOYEE, emp, &notice, NULL, err)) goto fail;
        }
        existed ? existing++ : created++;
        json_array_append_new(results, result_item(i, a->partner_result_id, id, existed));
    }
    return batch_finish(u, db, client, "integration.assessments_push", report, results, created, existing, out, err);
fail:
    eo_db_rollback(db);
    json_decref(results);
    return err->status;
}

/* Today's date in WIB (YYYY-MM-DD): a training finished after it is not completed. */
static void wib_today(double now, char out[11])
{
    time_t t = (time_t)now + 7 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

eo_status eo_svc_integration_trainings(eo_uow *u, const eo_api_client *client, const eo_svc_integ_training *items,
                                       size_t n, json_t *report, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_scope(client, EO_SCOPE_TRAINING_WRITE, err) || eo_uow_db(u, &db, err) || eo_db_begin(db, err))
        return err->status;
    json_t *results = json_array();
    size_t created = 0, existing = 0;
    for (size_t i = 0; i < n; i++) {
        const eo_svc_integ_training *t = &items[i];
        if (reported(report, i)) continue;
        long long emp = 0;
        if (eo_db_employee_id(db, t->nip, true, NULL, &emp, err)) goto fail;
        if (!emp) {
            eo_svc_integration_report(report, i, "nip", "employee_not_found");
            continue;
        }
        char today[11];
        wib_today(u->now, today);
        if (t->finished_on && strcmp(t->finished_on, today) > 0) {
            eo_svc_integration_report(report, i, "finished_on", "date_in_future");
            continue;
        }
        /* the programme: Plataran's id first, else the reference (docs/rpi.md "Programme references") */
        const char *external = t->programme_external_id;
        long long programme = 0;
        eo_programme_ref ref;
        if (!external && t->programme_ref && eo_programme_ref_parse(t->programme_ref, &ref)) {
            if (ref.kind == EO_PREF_PLATARAN) external = ref.external;
            if (ref.kind == EO_PREF_PROGRAMME) {
                bool exists = false;
                if (eo_db_integration_programme_exists(db, ref.id, &exists, err)) goto fail;
                if (!exists) {
                    eo_svc_integration_report(report, i, "programme_ref", "programme_not_found");
                    continue;
                }
                programme = ref.id;
            }
        }
        char jp[16];
        snprintf(jp, sizeof jp, "%d.%02d", t->jp_centi / 100, t->jp_centi % 100);
        eo_db_training row = {.employee_id = emp,
                              .title = t->title,
                              .organiser = t->organiser,
                              .jp_hours = jp,
                              .started_on = t->started_on,
                              .finished_on = t->finished_on,
                              .partner = client->partner,
                              .partner_training_id = t->partner_training_id,
                              .api_key_id = client->id,
                              .programme_external_id = external,
                              .programme_id = programme,
                              .programme_ref = t->programme_ref};
        long long id = 0;
        bool existed = false, same = false;
        if (eo_db_training_insert(db, &row, &id, &existed, &same, err)) goto fail;
        if (existed && !same) {
            eo_svc_integration_report(report, i, "partner_training_id", "partner_result_conflict");
            continue;
        }
        /* a batch that fails later rolls all of this back with the trainings */
        if (!existed && eo_svc_training_recorded(u, db, id, emp, client->partner, t->title, err)) goto fail;
        existed ? existing++ : created++;
        json_array_append_new(results, result_item(i, t->partner_training_id, id, existed));
    }
    return batch_finish(u, db, client, "integration.trainings_push", report, results, created, existing, out, err);
fail:
    eo_db_rollback(db);
    json_decref(results);
    return err->status;
}

eo_status eo_svc_integration_employee(eo_uow *u, const eo_api_client *client, const char *nip, json_t **out,
                                      eo_err *err)
{
    *out = NULL;
    eo_db *db = NULL;
    if (require_scope(client, EO_SCOPE_EMPLOYEES_READ, err)) return err->status;
    if (!nip || strlen(nip) != 18 || strspn(nip, "0123456789") != 18)
        return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_db_integration_employee_card(db, nip, out, err);
}
