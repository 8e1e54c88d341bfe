/* The integration API (/integration/v1, docs/integration-api.md): partner
 * systems with scoped API keys push assessment-centre results and completed
 * trainings and read an employee's public card; admin creates, lists and
 * revokes the keys (/api/v1/admin/api-keys). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/competency.h"
#include "core/competency.h"
#include "core/parse.h"
#include "core/presensi.h"
#include "core/programme_ref.h"
#include "svc/integration.h"

eo_status eo_apikey_authenticate(eo_ctx *c, eo_err *err)
{
    return eo_svc_apikey_authenticate(&c->uow, eo_header(c, "X-API-Key"), &c->client, err);
}

/* ---- batch parsing: shape errors go to the per-item report ---- */

/* The "items" array of a batch body, or NULL after replying (field errors on "items"). */
static json_t *batch_items(eo_ctx *c, json_t *body)
{
    static const char *const allowed[] = {"items", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_json_only(body, allowed, &err);
    json_t *items = json_object_get(body, "items");
    if (!items || json_is_null(items))
        eo_err_field(&err, "items", "missing_field");
    else if (!json_is_array(items))
        eo_err_field(&err, "items", "invalid_type");
    else if (json_array_size(items) == 0)
        eo_err_field(&err, "items", "missing_field");
    else if (json_array_size(items) > EO_INTEGRATION_MAX_ITEMS)
        eo_err_field(&err, "items", "too_many_items");
    if (err.status == EO_OK) return items;
    eo_reply_err(c, &err);
    eo_err_clear(&err);
    return NULL;
}

/* Field errors of one item (collected in sub) moved into the report. */
static void report_sub(json_t *report, size_t i, eo_err *sub)
{
    for (int k = 0; k < sub->n_fields; k++)
        eo_svc_integration_report(report, i, sub->fields[k].field, sub->fields[k].code);
    eo_err_clear(sub);
}

static const char *item_date(json_t *o, const char *key, eo_err *sub)
{
    int y, m, d;
    const char *s = eo_json_get_str(o, key, true, 10, sub);
    if (s && !eo_presensi_parse_date(s, &y, &m, &d)) {
        eo_err_field(sub, key, "invalid_value");
        return NULL;
    }
    return s;
}

/* The same partner id twice in one batch is ambiguous (which one wins?). */
static void check_repeated_ids(json_t *report, const char *const *ids, size_t n, const char *field)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; ids[i] && k < i; k++)
            if (ids[k] && strcmp(ids[i], ids[k]) == 0) {
                eo_svc_integration_report(report, i, field, "duplicate_in_batch");
                break;
            }
}

static void parse_assessment(json_t *o, size_t i, eo_svc_integ_assessment *a, json_t *report)
{
    static const char *const keys[] = {"partner_result_id", "nip", "assessed_on", "assessor", "scores", NULL};
    static const char *const score_keys[] = {"code", "score", NULL};
    eo_err sub;
    eo_err_init(&sub);
    if (!json_is_object(o)) {
        eo_svc_integration_report(report, i, "item", "invalid_type");
        return;
    }
    eo_json_only(o, keys, &sub);
    a->partner_result_id = eo_json_get_str(o, "partner_result_id", true, 200, &sub);
    a->nip = eo_json_get_str(o, "nip", true, 18, &sub);
    a->assessed_on = item_date(o, "assessed_on", &sub);
    a->assessor = eo_json_get_str(o, "assessor", false, 200, &sub);
    json_t *list = json_object_get(o, "scores");
    if (!json_is_array(list) || json_array_size(list) == 0)
        eo_err_field(&sub, "scores",
                     list && !json_is_null(list) && !json_is_array(list) ? "invalid_type" : "missing_field");
    else if (json_array_size(list) > 64)
        eo_err_field(&sub, "scores", "too_many_items");
    else {
        size_t k;
        json_t *s;
        json_array_foreach(list, k, s)
        {
            char f[48];
            snprintf(f, sizeof f, "scores[%zu]", k);
            if (!json_is_object(s)) {
                eo_err_field(&sub, f, "invalid_type");
                continue;
            }
            eo_err one;
            eo_err_init(&one);
            eo_json_only(s, score_keys, &one);
            const char *code = eo_json_get_str(s, "code", true, 40, &one);
            double v = eo_json_get_num(s, "score", true, 0, 5, -1, &one);
            int centi = 0;
            if (v >= 0 && !eo_competency_score_from_double(v, &centi)) eo_err_field(&one, "score", "invalid_value");
            if (code && !eo_competency_code_valid(code)) eo_err_field(&one, "code", "competency_not_found");
            for (size_t j = 0; code && j < a->n_scores; j++)
                if (strcmp(a->scores[j].code, code) == 0) eo_err_field(&one, "code", "answer_repeated");
            for (int e = 0; e < one.n_fields; e++) {
                char g[64];
                snprintf(g, sizeof g, "scores[%zu].%.20s", k, one.fields[e].field);
                eo_err_field(&sub, g, one.fields[e].code);
            }
            if (one.status == EO_OK) a->scores[a->n_scores++] = (eo_svc_integ_score){code, centi};
            eo_err_clear(&one);
        }
    }
    report_sub(report, i, &sub);
}

