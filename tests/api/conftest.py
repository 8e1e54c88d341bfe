"""Black-box test harness: a real eoffice server on a real PostgreSQL.

Environment (set by `scripts/dev test`):
  EOFFICE_BIN           the server binary (ASan/UBSan build)
  DATABASE_URL          a migrated, seeded test database
  EOFFICE_TEST_KEYDIR   jwt.pem (EC P-256) and secret.hex for the server
  EOFFICE_TEST_PG_HOST / EOFFICE_TEST_PG_PORT  the cluster (superuser postgres)

Fixtures: `server` (session-wide server), `start_server(**env)` (extra servers
with other settings), `db` (psycopg2, autocommit), `smtp` (fake SMTP server),
`cli(*args)` (runs the binary). A server whose log shows a sanitizer report
fails the run when it stops.
"""
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import psycopg2
import pytest
import requests

# Every answer of the suite is checked against openapi.yaml; the run fails on undocumented statuses.
from contract_check import pytest_runtest_setup, pytest_sessionfinish, pytest_terminal_summary  # noqa: F401,E402

ROOT = pathlib.Path(os.environ.get("EOFFICE_ROOT", pathlib.Path(__file__).resolve().parents[2]))
BIN = os.environ.get("EOFFICE_BIN", str(ROOT / "build-test" / "eoffice"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
KEYDIR = pathlib.Path(os.environ.get("EOFFICE_TEST_KEYDIR", ROOT / ".var"))
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def secret_hex():
    return (KEYDIR / "secret.hex").read_text().strip()


def base_env(**overrides):
    env = dict(os.environ)
    env.update(
        EOFFICE_ENV="dev",
        DATABASE_URL=DATABASE_URL,
        EOFFICE_JWT_PRIVATE_KEY_FILE=str(KEYDIR / "jwt.pem"),
        EOFFICE_SECRET_KEY=secret_hex(),
        EOFFICE_MAIL_MODE="log",
        EOFFICE_CORS_ORIGINS="https://spa.eoffice.example.go.id",
        # One issuer for every test server on the database, so a token works on all of them.
        EOFFICE_JWT_ISSUER="https://eoffice.test",
    )
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def run_cli(*args, env=None, timeout=120, check=False):
    p = subprocess.run([BIN, *args], env=env or base_env(), capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"eoffice {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


class Server:
    """One `eoffice serve` process on a free loopback port."""

    def __init__(self, **env_overrides):
        self.port = free_port()
        self.tmp = tempfile.TemporaryDirectory(prefix="eoffice-test-")
        self.log_path = pathlib.Path(self.tmp.name) / "server.log"
        # Metrics have a listener of their own (EOFFICE_METRICS_PORT), one per test server.
        self.metrics_port = free_port()
        env = {"EOFFICE_PORT": self.port, "EOFFICE_STORAGE_DIR": pathlib.Path(self.tmp.name) / "photos",
               "EOFFICE_METRICS_PORT": self.metrics_port}
        env.update(env_overrides)
        self.env = base_env(**env)
        self.url = f"http://127.0.0.1:{self.port}"
        self.metrics_url = f"http://127.0.0.1:{self.env['EOFFICE_METRICS_PORT']}/metrics"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([BIN, "serve"], env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_up()

    def _wait_up(self):
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError("server did not come up:\n" + self.log_text())

    def log_text(self):
        if getattr(self, "_stopped", False):
            return self._final_log
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_log(self, text, timeout=10.0):
        """The log once it contains text (background jobs log after their work is
        visible, so a test must not race them), or the log as it stands at the deadline."""
        deadline = time.time() + timeout
        while True:
            log = self.log_text()
            if text in log or time.time() >= deadline:
                return log
            time.sleep(0.1)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        """Stops with SIGTERM; returns the exit code; fails on a sanitizer report. Idempotent."""
        if getattr(self, "_stopped", False):
            return self.proc.returncode
        self._stopped = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("server did not stop within %ss:\n%s" % (timeout, self.log_text()[-4000:]))
        self._log.close()
        text = self._final_log = self.log_path.read_text(errors="replace")
        bad = [m for m in SANITIZER_MARKERS if m in text]
        code = self.proc.returncode
        self.tmp.cleanup()
        if bad:
            raise AssertionError(f"sanitizer report in server log ({bad}):\n{text[-6000:]}")
        return code

    # small conveniences for tests
    def get(self, path, **kw):
        kw.setdefault("timeout", 30)
        return requests.get(self.url + path, **kw)

    def metrics(self):
        """The metrics text from the metrics listener."""
        return requests.get(self.metrics_url, timeout=30).text

    def post(self, path, **kw):
        kw.setdefault("timeout", 30)
        return requests.post(self.url + path, **kw)

    def request(self, method, path, **kw):
        kw.setdefault("timeout", 30)
        return requests.request(method, self.url + path, **kw)


@pytest.fixture(scope="session", autouse=True)
def prepared_database():
    """The test database is migrated and seeded (idempotent), whoever started pytest."""
    assert DATABASE_URL, "DATABASE_URL must point at the test database (run through scripts/dev test)"
    run_cli("migrate", check=True)
    run_cli("seed-demo", check=True)


@pytest.fixture(scope="session")
def smtp():
    try:
        from fake_smtp import FakeSMTP
    except ImportError:
        pytest.skip("fake SMTP server not available")
    s = FakeSMTP()
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def server(request):
    overrides = {}
    try:
        s = request.getfixturevalue("smtp")
        overrides.update(EOFFICE_MAIL_MODE="smtp", EOFFICE_SMTP_URL=f"smtp://127.0.0.1:{s.port}")
    except pytest.skip.Exception:
        pass
    srv = Server(**overrides)
    yield srv
    code = srv.stop()
    assert code == 0, f"server exited with {code}"


@pytest.fixture
def start_server():
    started = []

    def start(**env):
        srv = Server(**env)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture
def db():
    # Per test: a test may restart PostgreSQL, which would cut a shared connection.
    conn = psycopg2.connect(DATABASE_URL)
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.fixture
def cli():
    return run_cli


def pg_admin_url(dbname="postgres"):
    host = os.environ.get("EOFFICE_TEST_PG_HOST", "127.0.0.1")
    port = os.environ.get("EOFFICE_TEST_PG_PORT")
    if not port:
        from urllib.parse import urlparse
        port = urlparse(DATABASE_URL).port or 5432
    return f"postgresql://postgres@{host}:{port}/{dbname}"


@pytest.fixture
def fresh_database():
    """Creates an empty database and returns its URL; dropped afterwards."""
    name = "eo_t_" + uuid.uuid4().hex[:12]
    admin = psycopg2.connect(pg_admin_url())
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield pg_admin_url(name)
    cur = admin.cursor()
    cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def walk_pages(fetch, limit, params=None, check=None, max_pages=500):
    """Every page of a keyset-paged list, in order: (items, pages).

    fetch(query) sends one request (query = params + limit + cursor) and returns
    the response. Every page must be 200, hold at most `limit` items and end
    with a next_cursor that is null or a non-empty string; check(body), when
    given, adds a test's own per-page assertions."""
    items, pages, cursor = [], 0, None
    while True:
        q = dict(params or {}, limit=limit)
        if cursor:
            q["cursor"] = cursor
        r = fetch(q)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["items"]) <= limit
        if check:
            check(body)
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages
        assert isinstance(cursor, str) and cursor, body
        assert pages < max_pages, "paging does not end"


def assert_problem(resp, status, code=None):
    """Asserts an RFC 9457 answer with the stable code; returns its JSON."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text[:500]}"
    assert resp.headers.get("Content-Type", "").startswith("application/problem+json"), resp.headers
    body = resp.json()
    for key in ("type", "title", "status", "code", "detail"):
        assert key in body, f"problem without {key}: {body}"
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    assert resp.headers.get("X-Request-Id")
    text = resp.text.lower()
    for leak in ("select ", "insert ", "/work/", ".c:", "sqlstate", "stack"):
        assert leak not in text, f"problem leaks internals ({leak!r}): {resp.text}"
    return body


def restart_postgres():
    """Restarts the test cluster (fast shutdown: every connection is cut)."""
    data = os.environ.get("EOFFICE_TEST_PG_DATA")
    if not data:
        pytest.skip("EOFFICE_TEST_PG_DATA not set (run through scripts/dev test)")
    cmd = ["/usr/lib/postgresql/15/bin/pg_ctl", "restart", "-D", data, "-m", "fast", "-w", "-t", "60",
           "-l", os.path.join(data, "server.log")]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, capture_output=True, cwd="/", timeout=90)
