"""Identity flows end to end: register + enrol (QR decoded with zbarimg,
codes from pyotp), sign-in, refresh, sessions, devices, password change,
lost authenticator, admin, settings, JWKS."""
import re
import shutil
import subprocess
import time
import urllib.parse

import pyotp
import pytest
import requests

from helpers_auth import auth_headers, login
from identity_support import (ADMIN, ANPEG, GURU_JPR, GURU_SEKAYU, KEPSEK, PASSWORD, STAFF, Authenticator,
                              fresh_employee, login_with, register_and_verify, register_body)


def test_identity_register_enrol_and_sign_in(server, db, tmp_path):
    emp = fresh_employee(db, 0)
    r = requests.post(server.url + "/api/v1/auth/register", json=register_body(emp))
    assert r.status_code == 201, r.text
    assert "no-store" in r.headers.get("Cache-Control", "")
    en = r.json()
    assert re.fullmatch(r"[A-Z2-7]{32}", en["secret"])
    uri = en["otpauth_uri"]
    parsed = urllib.parse.urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert urllib.parse.unquote(parsed.path) == f"/e-Office:{emp['nip']}"
    q = urllib.parse.parse_qs(parsed.query)
    assert q == {"secret": [en["secret"]], "issuer": ["e-Office"], "algorithm": ["SHA1"], "digits": ["6"],
                 "period": ["30"]}
    assert len(en["recovery_codes"]) == 8 and all(len(c) == 10 for c in en["recovery_codes"])
    assert en["qr_png"].startswith("data:image/png;base64,") and en["qr_svg"].startswith("data:image/svg+xml;base64,")
    # The QR decodes back to the same URI.
    png = requests.get(server.url + en["qr_png_url"], params={"token": en["enrolment_token"]})
    assert png.status_code == 200 and png.headers["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert shutil.which("zbarimg"), "zbarimg missing: scripts/dev deps installs zbar-tools"
    f = tmp_path / "qr.png"
    f.write_bytes(png.content)
    out = subprocess.run(["zbarimg", "--raw", "-q", str(f)], capture_output=True, text=True)
    assert out.stdout.strip() == uri
    svg = requests.get(server.url + en["qr_svg_url"], headers={"X-Enrolment-Token": en["enrolment_token"]})
    assert svg.status_code == 200 and svg.text.lstrip().startswith("<?xml") and "<svg" in svg.text
    assert requests.get(server.url + en["qr_png_url"], params={"token": "wrong"}).status_code == 404
    # Not active before verification.
    app = Authenticator(db, emp["nip"], en["secret"])
    bad = login_with(server.url, app)
    assert bad.status_code == 401 and bad.json()["code"] == "invalid_credentials"
    # A wrong code first, then the right one.
    wrong = requests.post(server.url + f"/api/v1/auth/enrolments/{en['enrolment_id']}/verify",
                          json={"enrolment_token": en["enrolment_token"], "code": "000000"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "otp_invalid"
    v = requests.post(server.url + f"/api/v1/auth/enrolments/{en['enrolment_id']}/verify",
                      json={"enrolment_token": en["enrolment_token"], "code": app.code()})
    assert v.status_code == 201, v.text
    tok = v.json()
    assert tok["token_type"] == "Bearer" and tok["expires_in"] > 0 and len(tok["refresh_token"]) >= 43
    me = requests.get(server.url + "/api/v1/me", headers=auth_headers(tok))
    assert me.status_code == 200 and me.json()["nip"] == emp["nip"] and "pegawai" in me.json()["roles"]
    # Verified enrolments cannot be used again.
    again = requests.post(server.url + f"/api/v1/auth/enrolments/{en['enrolment_id']}/verify",
                          json={"enrolment_token": en["enrolment_token"], "code": app.code()})
    assert again.status_code == 410
    # Sign in with password + a fresh code.
    r = login_with(server.url, app)
    assert r.status_code == 200, r.text
    # Registering an active account again is the generic rejection.
    r = requests.post(server.url + "/api/v1/auth/register", json=register_body(emp))
    assert r.status_code == 422 and r.json()["code"] == "registration_rejected"
    cur = db.cursor()
    cur.execute("select status, password_hash like '$argon2id$%%', length(totp_secret_enc) from accounts "
                "where employee_id = %s", (emp["id"],))
    status, argon, enc_len = cur.fetchone()
    assert status == "active" and argon and enc_len == 36
    cur.execute("select count(*) from audit_log where target_id = %s and action in ('auth.register', 'auth.enrol', "
                "'auth.login')", (emp["nip"],))
    assert cur.fetchone()[0] >= 3


def test_identity_reregister_replaces_pending_and_expiry(server, db):
    emp = fresh_employee(db, 1)
    first = requests.post(server.url + "/api/v1/auth/register", json=register_body(emp)).json()
    second = requests.post(server.url + "/api/v1/auth/register", json=register_body(emp)).json()
    assert first["secret"] != second["secret"]
    r = requests.post(server.url + f"/api/v1/auth/enrolments/{first['enrolment_id']}/verify",
                      json={"enrolment_token": first["enrolment_token"], "code": pyotp.TOTP(first["secret"]).now()})
    assert r.status_code == 404
    db.cursor().execute("update enrolments set expires_at = now() - interval '1 second' where id = %s",
                        (second["enrolment_id"],))
    r = requests.post(server.url + f"/api/v1/auth/enrolments/{second['enrolment_id']}/verify",
                      json={"enrolment_token": second["enrolment_token"], "code": pyotp.TOTP(second["secret"]).now()})
    assert r.status_code == 410 and r.json()["code"] == "enrolment_expired"


def test_identity_register_field_errors(server, db):
    emp = fresh_employee(db, 2)
    cases = [
        ({"password": "short", "password_confirmation": "short"}, "password", "password_too_short"),
        ({"password": "x" * 129, "password_confirmation": "x" * 129}, "password", "password_too_long"),
        ({"password": "bismillah", "password_confirmation": "bismillah"}, "password", "password_common"),
        ({"password": "password123", "password_confirmation": "password123"}, "password", "password_common"),
        ({"password_confirmation": "something-else-entirely"}, "password_confirmation", "password_mismatch"),
        ({"personal_email": "not-an-email"}, "personal_email", "email_invalid"),
        ({"nip": "12345"}, "nip", "nip_format"),
    ]
    for over, field, code in cases:
        r = requests.post(server.url + "/api/v1/auth/register", json=register_body(emp, **over))
        assert r.status_code == 422, (over, r.text)
        errs = {(e["field"], e["code"]) for e in r.json()["errors"]}
        assert (field, code) in errs, (over, r.json())
    # A 64-character passphrase is fine.
    long_pw = "kata sandi yang panjang sekali untuk pegawai negeri sipil 2026!"
    r = requests.post(server.url + "/api/v1/auth/register",
                      json=register_body(emp, password=long_pw, password_confirmation=long_pw))
    assert r.status_code == 201, r.text


def test_identity_refresh_rotation_and_logout(server, db):
    emp = fresh_employee(db, 3)
    en, tok, app = register_and_verify(server.url, db, emp)
    r1 = requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": tok["refresh_token"]})
    assert r1.status_code == 200, r1.text
    t1 = r1.json()
    assert t1["refresh_token"] != tok["refresh_token"]
    r2 = requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": t1["refresh_token"]})
    assert r2.status_code == 200
    t2 = r2.json()
    # Re-using t1's (rotated) token revokes the whole family, including t2.
    reuse = requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": t1["refresh_token"]})
    assert reuse.status_code == 401
    assert requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": t2["refresh_token"]}).status_code == 401
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(t2)).status_code == 401
    cur = db.cursor()
    cur.execute("select count(*) from audit_log where action = 'auth.refresh_reuse' and target_id = %s",
                (str(tok["session_id"]),))
    assert cur.fetchone()[0] == 1
    # Logout ends this session only.
    a = login_with(server.url, app).json()
    b = login_with(server.url, app).json()
    assert requests.post(server.url + "/api/v1/auth/logout", headers=auth_headers(a)).status_code == 204
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(a)).status_code == 401
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(b)).status_code == 200
    sessions = requests.get(server.url + "/api/v1/me/sessions", headers=auth_headers(b)).json()["items"]
    assert [s["current"] for s in sessions if s["id"] == b["session_id"]] == [True]
    assert a["session_id"] not in [s["id"] for s in sessions]


