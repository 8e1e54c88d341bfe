"""Sign-in helpers for the API tests of every feature.

    from helpers_auth import login, auth_headers
    tokens = login(server.url, "199305212019032001")            # web
    tokens = login(server.url, NIP, mobile=True, device="dev-1") # mobile, device-bound
    requests.get(server.url + "/api/v1/me", headers=auth_headers(tokens["access_token"]))

The OTP comes from `eoffice dev-otp --unused NIP` (EOFFICE_ENV=dev). A TOTP step is
accepted once per account (accounts.totp_last_step records the last one used), so
before each sign-in `rewind_totp` moves that column back in the test database: the
current step's code is accepted again and no test waits for a new 30-second step.
The server is unchanged: a code replayed without a rewind is still refused
(test_identity_attacks.py). Tokens are cached per (nip, mobile, device) for the
pytest session (pass fresh=True for a new session).
"""
import os
import pathlib
import subprocess
import threading
import time

import psycopg2
import requests

DEMO_PASSWORD = "eOffice-Demo-2026"
ROOT = pathlib.Path(os.environ.get("EOFFICE_ROOT", pathlib.Path(__file__).resolve().parents[2]))
BIN = os.environ.get("EOFFICE_BIN", str(ROOT / "build-test" / "eoffice"))
KEYDIR = pathlib.Path(os.environ.get("EOFFICE_TEST_KEYDIR", ROOT / ".var"))

TOTP_PERIOD = 30
_cache = {}
_lock = threading.RLock()


def _cli_env():
    env = dict(os.environ)
    env["EOFFICE_ENV"] = "dev"
    if not env.get("EOFFICE_SECRET_KEY"):
        env["EOFFICE_SECRET_KEY"] = (KEYDIR / "secret.hex").read_text().strip()
    env.setdefault("EOFFICE_JWT_PRIVATE_KEY_FILE", str(KEYDIR / "jwt.pem"))
    env.setdefault("EOFFICE_MAIL_MODE", "log")
    return env


def dev_otp(nip):
    """The account's code for the current time step (it may already have been used)."""
    p = subprocess.run([BIN, "dev-otp", nip], env=_cli_env(), capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise AssertionError(f"eoffice dev-otp {nip} failed: {p.stderr.strip()}")
    return p.stdout.strip()


def current_step():
    """The TOTP time step of now (RFC 6238, 30-second steps)."""
    return int(time.time()) // TOTP_PERIOD


def rewind_totp(nip, db=None):
    """Moves nip's last accepted TOTP step back, so that the code of the current step is
    accepted once more instead of waiting up to 30 s for a step the account has not used.

    The server accepts steps now-1..now+1 newer than accounts.totp_last_step; setting it
    to now-2 (only ever lowering it) frees every step a code computed from now on can
    have. Nothing else changes: the sign-in that uses the code records its step again,
    and a second use of that code is refused. db: a psycopg2 connection (autocommit), or
    None for a short connection of our own to DATABASE_URL."""
    step = current_step() - 2
    sql = ("update accounts set totp_last_step = %s where totp_last_step > %s "
           "and employee_id = (select id from employees where nip = %s)")
    if db is not None:
        with db.cursor() as cur:
            cur.execute(sql, (step, step, nip))
        return
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql, (step, step, nip))
    finally:
        conn.close()


def fresh_otp(nip, db=None):
    """A code the server accepts now for nip: rewinds the account's last used step
    (rewind_totp), then asks `eoffice dev-otp --unused` for the earliest step it accepts."""
    rewind_totp(nip, db)
    p = subprocess.run([BIN, "dev-otp", "--unused", nip], env=_cli_env(), capture_output=True, text=True,
                       timeout=30)
    if p.returncode != 0:
        raise AssertionError(f"eoffice dev-otp --unused {nip} failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout.strip()


def login(base_url, nip, password=DEMO_PASSWORD, mobile=False, device=None, fresh=False):
    """Signs in and returns the token answer (access_token, refresh_token, …).

    Tokens are cached per (nip, mobile, device); test servers share the database, the
    signing key and the issuer, so a cached token is reused on another test server
    after one check that it is still accepted there."""
    key = (nip, mobile, device)
    with _lock:
        cached = None if fresh else _cache.get(key)
        if cached and cached["_expires"] > time.time() + 30:
            if cached["_url"] == base_url:
                return cached
            me = "/mobile/v1/me" if mobile else "/api/v1/me"
            if requests.get(base_url + me, headers=auth_headers(cached), timeout=30).status_code == 200:
                return cached
        body = {"nip": nip, "password": password, "otp": fresh_otp(nip)}
        if mobile:
            body.update(device_id=device or f"test-device-{nip}", device_name="pytest phone", platform="android",
                        app_version="9.9.9")
            url = base_url + "/mobile/v1/auth/login"
        else:
            url = base_url + "/api/v1/auth/login"
        r = requests.post(url, json=body, timeout=30)
        if r.status_code != 200:
            raise AssertionError(f"login {nip} failed: {r.status_code} {r.text}")
        tokens = r.json()
        tokens["_expires"] = time.time() + tokens.get("expires_in", 300)
        tokens["_url"] = base_url
        _cache[key] = tokens
        return tokens


def auth_headers(token):
    if isinstance(token, dict):
        token = token["access_token"]
    return {"Authorization": f"Bearer {token}"}
