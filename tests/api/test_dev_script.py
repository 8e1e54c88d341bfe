"""`scripts/dev otp NIP`: the command `scripts/dev run` and the README advertise for a
demo account's OTP. It must work from a fresh shell (only PATH and HOME set), which
`build/eoffice dev-otp` alone does not (it needs DATABASE_URL and the dev secret).

The script runs from a scratch copy of the checkout layout (scripts/dev copied,
build/eoffice a link to the binary under test, .var/ holding the test secret), so the
test neither builds build/ nor touches the developer's .var/ or dev cluster."""
import os
import pathlib
import re
import shutil
import subprocess

import requests

from conftest import BIN, DATABASE_URL, ROOT, free_port, secret_hex
from helpers_auth import DEMO_PASSWORD, rewind_totp

NIP = "199305212019032001"  # the README's example account
ADVERTISED = "scripts/dev otp <NIP>"


def scratch_checkout(tmp_path):
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "dev", root / "scripts" / "dev")
    (root / "build").mkdir()
    (root / "build" / "eoffice").symlink_to(BIN)
    var = root / ".var"
    var.mkdir(mode=0o700)
    (var / "secret.hex").write_text(secret_hex())
    os.chmod(var / "secret.hex", 0o600)
    return root


def clean_env(**extra):
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "HOME": os.environ.get("HOME", "/root")}
    # The binary under test is the sanitizer build: keep its settings (as for every CLI call).
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    env.update(extra)
    return env


def run_otp(root, env, nip=NIP, timeout=120):
    return subprocess.run([str(root / "scripts" / "dev"), "otp", nip], env=env, cwd="/", capture_output=True,
                          text=True, timeout=timeout)


def test_dev_otp_is_what_run_and_readme_advertise():
    script = (ROOT / "scripts" / "dev").read_text()
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"Demo OTP:\s+" + re.escape(ADVERTISED), script), "scripts/dev run must print " + ADVERTISED
    assert ADVERTISED in readme and "build/eoffice dev-otp" not in readme
    help_text = subprocess.run([str(ROOT / "scripts" / "dev"), "help"], capture_output=True, text=True, timeout=30)
    assert help_text.returncode == 0 and re.search(r"^\s+otp NIP\s", help_text.stdout, re.M), help_text.stdout


def test_dev_otp_signs_in_from_a_fresh_shell(server, tmp_path):
    """With DATABASE_URL (as `scripts/dev run` allows) the code signs in on the server."""
    root = scratch_checkout(tmp_path)
    rewind_totp(NIP)
    p = run_otp(root, clean_env(DATABASE_URL=DATABASE_URL))
    assert p.returncode == 0, p.stderr
    code = p.stdout.strip()
    assert re.fullmatch(r"\d{6}", code), p.stdout  # only the code on stdout
    r = requests.post(server.url + "/api/v1/auth/login", json={"nip": NIP, "password": DEMO_PASSWORD, "otp": code},
                      timeout=30)
    assert r.status_code == 200, r.text
    bad = run_otp(root, clean_env(DATABASE_URL=DATABASE_URL), nip="199001012015011999")
    assert bad.returncode != 0 and bad.stdout == "" and "scripts/dev run" in bad.stderr
    usage = subprocess.run([str(root / "scripts" / "dev"), "otp"], env=clean_env(), capture_output=True, text=True,
                           timeout=30)
    assert usage.returncode == 2 and "usage: scripts/dev otp NIP" in usage.stderr


def test_dev_otp_starts_and_stops_the_dev_cluster(tmp_path):
    """Without DATABASE_URL: starts the dev cluster of the checkout (a new one here, on a
    free port), creates, migrates and seeds the dev database, prints the code and stops
    the cluster again."""
    root = scratch_checkout(tmp_path)
    env = clean_env(EOFFICE_PG_PORT=str(free_port()))
    data = None
    try:
        p = run_otp(root, env, timeout=300)
        data = pathlib.Path(os.path.realpath(root / ".var" / "pg"))
        assert p.returncode == 0, p.stderr
        assert re.fullmatch(r"\d{6}\n", p.stdout), p.stdout
        assert (data / "PG_VERSION").exists()
        assert not (data / "postmaster.pid").exists(), "the cluster the command started is still running"
        again = run_otp(root, env, timeout=120)  # existing cluster and database: no seeding
        assert again.returncode == 0 and re.fullmatch(r"\d{6}\n", again.stdout), again.stderr
        assert "seed-demo" not in again.stderr
    finally:
        if data is not None and (data / "postmaster.pid").exists():
            subprocess.run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-D",
                            str(data), "-m", "immediate"], cwd="/", capture_output=True, timeout=60)
        if data is not None and not str(data).startswith(str(root)):
            shutil.rmtree(data.parent, ignore_errors=True)  # /var/tmp/eoffice-pg-<hash> of the scratch checkout