static void parse_training(json_t *o, size_t i, eo_svc_integ_training *t, json_t *report)
{
    static const char *const keys[] = {
        "partner_training_id",   "nip",           "title", "organiser", "jp_hours", "started_on", "finished_on",
        "programme_external_id", "programme_ref", NULL};
    eo_err sub;
    eo_err_init(&sub);
    if (!json_is_object(o)) {
        eo_svc_integration_report(report, i, "item", "invalid_type");
        return;
    }
    eo_json_only(o, keys, &sub);
    t->partner_training_id = eo_json_get_str(o, "partner_training_id", true, 200, &sub);
    t->nip = eo_json_get_str(o, "nip", true, 18, &sub);
    t->title = eo_json_get_str(o, "title", true, 300, &sub);
    t->organiser = eo_json_get_str(o, "organiser", true, 200, &sub);
    double jp = eo_json_get_num(o, "jp_hours", true, 0.01, 1000, -1, &sub);
    if (jp > 0) {
        /* hundredths, like scores: JP hours 0.01..1000.00 */
        double centi = jp * 100.0;
        long long r = (long long)(centi + 0.5);
        if ((double)r - centi > 1e-6 || centi - (double)r > 1e-6)
            eo_err_field(&sub, "jp_hours", "invalid_value");
        else
            t->jp_centi = (int)r;
    }
    t->started_on = item_date(o, "started_on", &sub);
    t->finished_on = item_date(o, "finished_on", &sub);
    if (t->started_on && t->finished_on && strcmp(t->finished_on, t->started_on) < 0)
        eo_err_field(&sub, "finished_on", "out_of_range");
    t->programme_external_id = eo_json_get_str(o, "programme_external_id", false, 100, &sub);
    if (t->programme_external_id && !eo_programme_external_id_valid(t->programme_external_id))
        eo_err_field(&sub, "programme_external_id", "invalid_value");
    t->programme_ref = eo_json_get_str(o, "programme_ref", false, 200, &sub);
    eo_programme_ref ref;
    if (t->programme_ref && !eo_programme_ref_parse(t->programme_ref, &ref))
        eo_err_field(&sub, "programme_ref", "invalid_value");
    if (t->title && strspn(t->title, " \t\r\n") == strlen(t->title)) eo_err_field(&sub, "title", "missing_field");
    if (t->organiser && strspn(t->organiser, " \t\r\n") == strlen(t->organiser))
        eo_err_field(&sub, "organiser", "missing_field");
    report_sub(report, i, &sub);
}

/* One kind of batch push: how an item is read (returning its partner id) and
 * the use case that takes the whole batch. */
typedef struct {
    size_t size; /* of one parsed item */
    const char *id_field;
    const char *(*read)(json_t *o, size_t i, void *item, json_t *report);
    eo_status (*run)(eo_uow *u, const eo_api_client *client, const void *items, size_t n, json_t *report, json_t **out,
                     eo_err *err);
} batch_kind;

static const char *read_assessment(json_t *o, size_t i, void *item, json_t *report)
{
    eo_svc_integ_assessment *a = item;
    parse_assessment(o, i, a, report);
    return a->partner_result_id;
}

static eo_status run_assessments(eo_uow *u, const eo_api_client *client, const void *items, size_t n, json_t *report,
                                 json_t **out, eo_err *err)
{
    return eo_svc_integration_assessments(u, client, items, n, report, out, err);
}

static const char *read_training(json_t *o, size_t i, void *item, json_t *report)
{
    eo_svc_integ_training *t = item;
    parse_training(o, i, t, report);
    return t->partner_training_id;
}

static eo_status run_trainings(eo_uow *u, const eo_api_client *client, const void *items, size_t n, json_t *report,
                               json_t **out, eo_err *err)
{
    return eo_svc_integration_trainings(u, client, items, n, report, out, err);
}

