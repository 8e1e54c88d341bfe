"""Attacks on identity: forged tokens, OTP replay and guessing, refresh
re-use, user enumeration, impersonating registration, mass assignment,
oversized/malformed bodies, cross-employee access, non-admin access."""
import json
import statistics
import threading
import time

import jwt as pyjwt
import pytest
import requests

from conftest import assert_problem
from helpers_auth import auth_headers, current_step, dev_otp, fresh_otp, login
from identity_support import (ADMIN, GURU_JPR, PASSWORD, STAFF, b64url, fresh_employee, hs256_token, login_with,
                              private_key_pem, problem_core, public_key_pem, register_and_verify, register_body)

UNKNOWN_NIP = "199001012015011999"  # well-formed, not in the master data


def claims_of(token):
    return pyjwt.decode(token, options={"verify_signature": False})


def forged(server, tok, **changes):
    c = claims_of(tok["access_token"])
    header = pyjwt.get_unverified_header(tok["access_token"])
    c.update(changes.pop("claims", {}))
    header.update(changes.pop("header", {}))
    return pyjwt.encode(c, private_key_pem(), algorithm="ES256", headers=header)


def me_status(server, token):
    return requests.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_identity_forged_tokens_rejected(server):
    tok = login(server.url, STAFF)
    good = tok["access_token"]
    assert me_status(server, good) == 200
    c = claims_of(good)
    header = pyjwt.get_unverified_header(good)
    # alg none
    none_tok = b64url(json.dumps({"alg": "none", "typ": "at+jwt", "kid": header["kid"]})) + "." + b64url(json.dumps(c)) + "."
    assert me_status(server, none_tok) == 401
    # HS256 signed with the public key (key confusion), also lower-case alg
    for alg in ("HS256", "hs256", "ES256 "):
        t = hs256_token({"alg": alg, "typ": "at+jwt", "kid": header["kid"]}, c, public_key_pem())
        assert me_status(server, t) == 401, alg
    # the real key, but wrong aud / iss / typ / kid, expired, not yet valid
    now = int(time.time())
    assert me_status(server, forged(server, tok)) == 200  # control: our crafting is sound
    assert me_status(server, forged(server, tok, claims={"aud": "another-app"})) == 401
    assert me_status(server, forged(server, tok, claims={"iss": "https://evil.example"})) == 401
    assert me_status(server, forged(server, tok, header={"typ": "JWT"})) == 401
    assert me_status(server, forged(server, tok, header={"kid": "other"})) == 401
    assert me_status(server, forged(server, tok, claims={"exp": now - 10, "iat": now - 400, "nbf": now - 400})) == 401
    assert me_status(server, forged(server, tok, claims={"nbf": now + 600})) == 401
    # tampered payload with the original signature
    h, p, s = good.split(".")
    evil = dict(c, eid=c["eid"] + 1, sub=ADMIN)
    assert me_status(server, f"{h}.{b64url(json.dumps(evil))}.{s}") == 401
    # garbage
    for t in ("", "abc", "a.b.c", good + "x", "Bearer"):
        assert me_status(server, t) == 401
    assert requests.get(server.url + "/api/v1/me").status_code == 401
    r = requests.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {none_tok}"})
    assert r.json()["code"] == "unauthorized"


def test_identity_otp_replay_rejected(server, db):
    nip = GURU_JPR
    code = fresh_otp(nip)  # a code of a step not yet used for this account
    body = {"nip": nip, "password": "eOffice-Demo-2026", "otp": code}
    first = requests.post(server.url + "/api/v1/auth/login", json=body)
    second = requests.post(server.url + "/api/v1/auth/login", json=body)
    assert first.status_code == 200, first.text
    assert second.status_code == 401 and second.json()["code"] == "invalid_credentials"
    db.cursor().execute("delete from auth_throttle where key = %s", (f"login:nip:{nip}",))


