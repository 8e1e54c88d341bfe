/* The development programme catalogue and the RPI builder and workflow over
 * HTTP (docs/rpi.md). Rules: core/rpi.c; use cases: svc/rpi.c. This file only
 * parses and renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "core/parse.h"
#include "svc/rpi.h"

/* ------------------------------------------------------------ helpers */

static void reply(eo_ctx *c, eo_err *err, int status, json_t *out)
{
    if (err->status != EO_OK) {
        json_decref(out);
        eo_reply_err(c, err);
        return;
    }
    if (status == 204) {
        json_decref(out);
        eo_reply_empty(c, 204);
        return;
    }
    eo_reply_json(c, status, out);
}

/* A JSON array of strings (each 1..max_len, at most max_items) as JSON text
 * (the caller frees), "[]" when absent; NULL after a field error. */
static char *string_array(json_t *obj, const char *key, const char *field, size_t max_items, size_t max_len,
                          eo_err *err)
{
    json_t *a = json_object_get(obj, key);
    if (!a) return strdup("[]");
    if (!json_is_array(a)) {
        eo_err_field(err, field, "invalid_type");
        return NULL;
    }
    if (json_array_size(a) > max_items) {
        eo_err_field(err, field, "too_long");
        return NULL;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v)) {
            eo_err_field(err, field, "invalid_type");
            return NULL;
        }
        if (json_string_length(v) == 0 || json_string_length(v) > max_len) {
            eo_err_field(err, field, "invalid_value");
            return NULL;
        }
    }
    return json_dumps(a, JSON_COMPACT);
}

static bool rank_ok(const char *r)
{
    size_t n = strlen(r);
    return n >= 1 && n <= 7 && strspn(r, "IVX/abcde") == n;
}

typedef struct {
    eo_db_programme_in in;
    char *competencies, *positions, *ranks;
} programme_body;

static void programme_body_free(programme_body *b)
{
    free(b->competencies);
    free(b->positions);
    free(b->ranks);
}

static void parse_programme(json_t *b, programme_body *pb, eo_err *err)
{
    static const char *const allowed[] = {"title",     "description",  "method",        "category", "jp",
                                          "organiser", "competencies", "mandatory_for", NULL};
    memset(pb, 0, sizeof(*pb));
    eo_json_only(b, allowed, err);
    eo_db_programme_in *in = &pb->in;
    in->title = eo_json_get_str(b, "title", true, 200, err);
    if (in->title && strspn(in->title, " \t\r\n") == strlen(in->title)) eo_err_field(err, "title", "missing_field");
    in->description = eo_json_get_str(b, "description", false, 4000, err);
    in->method = eo_json_get_str(b, "method", true, 32, err);
    in->category = eo_json_get_str(b, "category", true, 32, err);
    in->jp = (int)eo_json_get_int(b, "jp", true, 1, 1000, 0, err);
    if (!json_is_null(json_object_get(b, "organiser"))) in->organiser = eo_json_get_str(b, "organiser", false, 64, err);
    pb->competencies = string_array(b, "competencies", "competencies", 50, 40, err);
    json_t *m = json_object_get(b, "mandatory_for");
    if (m && !json_is_null(m)) {
        if (!json_is_object(m)) {
            eo_err_field(err, "mandatory_for", "invalid_type");
        } else {
            static const char *const mallowed[] = {"everyone", "positions", "ranks", NULL};
            eo_err sub;
            eo_err_init(&sub);
            eo_json_only(m, mallowed, &sub);
            if (sub.n_fields) eo_err_field(err, "mandatory_for", "unknown_field");
            eo_err_clear(&sub);
            in->mandatory_all = eo_json_get_bool(m, "everyone", false, 0, err) == 1;
            pb->positions = string_array(m, "positions", "mandatory_for.positions", 100, 200, err);
            pb->ranks = string_array(m, "ranks", "mandatory_for.ranks", 30, 16, err);
            json_t *ranks = json_object_get(m, "ranks"), *v;
            size_t i;
            if (pb->ranks && json_is_array(ranks)) json_array_foreach(ranks, i, v)
                {
                    if (!rank_ok(json_string_value(v))) {
                        eo_err_field(err, "mandatory_for.ranks", "invalid_value");
                        break;
                    }
                }
        }
    }
    in->competencies = pb->competencies;
    in->positions = pb->positions;
    in->ranks = pb->ranks;
}

