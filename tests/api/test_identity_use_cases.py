"""The /me and admin workflows as use cases (svc/me.c, svc/admin.c): what
each one ends, audits and sends, whose ids it accepts, and who may call it."""
import requests

from helpers_auth import auth_headers, login
from identity_support import (ADMIN, GURU_JPR, GURU_SEKAYU, PASSWORD, STAFF, fresh_employee, login_with,
                              register_and_verify)

NEW_PASSWORD = "Pempek-Kapal-Selam-77"


def live_sessions(db, employee_id):
    cur = db.cursor()
    cur.execute("select count(*) from sessions where employee_id = %s and revoked_at is null and expires_at > now()",
                (employee_id,))
    return cur.fetchone()[0]


def last_audit(db, action, target_id):
    cur = db.cursor()
    cur.execute("select a.nip, l.details from audit_log l left join employees a on a.id = l.actor_employee_id "
                "where l.action = %s and l.target_id = %s order by l.id desc limit 1", (action, target_id))
    return cur.fetchone()


def test_password_change_ends_every_other_session_audits_and_notifies(server, db, smtp):
    emp = fresh_employee(db, 14)
    en, tok, app = register_and_verify(server.url, db, emp)
    others = [login_with(server.url, app).json() for _ in range(2)]
    url = server.url + "/api/v1/me/password"
    assert requests.post(url, json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}).status_code == 401
    # The request's own rules come first: a wrong current password is not even tried.
    r = requests.post(url, headers=auth_headers(tok),
                      json={"current_password": "not-the-password", "new_password": NEW_PASSWORD,
                            "new_password_confirmation": NEW_PASSWORD + "x"})
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("new_password_confirmation", "password_mismatch")]
    r = requests.post(url, headers=auth_headers(tok), json={"current_password": PASSWORD, "new_password": PASSWORD})
    assert r.status_code == 422 and {e["code"] for e in r.json()["errors"]} == {"password_reused"}
    r = requests.post(url, headers=auth_headers(tok),
                      json={"current_password": "not-the-password", "new_password": NEW_PASSWORD})
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("current_password", "password_wrong")]
    assert live_sessions(db, emp["id"]) == 3
    r = requests.post(url, headers=auth_headers(tok),
                      json={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                            "new_password_confirmation": NEW_PASSWORD})
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "password_changed", "sessions_ended": 2}
    for o in others:
        assert requests.get(server.url + "/api/v1/me", headers=auth_headers(o)).status_code == 401
        assert requests.post(server.url + "/api/v1/auth/refresh",
                             json={"refresh_token": o["refresh_token"]}).status_code == 401
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(tok)).status_code == 200
    assert live_sessions(db, emp["id"]) == 1
    actor, details = last_audit(db, "auth.password_change", emp["nip"])
    assert actor == emp["nip"] and details == {"sessions_ended": 2}
    m = smtp.wait_for(emp["office_email"], timeout=15, predicate=lambda m: m.subject == "e-Office: kata sandi diganti")
    assert "Kata sandi akun e-Office Anda baru saja diganti dan sesi lain telah diakhiri." in m.body


def test_own_session_revoke_is_audited_and_refuses_other_ids(server, db):
    # Own cache slots (device is only a cache key for web sign-ins): b is ended
    # here and must not be handed to another test.
    a = login(server.url, GURU_JPR, fresh=True, device="use-cases-a")
    b = login(server.url, GURU_JPR, fresh=True, device="use-cases-b")
    other = login(server.url, GURU_SEKAYU)
    base = server.url + "/api/v1/me/sessions/"
    assert requests.delete(base + str(b["session_id"])).status_code == 401
    for bad in ["abc", "0", "-1", str(other["session_id"])]:
        r = requests.delete(base + bad, headers=auth_headers(a))
        assert r.status_code == 404 and r.json()["code"] == "not_found", bad
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(other)).status_code == 200
    assert requests.delete(base + str(b["session_id"]), headers=auth_headers(a)).status_code == 204
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(b)).status_code == 401
    assert requests.delete(base + str(b["session_id"]), headers=auth_headers(a)).status_code == 404
    actor, _ = last_audit(db, "auth.session_revoke", str(b["session_id"]))
    assert actor == GURU_JPR


