/* Notifications, the recipient's side over HTTP (docs/notifications.md): the
 * caller's list with its unread count, mark one / all read, the e-mail
 * opt-in; the same list and marks under /mobile/v1 in the app's compact
 * shape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "core/cursor.h"
#include "svc/notifications.h"

static void list(eo_ctx *c, bool compact)
{
    /* ?unread=true|false (default false): only the unread ones. */
    const char *unread_q = eo_query(c, "unread");
    bool unread_only = unread_q && strcmp(unread_q, "true") == 0;
    if (unread_q && !unread_only && strcmp(unread_q, "false") != 0) {
        eo_err err;
        eo_err_init(&err);
        eo_err_field(&err, "unread", "invalid_value");
        eo_reply_err(c, &err);
        return;
    }
    char scope[96];
    snprintf(scope, sizeof scope, "notifications|who=%lld|unread=%d|app=%d", c->who->employee_id, unread_only, compact);
    eo_page p;
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    long long unread = 0;
    eo_err err;
    eo_err_init(&err);
    if (eo_svc_notifications_list(&c->uow, unread_only, compact, &in, &out, &unread, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    json_t *nc = json_null();
    if (out.next) {
        char *s = eo_cursor_encode(c->app->cfg.secret_key, p.scope, out.next);
        json_decref(out.next);
        if (!s) {
            json_decref(out.items);
            eo_page_free(&p);
            eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
            return;
        }
        nc = json_string(s);
        free(s);
    }
    eo_page_free(&p);
    eo_reply_json(
        c, 200,
        json_pack("{s:o, s:o, s:I}", "items", out.items, "next_cursor", nc, "unread_count", (json_int_t)unread));
}

static void h_list(eo_ctx *c) { list(c, false); }
static void h_list_mobile(eo_ctx *c) { list(c, true); }

static void mark_read(eo_ctx *c, bool compact)
{
    long long id;
    if (!eo_param_id_or_reply(c, 0, "notification_not_found", &id)) return;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (eo_svc_notification_read(&c->uow, id, compact, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
}

static void h_read(eo_ctx *c) { mark_read(c, false); }
static void h_read_mobile(eo_ctx *c) { mark_read(c, true); }

static void h_read_all(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    long long marked = 0;
    if (eo_svc_notifications_read_all(&c->uow, &marked, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, json_pack("{s:I, s:i}", "marked", (json_int_t)marked, "unread_count", 0));
}

static void h_settings_get(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (eo_svc_notification_settings(&c->uow, NULL, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
}

static void h_settings_put(eo_ctx *c)
{
    static const char *const allowed[] = {"email", NULL};
    json_t *b = eo_body_object(c);
    if (!b) return;
    eo_err err;
    eo_err_init(&err);
    eo_json_only(b, allowed, &err);
    bool email = eo_json_get_bool(b, "email", true, 0, &err) == 1;
    json_t *out = NULL;
    if (err.status == EO_OK) eo_svc_notification_settings(&c->uow, &email, &out, &err);
    if (err.status)
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
    json_decref(b);
}

static const eo_route routes[] = {
    {"GET", "/api/v1/me/notifications", h_list, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/me/notifications/read-all", h_read_all, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/me/notifications/{id}/read", h_read, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/notification-settings", h_settings_get, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/me/notification-settings", h_settings_put, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/mobile/v1/me/notifications", h_list_mobile, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/mobile/v1/me/notifications/read-all", h_read_all, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/mobile/v1/me/notifications/{id}/read", h_read_mobile, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_notifications = {"notifications", routes, NULL, NULL};
