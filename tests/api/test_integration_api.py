"""The integration API (/integration/v1) with scoped partner keys
(docs/integration-api.md): keys are created by admin (API or command line),
shown once, stored as SHA-256, revocable; every route checks its scope;
pushes are idempotent per partner and partner id; a batch is all-or-nothing
with a per-item error report."""
import hashlib
import json
import uuid

import pytest
import requests

from conftest import assert_problem
from competency_support import ADMIN, DEWI, RAHMAT, assessment_count, get, headers, send

RIZKI = "199601092021031001"  # staff without an account: partners push for anyone

KEYS = "/api/v1/admin/api-keys"
ASSESS = "/integration/v1/assessments"
TRAIN = "/integration/v1/trainings"
CARD = "/integration/v1/employees/"


def new_key(server, scopes, partner=None):
    partner = partner or "lan-ac-" + uuid.uuid4().hex[:8]
    r = send(server, "POST", KEYS, ADMIN, {"partner": partner, "description": "pytest", "scopes": scopes})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["key"].startswith("eok_" + body["prefix"] + "_")
    return body


def call(server, method, path, key=None, body=None, raw=None, extra=None):
    h = {}
    if key:
        h["X-API-Key"] = key
    if body is not None or raw is not None:
        h["Content-Type"] = "application/json"
    if extra:
        h.update(extra)
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.request(method, server.url + path, headers=h, data=data, timeout=30)


@pytest.fixture(scope="module")
def all_key(server):
    return new_key(server, ["assessment:write", "training:write", "employees:read"])


def result(rid, nip=DEWI, day="2026-02-10", scores=None):
    return {"partner_result_id": rid, "nip": nip, "assessed_on": day, "assessor": "LAN Assessment Centre",
            "scores": scores or [{"code": "M.01", "score": 3.33}, {"code": "T.SDM-02", "score": 2}]}


def training(tid, nip=DEWI, **over):
    t = {"partner_training_id": tid, "nip": nip, "title": "Pelatihan Analisis Jabatan", "organiser": "BBPK Makassar",
         "jp_hours": 24, "started_on": "2026-03-02", "finished_on": "2026-03-05"}
    t.update(over)
    return t


# ---- keys ----

def test_key_is_shown_once_and_stored_hashed(server, db):
    k = new_key(server, ["employees:read"])
    with db.cursor() as cur:
        cur.execute("select encode(secret_sha256, 'hex'), partner, scopes from api_keys where prefix = %s",
                    (k["prefix"],))
        digest, partner, scopes = cur.fetchone()
    secret = k["key"].split("_", 2)[2]
    assert digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(get(server, KEYS, ADMIN, limit=100).json())
    assert scopes == ["employees:read"] and partner == k["partner"]
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where action = 'integration.api_key_create' and target_id = %s",
                    (k["prefix"],))
        assert cur.fetchone()[0] == 1


def test_last_used_is_recorded(server, db):
    k = new_key(server, ["employees:read"])
    assert call(server, "GET", CARD + DEWI, k["key"]).status_code == 200
    with db.cursor() as cur:
        cur.execute("select last_used_at is not null from api_keys where prefix = %s", (k["prefix"],))
        assert cur.fetchone()[0]


@pytest.mark.parametrize("body,field", [
    ({"partner": "x", "scopes": ["employees:write"]}, "scopes[0]"),
    ({"partner": "x", "scopes": []}, "scopes"),
    ({"partner": "x", "scopes": "employees:read"}, "scopes"),
    ({"partner": "x", "scopes": [1]}, "scopes"),
    ({"partner": "Bad Name", "scopes": ["employees:read"]}, "partner"),
    ({"scopes": ["employees:read"]}, "partner"),
    ({"partner": "x" * 65, "scopes": ["employees:read"]}, "partner"),
    ({"partner": "x", "scopes": ["employees:read"], "admin": True}, "admin"),
])
def test_key_create_validation(server, body, field):
    p = assert_problem(send(server, "POST", KEYS, ADMIN, body), 422)
    assert field in [e["field"] for e in p["errors"]]


def test_only_admin_manages_keys(server, all_key):
    for nip in (DEWI, RAHMAT):
        assert_problem(send(server, "POST", KEYS, nip, {"partner": "x", "scopes": ["employees:read"]}), 403)
        assert_problem(get(server, KEYS, nip), 403)
        assert_problem(send(server, "DELETE", f"{KEYS}/{all_key['id']}", nip), 403)
    assert_problem(get(server, KEYS), 401)