def test_identity_sessions_are_private(server, db):
    other = login(server.url, GURU_JPR)
    mine = login(server.url, GURU_SEKAYU)
    r = requests.delete(server.url + f"/api/v1/me/sessions/{other['session_id']}", headers=auth_headers(mine))
    assert r.status_code == 404
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(other)).status_code == 200


def test_identity_mobile_login_devices_and_refresh(server, db):
    emp = fresh_employee(db, 4)
    en, tok, app = register_and_verify(server.url, db, emp)
    r = login_with(server.url, app, path="/mobile/v1/auth/login", device_id="pixel-7-abc",
                   device_name="Pixel 7", platform="android", app_version="2.1.0")
    assert r.status_code == 200, r.text
    mt = r.json()
    me = requests.get(server.url + "/mobile/v1/me", headers=auth_headers(mt)).json()
    assert me["nip"] == emp["nip"] and me["device_id"] == "pixel-7-abc"
    devices = requests.get(server.url + "/api/v1/me/devices", headers=auth_headers(tok)).json()["items"]
    assert [d["device_id"] for d in devices] == ["pixel-7-abc"] and devices[0]["platform"] == "android"
    # The web endpoint does not refresh a mobile session, nor another device.
    assert requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": mt["refresh_token"]}).status_code == 401
    assert requests.post(server.url + "/mobile/v1/auth/refresh",
                         json={"refresh_token": mt["refresh_token"], "device_id": "other"}).status_code == 401
    r = requests.post(server.url + "/mobile/v1/auth/refresh",
                      json={"refresh_token": mt["refresh_token"], "device_id": "pixel-7-abc"})
    assert r.status_code == 200, r.text
    bad = login_with(server.url, app, path="/mobile/v1/auth/login", device_id="x",
                     platform="windows")
    assert bad.status_code == 422