def test_identity_otp_replay_within_step_refused(server, db):
    """The tests rewind accounts.totp_last_step before a sign-in (rewind_totp) instead of
    waiting for a new step; without a rewind every code of a used step is refused: the
    code that verified the enrolment, a sign-in code sent again, a code of an older step,
    and one code sent twice at the same moment (exactly one wins)."""
    emp = fresh_employee(db, 10)
    _, _, app = register_and_verify(server.url, db, emp)
    assert_problem(login_with(server.url, app, otp=app.last), 401, "invalid_credentials")

    ok = login_with(server.url, app)  # rewound: the same step is usable once more
    assert ok.status_code == 200, ok.text
    assert_problem(login_with(server.url, app, otp=app.last), 401, "invalid_credentials")
    cur = db.cursor()
    cur.execute("select totp_last_step from accounts where employee_id = %s", (emp["id"],))
    used = cur.fetchone()[0]
    assert used >= current_step() - 1
    older = app.code_at_step(used - 1)  # in the window, but not newer than the last used step
    assert_problem(login_with(server.url, app, otp=older), 401, "invalid_credentials")

    code = app.code()
    body = {"nip": emp["nip"], "password": PASSWORD, "otp": code}
    statuses, gate = [], threading.Barrier(2)

    def attempt():
        gate.wait()
        statuses.append(requests.post(server.url + "/api/v1/auth/login", json=body, timeout=30).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 401], statuses
    cur.execute("delete from auth_throttle where key like %s", ("login:%",))