def test_revoked_key_is_refused_and_revoke_twice_is_409(server, db):
    k = new_key(server, ["employees:read"])
    assert call(server, "GET", CARD + DEWI, k["key"]).status_code == 200
    r = send(server, "DELETE", f"{KEYS}/{k['id']}", ADMIN)
    assert r.status_code == 200 and r.json()["revoked_at"]
    assert_problem(call(server, "GET", CARD + DEWI, k["key"]), 401, "api_key_revoked")
    assert_problem(send(server, "DELETE", f"{KEYS}/{k['id']}", ADMIN), 409, "api_key_already_revoked")
    assert_problem(send(server, "DELETE", f"{KEYS}/999999999", ADMIN), 404, "api_key_not_found")
    assert_problem(send(server, "DELETE", f"{KEYS}/abc", ADMIN), 404, "api_key_not_found")


def test_keys_list_pages(server):
    for _ in range(3):
        new_key(server, ["employees:read"])
    seen, cursor = [], None
    while True:
        params = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = get(server, KEYS, ADMIN, **params).json()
        seen += [k["id"] for k in body["items"]]
        assert all("key" not in k for k in body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 3


# ---- authentication and scopes ----

def test_unknown_malformed_missing_key_is_401(server, all_key):
    assert_problem(call(server, "GET", CARD + DEWI), 401, "api_key_required")
    r = call(server, "GET", CARD + DEWI, "nonsense")
    assert_problem(r, 401, "api_key_invalid")
    assert r.headers.get("WWW-Authenticate") == "ApiKey"
    forged = all_key["key"][:-1] + ("0" if all_key["key"][-1] != "0" else "1")
    assert_problem(call(server, "GET", CARD + DEWI, forged), 401, "api_key_invalid")
    unknown = "eok_" + "0" * 12 + "_" + "a" * 64
    assert_problem(call(server, "GET", CARD + DEWI, unknown), 401, "api_key_invalid")


def test_user_token_is_not_a_key(server):
    h = headers(server, ADMIN)
    assert_problem(requests.get(server.url + CARD + DEWI, headers=h, timeout=30), 401, "api_key_required")
    token = h["Authorization"].split(" ", 1)[1]
    assert_problem(call(server, "GET", CARD + DEWI, token), 401, "api_key_invalid")


def test_key_is_not_a_user_token(server, all_key):
    r = requests.get(server.url + "/api/v1/me", headers={"Authorization": "Bearer " + all_key["key"]}, timeout=30)
    assert r.status_code == 401


def test_scopes_are_enforced(server, db):
    read_only = new_key(server, ["employees:read"])
    before = assessment_count(db, DEWI)
    p = assert_problem(call(server, "POST", ASSESS, read_only["key"], {"items": [result("scope-1")]}), 403,
                       "api_key_scope_missing")
    assert p["required_scope"] == "assessment:write"
    assert_problem(call(server, "POST", TRAIN, read_only["key"], {"items": [training("scope-1")]}), 403,
                   "api_key_scope_missing")
    writer = new_key(server, ["assessment:write"])
    assert_problem(call(server, "GET", CARD + DEWI, writer["key"]), 403, "api_key_scope_missing")
    assert assessment_count(db, DEWI) == before


# ---- employee card ----

def test_card_has_public_fields_only(server, all_key):
    r = call(server, "GET", CARD + DEWI, all_key["key"])
    assert r.status_code == 200
    card = r.json()
    assert set(card) == {"nip", "name", "employee_type", "rank", "status", "position", "position_type", "unit"}
    assert card["unit"]["code"] == "KEMENKES-ROSDM-RENSDM"
    assert_problem(call(server, "GET", CARD + "199999999999999999", all_key["key"]), 404, "employee_not_found")
    assert_problem(call(server, "GET", CARD + "abc", all_key["key"]), 404, "employee_not_found")


# ---- assessments push ----

def test_push_assessments_then_repush_is_idempotent(server, db, all_key):
    rid = "AC-" + uuid.uuid4().hex
    before = assessment_count(db, DEWI)
    r = call(server, "POST", ASSESS, all_key["key"], {"items": [result(rid), result(rid + "-b", nip=RIZKI)]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["created"] == 2 and body["existing"] == 0
    assert [i["status"] for i in body["items"]] == ["created", "created"]
    assert assessment_count(db, DEWI) == before + 1
    r = call(server, "POST", ASSESS, all_key["key"], {"items": [result(rid)]})
    assert r.status_code == 200 and r.json()["existing"] == 1 and r.json()["items"][0]["id"] == body["items"][0]["id"]
    assert assessment_count(db, DEWI) == before + 1
    # the partner, not the key, owns the id: a rotated key of the same partner sees the same result
    rotated = new_key(server, ["assessment:write"], partner=all_key["partner"])
    assert call(server, "POST", ASSESS, rotated["key"], {"items": [result(rid)]}).json()["existing"] == 1
    # another partner with the same id is another result
    other = new_key(server, ["assessment:write"])
    assert call(server, "POST", ASSESS, other["key"], {"items": [result(rid)]}).json()["created"] == 1
    # the pushed scores show in the employee's history
    hist = get(server, "/api/v1/me/competencies/M.01/history", DEWI, limit=100).json()["items"]
    assert any(h["source"] == "integration" and h["score"] == 3.33 for h in hist)


def test_same_id_for_another_subject_is_a_conflict(server, db, all_key):
    rid = "AC-" + uuid.uuid4().hex
    assert call(server, "POST", ASSESS, all_key["key"], {"items": [result(rid)]}).status_code == 200
    p = assert_problem(call(server, "POST", ASSESS, all_key["key"], {"items": [result(rid, nip=RIZKI)]}), 422,
                       "batch_invalid")
    assert p["items"] == [{"index": 0, "errors": [{"field": "partner_result_id", "code": "partner_result_conflict"}]}]


def test_batch_with_one_bad_item_changes_nothing(server, db, all_key):
    before = assessment_count(db, partner=all_key["partner"])
    items = [result("AC-" + uuid.uuid4().hex), result("AC-" + uuid.uuid4().hex, nip="199999999999999999"),
             result("AC-" + uuid.uuid4().hex, scores=[{"code": "T.NOPE", "score": 2}]),
             result("AC-" + uuid.uuid4().hex, scores=[{"code": "M.01", "score": 7}]),
             {"nip": DEWI}, 5]
    p = assert_problem(call(server, "POST", ASSESS, all_key["key"], {"items": items}), 422, "batch_invalid")
    report = {it["index"]: it["errors"] for it in p["items"]}
    assert set(report) == {1, 2, 3, 4, 5}
    assert {"field": "nip", "code": "employee_not_found"} in report[1]
    assert {"field": "scores[0].code", "code": "competency_not_found"} in report[2]
    assert {"field": "scores[0].score", "code": "out_of_range"} in report[3]
    assert {"field": "partner_result_id", "code": "missing_field"} in report[4]
    assert {"field": "item", "code": "invalid_type"} in report[5]
    assert assessment_count(db, partner=all_key["partner"]) == before


def test_same_id_twice_in_one_batch(server, all_key):
    rid = "AC-" + uuid.uuid4().hex
    p = assert_problem(call(server, "POST", ASSESS, all_key["key"], {"items": [result(rid), result(rid)]}), 422)
    assert p["items"][0]["index"] == 1 and p["items"][0]["errors"][0]["code"] == "duplicate_in_batch"


@pytest.mark.parametrize("raw,status", [("{", 400), ("[]", 400), ("{}", 422), ('{"items": []}', 422),
                                        ('{"items": {}}', 422), ('{"items": [], "x": 1}', 422)])
def test_malformed_batches(server, all_key, raw, status):
    assert_problem(call(server, "POST", ASSESS, all_key["key"], raw=raw), status)
    assert_problem(call(server, "POST", TRAIN, all_key["key"], raw=raw), status)


def test_oversized_batches(server, all_key):
    items = [result(f"AC-{i}") for i in range(101)]
    p = assert_problem(call(server, "POST", ASSESS, all_key["key"], {"items": items}), 422)
    assert p["errors"][0]["code"] == "too_many_items"
    assert_problem(call(server, "POST", ASSESS, all_key["key"], raw='{"items": ["' + "x" * 70000 + '"]}'), 413)
    assert_problem(call(server, "POST", ASSESS, all_key["key"], raw="x",
                        extra={"Content-Type": "text/plain"}), 415)


# ---- trainings push ----

def test_push_trainings_idempotent(server, db, all_key):
    tid = "TR-" + uuid.uuid4().hex
    r = call(server, "POST", TRAIN, all_key["key"], {"items": [training(tid), training(tid + "b", jp_hours=2.5)]})
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 2
    r = call(server, "POST", TRAIN, all_key["key"], {"items": [training(tid)]})
    assert r.json()["existing"] == 1 and r.json()["created"] == 0
    with db.cursor() as cur:
        cur.execute("select jp_hours, title from training_completions where partner = %s and partner_training_id = %s",
                    (all_key["partner"], tid + "b"))
        jp, title = cur.fetchone()
    assert float(jp) == 2.5 and title == "Pelatihan Analisis Jabatan"
    p = assert_problem(call(server, "POST", TRAIN, all_key["key"], {"items": [training(tid, jp_hours=30)]}), 422)
    assert p["items"][0]["errors"][0]["code"] == "partner_result_conflict"


@pytest.mark.parametrize("over,field", [
    ({"jp_hours": 0}, "jp_hours"), ({"jp_hours": "24"}, "jp_hours"), ({"jp_hours": 1.234}, "jp_hours"),
    ({"jp_hours": 1001}, "jp_hours"), ({"title": ""}, "title"), ({"title": "x" * 301}, "title"),
    ({"organiser": "  "}, "organiser"), ({"started_on": "2026-13-01"}, "started_on"),
    ({"finished_on": "2026-03-01"}, "finished_on"), ({"nip": "123"}, "nip"), ({"extra": 1}, "extra"),
])
def test_bad_training_items(server, db, all_key, over, field):
    with db.cursor() as cur:
        cur.execute("select count(*) from training_completions")
        before = cur.fetchone()[0]
    items = [training("TR-" + uuid.uuid4().hex), training("TR-" + uuid.uuid4().hex, **over)]
    p = assert_problem(call(server, "POST", TRAIN, all_key["key"], {"items": items}), 422, "batch_invalid")
    assert p["items"][0]["index"] == 1 and field in [e["field"] for e in p["items"][0]["errors"]], p
    with db.cursor() as cur:
        cur.execute("select count(*) from training_completions")
        assert cur.fetchone()[0] == before


# ---- the command line ----

def test_cli_create_list_revoke(server, cli, db):
    p = cli("apikey", "create", "--partner", "simka-cli", "--scope", "employees:read", "--description", "cli test")
    assert p.returncode == 0, p.stderr
    key = p.stdout.strip()
    assert key.startswith("eok_")
    assert call(server, "GET", CARD + DEWI, key).status_code == 200
    prefix = key[4:16]
    listed = cli("apikey", "list")
    assert listed.returncode == 0 and prefix in listed.stdout and key not in listed.stdout
    assert cli("apikey", "revoke", prefix).returncode == 0
    assert_problem(call(server, "GET", CARD + DEWI, key), 401, "api_key_revoked")
    assert cli("apikey", "revoke", prefix).returncode == 1
    assert cli("apikey", "create", "--partner", "x", "--scope", "nope").returncode == 2
    assert cli("apikey", "create").returncode == 2
    assert cli("apikey", "frobnicate").returncode == 2
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where target_id = %s and actor_employee_id is null", (prefix,))
        assert cur.fetchone()[0] == 2


def test_pushed_results_notify_the_employee_only_when_stored(server, db, all_key):
    rid = "AC-" + uuid.uuid4().hex
    r = call(server, "POST", ASSESS, all_key["key"], {"items": [result(rid)]})
    aid = r.json()["items"][0]["id"]
    call(server, "POST", ASSESS, all_key["key"], {"items": [result(rid)]})  # a re-push tells nobody again
    with db.cursor() as cur:
        cur.execute("select count(*) from notifications where kind = 'assessment.recorded' and target_id = %s",
                    (str(aid),))
        assert cur.fetchone()[0] == 1
        cur.execute("select count(*) from notifications where kind = 'assessment.recorded'")
        before = cur.fetchone()[0]
    bad = [result("AC-" + uuid.uuid4().hex), result("AC-" + uuid.uuid4().hex, nip="199999999999999999")]
    assert call(server, "POST", ASSESS, all_key["key"], {"items": bad}).status_code == 422
    with db.cursor() as cur:
        cur.execute("select count(*) from notifications where kind = 'assessment.recorded'")
        assert cur.fetchone()[0] == before