def test_identity_password_change_ends_other_sessions(server, db, smtp):
    emp = fresh_employee(db, 5)
    en, tok, app = register_and_verify(server.url, db, emp)
    other = login_with(server.url, app).json()
    r = requests.post(server.url + "/api/v1/me/password", headers=auth_headers(tok),
                      json={"current_password": "wrong-password-here", "new_password": "Sate-Padang-Enak-99"})
    assert r.status_code == 422
    r = requests.post(server.url + "/api/v1/me/password", headers=auth_headers(tok),
                      json={"current_password": PASSWORD, "new_password": "Sate-Padang-Enak-99",
                            "new_password_confirmation": "Sate-Padang-Enak-99"})
    assert r.status_code == 200, r.text
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(other)).status_code == 401
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(tok)).status_code == 200
    assert login_with(server.url, app).status_code == 401
    assert login_with(server.url, app, password="Sate-Padang-Enak-99").status_code == 200
    smtp.wait_for(emp["office_email"], timeout=15, predicate=lambda m: "kata sandi" in m.subject)


def test_identity_lost_authenticator_reset(server, db, smtp):
    emp = fresh_employee(db, 6)
    en, tok, app = register_and_verify(server.url, db, emp)
    since = smtp.count()
    generic = requests.post(server.url + "/api/v1/auth/authenticator/reset/start",
                            json={"nip": "199001012015011999", "password": PASSWORD})
    r = requests.post(server.url + "/api/v1/auth/authenticator/reset/start",
                      json={"nip": emp["nip"], "password": PASSWORD})
    assert r.status_code == generic.status_code == 202 and r.json() == generic.json()
    msg = smtp.wait_for(emp["office_email"], timeout=15, since=since)
    code = re.search(r"\b(\d{8})\b", msg.body).group(1)
    bad = requests.post(server.url + "/api/v1/auth/authenticator/reset/confirm",
                        json={"nip": emp["nip"], "password": PASSWORD, "email_code": "00000000"})
    assert bad.status_code == 401
    r = requests.post(server.url + "/api/v1/auth/authenticator/reset/confirm",
                      json={"nip": emp["nip"], "password": PASSWORD, "email_code": code})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["secret"] != en["secret"]
    # The code is single-use.
    assert requests.post(server.url + "/api/v1/auth/authenticator/reset/confirm",
                         json={"nip": emp["nip"], "password": PASSWORD, "email_code": code}).status_code == 401
    # Old authenticator still works until the new one is verified.
    assert login_with(server.url, app).status_code == 200
    new_app = Authenticator(db, emp["nip"], new["secret"])
    v = requests.post(server.url + f"/api/v1/auth/enrolments/{new['enrolment_id']}/verify",
                      json={"enrolment_token": new["enrolment_token"], "code": new_app.code()})
    assert v.status_code == 200, v.text
    assert login_with(server.url, app).status_code == 401
    assert login_with(server.url, new_app).status_code == 200
    smtp.wait_for(emp["office_email"], timeout=15, since=since, predicate=lambda m: "aktif" in m.subject)
    # A recovery code from the new enrolment also works (once).
    rc = new["recovery_codes"][0]
    r = requests.post(server.url + "/api/v1/auth/authenticator/reset/confirm",
                      json={"nip": emp["nip"], "password": PASSWORD, "recovery_code": rc.lower()})
    assert r.status_code == 201, r.text
    r = requests.post(server.url + "/api/v1/auth/authenticator/reset/confirm",
                      json={"nip": emp["nip"], "password": PASSWORD, "recovery_code": rc})
    assert r.status_code == 401


