"""Security sweep, malformed input: every POST/PUT/PATCH route of `eoffice routes`
(a route added later is swept without touching this file) gets bodies that are not
JSON, JSON of the wrong type, invalid UTF-8, a body over the route's limit (router:
EOFFICE_MAX_BODY_BYTES for JSON routes, EOFFICE_MAX_UPLOAD_BYTES for upload routes)
and, on upload routes, broken multipart. Each answer is a 4xx problem+json with a
`code` -- never 2xx, never 5xx -- and the route writes nothing (audit_log and the
route's own table keep their row counts).

Callers: the admin (web session on /api/v1, app session on /mobile/v1), a partner key
on /integration/v1, nobody on the public routes. Path parameters are ids that do not
exist or a real NIP, so a handler that ignored its body would still change nothing
real, and the answer must then still be 4xx.
"""
import re
import uuid

import psycopg2
import pytest
import requests

from conftest import DATABASE_URL, assert_problem, run_cli
from helpers_auth import auth_headers, login

ADMIN = "198807142014031001"
B = "199305212019032001"
MAX_BODY = 65536            # core/config.c default EOFFICE_MAX_BODY_BYTES
MAX_UPLOAD = 5 * 1024 * 1024  # core/config.c default EOFFICE_MAX_UPLOAD_BYTES

# Routes that sign the caller out whatever the body says: swept with a throw-away session.
SIGN_OUT = {("POST", "/api/v1/auth/logout")}
# Routes that take no body (openapi.yaml documents none) and do not read one: a body is
# ignored, so junk there may succeed. They are swept for "never 5xx" only, on a NIP that
# does not exist (the action must not really happen to a demo employee).
BODYLESS = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/admin/employees/{nip}/authenticator/reset"),
    ("POST", "/api/v1/admin/employees/{nip}/disable"),
    ("POST", "/api/v1/admin/employees/{nip}/enable"),
    ("POST", "/api/v1/me/notifications/read-all"),
    ("POST", "/mobile/v1/me/notifications/read-all"),
}
NO_SUCH_NIP = "199001012020121001"


