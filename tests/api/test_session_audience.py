"""Which session each route takes (issue 8, section 4; docs/api-conventions.md,
"Sessions and prefixes").

- /mobile/v1/... takes only app sessions (device-bound, from /mobile/v1/auth/login):
  a web session gets 403 mobile_session_required on every one of them.
- /api/v1/... takes web sessions everywhere, and app sessions only on the
  employee's own routes the app shares with the SPA: /api/v1/auth/logout,
  /api/v1/me..., /api/v1/presensi/...; elsewhere (administration) 403
  web_session_required.

Every authenticated route of `eoffice routes` is tried with both kinds of session.
The refusals come before the handler, so refused POST/PUT/DELETE change nothing.
"""
import pytest
import requests

from conftest import assert_problem, run_cli
from helpers_auth import auth_headers, login

ADMIN = "198807142014031001"  # demo admin: every admin route would otherwise let it in
APP_ROUTES_ON_API = ("/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/", "/api/v1/presensi/")


def auth_routes():
    out = []
    for line in run_cli("routes", check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and "auth" in parts[2:]:
            out.append((parts[0], parts[1]))
    assert len(out) > 20
    return out


def app_may_use(path):
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in APP_ROUTES_ON_API)


def concrete(path):
    return path.replace("{nip}", ADMIN).replace("{id}", "999999999").replace("{grant_id}", "999999999")


def call(server, method, path, token):
    return requests.request(method, server.url + concrete(path), headers=auth_headers(token),
                            json={} if method in ("POST", "PUT") else None, timeout=30)


@pytest.fixture(scope="module")
def tokens(server):
    web = login(server.url, ADMIN)
    app = login(server.url, ADMIN, mobile=True, device="audience-test-device")
    return web, app


def test_every_route_follows_the_rule(server, tokens):
    web, app = tokens
    checked = 0
    for method, path in auth_routes():
        if path.startswith("/mobile/"):
            body = assert_problem(call(server, method, path, web), 403, "mobile_session_required")
            assert body["detail"]
            checked += 1
        elif path.startswith("/api/") and not app_may_use(path):
            assert_problem(call(server, method, path, app), 403, "web_session_required")
            checked += 1
    assert checked >= 10


def test_allowed_pairs_pass_the_session_check(server, tokens):
    web, app = tokens
    for method, path in auth_routes():
        if method != "GET":
            continue  # only reads: an allowed write would really happen
        if path.startswith("/mobile/"):
            pairs = [app]
        elif app_may_use(path):
            pairs = [web, app]
        else:
            pairs = [web]
        for token in pairs:
            r = call(server, method, path, token)
            assert r.status_code not in (401, 403), (method, path, r.status_code, r.text)


def test_app_session_signs_out_on_the_web_prefix(server):
    app = login(server.url, ADMIN, mobile=True, device="audience-logout-device", fresh=True)
    assert requests.post(server.url + "/api/v1/auth/logout", headers=auth_headers(app), timeout=30).status_code == 204
    assert requests.get(server.url + "/mobile/v1/me", headers=auth_headers(app), timeout=30).status_code == 401


def test_refusal_is_english_on_request(server, tokens):
    web, _ = tokens
    r = requests.get(server.url + "/mobile/v1/me", headers={**auth_headers(web), "Accept-Language": "en"}, timeout=30)
    body = assert_problem(r, 403, "mobile_session_required")
    assert "app" in body["title"].lower() or "app" in body["detail"].lower()