static const batch_kind assessments = {sizeof(eo_svc_integ_assessment), "partner_result_id", read_assessment,
                                       run_assessments};
static const batch_kind trainings = {sizeof(eo_svc_integ_training), "partner_training_id", read_training,
                                     run_trainings};

/* {items: [...]}: every item read and checked (per-item report, repeated
 * partner ids), then the use case, all-or-nothing. */
static void push_batch(eo_ctx *c, const batch_kind *k)
{
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c), *items = NULL, *report = NULL, *out = NULL;
    unsigned char *parsed = NULL;
    const char **ids = NULL;
    if (!body || !(items = batch_items(c, body))) goto done;
    size_t n = json_array_size(items);
    parsed = calloc(n, k->size);
    ids = calloc(n, sizeof(*ids));
    report = json_array();
    if (!parsed || !ids) {
        eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    for (size_t i = 0; i < n; i++) ids[i] = k->read(json_array_get(items, i), i, parsed + i * k->size, report);
    check_repeated_ids(report, ids, n, k->id_field);
    if (k->run(&c->uow, &c->client, parsed, n, report, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_comp_reply(c, 200, out);
done:
    free(parsed);
    free(ids);
    json_decref(report);
    json_decref(body);
    eo_err_clear(&err);
}

static void h_push_assessments(eo_ctx *c) { push_batch(c, &assessments); }
static void h_push_trainings(eo_ctx *c) { push_batch(c, &trainings); }

static void h_employee_card(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (eo_svc_integration_employee(&c->uow, &c->client, eo_param(c, 0), &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
    eo_err_clear(&err);
}

/* ---- admin: the keys ---- */

static void h_keys_list(eo_ctx *c)
{
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    if (!eo_page_or_reply(c, "admin.api_keys", EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    if (eo_svc_apikey_list(&c->uow, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        eo_err_clear(&err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

static void h_keys_create(eo_ctx *c)
{
    static const char *const allowed[] = {"partner", "description", "scopes", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *scopes[3];
    eo_svc_apikey_create_in in = {.partner = eo_json_get_str(body, "partner", true, 64, &err),
                                  .description = eo_json_get_str(body, "description", false, 200, &err),
                                  .scopes = scopes};
    json_t *list = json_object_get(body, "scopes");
    if (!list || json_is_null(list))
        eo_err_field(&err, "scopes", "missing_field");
    else if (!json_is_array(list))
        eo_err_field(&err, "scopes", "invalid_type");
    else if (json_array_size(list) > 3)
        eo_err_field(&err, "scopes", "too_many_items");
    else {
        size_t i;
        json_t *v;
        json_array_foreach(list, i, v)
        {
            if (!json_is_string(v)) {
                eo_err_field(&err, "scopes", "invalid_type");
                break;
            }
            scopes[in.n_scopes++] = json_string_value(v);
        }
    }
    char key[EO_APIKEY_TEXT_LEN + 1];
    json_t *out = NULL;
    if (eo_svc_apikey_create(&c->uow, &in, key, &out, &err)) {
        eo_reply_err(c, &err);
    } else {
        json_object_set_new(out, "key", json_string(key));
        eo_reply_json(c, 201, out);
    }
    sodium_memzero(key, sizeof key);
    json_decref(body);
    eo_err_clear(&err);
}

static void h_keys_revoke(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    long long id = 0;
    if (!eo_parse_id(eo_param(c, 0), &id)) id = 0;
    json_t *out = NULL;
    if (eo_svc_apikey_revoke(&c->uow, id, NULL, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
    eo_err_clear(&err);
}

#define K EO_R_APIKEY | EO_R_NO_STORE
#define A EO_R_AUTH | EO_R_NO_STORE
static const eo_route routes[] = {
    {"POST", "/integration/v1/assessments", h_push_assessments, K},
    {"POST", "/integration/v1/trainings", h_push_trainings, K},
    {"GET", "/integration/v1/employees/{nip}", h_employee_card, K},
    {"GET", "/api/v1/admin/api-keys", h_keys_list, A},
    {"POST", "/api/v1/admin/api-keys", h_keys_create, A},
    {"DELETE", "/api/v1/admin/api-keys/{id}", h_keys_revoke, A},
    {NULL, NULL, NULL, 0},
};
#undef K
#undef A

const eo_module eo_module_integration = {"integration", routes, NULL, NULL};
