/* GET /.well-known/jwks.json: the public key(s) that verify access tokens. */
#include "api/http.h"
#include "core/token.h"

static void h_jwks(eo_ctx *c)
{
    if (!c->app->jwt) {
        eo_reply_problem(c, EO_ERR_UNAVAILABLE, "unavailable");
        return;
    }
    eo_set_header(c, "Cache-Control", "public, max-age=300");
    eo_reply_json(c, 200, eo_token_jwks(c->app->jwt));
}

const eo_route eo_routes_jwks[] = {
    {"GET", "/.well-known/jwks.json", h_jwks, 0},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_jwks = {"jwks", eo_routes_jwks, NULL, NULL};