def test_identity_otp_guessing_throttled(server, db):
    db.cursor().execute("delete from auth_throttle where key like %s", (f"login:%:nip:{UNKNOWN_NIP}",))
    body = {"nip": UNKNOWN_NIP, "password": "whatever-password", "otp": "123456"}
    codes = [requests.post(server.url + "/api/v1/auth/login", json=body).status_code for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 401
    r = requests.post(server.url + "/api/v1/auth/login", json=body)
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    assert int(r.headers["Retry-After"]) >= 1
    # Another client ("session") from the same address hits the same wall: wrong passwords
    # count per (NIP, address) (test_signin_throttle.py: another address is not held back).
    with requests.Session() as s:
        r2 = s.post(server.url + "/api/v1/auth/login", json=body, headers={"User-Agent": "other-client"})
        assert r2.status_code == 429
    cur = db.cursor()
    cur.execute("select failures from auth_throttle where key = %s", (f"login:ip:127.0.0.1:nip:{UNKNOWN_NIP}",))
    assert cur.fetchone()[0] == 6
    cur.execute("delete from auth_throttle where key like %s", ("login:%",))


def test_identity_throttle_delay_ends(server, db):
    """After five wrong passwords from one address that NIP is throttled there, even for the
    right password and code; once throttle_until has passed (aged in the database rather
    than waited for) the right credentials sign in and the counter is cleared."""
    emp = fresh_employee(db, 11)
    _, _, app = register_and_verify(server.url, db, emp)
    key = f"login:ip:127.0.0.1:nip:{emp['nip']}"
    for _ in range(6):
        assert_problem(login_with(server.url, app, password="not-the-password"), 401, "invalid_credentials")
    r = login_with(server.url, app)
    assert_problem(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) >= 1
    cur = db.cursor()
    cur.execute("update auth_throttle set throttle_until = now() - interval '1 second' where key = %s", (key,))
    assert cur.rowcount == 1
    r = login_with(server.url, app)
    assert r.status_code == 200, r.text
    cur.execute("select count(*) from auth_throttle where key = %s and failures > 0", (key,))
    assert cur.fetchone()[0] == 0
    cur.execute("delete from auth_throttle where key like %s", ("login:%",))


def test_identity_no_user_enumeration(server, db):
    nip = STAFF
    login(server.url, nip)
    wrong_otp = "000000" if dev_otp(nip) != "000000" else "111111"
    cases = {
        "unknown": {"nip": UNKNOWN_NIP, "password": "eOffice-Demo-2026", "otp": "123456"},
        "wrong_password": {"nip": nip, "password": "not-the-password", "otp": "123456"},
        "wrong_otp": {"nip": nip, "password": "eOffice-Demo-2026", "otp": wrong_otp},
    }
    answers, times = {}, {k: [] for k in cases}
    for _ in range(2):
        for name, body in cases.items():
            t0 = time.monotonic()
            r = requests.post(server.url + "/api/v1/auth/login", json=body)
            times[name].append(time.monotonic() - t0)
            answers[name] = (r.status_code, problem_core(r))
    assert len(set(json.dumps(a, sort_keys=True) for a in answers.values())) == 1, answers
    assert answers["unknown"][0] == 401 and answers["unknown"][1]["code"] == "invalid_credentials"
    med = {k: statistics.median(v) for k, v in times.items()}
    assert max(med.values()) < 3 * min(med.values()), med
    db.cursor().execute("delete from auth_throttle where key like %s", ("login:%",))


def test_identity_register_as_someone_else(server, db):
    emp = fresh_employee(db, 8)
    cur = db.cursor()
    cur.execute("select nik from employees where nip = %s", (STAFF,))
    staff_nik = cur.fetchone()[0]
    wrong_nik = emp["nik"][:-4] + ("0001" if emp["nik"][-4:] != "0001" else "0002")
    cases = [
        register_body(emp, nik=wrong_nik),                                        # wrong NIK
        register_body(emp, nip=UNKNOWN_NIP),                                      # unknown NIP
        register_body(emp, nip=STAFF, nik=staff_nik, office_email="x@kemkes.go.id"),  # existing active account
        register_body(emp, office_email="attacker@example.com"),                  # not the office address
    ]
    answers = []
    for body in cases:
        r = requests.post(server.url + "/api/v1/auth/register", json=body)
        answers.append((r.status_code, problem_core(r)))
    assert all(a == answers[0] for a in answers), answers
    assert answers[0][0] == 422 and answers[0][1]["code"] == "registration_rejected"
    cur.execute("select count(*) from accounts where employee_id = %s", (emp["id"],))
    assert cur.fetchone()[0] == 0


def test_identity_mass_assignment(server, db):
    emp = fresh_employee(db, 9)
    r = requests.post(server.url + "/api/v1/auth/register",
                      json=register_body(emp, status="active", roles=["admin"]))
    assert r.status_code == 422
    assert {(e["field"], e["code"]) for e in r.json()["errors"]} == {("status", "unknown_field"), ("roles", "unknown_field")}
    cur = db.cursor()
    cur.execute("select count(*) from accounts where employee_id = %s", (emp["id"],))
    assert cur.fetchone()[0] == 0
    r = requests.post(server.url + "/api/v1/auth/login",
                      json={"nip": STAFF, "password": "x", "otp": "123456", "roles": ["admin"]})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "unknown_field"


def test_identity_bad_bodies(server):
    url = server.url + "/api/v1/auth/login"
    big = {"nip": "1" * 18, "password": "p" * (70 * 1024), "otp": "123456"}
    assert requests.post(url, json=big).status_code == 413
    assert requests.post(url, data="{not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert requests.post(url, data="[1,2]", headers={"Content-Type": "application/json"}).status_code == 400
    assert requests.post(url, data="nip=1", headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
    r = requests.post(url, json={"nip": 123, "password": "x", "otp": "1"})
    assert r.status_code == 422
    r = requests.post(url, json={})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"nip", "password", "otp"}


def test_identity_non_admin_forbidden(server):
    staff = login(server.url, STAFF)
    for method, path in [
        ("get", f"/api/v1/admin/employees/{GURU_JPR}/roles"),
        ("post", f"/api/v1/admin/employees/{GURU_JPR}/roles"),
        ("delete", f"/api/v1/admin/employees/{GURU_JPR}/roles/1"),
        ("post", f"/api/v1/admin/employees/{GURU_JPR}/disable"),
        ("get", "/api/v1/admin/audit-log"),
    ]:
        r = getattr(requests, method)(server.url + path, headers=auth_headers(staff), json={"role": "admin"})
        assert r.status_code == 403, (path, r.status_code)
        assert r.json()["code"] == "forbidden"