/* ------------------------------------------------------------ catalogue */

static void programme_save(eo_ctx *c, long long id)
{
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    programme_body pb;
    parse_programme(b, &pb, &err);
    json_t *out = NULL;
    if (err.status == EO_OK)
        id ? eo_svc_programme_update(&c->uow, id, &pb.in, &out, &err)
           : eo_svc_programme_create(&c->uow, &pb.in, &out, &err);
    programme_body_free(&pb);
    json_decref(b);
    reply(c, &err, id ? 200 : 201, out);
}

static void h_programme_create(eo_ctx *c) { programme_save(c, 0); }

static void h_programme_update(eo_ctx *c)
{
    long long id;
    if (eo_param_id_or_reply(c, 0, "programme_not_found", &id)) programme_save(c, id);
}

static void h_programme_delete(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "programme_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    eo_svc_programme_archive(&c->uow, id, &err);
    reply(c, &err, 204, NULL);
}

static void h_programme_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "programme_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_svc_programme_get(&c->uow, id, &out, &err);
    reply(c, &err, 200, out);
}

static void h_programme_list(eo_ctx *c)
{
    eo_programme_filter f = {eo_query(c, "method"), eo_query(c, "organiser"), eo_query(c, "competency")};
    eo_err err;
    eo_err_init(&err);
    if ((f.method && strlen(f.method) > 32) || (f.organiser && strlen(f.organiser) > 64) ||
        (f.competency && strlen(f.competency) > 40)) {
        eo_err_field(&err,
                     f.method && strlen(f.method) > 32         ? "method"
                     : f.organiser && strlen(f.organiser) > 64 ? "organiser"
                                                               : "competency",
                     "too_long");
        eo_reply_err(c, &err);
        return;
    }
    char scope[256];
    snprintf(scope, sizeof(scope), "programmes|method=%zu:%s|organiser=%zu:%s|competency=%zu:%s",
             f.method ? strlen(f.method) : 0, f.method ? f.method : "", f.organiser ? strlen(f.organiser) : 0,
             f.organiser ? f.organiser : "", f.competency ? strlen(f.competency) : 0, f.competency ? f.competency : "");
    eo_page p;
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {p.limit, p.after};
    eo_svc_page_out out;
    if (eo_svc_programme_list(&c->uow, &f, &in, &out, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

/* ------------------------------------------------------------ RPI */

/* ?year= (absent: the current year); false after replying 422. */
static bool year_or_reply(eo_ctx *c, int *year)
{
    const char *y = eo_query(c, "year");
    long long v = 0;
    *year = 0;
    if (y && !eo_parse_int(y, 2000, 2100, &v)) {
        eo_err err;
        eo_err_init(&err);
        eo_err_field(&err, "year", "out_of_range");
        eo_reply_err(c, &err);
        return false;
    }
    *year = (int)v;
    return true;
}

static void mine(eo_ctx *c, bool compact)
{
    int year;
    if (!year_or_reply(c, &year)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_svc_rpi_mine(&c->uow, year, compact, &out, &err);
    reply(c, &err, 200, out);
}

static void h_rpi_mine(eo_ctx *c) { mine(c, false); }
static void h_rpi_mine_mobile(eo_ctx *c) { mine(c, true); }

static void h_rpi_create(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *b = NULL, *out = NULL;
    int year = 0;
    if (c->req->binary_body_length > 0) { /* the body is optional: the current year */
        b = eo_body_object(c);
        if (!b) return;
        static const char *const allowed[] = {"year", NULL};
        eo_json_only(b, allowed, &err);
        year = (int)eo_json_get_int(b, "year", false, 2000, 2100, 0, &err);
    }
    if (err.status == EO_OK) eo_svc_rpi_create(&c->uow, year, &out, &err);
    json_decref(b);
    reply(c, &err, 201, out);
}

static void h_rpi_recommendations(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_svc_rpi_recommendations(&c->uow, &out, &err);
    reply(c, &err, 200, out);
}

static void h_rpi_get(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "rpi_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_svc_rpi_get(&c->uow, id, &out, &err);
    reply(c, &err, 200, out);
}

static void h_rpi_item_add(eo_ctx *c)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "rpi_not_found", &id)) return;
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    static const char *const allowed[] = {"programme_id", NULL};
    eo_json_only(b, allowed, &err);
    long long pid = eo_json_get_int(b, "programme_id", true, 1, 9007199254740991LL, 0, &err);
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_rpi_item_add(&c->uow, id, pid, &out, &err);
    json_decref(b);
    reply(c, &err, 200, out);
}

static void h_rpi_item_remove(eo_ctx *c)
{
    long long id, pid;
    if (!eo_param_id_or_reply(c, 0, "rpi_not_found", &id)) return;
    if (!eo_param_id_or_reply(c, 1, "rpi_item_not_found", &pid)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_svc_rpi_item_remove(&c->uow, id, pid, &out, &err);
    reply(c, &err, 200, out);
}

static void act(eo_ctx *c, eo_rpi_action action)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "rpi_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    const char *note = NULL;
    json_t *b = NULL, *out = NULL;
    if (c->req->binary_body_length > 0) { /* the body is optional: only a return needs a note */
        b = eo_body_object(c);
        if (!b) return;
        static const char *const with_note[] = {"note", NULL}, *const no_note[] = {NULL};
        eo_json_only(b, action == EO_RPI_WITHDRAW || action == EO_RPI_SUBMIT ? no_note : with_note, &err);
        note = eo_json_get_str(b, "note", false, EO_RPI_NOTE_MAX, &err);
    }
    if (err.status == EO_OK) eo_svc_rpi_act(&c->uow, id, action, note, &out, &err);
    json_decref(b);
    reply(c, &err, 200, out);
}

static void h_rpi_submit(eo_ctx *c) { act(c, EO_RPI_SUBMIT); }
static void h_rpi_withdraw(eo_ctx *c) { act(c, EO_RPI_WITHDRAW); }
static void h_rpi_verify(eo_ctx *c) { act(c, EO_RPI_VERIFY); }
static void h_rpi_approve(eo_ctx *c) { act(c, EO_RPI_APPROVE); }
static void h_rpi_return(eo_ctx *c) { act(c, EO_RPI_RETURN); }

static void h_rpi_queue(eo_ctx *c)
{
    const char *status = eo_query(c, "status");
    eo_err err;
    eo_err_init(&err);
    if (!status || (strcmp(status, "submitted") && strcmp(status, "verified"))) {
        eo_err_field(&err, "status", status ? "invalid_value" : "missing_field");
        eo_reply_err(c, &err);
        return;
    }
    char scope[96];
    snprintf(scope, sizeof(scope), "rpi.queue|who=%lld|status=%s", c->who->employee_id, status);
    eo_page p;
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {p.limit, p.after};
    eo_svc_page_out out;
    if (eo_svc_rpi_queue(&c->uow, status, &in, &out, &err) != EO_OK) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

#define R (EO_R_AUTH | EO_R_NO_STORE)
static const eo_route routes[] = {
    {"GET", "/api/v1/programmes", h_programme_list, R},
    {"POST", "/api/v1/programmes", h_programme_create, R},
    {"GET", "/api/v1/programmes/{id}", h_programme_get, R},
    {"PUT", "/api/v1/programmes/{id}", h_programme_update, R},
    {"DELETE", "/api/v1/programmes/{id}", h_programme_delete, R},
    {"GET", "/api/v1/me/rpi", h_rpi_mine, R},
    {"POST", "/api/v1/me/rpi", h_rpi_create, R},
    {"GET", "/api/v1/me/rpi/recommendations", h_rpi_recommendations, R},
    {"GET", "/api/v1/rpi", h_rpi_queue, R},
    {"GET", "/api/v1/rpi/{id}", h_rpi_get, R},
    {"POST", "/api/v1/rpi/{id}/items", h_rpi_item_add, R},
    {"DELETE", "/api/v1/rpi/{id}/items/{programme_id}", h_rpi_item_remove, R},
    {"POST", "/api/v1/rpi/{id}/submit", h_rpi_submit, R},
    {"POST", "/api/v1/rpi/{id}/withdraw", h_rpi_withdraw, R},
    {"POST", "/api/v1/rpi/{id}/verify", h_rpi_verify, R},
    {"POST", "/api/v1/rpi/{id}/approve", h_rpi_approve, R},
    {"POST", "/api/v1/rpi/{id}/return", h_rpi_return, R},
    {"GET", "/mobile/v1/me/rpi", h_rpi_mine_mobile, R},
    {NULL, NULL, NULL, 0},
};
#undef R

const eo_module eo_module_rpi = {"rpi", routes, NULL, NULL};