def test_admin_disable_ends_sessions_at_once(server, db, smtp):
    emp = fresh_employee(db, 15)
    en, tok, app = register_and_verify(server.url, db, emp)
    web = login_with(server.url, app).json()
    admin = login(server.url, ADMIN)
    base = server.url + f"/api/v1/admin/employees/{emp['nip']}"
    assert live_sessions(db, emp["id"]) == 2
    r = requests.post(base + "/disable", headers=auth_headers(admin))
    assert r.status_code == 200
    assert r.json() == {"nip": emp["nip"], "status": "disabled", "sessions_ended": 2}
    assert live_sessions(db, emp["id"]) == 0
    for t in (tok, web):
        assert requests.get(server.url + "/api/v1/me", headers=auth_headers(t)).status_code == 401
        assert requests.post(server.url + "/api/v1/auth/refresh",
                             json={"refresh_token": t["refresh_token"]}).status_code == 401
    _, details = last_audit(db, "admin.account_disable", emp["nip"])
    assert details == {"old": "active", "new": "disabled"}
    r = requests.post(base + "/enable", headers=auth_headers(admin))
    assert r.json() == {"nip": emp["nip"], "status": "active", "sessions_ended": 0}
    # Enabling brings no session back.
    assert requests.get(server.url + "/api/v1/me", headers=auth_headers(web)).status_code == 401
    # The help-desk reset notifies the account's office e-mail.
    r = requests.post(base + "/authenticator/reset", headers=auth_headers(admin))
    assert r.status_code == 201 and r.json()["secret"]
    m = smtp.wait_for(emp["office_email"], timeout=15,
                      predicate=lambda m: m.subject == "e-Office: authenticator direset oleh admin")
    assert "Admin e-Office memulai pembuatan ulang authenticator akun Anda." in m.body


def test_admin_targets_that_do_not_exist_or_are_the_admin(server, db):
    admin = login(server.url, ADMIN)
    no_account = fresh_employee(db, 16)
    admin_base = server.url + "/api/v1/admin/employees/"
    r = requests.post(admin_base + ADMIN + "/disable", headers=auth_headers(admin))
    assert r.status_code == 409 and r.json()["code"] == "cannot_change_self"
    for nip in ["123", "199001012015011999", "19900101201501199x"]:
        for method, path in [("post", "/disable"), ("post", "/authenticator/reset"), ("get", "/roles"),
                             ("delete", "/roles/1")]:
            r = getattr(requests, method)(admin_base + nip + path, headers=auth_headers(admin))
            assert r.status_code == 404 and r.json()["code"] == "employee_not_found", (nip, path)
    for path in ["/disable", "/enable", "/authenticator/reset"]:
        r = requests.post(admin_base + no_account["nip"] + path, headers=auth_headers(admin))
        assert r.status_code == 404 and r.json()["code"] == "account_not_found", path


def test_admin_grant_ids_belong_to_their_employee(server, db):
    admin = login(server.url, ADMIN)
    jpr = server.url + f"/api/v1/admin/employees/{GURU_JPR}/roles"
    sekayu = server.url + f"/api/v1/admin/employees/{GURU_SEKAYU}/roles"
    r = requests.post(jpr, headers=auth_headers(admin), json={"role": "humas"})
    assert r.status_code == 201, r.text
    gid = r.json()["id"]
    assert r.json() == {"id": gid, "nip": GURU_JPR, "role": "humas", "unit_code": None}
    try:
        _, details = last_audit(db, "role.grant", GURU_JPR)
        assert details == {"role": "humas", "unit": None, "grant_id": gid}
        for path in [f"{sekayu}/{gid}", f"{jpr}/abc", f"{jpr}/0"]:
            r = requests.delete(path, headers=auth_headers(admin))
            assert r.status_code == 404 and r.json()["code"] == "grant_not_found", path
        roles = requests.get(jpr, headers=auth_headers(admin)).json()["items"]
        assert any(g["id"] == gid and g["active"] for g in roles)
        r = requests.post(jpr, headers=auth_headers(admin), json={"role": "anpeg", "unit_code": "NO-SUCH-UNIT"})
        assert r.status_code == 404 and r.json()["code"] == "unit_not_found"
        assert requests.delete(f"{jpr}/{gid}", headers=auth_headers(admin)).status_code == 204
        _, details = last_audit(db, "role.revoke", GURU_JPR)
        assert details == {"grant_id": str(gid)}
    finally:
        cur = db.cursor()
        cur.execute("delete from role_grants where id = %s", (gid,))


def test_identity_workflows_need_a_principal_and_admin_comes_first(server):
    staff = login(server.url, STAFF)
    for method, path in [("post", "/api/v1/me/password"), ("put", "/api/v1/me/settings"),
                         ("get", "/api/v1/me/settings"), ("get", "/api/v1/me"),
                         ("post", f"/api/v1/admin/employees/{GURU_JPR}/disable"),
                         ("post", f"/api/v1/admin/employees/{GURU_JPR}/roles"),
                         ("post", f"/api/v1/admin/employees/{GURU_JPR}/authenticator/reset")]:
        r = getattr(requests, method)(server.url + path, json={})
        assert r.status_code == 401, (path, r.status_code)
    # A non-admin learns nothing about the request: no field errors, no 404.
    for body in [{"role": 5}, {"role": "superuser", "extra": 1}]:
        r = requests.post(server.url + f"/api/v1/admin/employees/{GURU_JPR}/roles", headers=auth_headers(staff),
                          json=body)
        assert r.status_code == 403 and r.json()["code"] == "forbidden" and "errors" not in r.json()
    r = requests.post(server.url + "/api/v1/admin/employees/123/disable", headers=auth_headers(staff))
    assert r.status_code == 403
