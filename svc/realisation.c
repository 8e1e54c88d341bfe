#include "svc/realisation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/competency.h"
#include "db/realisation.h"
#include "svc/competency.h"
#include "svc/notify.h"

#define MAX_STAMPED 8

eo_status eo_svc_training_recorded(eo_uow *u, eo_db *db, long long training_id, long long employee_id,
                                   const char *partner, const char *title, eo_err *err)
{
    bool created = false;
    if (eo_db_training_profile_record(db, training_id, &created, err)) return err->status;
    char target[24];
    snprintf(target, sizeof target, "%lld", training_id);
    json_t *data =
        json_pack("{s:I, s:s, s:s}", "training_id", (json_int_t)training_id, "partner", partner, "title", title);
    eo_notice n = {.kind = "training.recorded",
                   .title = "Pelatihan Anda telah dicatat",
                   .body = title,
                   .target_type = "training",
                   .target_id = target,
                   .data = data};
    eo_status st = eo_svc_notify(u, EO_NOTIFY_EMPLOYEE, employee_id, &n, NULL, err);
    json_decref(data);
    if (st) return st;
    long long ids[MAX_STAMPED];
    int years[MAX_STAMPED], k = 0;
    if (eo_db_rpi_mark_realised(db, employee_id, u->now, ids, years, MAX_STAMPED, &k, err)) return err->status;
    for (int i = 0; i < k; i++) {
        char rid[24], body[64];
        snprintf(rid, sizeof rid, "%lld", ids[i]);
        snprintf(body, sizeof body, "Seluruh program RPI %d telah terealisasi", years[i]);
        json_t *d = json_pack("{s:I, s:i}", "rpi_id", (json_int_t)ids[i], "year", years[i]);
        eo_notice r = {.kind = "rpi.realised",
                       .title = "RPI bawahan Anda telah terealisasi",
                       .body = body,
                       .target_type = "rpi",
                       .target_id = rid,
                       .data = d};
        st = eo_svc_notify(u, EO_NOTIFY_SUPERVISOR, employee_id, &r, NULL, err);
        json_decref(d);
        if (st) return st;
    }
    return EO_OK;
}

eo_status eo_svc_rpi_realised_check(eo_uow *u, eo_db *db, long long employee_id, eo_err *err)
{
    long long ids[MAX_STAMPED];
    int years[MAX_STAMPED], k = 0;
    return eo_db_rpi_mark_realised(db, employee_id, u->now, ids, years, MAX_STAMPED, &k, err);
}

/* Does an effects row's programme_ref name this programme (docs/rpi.md
 * "Programme references")? */
static bool ref_names(const char *ref, long long programme_id, const char *external_id)
{
    char want[128];
    snprintf(want, sizeof want, "programme:%lld", programme_id);
    if (strcmp(ref, want) == 0) return true;
    if (!external_id) return false;
    return strncmp(ref, "plataran:", 9) == 0 && strcmp(ref + 9, external_id) == 0;
}

/* Per competency the programme addresses: the latest pre and the latest post
 * over every reference that names the programme, rendered by the competency
 * module. */
static json_t *item_effects(const eo_db_comp_effect_row *rows, int n, long long programme_id, const char *external_id,
                            const json_t *codes)
{
    json_t *out = json_array();
    size_t k;
    json_t *c;
    json_array_foreach(codes, k, c)
    {
        const char *code = json_string_value(c);
        eo_db_comp_effect_row m;
        bool any = false;
        memset(&m, 0, sizeof m);
        for (int i = 0; code && i < n; i++) {
            const eo_db_comp_effect_row *w = &rows[i];
            if (strcmp(w->code, code) != 0 || !ref_names(w->programme_ref, programme_id, external_id)) continue;
            if (!any) {
                m = *w;
                m.has_pre = m.has_post = false;
                any = true;
            }
            if (w->has_pre && (!m.has_pre || strcmp(w->pre_on, m.pre_on) > 0)) {
                m.has_pre = true;
                m.pre_centi = w->pre_centi;
                memcpy(m.pre_on, w->pre_on, sizeof m.pre_on);
            }
            if (w->has_post && (!m.has_post || strcmp(w->post_on, m.post_on) > 0)) {
                m.has_post = true;
                m.post_centi = w->post_centi;
                memcpy(m.post_on, w->post_on, sizeof m.post_on);
            }
        }
        if (any) json_array_append_new(out, eo_svc_comp_effect_json(&m));
    }
    return out;
}

/* A new object with the members of o named in keys (NULL-terminated), those o has. */
static json_t *members(const json_t *o, const char *const *keys)
{
    json_t *out = json_object();
    for (; *keys; keys++) {
        json_t *v = json_object_get(o, *keys);
        if (v) json_object_set(out, *keys, v);
    }
    return out;
}

eo_status eo_svc_rpi_realisation_attach(eo_db *db, long long rpi_id, json_t *rpi, bool compact, eo_err *err)
{
    static const char *const item_full[] = {"realised", "jp_realised", "completed_on", "trainings", NULL};
    static const char *const item_compact[] = {"realised", "jp_realised", "completed_on", NULL};
    static const char *const sum_compact[] = {"jp_planned",     "jp_realised",  "items_total",
                                              "items_realised", "all_realised", NULL};
    long long employee_id = 0;
    json_t *real = NULL;
    eo_db_comp_effect_row *rows = NULL;
    int n = 0;
    if (eo_db_rpi_realisation(db, rpi_id, &employee_id, &real, err) ||
        (!compact && eo_db_comp_effects(db, employee_id, &rows, &n, err)))
        goto done;
    json_t *by_item = json_object_get(real, "items"), *items = json_object_get(rpi, "items");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_int_t pid = json_integer_value(json_object_get(it, "programme_id"));
        size_t j;
        json_t *r, *found = NULL;
        json_array_foreach(by_item, j, r)
        {
            if (json_integer_value(json_object_get(r, "programme_id")) == pid) found = r;
        }
        if (!found) continue; /* cannot happen: the same plan's items */
        json_object_set_new(it, "realisation", members(found, compact ? item_compact : item_full));
        if (compact) continue;
        const char *ext = json_string_value(json_object_get(it, "external_id"));
        if (!json_is_string(json_object_get(it, "source")) ||
            strcmp(json_string_value(json_object_get(it, "source")), "plataran") != 0)
            ext = NULL;
        json_object_set_new(it, "effects",
                            item_effects(rows, n, (long long)pid, ext, json_object_get(found, "competencies")));
    }
    json_t *sum = json_object_get(real, "summary");
    json_object_set_new(rpi, "realisation", compact ? members(sum, sum_compact) : json_incref(sum));
done:
    free(rows);
    json_decref(real);
    return err->status;
}
