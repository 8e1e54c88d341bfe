"""Security sweep, authorisation: driven by the route table (`eoffice routes`), so a
route added later is covered without touching this file -- or fails it until its
author says how it is to be attacked.

(a) every route refuses a request without credentials (401), except the public ones
    listed in PUBLIC (each with its reason);
(b) session kinds (web vs app) per prefix: route-table-driven in
    test_session_audience.py, not repeated here;
(c) BOLA: every route with a path parameter is called with the token of employee A
    (a guru in Jayapura with no role) -- and of EKO, an anpeg of another subtree, where
    a role decides -- with ids of objects that belong to employee B
    (Dewi, Kemenkes staff) or to nobody A may see. It must never answer 2xx, never
    show B's NIP or name, and answer 403 or 404. OBJECTS says, per route, where B's
    object comes from; a parameterised route missing there fails
    test_every_parameterised_route_has_an_attack;
(d) a partner API key is no credential on /api/v1 or /mobile/v1, and a user's bearer
    token is none on /integration/v1.
"""
import json
import re
import uuid

import psycopg2
import pytest
import requests

from conftest import DATABASE_URL, ROOT, assert_problem, run_cli
from helpers_auth import auth_headers, login

ADMIN = "198807142014031001"
A = "198908172014032001"  # Agustina Rumbiak: guru in Jayapura, no role, nobody's atasan
B = "199305212019032001"  # Dewi Lestari: Kemenkes staff, owns demo rows in every module
B_NAME = "Dewi Lestari"

# (a) Routes that answer without a bearer token, on purpose.
PUBLIC = {
    ("GET", "/healthz"): "liveness probe",
    ("GET", "/readyz"): "readiness probe",
    ("GET", "/openapi.yaml"): "the published contract",
    ("GET", "/.well-known/jwks.json"): "public signing keys",
    ("POST", "/api/v1/auth/register"): "sign-up starts here",
    ("POST", "/api/v1/auth/login"): "sign-in",
    ("POST", "/mobile/v1/auth/login"): "app sign-in",
    ("POST", "/api/v1/auth/refresh"): "takes a refresh token in the body",
    ("POST", "/mobile/v1/auth/refresh"): "takes a refresh token in the body",
    ("POST", "/api/v1/auth/authenticator/reset/start"): "self-service reset (e-mail code)",
    ("POST", "/api/v1/auth/authenticator/reset/confirm"): "self-service reset (e-mail code)",
    # Enrolment steps are gated by the enrolment token (?token= / body), not a session.
    ("GET", "/api/v1/auth/enrolments/{id}/qr.png"): "enrolment token",
    ("GET", "/api/v1/auth/enrolments/{id}/qr.svg"): "enrolment token",
    ("POST", "/api/v1/auth/enrolments/{id}/verify"): "enrolment token",
}