def test_identity_expired_email_code_refused(server, db, smtp):
    """An e-mailed reset code past its expires_at (aged in the database, not waited for)
    is refused; the same code before its expiry is accepted."""
    emp = fresh_employee(db, 12)
    register_and_verify(server.url, db, emp)
    since = smtp.count()
    r = requests.post(server.url + "/api/v1/auth/authenticator/reset/start",
                      json={"nip": emp["nip"], "password": PASSWORD})
    assert r.status_code == 202, r.text
    code = re.search(r"\b(\d{8})\b", smtp.wait_for(emp["office_email"], timeout=15, since=since).body).group(1)
    cur = db.cursor()
    aged = "update email_codes set expires_at = now() + %s::interval where account_id = " \
           "(select id from accounts where employee_id = %s) and used_at is null"
    cur.execute(aged, ("-1 second", emp["id"]))
    assert cur.rowcount == 1
    confirm = {"nip": emp["nip"], "password": PASSWORD, "email_code": code}
    r = requests.post(server.url + "/api/v1/auth/authenticator/reset/confirm", json=confirm)
    assert r.status_code == 401, r.text
    cur.execute(aged, ("10 minutes", emp["id"]))
    r = requests.post(server.url + "/api/v1/auth/authenticator/reset/confirm", json=confirm)
    assert r.status_code == 201, r.text


def test_identity_expired_refresh_token_and_session(server, db):
    """A refresh token past its expires_at is refused; a session past its expires_at ends
    its access tokens and refresh tokens (both aged in the database)."""
    emp = fresh_employee(db, 13)
    _, tok, app = register_and_verify(server.url, db, emp)
    cur = db.cursor()
    cur.execute("update refresh_tokens set expires_at = now() - interval '1 second' where session_id = %s",
                (tok["session_id"],))
    assert cur.rowcount == 1
    assert requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": tok["refresh_token"]}).status_code == 401
    other = login_with(server.url, app).json()
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(other)).status_code == 200
    cur.execute("update sessions set expires_at = now() - interval '1 second' where id = %s", (other["session_id"],))
    # Changed behind the server's back (psql): the session cache's bound is 1 s (docs/operations.md).
    deadline = time.monotonic() + 1.0
    while requests.get(server.url + "/api/v1/me", headers=auth_headers(other)).status_code != 401:
        assert time.monotonic() < deadline, "an expired session was still accepted after 1 s"
        time.sleep(0.02)
    assert requests.post(server.url + "/api/v1/auth/refresh",
                         json={"refresh_token": other["refresh_token"]}).status_code == 401


