"""Sign-in helpers for the API tests of every feature.

    from helpers_auth import login, auth_headers
    tokens = login(server.url, "199305212019032001")            # web
    tokens = login(server.url, NIP, mobile=True, device="dev-1") # mobile, device-bound
    requests.get(server.url + "/api/v1/me", headers=auth_headers(tokens["access_token"]))

The OTP comes from `eoffice dev-otp --unused NIP` (EOFFICE_ENV=dev): a code of a
time step the server has not yet accepted for that account (codes are once-only),
so sign-ins rarely wait. Tokens are cached per (nip, mobile, device) for the pytest
session (pass fresh=True for a new session).
"""
import os
import pathlib
import subprocess
import threading
import time

import requests

DEMO_PASSWORD = "eOffice-Demo-2026"
ROOT = pathlib.Path(os.environ.get("EOFFICE_ROOT", pathlib.Path(__file__).resolve().parents[2]))
BIN = os.environ.get("EOFFICE_BIN", str(ROOT / "build-test" / "eoffice"))
KEYDIR = pathlib.Path(os.environ.get("EOFFICE_TEST_KEYDIR", ROOT / ".var"))

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


def fresh_otp(nip):
    """A code of a time step the server has not seen used for nip (asks the database, so it
    holds across processes); waits only when the current and the next step are both used."""
    for _ in range(3):
        p = subprocess.run([BIN, "dev-otp", "--unused", nip], env=_cli_env(), capture_output=True, text=True,
                           timeout=30)
        if p.returncode == 0:
            return p.stdout.strip()
        if p.returncode != 3:
            raise AssertionError(f"eoffice dev-otp --unused {nip} failed: {p.stderr.strip()}")
        time.sleep(min(31.0, float(p.stderr.strip() or 1)))
    raise AssertionError(f"no unused OTP step for {nip}")


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


def mark_step_used(nip):
    """Kept for callers written before fresh_otp asked the database: nothing to record now."""


def auth_headers(token):
    if isinstance(token, dict):
        token = token["access_token"]
    return {"Authorization": f"Bearer {token}"}