def all_routes():
    out = []
    for line in run_cli("routes", check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out.append((parts[0], parts[1], set(parts[2:])))
    assert len(out) > 100
    return out


ROUTES = all_routes()


def is_integration(path):
    return path.startswith("/integration/")


# Bodies a route's validation accepts, so that a BOLA probe reaches the object look-up
# (a 422 before it would prove nothing).
PDF_FILE = {"document": ("s.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}
BODIES = {
    ("PUT", "/api/v1/lkh/reports/{id}"): {"activities": [{
        "description": "Sweep", "start_time": "07:30", "end_time": "09:00", "output": "x", "quantity": 1,
        "unit": "dokumen"}]},
    ("PUT", "/api/v1/lkh/skp-targets/{id}"): {"year": 2026, "title": "Sweep", "target_quantity": 1,
                                              "unit": "dokumen"},
    ("PUT", "/api/v1/programmes/{id}"): {
        "title": "Sweep", "description": "uji", "method": "pelatihan", "category": "formal", "jp": 8,
        "organiser": "MUBA-DISDIK", "competencies": [], "mandatory_for": {"everyone": False, "positions": [],
                                                                         "ranks": []}},
    ("PUT", "/api/v1/tpp/months/{month}/kinerja-scores"): {"unit_code": "KEMENKES-ROSDM-RENSDM",
                                                           "items": [{"nip": B, "score": 90}]},
    ("POST", "/api/v1/rpi/{id}/items"): {"programme_id": 1},
    ("PUT", "/api/v1/me/recommendations/written/{id}"): {"text": "Rekan kerja yang teliti."},
    ("POST", "/api/v1/tpp/months/{month}/compute"): {"unit_code": "KEMENKES-ROSDM-RENSDM"},
    ("POST", "/api/v1/tpp/months/{month}/close"): {"unit_code": "KEMENKES-ROSDM-RENSDM"},
    ("POST", "/api/v1/tpp/months/{month}/reopen"): {"unit_code": "KEMENKES-ROSDM-RENSDM", "reason": "sweep"},
}
# Multipart field names of the upload routes.
UPLOAD_FIELD = {
    ("PUT", "/api/v1/employees/{nip}/assessments/{id}/report"): "report",
    ("PUT", "/api/v1/absence-requests/{id}/document"): "document",
    ("PUT", "/mobile/v1/absence-requests/{id}/document"): "document",
}


def body_for(method, flags, path=None):
    if method in ("GET", "DELETE"):
        return {}
    if "upload" in flags:
        field = UPLOAD_FIELD.get((method, path), "file")
        return {"files": {field: ("x.pdf", PDF, "application/pdf")}}
    return {"json": BODIES.get((method, path), {})}


# ------------------------------------------------------------------ (a) no credentials

def test_public_allow_list_is_current():
    known = {(m, p) for m, p, _ in ROUTES}
    stale = [r for r in PUBLIC if r not in known]
    assert not stale, f"PUBLIC lists routes that no longer exist: {stale}"


@pytest.mark.parametrize("method,path,flags", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_no_credentials_is_401(server, method, path, flags):
    if (method, path) in PUBLIC:
        assert "auth" not in flags, f"{method} {path} is in PUBLIC but the router asks for a token"
        return
    concrete = re.sub(r"\{[a-z_]+\}", "1", path)
    r = requests.request(method, server.url + concrete, timeout=30, **body_for(method, flags))
    body = assert_problem(r, 401)
    if is_integration(path):
        assert body["code"] == "api_key_required", body
    else:
        assert "auth" in flags, f"{method} {path}: answers 401 but is not flagged auth"


# ------------------------------------------------------------------ (c) BOLA table

def _one(db, sql, *args):
    with db.cursor() as cur:
        cur.execute(sql, args)
        row = cur.fetchone()
    return row[0] if row else None


def _emp(db, nip):
    return _one(db, "select id from employees where nip = %s", nip)


def _owned(table, col="employee_id", extra=""):
    """B's row of table if there is one, else any row not A's (A may not see it either)."""
    def get(db):
        return _one(db, f"select t.id from {table} t where t.{col} <> %s {extra} "
                        f"order by (t.{col} = %s) desc, t.id desc limit 1", _emp(db, A), _emp(db, B))
    return get


def _b_photo(db):
    pid = _one(db, "select id from photos where employee_id = %s limit 1", _emp(db, B))
    if pid:
        return pid
    h = uuid.uuid4().hex * 2
    return _one(db, "insert into photos (employee_id, storage_key, sha256, content_type, size_bytes, status, "
                    "pending_since) values (%s, %s, %s, 'image/jpeg', 10, 'referenced', null) returning id",
                _emp(db, B), h + ".jpg", h)


def _b_correction(db):
    cid = _one(db, "select id from attendance_corrections where employee_id = %s and status = 'pending' limit 1",
               _emp(db, B))
    if cid:
        return cid
    return _one(db, "insert into attendance_corrections (employee_id, work_date, kind, requested_check_out, reason) "
                    "values (%s, date '2026-01-05', 'other', '14:00', 'sweep: B''s correction') returning id",
                _emp(db, B))


def _b_extra_location(db):
    lid = _one(db, "select id from extra_locations where employee_id = %s and revoked_at is null limit 1",
               _emp(db, B))
    if lid:
        return lid
    return _one(db, "insert into extra_locations (employee_id, name, latitude, longitude, radius_m, time_zone, "
                    "valid_from, valid_to, reason, created_by) values (%s, 'Sweep', -6.2, 106.8, 100, "
                    "'Asia/Jakarta', current_date, current_date + 1, 'sweep', %s) returning id",
                _emp(db, B), _emp(db, ADMIN))


def _b_session(db):
    return _one(db, "select id from sessions where employee_id = %s and revoked_at is null order by id desc limit 1",
                _emp(db, B))


def _other_grant(db):
    return _one(db, "select id from role_grants where revoked_at is null and employee_id <> %s order by id limit 1",
                _emp(db, A))


def _b_rpi_item(db):
    return _one(db, "select i.programme_id from rpi_items i join rpis r on r.id = i.rpi_id "
                    "order by (r.employee_id = %s) desc limit 1", _emp(db, B))


def _any(table):
    return lambda db: _one(db, f"select id from {table} order by id limit 1")


def _b_competency(db):
    return _one(db, "select c.code from competencies c join assessment_scores s on s.competency_id = c.id "
                    "join assessments a on a.id = s.assessment_id where a.employee_id = %s limit 1", _emp(db, B))


def _b_level(db):
    return 1


def _month(db):
    return "2026-01"


def _nip_b(db):
    return B


# Objects of B with documents, made through the API once per module (b_documents): a
# document route probed with a document-less object would answer 404 whatever its checks.
CREATED = {}
PDF = (ROOT / "tests" / "data" / "letter.pdf").read_bytes()
RAHMAT = "198611022010121001"  # anpeg of B's unit: approves B's PDM change


def _web(server, nip):
    return auth_headers(login(server.url, nip))


@pytest.fixture(scope="module")
def b_documents(server):
    db = psycopg2.connect(DATABASE_URL)
    db.autocommit = True
    h = _web(server, B)
    # a profile record with a document (PDM change with a document, approved by the anpeg)
    change = json.dumps({"section": "award", "op": "add",
                         "data": {"name": "Sweep " + uuid.uuid4().hex[:6], "year": 2022, "issuer": "Sekjen"}})
    r = requests.post(server.url + "/api/v1/me/pdm/changes", headers=h, timeout=60,
                      files={"change": (None, change, "application/json"),
                             "document": ("piagam.pdf", PDF, "application/pdf")})
    assert r.status_code == 201, r.text
    CREATED["pdm"] = r.json()["id"]
    r = requests.post(server.url + f"/api/v1/pdm/changes/{CREATED['pdm']}/approve", headers=_web(server, RAHMAT),
                      timeout=60)
    assert r.status_code == 200, r.text
    CREATED["record"] = r.json()["record_id"]
    # an absence request with a document
    day = 1 + uuid.uuid4().int % 250
    r = requests.post(server.url + "/api/v1/absence-requests", headers=h, timeout=60,
                      json={"kind": "sakit", "date_from": f"2033-01-01", "date_to": "2033-01-01",
                            "reason": f"sweep {day}"})
    assert r.status_code == 201, r.text
    CREATED["absence"] = r.json()["id"]
    r = requests.put(server.url + f"/api/v1/absence-requests/{CREATED['absence']}/document", headers=h, timeout=60,
                     files={"document": ("surat.pdf", PDF, "application/pdf")})
    assert r.status_code == 200, r.text
    # an LKH report (B's draft from the demo seed) with an attachment
    rid = _one(db, "select id from lkh_reports where employee_id = %s and status = 'draft' order by work_date desc "
                   "limit 1", _emp(db, B))
    if rid:
        r = requests.put(server.url + f"/api/v1/lkh/reports/{rid}/attachment", headers=h, timeout=60,
                         files={"file": ("bukti.pdf", PDF, "application/pdf")})
        assert r.status_code in (200, 201), r.text
        CREATED["lkh"] = rid
    # an assessment of B with its report (recorded by the admin)
    ha = _web(server, ADMIN)
    r = requests.post(server.url + f"/api/v1/employees/{B}/assessments", headers=ha, timeout=60,
                      json={"type": "assessment_centre", "assessed_on": "2026-01-05", "assessor": "Sweep",
                            "scores": [{"code": "M.01", "score": 3}]})
    assert r.status_code == 201, r.text
    CREATED["assessment"] = r.json()["id"]
    r = requests.put(server.url + f"/api/v1/employees/{B}/assessments/{CREATED['assessment']}/report", headers=ha,
                     timeout=60, files={"report": ("laporan.pdf", PDF, "application/pdf")})
    assert r.status_code in (200, 201), r.text
    yield CREATED
    with db.cursor() as cur:
        cur.execute("delete from absence_requests where id = %s and status = 'draft'", (CREATED["absence"],))
    db.close()


def _created(key, fallback):
    return lambda db: CREATED.get(key) or fallback(db)


def _b_recommendation(col):
    """A recommendation B received (col subject_id) or wrote (author_id), from someone who is not A."""
    other = "author_id" if col == "subject_id" else "subject_id"

    def get(db):
        rid = _one(db, f"select id from recommendations where {col} = %s and {other} <> %s limit 1", _emp(db, B),
                   _emp(db, A))
        if rid:
            return rid
        return _one(db, f"insert into recommendations ({col}, {other}, body) values (%s, %s, 'Sweep: rekan kerja') "
                        "returning id", _emp(db, B), _emp(db, ADMIN))
    return get


def _b_notification(db):
    nid = _one(db, "select id from notifications where employee_id = %s order by id desc limit 1", _emp(db, B))
    if nid:
        return nid
    return _one(db, "insert into notifications (employee_id, kind, title) values (%s, 'sweep.test', 'Sweep') "
                    "returning id", _emp(db, B))


# Per parameterised route: how to get the parameters of an object A must not reach.
# Kinds: "bola" (B's object or nobody-A-may-see: 403/404, no B data);
#        "role" (an admin/anpeg/atasan route: A has no such role: 403/404);
#        "mine" (the parameter selects within the caller's own data, nothing of B's is
#                addressable; must still not show B's data);
#        "catalogue" (a shared catalogue every signed-in employee reads: GET may be 200).
P = {
    "id": None, "nip": _nip_b, "code": _b_competency, "month": _month, "level": _b_level,
}
OBJECTS = {
    ("DELETE", "/api/v1/me/sessions/{id}"): ("bola", {"id": _b_session}),
    ("POST", "/api/v1/admin/employees/{nip}/authenticator/reset"): ("role", {}),
    ("POST", "/api/v1/admin/employees/{nip}/disable"): ("role", {}),
    ("POST", "/api/v1/admin/employees/{nip}/enable"): ("role", {}),
    ("GET", "/api/v1/admin/employees/{nip}/roles"): ("role", {}),
    ("POST", "/api/v1/admin/employees/{nip}/roles"): ("role", {}),
    ("DELETE", "/api/v1/admin/employees/{nip}/roles/{grant_id}"): ("role", {"grant_id": _other_grant}),
    ("GET", "/api/v1/presensi/photos/{id}"): ("bola", {"id": _b_photo}),
    ("DELETE", "/api/v1/presensi/extra-locations/{id}"): ("bola", {"id": _b_extra_location}),
    ("GET", "/api/v1/profile/records/{id}/document"): ("bola", {"id": _created("record", _owned("profile_records"))}),
    ("GET", "/api/v1/employees/{nip}/profile"): ("bola", {}),
    ("GET", "/api/v1/employees/{nip}/profile.pdf"): ("bola", {}),
    ("GET", "/api/v1/programmes/{id}"): ("catalogue", {"id": _any("dev_programmes")}),
    ("PUT", "/api/v1/programmes/{id}"): ("role", {"id": _any("dev_programmes")}),
    ("DELETE", "/api/v1/programmes/{id}"): ("role", {"id": _any("dev_programmes")}),
    ("DELETE", "/api/v1/rpi/{id}/items/{programme_id}"): ("bola", {"id": _owned("rpis"),
                                                                   "programme_id": _b_rpi_item}),
    ("GET", "/api/v1/me/competencies/{code}/history"): ("mine", {}),
    ("GET", "/api/v1/employees/{nip}/competencies"): ("bola", {}),
    ("GET", "/api/v1/employees/{nip}/competencies/{code}/history"): ("bola", {}),
    ("GET", "/api/v1/employees/{nip}/assessments"): ("bola", {}),
    ("POST", "/api/v1/employees/{nip}/assessments"): ("bola", {}),
    ("PUT", "/api/v1/employees/{nip}/assessments/{id}/report"): ("bola", {"id": _created("assessment",
                                                                                           _owned("assessments"))}),
    ("GET", "/api/v1/assessments/{id}/report"): ("bola", {"id": _created("assessment", _owned("assessments"))}),
    ("GET", "/api/v1/competencies/{code}"): ("catalogue", {}),
    ("PATCH", "/api/v1/admin/competencies/{code}"): ("role", {}),
    ("PUT", "/api/v1/admin/competencies/{code}/levels/{level}"): ("role", {}),
    ("GET", "/api/v1/admin/positions/{id}/standards"): ("role", {"id": _any("positions")}),
    ("PUT", "/api/v1/admin/positions/{id}/standards/{code}"): ("role", {"id": _any("positions")}),
    ("DELETE", "/api/v1/admin/positions/{id}/standards/{code}"): ("role", {"id": _any("positions")}),
    ("DELETE", "/api/v1/admin/api-keys/{id}"): ("role", {"id": _any("api_keys")}),
    ("PUT", "/api/v1/employees/{nip}/settings"): ("bola", {}),
    ("GET", "/api/v1/tpp/rules/{id}"): ("role", {"id": _any("tpp_rule_versions")}),
    ("PUT", "/api/v1/tpp/rules/{id}"): ("role", {"id": _any("tpp_rule_versions")}),
    ("GET", "/api/v1/me/tpp/{month}"): ("mine", {}),
    # The staff directory (docs/directory.md): every signed-in employee reads a colleague's
    # card and may recommend them, by design; only the check for no 5xx applies.
    ("GET", "/api/v1/employees/{nip}"): ("directory", {}),
    ("POST", "/api/v1/employees/{nip}/recommendations"): ("directory", {}),
    ("POST", "/api/v1/me/recommendations/received/{id}/accept"): ("bola", {"id": _b_recommendation("subject_id")}),
    ("POST", "/api/v1/me/recommendations/received/{id}/hide"): ("bola", {"id": _b_recommendation("subject_id")}),
    ("PUT", "/api/v1/me/recommendations/written/{id}"): ("bola", {"id": _b_recommendation("author_id")}),
    ("POST", "/api/v1/me/notifications/{id}/read"): ("bola", {"id": _b_notification}),
    ("POST", "/mobile/v1/me/notifications/{id}/read"): ("bola", {"id": _b_notification}),
    # A partner route: a user token is no credential there at all (test (d)).
    ("GET", "/integration/v1/employees/{nip}"): ("apikey", {}),
}
for _m, _suffix in [("POST", s) for s in ("approve", "reject", "return", "resubmit", "withdraw")]:
    OBJECTS[(_m, "/api/v1/presensi/corrections/{id}/" + _suffix)] = ("bola", {"id": _b_correction})
for _m, _p in [("GET", ""), ("PUT", ""), ("POST", "/submit"), ("POST", "/withdraw"), ("POST", "/approve"),
               ("POST", "/return"), ("PUT", "/attachment"), ("GET", "/attachment")]:
    OBJECTS[(_m, "/api/v1/lkh/reports/{id}" + _p)] = ("bola", {"id": _created("lkh", _owned("lkh_reports"))})
for _m in ("PUT", "DELETE"):
    OBJECTS[(_m, "/api/v1/lkh/skp-targets/{id}")] = ("bola", {"id": _owned("skp_targets")})
OBJECTS[("POST", "/api/v1/me/pdm/changes/{id}/withdraw")] = ("bola", {"id": _owned("pdm_changes")})
for _m, _p in [("GET", ""), ("POST", "/approve"), ("POST", "/reject"), ("GET", "/document")]:
    OBJECTS[(_m, "/api/v1/pdm/changes/{id}" + _p)] = ("bola", {"id": _created("pdm", _owned("pdm_changes"))})
for _m, _p in [("GET", ""), ("POST", "/items"), ("POST", "/submit"), ("POST", "/withdraw"), ("POST", "/verify"),
               ("POST", "/approve"), ("POST", "/return")]:
    OBJECTS[(_m, "/api/v1/rpi/{id}" + _p)] = ("bola", {"id": _owned("rpis")})
for _m, _p in [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("PUT", "/document"), ("GET", "/document"),
               ("POST", "/submit"), ("POST", "/withdraw"), ("POST", "/approve"), ("POST", "/return"),
               ("POST", "/reject")]:
    OBJECTS[(_m, "/api/v1/absence-requests/{id}" + _p)] = ("bola", {"id": _created("absence",
                                                                                 _owned("absence_requests"))})
for _m, _p in [("PUT", "/document"), ("POST", "/submit")]:
    OBJECTS[(_m, "/mobile/v1/absence-requests/{id}" + _p)] = ("bola", {"id": _owned("absence_requests")})
for _s in ("confirm", "refuse", "withdraw"):
    OBJECTS[("POST", "/api/v1/settings-changes/{id}/" + _s)] = ("bola", {"id": _owned("settings_changes")})
for _m, _s in [("POST", "compute"), ("POST", "close"), ("POST", "reopen"), ("GET", "results"),
               ("GET", "export.csv"), ("GET", "export.xlsx"), ("PUT", "kinerja-scores")]:
    OBJECTS[(_m, "/api/v1/tpp/months/{month}/" + _s)] = ("unit", {})


def parameterised():
    return [(m, p, f) for m, p, f in ROUTES if "{" in p and (m, p) not in PUBLIC]


def test_every_parameterised_route_has_an_attack():
    missing = [f"{m} {p}" for m, p, _ in parameterised() if (m, p) not in OBJECTS]
    assert not missing, ("routes with a path parameter and no entry in OBJECTS of tests/api/test_sweep_authz.py "
                         f"(add one: how to get another employee's object for it): {missing}")
    # Entries for routes this build does not have are allowed: branches merge in any order.


def concrete(db, path, getters):
    def sub(m):
        name = m.group(1)
        get = getters.get(name) or P.get(name)
        assert get, f"no way to fill {{{name}}} of {path}"
        v = get(db)
        assert v is not None, f"no object for {{{name}}} of {path}"
        return str(v)
    return re.sub(r"\{([a-z_]+)\}", sub, path)


def _visible(r):
    """What the answer shows, less the echo of the request's own path (instance)."""
    ct = r.headers.get("Content-Type", "")
    if "json" in ct:
        try:
            b = r.json()
        except ValueError:
            return r.text
        if isinstance(b, dict):
            b.pop("instance", None)
        return json.dumps(b, ensure_ascii=False)
    return r.text if "text" in ct or "csv" in ct else ""


def _token(server, nip):
    return login(server.url, nip)


def _app_token(server, nip):
    return login(server.url, nip, mobile=True, device=f"sweep-{nip}")


PARAM_ROUTES = parameterised()
# Attackers: A (no role at all) and EKO, anpeg of MUBA-DISDIK: a reviewer, but of another
# subtree than B's (KEMENKES-ROSDM-RENSDM) and not in B's atasan chain. EKO is tried on the
# routes where a role decides ("bola", "unit": B's unit in the body/query); "role" routes
# (admin-only) are A's alone.
EKO = "198303032009011001"
ATTACKS = [(a, m, p, f) for a in (A, EKO) for m, p, f in PARAM_ROUTES
           if a == A or OBJECTS.get((m, p), ("",))[0] in ("bola", "unit")]


@pytest.mark.parametrize("attacker,method,path,flags", ATTACKS,
                         ids=[f"{'A' if a == A else 'EKO'} {m} {p}" for a, m, p, _ in ATTACKS])
def test_another_employees_object_is_out_of_reach(server, db, b_documents, api_key, attacker, method, path, flags):
    # api_key: the fixture makes sure an API key exists for DELETE /admin/api-keys/{id}, in any test order
    if (method, path) not in OBJECTS:
        pytest.fail(f"{method} {path}: add an entry to OBJECTS (how to get another employee's object for it)")
    kind, getters = OBJECTS[(method, path)]
    if kind == "apikey":
        return  # test_user_token_is_no_api_key
    if kind == "directory":  # by design: a colleague's card and recommending them
        r = requests.request(method, server.url + concrete(db, path, getters),
                             headers=auth_headers(_token(server, attacker)), timeout=60, **body_for(method, flags, path))
        assert r.status_code < 500, r.text
        return
    login(server.url, B)  # B has a live session (DELETE /me/sessions/{id})
    url = concrete(db, path, getters)
    if method == "GET" and path.startswith("/api/v1/tpp/months/"):
        url += "?unit_code=KEMENKES-ROSDM-RENSDM"
    tok = _app_token(server, attacker) if path.startswith("/mobile/") else _token(server, attacker)
    r = requests.request(method, server.url + url, headers=auth_headers(tok), timeout=60,
                         **body_for(method, flags, path))
    text = _visible(r) if "json" in r.headers.get("Content-Type", "") or "text" in r.headers.get("Content-Type", "") \
        else ""
    assert B not in text and B_NAME not in text, f"{method} {url} shows B's data to A: {r.status_code} {text[:300]}"
    if kind in ("catalogue", "mine") and method == "GET":
        assert r.status_code in (200, 404), (method, url, r.status_code, r.text[:300])
        return
    assert r.status_code in (403, 404), f"{kind}: {method} {url} as A answered {r.status_code}: {r.text[:300]}"
    assert_problem(r, r.status_code)


# ------------------------------------------------------------------ (d) keys vs tokens

@pytest.fixture(scope="module")
def api_key(server):
    r = requests.post(server.url + "/api/v1/admin/api-keys", headers=auth_headers(_token(server, ADMIN)),
                      json={"partner": "sweep-" + uuid.uuid4().hex[:8], "description": "sweep",
                            "scopes": ["assessment:write", "training:write", "employees:read"]}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()["key"]


def test_api_key_is_no_credential_outside_integration(server, db, api_key):
    checked = 0
    for method, path, flags in ROUTES:
        if is_integration(path) or (method, path) in PUBLIC:
            continue
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        for h in ({"X-API-Key": api_key}, {"Authorization": f"Bearer {api_key}"}):
            r = requests.request(method, server.url + url, headers=h, timeout=30, **body_for(method, flags))
            assert_problem(r, 401)
        checked += 1
    assert checked > 100


def test_user_token_is_no_api_key(server, api_key):
    tok = _token(server, ADMIN)["access_token"]
    app = _app_token(server, ADMIN)["access_token"]
    checked = 0
    for method, path, flags in ROUTES:
        if not is_integration(path):
            continue
        url = path.replace("{nip}", B)
        body = {} if method == "GET" else {"data": json.dumps([]), "headers_ct": True}
        for h in ({"Authorization": f"Bearer {tok}"}, {"Authorization": f"Bearer {app}"}, {"X-API-Key": tok},
                  {"X-API-Key": api_key[:-2] + ("aa" if not api_key.endswith("aa") else "bb")}):
            hh = dict(h)
            data = None
            if body:
                hh["Content-Type"] = "application/json"
                data = body["data"]
            r = requests.request(method, server.url + url, headers=hh, data=data, timeout=30)
            b = assert_problem(r, 401)
            assert b["code"] in ("api_key_required", "api_key_invalid", "invalid_api_key"), b
        # the key itself works there (the refusals above are about the credential)
        if method == "GET":
            r = requests.get(server.url + url, headers={"X-API-Key": api_key}, timeout=30)
            assert r.status_code == 200, r.text
        checked += 1
    assert checked >= 3


# ------------------------------------------------------------------ (c') BOLA through query filters
# Lists that take another employee or unit in the query string. A and EKO name B (or B's
# unit): the answer may be a refusal or a list, but the list never holds B's rows.
QUERY_ATTACKS = [
    ("/api/v1/absence-requests", {"nip": B}, "absence_requests"),
    ("/api/v1/absence-requests", {"scope": "team", "nip": B}, "absence_requests"),
    ("/api/v1/lkh/reports", {"nip": B}, "lkh_reports"),
    ("/api/v1/lkh/team", {"nip": B}, "lkh_reports"),
    ("/api/v1/presensi/history", {"nip": B}, None),
    ("/api/v1/presensi/extra-locations", {"nip": B}, "extra_locations"),
    ("/api/v1/presensi/corrections", {"scope": "team"}, "attendance_corrections"),
    ("/api/v1/presensi/team", {}, None),
    ("/api/v1/pdm/changes", {"unit": "KEMENKES-ROSDM-RENSDM"}, "pdm_changes"),
    ("/api/v1/pdm/changes", {"unit": "KEMENKES"}, "pdm_changes"),
    ("/api/v1/rpi", {}, "rpis"),
    ("/api/v1/settings-changes", {}, "settings_changes"),
    ("/api/v1/tpp/rules", {"unit_code": "KEMENKES-ROSDM-RENSDM"}, None),
    ("/api/v1/admin/audit-log", {"nip": B}, None),
]


@pytest.mark.parametrize("attacker", [A, EKO], ids=["A", "EKO"])
@pytest.mark.parametrize("path,params,table", QUERY_ATTACKS,
                         ids=[f"{p}?{'&'.join(f'{k}={v}' for k, v in q.items())}" for p, q, _ in QUERY_ATTACKS])
def test_lists_filtered_on_another_employee_hold_none_of_theirs(server, db, b_documents, attacker, path, params,
                                                                table):
    r = requests.get(server.url + path, headers=auth_headers(_token(server, attacker)), params=params, timeout=60)
    assert r.status_code in (200, 403, 404, 422), (path, params, r.status_code, r.text[:300])
    text = _visible(r)
    assert B not in text and B_NAME not in text, f"{path} {params} shows B's data: {text[:300]}"
    if r.status_code == 200 and table:
        with db.cursor() as cur:
            cur.execute(f"select id from {table} where employee_id = %s", (_emp(db, B),))
            theirs = {row[0] for row in cur.fetchall()}
        got = {it.get("id") for it in r.json().get("items", []) if isinstance(it, dict)}
        assert not (got & theirs), f"{path} {params} lists B's rows {got & theirs}"


# ------------------------------------------------------------------ (c'') BOLA through ids in a body
@pytest.mark.parametrize("attacker", [A, EKO], ids=["A", "EKO"])
def test_bulk_approval_of_another_employees_reports_changes_nothing(server, db, attacker):
    with db.cursor() as cur:
        cur.execute("select id, status from lkh_reports where employee_id = %s order by id", (_emp(db, B),))
        before = cur.fetchall()
    ids = [rid for rid, st in before if st == "submitted"] or [rid for rid, _ in before][:5]
    assert ids, "B has no LKH report (demo seed)"
    r = requests.post(server.url + "/api/v1/lkh/team/approve", headers=auth_headers(_token(server, attacker)),
                      json={"ids": ids}, timeout=60)
    assert r.status_code < 500, r.text
    assert B not in _visible(r) and B_NAME not in _visible(r)
    with db.cursor() as cur:
        cur.execute("select id, status from lkh_reports where employee_id = %s order by id", (_emp(db, B),))
        assert cur.fetchall() == before