def test_identity_admin_disable_roles_audit(server, db):
    emp = fresh_employee(db, 7)
    en, tok, app = register_and_verify(server.url, db, emp)
    admin = login(server.url, ADMIN)
    staff = login(server.url, STAFF)
    base = server.url + f"/api/v1/admin/employees/{emp['nip']}"
    for method, path in [("post", "/disable"), ("post", "/enable"), ("get", "/roles"), ("post", "/authenticator/reset")]:
        r = getattr(requests, method)(base + path, headers=auth_headers(staff), json={})
        assert r.status_code == 403, (path, r.text)
    assert requests.get(server.url + "/api/v1/admin/audit-log", headers=auth_headers(staff)).status_code == 403
    r = requests.post(base + "/disable", headers=auth_headers(admin))
    assert r.status_code == 200 and r.json()["status"] == "disabled"
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(tok)).status_code == 401
    assert login_with(server.url, app).status_code == 401
    assert requests.post(base + "/enable", headers=auth_headers(admin)).json()["status"] == "active"
    assert login_with(server.url, app).status_code == 200
    r = requests.post(base + "/roles", headers=auth_headers(admin), json={"role": "humas"})
    assert r.status_code == 201, r.text
    gid = r.json()["id"]
    assert requests.post(base + "/roles", headers=auth_headers(admin), json={"role": "humas"}).status_code == 409
    assert requests.post(base + "/roles", headers=auth_headers(admin), json={"role": "anpeg"}).status_code == 422
    roles = requests.get(base + "/roles", headers=auth_headers(admin)).json()["items"]
    assert any(g["id"] == gid and g["active"] for g in roles)
    assert requests.delete(base + f"/roles/{gid}", headers=auth_headers(admin)).status_code == 204
    assert requests.delete(base + f"/roles/{gid}", headers=auth_headers(admin)).status_code == 404
    r = requests.post(base + "/authenticator/reset", headers=auth_headers(admin))
    assert r.status_code == 201 and r.json()["otpauth_uri"].startswith("otpauth://totp/")
    log = requests.get(server.url + "/api/v1/admin/audit-log", headers=auth_headers(admin),
                       params={"nip": emp["nip"], "limit": 50}).json()["items"]
    actions = {e["action"] for e in log}
    assert {"admin.account_disable", "admin.account_enable", "role.grant", "role.revoke",
            "admin.authenticator_reset"} <= actions
    assert all(e["ip"] for e in log)
    page = requests.get(server.url + "/api/v1/admin/audit-log", headers=auth_headers(admin), params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    nxt = requests.get(server.url + "/api/v1/admin/audit-log", headers=auth_headers(admin),
                       params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert nxt["items"][0]["id"] < page["items"][-1]["id"]


def test_identity_me_and_settings(server, db):
    guru = login(server.url, GURU_SEKAYU)
    kepsek = login(server.url, KEPSEK)
    me = requests.get(server.url + "/api/v1/me", headers=auth_headers(kepsek)).json()
    assert "atasan" in me["roles"]
    anpeg = requests.get(server.url + "/api/v1/me", headers=auth_headers(login(server.url, ANPEG))).json()
    assert "anpeg" in anpeg["roles"]
    before = requests.get(server.url + "/api/v1/me/settings", headers=auth_headers(guru)).json()
    r = requests.put(server.url + "/api/v1/me/settings", headers=auth_headers(guru), json={"supervisor_nip": GURU_SEKAYU})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "supervisor_self"
    r = requests.put(server.url + "/api/v1/me/settings", headers=auth_headers(kepsek), json={"supervisor_nip": GURU_SEKAYU})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "supervisor_cycle"
    r = requests.put(server.url + "/api/v1/me/settings", headers=auth_headers(guru), json={"supervisor_nip": "199001012015011999"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "supervisor_not_found"
    r = requests.put(server.url + "/api/v1/me/settings", headers=auth_headers(guru), json={"work_schedule_code": "NOPE"})
    assert r.status_code == 422
    r = requests.put(server.url + "/api/v1/me/settings", headers=auth_headers(guru), json={"role": "admin"})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "unknown_field"
    # A new supervisor is only asked for (docs/settings.md): the old one stays in force until
    # the new one confirms; the request is audited with the change.
    r = requests.put(server.url + "/api/v1/me/settings", headers=auth_headers(guru), json={"supervisor_nip": STAFF})
    assert r.status_code == 202 and r.json()["supervisor_nip"] == before["supervisor_nip"]
    (pending,) = [p for p in r.json()["pending"] if p["kind"] == "supervisor"]
    assert pending["changes"] == {"supervisor_nip": STAFF}
    cur = db.cursor()
    cur.execute("select details from audit_log where action = 'settings.change_request' and target_id = %s "
                "order by id desc limit 1", (str(pending["id"]),))
    assert cur.fetchone()[0]["changes"] == {"supervisor_nip": STAFF}
    # Setting the value in force files nothing.
    r = requests.put(server.url + "/api/v1/me/settings", headers=auth_headers(guru),
                     json={"supervisor_nip": before["supervisor_nip"]})
    assert r.status_code == 200 and r.json()["supervisor_nip"] == before["supervisor_nip"]
    r = requests.post(server.url + f"/api/v1/settings-changes/{pending['id']}/withdraw", headers=auth_headers(guru))
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    after = requests.get(server.url + "/api/v1/me/settings", headers=auth_headers(guru)).json()
    assert after == before


def test_identity_jwks(server):
    r = requests.get(server.url + "/.well-known/jwks.json")
    assert r.status_code == 200
    (key,) = r.json()["keys"]
    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ES256" and key["use"] == "sig"
    import jwt as pyjwt
    tok = login(server.url, STAFF)["access_token"]
    header = pyjwt.get_unverified_header(tok)
    assert header == {"alg": "ES256", "typ": "at+jwt", "kid": key["kid"]}
    pub = pyjwt.algorithms.ECAlgorithm.from_jwk(key)
    claims = pyjwt.decode(tok, pub, algorithms=["ES256"], audience="eoffice")
    assert claims["sub"] == STAFF and {"iss", "eid", "sid", "iat", "nbf", "exp", "jti"} <= set(claims)