def write_routes():
    out = []
    for line in run_cli("routes", check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("POST", "PUT", "PATCH"):
            out.append((parts[0], parts[1], set(parts[2:])))
    assert len(out) > 50
    return out


ROUTES = write_routes()
IDS = [f"{m} {p}" for m, p, _ in ROUTES]


def concrete(path, method="POST"):
    nip = NO_SUCH_NIP if (method, path) in BODYLESS else B
    subs = {"id": "999999999", "grant_id": "999999999", "programme_id": "999999999", "nip": nip, "code": "M.01",
            "level": "1", "month": "2026-01"}
    return re.sub(r"\{([a-z_]+)\}", lambda m: subs[m.group(1)], path)


@pytest.fixture(scope="module")
def creds(server):
    web = login(server.url, ADMIN)
    app = login(server.url, ADMIN, mobile=True, device="sweep-input-device")
    r = requests.post(server.url + "/api/v1/admin/api-keys", headers=auth_headers(web), timeout=30,
                      json={"partner": "sweep-in-" + uuid.uuid4().hex[:6], "description": "sweep",
                            "scopes": ["assessment:write", "training:write", "employees:read"]})
    assert r.status_code == 201, r.text
    return {"web": web, "app": app, "key": r.json()["key"]}


def headers_for(server, creds, method, path, flags):
    if path.startswith("/integration/"):
        return {"X-API-Key": creds["key"]}
    if "auth" not in flags:
        return {}
    if (method, path) in SIGN_OUT:
        return auth_headers(login(server.url, ADMIN, fresh=True, device="sweep-logout"))
    return auth_headers(creds["app"] if path.startswith("/mobile/") else creds["web"])


def counts():
    conn = psycopg2.connect(DATABASE_URL)
    try:
        with conn.cursor() as cur:
            cur.execute("select (select count(*) from audit_log), (select count(*) from attachments), "
                        "(select count(*) from notifications), (select count(*) from idempotency_keys)")
            return cur.fetchone()
    finally:
        conn.close()


def check(r, what, bodyless=False):
    if bodyless:
        assert r.status_code < 500, f"{what}: {r.status_code} {r.text[:300]}"
        return None
    assert 400 <= r.status_code < 500, f"{what}: {r.status_code} {r.text[:300]}"
    body = assert_problem(r, r.status_code)
    assert body["code"], body
    return body


BAD_JSON = [
    (b"{not json", "not JSON"),
    (b'{"a": 1', "truncated JSON"),
    (b"[]", "array"),
    (b'"text"', "string"),
    (b"42", "number"),
    (b"null", "null"),
    (b"true", "boolean"),
    (b'{"reason": "\xff\xfe", "note": "\xc3\x28", "title": "\xed\xa0\x80"}', "invalid UTF-8 in strings"),
    (b'{"\xff": 1}', "invalid UTF-8 in a key"),
    (b'{"reason": "a\\u0000b", "note": "a\\u0000b"}', "NUL inside a string"),
    (b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "deep nesting"),
    (b"\xef\xbb\xbf{}", "byte-order mark"),
]


@pytest.mark.parametrize("method,path,flags", ROUTES, ids=IDS)
def test_malformed_bodies_are_refused_and_write_nothing(server, creds, method, path, flags):
    url = server.url + concrete(path, method)
    before = counts()
    for data, what in BAD_JSON:
        h = headers_for(server, creds, method, path, flags)
        h["Content-Type"] = "application/json"
        r = requests.request(method, url, headers=h, data=data, timeout=60)
        check(r, f"{method} {path} with {what}", (method, path) in BODYLESS)
    if "upload" in flags:
        h = headers_for(server, creds, method, path, flags)
        for ctype, data, what in [
            ("multipart/form-data", b"--x\r\n\r\n", "no boundary"),
            ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nab",
             "truncated part"),
            ("multipart/form-data; boundary=xyz", b"garbage without any delimiter", "no delimiter"),
            ("multipart/form-data; boundary=xyz", b"--xyz--\r\n", "no parts"),
            ("multipart/form-data; boundary=" + "b" * 300, b"--" + b"b" * 300 + b"--\r\n", "long boundary"),
            ("multipart/form-data; boundary=xyz",
             b"--xyz\r\nContent-Disposition: form-data; name=\"" + b"n" * 10000 + b"\"\r\n\r\nv\r\n--xyz--\r\n",
             "huge part name"),
        ]:
            r = requests.request(method, url, headers={**h, "Content-Type": ctype}, data=data, timeout=60)
            check(r, f"{method} {path} with multipart: {what}")
    after = counts()
    if (method, path) in SIGN_OUT:
        return  # signing out is audited, whatever the body
    assert before == after, f"{method} {path}: malformed input wrote rows (audit, attachments, notices, idem)"


@pytest.mark.parametrize("method,path,flags", ROUTES, ids=IDS)
def test_body_over_the_route_limit_is_413(server, creds, method, path, flags):
    limit = MAX_UPLOAD if "upload" in flags else MAX_BODY
    url = server.url + concrete(path, method)
    h = headers_for(server, creds, method, path, flags)
    if "upload" in flags:
        h["Content-Type"] = "multipart/form-data; boundary=xyz"
    else:
        h["Content-Type"] = "application/json"
    data = b'{"note": "' + b"a" * limit + b'"}'
    body = assert_problem(requests.request(method, url, headers=h, data=data, timeout=120), 413, "payload_too_large")
    assert body["max_bytes"] == limit


# ------------------------------------------------------------------ HEAD and Range on every read
# New downloads (profile PDF, TPP CSV/XLSX exports, documents) answer from a buffer; HEAD is
# the GET handler with the body left out by libmicrohttpd, and Range is not served (200 with
# the whole body). Neither may crash, hang or answer 5xx.

