/* Authenticator enrolments: the QR images (GET …/enrolments/{id}/qr.png|svg)
 * and verification (POST …/enrolments/{id}/verify), the enrolment answer
 * shared with sign-up, reset and the admin help-desk reset (api/admin.c). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth_handlers.h"
#include "core/parse.h"
#include "core/qr.h"
#include "core/totp.h"

/* "<prefix><base64 of data>" into buf (cap bytes). */
static void data_uri(char *buf, size_t cap, const char *prefix, const unsigned char *data, size_t len)
{
    int n = snprintf(buf, cap, "%s", prefix);
    sodium_bin2base64(buf + n, cap - (size_t)n, data, len, sodium_base64_VARIANT_ORIGINAL);
}

eo_status eo_auth_enrolment_json(eo_ctx *c, const eo_enrolment_started *en, json_t **out, eo_err *err)
{
    char b32[EO_TOTP_B32_LEN], uri[512];
    eo_totp_base32(en->secret, b32);
    eo_status st = eo_totp_uri(c->app->cfg.totp_issuer, en->nip, b32, uri, sizeof uri, err);
    if (st) return st;
    unsigned char *png = NULL;
    size_t png_len = 0;
    char *svg = NULL;
    st = eo_qr_png(uri, 6, &png, &png_len, err);
    if (!st) st = eo_qr_svg(uri, &svg, err);
    if (st) {
        free(png);
        return st;
    }
    size_t svg_len = strlen(svg);
    size_t cap = 64 + sodium_base64_ENCODED_LEN(png_len > svg_len ? png_len : svg_len, sodium_base64_VARIANT_ORIGINAL);
    char *buf = malloc(cap);
    if (!buf) {
        free(png);
        free(svg);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    json_t *o = json_object();
    json_object_set_new(o, "enrolment_id", json_integer(en->enrolment_id));
    json_object_set_new(o, "enrolment_token", json_string(en->token));
    json_object_set_new(o, "expires_at", json_string(en->expires_at));
    json_object_set_new(o, "otpauth_uri", json_string(uri));
    json_object_set_new(o, "secret", json_string(b32));
    json_object_set_new(o, "algorithm", json_string("SHA1"));
    json_object_set_new(o, "digits", json_integer(EO_TOTP_DIGITS));
    json_object_set_new(o, "period", json_integer(EO_TOTP_PERIOD));
    data_uri(buf, cap, "data:image/png;base64,", png, png_len);
    json_object_set_new(o, "qr_png", json_string(buf));
    data_uri(buf, cap, "data:image/svg+xml;base64,", (const unsigned char *)svg, svg_len);
    json_object_set_new(o, "qr_svg", json_string(buf));
    char url[128];
    snprintf(url, sizeof url, "/api/v1/auth/enrolments/%lld/qr.png", en->enrolment_id);
    json_object_set_new(o, "qr_png_url", json_string(url));
    snprintf(url, sizeof url, "/api/v1/auth/enrolments/%lld/qr.svg", en->enrolment_id);
    json_object_set_new(o, "qr_svg_url", json_string(url));
    if (en->n_codes > 0) {
        json_t *arr = json_array();
        for (int i = 0; i < en->n_codes; i++) json_array_append_new(arr, json_string(en->codes[i]));
        json_object_set_new(o, "recovery_codes", arr);
    }
    sodium_memzero(b32, sizeof b32);
    free(buf);
    free(png);
    free(svg);
    *out = o;
    return EO_OK;
}

/* The enrolment named by the path; its token comes from the header
 * X-Enrolment-Token, or ?token= for <img src>. */
static eo_enrolment_ref enrolment_ref(eo_ctx *c, const char *token)
{
    eo_enrolment_ref ref = {.id = 0, .token = token};
    if (!eo_parse_id(eo_param(c, 0), &ref.id)) ref.id = 0;
    return ref;
}

static void qr_reply(eo_ctx *c, bool png)
{
    eo_err err;
    eo_err_init(&err);
    const char *token = eo_header(c, "X-Enrolment-Token");
    eo_enrolment_ref ref = enrolment_ref(c, token ? token : eo_query(c, "token"));
    eo_enrolment_uri u;
    unsigned char *data = NULL;
    char *svg = NULL;
    size_t len = 0;
    if (eo_svc_enrolment_uri(&c->uow, &ref, &u, &err) ||
        (png ? eo_qr_png(u.otpauth_uri, 8, &data, &len, &err) : eo_qr_svg(u.otpauth_uri, &svg, &err)))
        eo_reply_err(c, &err);
    else if (png)
        eo_reply_bytes(c, 200, "image/png", data, len);
    else
        eo_reply_bytes(c, 200, "image/svg+xml", svg, strlen(svg));
    free(data);
    free(svg);
    sodium_memzero(&u, sizeof u);
    eo_err_clear(&err);
}

void eo_auth_h_qr_png(eo_ctx *c) { qr_reply(c, true); }
void eo_auth_h_qr_svg(eo_ctx *c) { qr_reply(c, false); }

void eo_auth_h_enrolment_verify(eo_ctx *c)
{
    static const char *const allowed[] = {"enrolment_token", "code", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_enrolment_verified v;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *token = eo_json_get_str(body, "enrolment_token", false, 64, &err);
    const char *code = eo_json_get_str(body, "code", true, 6, &err);
    if (!token) token = eo_header(c, "X-Enrolment-Token");
    if (!token && !err.status) eo_err_field(&err, "enrolment_token", "missing_field");
    eo_enrolment_verify_req q = {.ref = enrolment_ref(c, token), .code = code};
    if (eo_svc_enrolment_verify(&c->uow, &q, &v, &err)) {
        eo_reply_err(c, &err);
    } else {
        eo_auth_set_user(c, v.employee_id, v.nip);
        json_t *out = eo_auth_tokens_json(&v.tokens);
        json_object_set_new(out, "status", json_string("active"));
        eo_reply_json(c, v.registered ? 201 : 200, out);
    }
    sodium_memzero(&v, sizeof v);
    json_decref(body);
    eo_err_clear(&err);
}
