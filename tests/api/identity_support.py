"""Shared helpers of the identity API tests (not a test module)."""
import base64
import hashlib
import hmac
import json
import os
import pathlib

import pyotp
import requests

from helpers_auth import rewind_totp

ROOT = pathlib.Path(os.environ.get("EOFFICE_ROOT", pathlib.Path(__file__).resolve().parents[2]))
KEYDIR = pathlib.Path(os.environ.get("EOFFICE_TEST_KEYDIR", ROOT / ".var"))
PASSWORD = "Kopi-Tubruk-Sekayu-2026"

# Demo accounts (db/seed/demo.sql): used read-mostly.
ADMIN = "198807142014031001"
STAFF = "199305212019032001"
GURU_SEKAYU = "198709232012031001"
KEPSEK = "197504142000032001"
GURU_JPR = "198908172014032001"
ANPEG = "198611022010121001"


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def private_key_pem():
    return (KEYDIR / "jwt.pem").read_text()


def public_key_pem():
    from cryptography.hazmat.primitives import serialization
    key = serialization.load_pem_private_key(private_key_pem().encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def hs256_token(header, payload, secret):
    si = b64url(json.dumps(header)) + "." + b64url(json.dumps(payload))
    sig = hmac.new(secret, si.encode(), hashlib.sha256).digest()
    return si + "." + b64url(sig)


def fresh_employee(db, index):
    """An unregistered demo employee (no role, not in the demo logins), its
    account and throttle rows removed so that the test can run again."""
    cur = db.cursor()
    cur.execute(
        "select e.id, e.nip, e.nik, e.office_email from employees e "
        "where e.status = 'active' and e.office_email is not null "
        "and not exists (select 1 from role_grants g where g.employee_id = e.id) "
        "and e.nip not in (select nip from employees e2 join accounts a on a.employee_id = e2.id "
        "                  where a.phone = '+6281200000000') "
        "order by e.id desc offset %s limit 1",
        (index,),
    )
    row = cur.fetchone()
    assert row, f"not enough unregistered demo employees (index {index})"
    eid, nip, nik, office = row
    cur.execute("update sessions set revoked_at = now() where employee_id = %s and revoked_at is null", (eid,))
    cur.execute("delete from refresh_tokens where session_id in (select id from sessions where employee_id = %s)", (eid,))
    cur.execute("delete from sessions where employee_id = %s", (eid,))
    cur.execute("delete from devices where employee_id = %s", (eid,))
    cur.execute("delete from accounts where employee_id = %s", (eid,))
    cur.execute("delete from auth_throttle where key like %s", (f"%:nip:{nip}",))
    return {"id": eid, "nip": nip, "nik": nik, "office_email": office}


def register_body(emp, **over):
    body = {
        "nip": emp["nip"],
        "nik": emp["nik"],
        "personal_email": "pribadi@example.com",
        "office_email": emp["office_email"],
        "phone": "+628123456789",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
    }
    body.update(over)
    return body


class Authenticator:
    """The authenticator app of one account: pyotp codes from the enrolment's secret.

    code() is the current step's code after rewind_totp has moved the account's last
    used step back, so a test signs in as often as it needs without waiting for a new
    30-second step. last is the latest code handed out (for replay tests: sending it
    again without a rewind must be refused)."""

    def __init__(self, db, nip, secret):
        self.db, self.nip, self.totp = db, nip, pyotp.TOTP(secret)
        self.last = None

    def code(self):
        rewind_totp(self.nip, self.db)
        self.last = self.totp.now()
        return self.last

    def code_at_step(self, step):
        return self.totp.at(step * 30)


def register_and_verify(url, db, emp):
    """Registers emp and verifies the enrolment with pyotp; returns (enrolment, tokens, authenticator)."""
    r = requests.post(url + "/api/v1/auth/register", json=register_body(emp), timeout=30)
    assert r.status_code == 201, r.text
    en = r.json()
    app = Authenticator(db, emp["nip"], en["secret"])
    v = requests.post(url + f"/api/v1/auth/enrolments/{en['enrolment_id']}/verify",
                      json={"enrolment_token": en["enrolment_token"], "code": app.code()}, timeout=30)
    assert v.status_code == 201, v.text
    return en, v.json(), app


def login_with(url, app, password=PASSWORD, path="/api/v1/auth/login", otp=None, **extra):
    """Signs app's account in with a fresh code (or the given otp, sent as it is)."""
    body = {"nip": app.nip, "password": password, "otp": otp if otp is not None else app.code()}
    body.update(extra)
    return requests.post(url + path, json=body, timeout=30)


def problem_core(r):
    """A problem answer without the per-request members."""
    j = r.json()
    return {k: v for k, v in j.items() if k not in ("request_id", "instance")}