GETS = [(p, set(f)) for m, p, f in (tuple(line.split()[:2]) + (line.split()[2:],)
                                    for line in run_cli("routes", check=True).stdout.splitlines() if line.strip())
        if m == "GET"]
REAL = {  # reads with real content for the admin
    "/api/v1/employees/{nip}/profile.pdf": f"/api/v1/employees/{B}/profile.pdf",
    "/api/v1/tpp/months/{month}/export.csv": "/api/v1/tpp/months/2026-01/export.csv?unit_code=MUBA-DISDIK",
    "/api/v1/tpp/months/{month}/export.xlsx": "/api/v1/tpp/months/2026-01/export.xlsx?unit_code=MUBA-DISDIK",
    "/api/v1/me/profile.pdf": "/api/v1/me/profile.pdf",
}


@pytest.mark.parametrize("path,flags", GETS, ids=[p for p, _ in GETS])
def test_head_and_range_never_break_a_read(server, creds, path, flags):
    url = server.url + REAL.get(path, concrete(path, "GET"))
    h = headers_for(server, creds, "GET", path, flags)
    full = requests.get(url, headers=h, timeout=60)
    assert full.status_code < 500, (path, full.status_code, full.text[:300])
    if path in REAL:
        assert full.status_code == 200, (path, full.status_code, full.text[:300])
    head = requests.head(url, headers=h, timeout=60)
    assert head.status_code == full.status_code, (path, head.status_code, full.status_code)
    assert head.content == b""
    for rng in ("bytes=0-10", "bytes=-5", "bytes=999999999-", "bytes=5-1", "bytes=0-1,2-3,4-5", "garbage",
                "bytes=" + "0-1," * 2000):
        r = requests.get(url, headers={**h, "Range": rng}, timeout=60)
        assert r.status_code == full.status_code, (path, rng, r.status_code)
        if full.status_code == 200 and "export" not in path and ".pdf" not in path:
            continue  # JSON reads may differ in time stamps; the status is what matters
        if full.status_code == 200:
            assert len(r.content) > 0


# ------------------------------------------------------------------ malformed path parameters
# Every parameterised route, every parameter: ids out of range or not numbers, NIPs and
# months and codes that are not, percent-encoded NULs and slashes. A 4xx problem, never 5xx.

ALL = [(line.split()[0], line.split()[1], set(line.split()[2:]))
       for line in run_cli("routes", check=True).stdout.splitlines() if "{" in line]
BAD_PARAMS = ["0", "-1", "00000000000000000001", "99999999999999999999", "9223372036854775808", "1e3", "0x10",
              "%20%31", "1%00", "%2e%2e", "..%2f..%2fetc", "%ff%fe", "%ef%bc%91", "a" * 300, "2026-13", "0000-00",
              "2026-1", "9999-12", "M.01%00", "' or 1=1 --"]


@pytest.mark.parametrize("method,path,flags", ALL, ids=[f"{m} {p}" for m, p, _ in ALL])
def test_malformed_path_parameters_are_4xx(server, creds, method, path, flags):
    names = re.findall(r"\{([a-z_]+)\}", path)
    h = headers_for(server, creds, method, path, flags) if (method, path) not in SIGN_OUT else {}
    kw = {}
    if method in ("POST", "PUT", "PATCH"):
        kw = {"json": {}} if "upload" not in flags else {"files": {"file": ("x.pdf", b"%PDF-1.4\n%%EOF\n")}}
    for name in names:
        for bad in BAD_PARAMS:
            parts = path.split("/")
            real = concrete(path, method).split("/")
            real[parts.index("{" + name + "}")] = bad
            url = server.url + "/".join(real)
            r = requests.request(method, url, headers=h, timeout=60, **kw)
            assert 400 <= r.status_code < 500, (method, path, name, bad, r.status_code, r.text[:300])
            if r.status_code != 400 or r.headers.get("Content-Type", "").startswith("application/problem+json"):
                assert_problem(r, r.status_code)
