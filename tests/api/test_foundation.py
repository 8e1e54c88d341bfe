"""Foundation: the HTTP pipeline, operations endpoints, configuration, migrations."""
import re
import signal
import subprocess
import threading
import time

import psycopg2
import pytest
import requests
import yaml

from conftest import BIN, ROOT, assert_problem, base_env, run_cli

SPA = "https://spa.eoffice.example.go.id"


# ---- operations endpoints -------------------------------------------------

def test_healthz_is_alive_and_has_request_id(server):
    r = server.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-Id"])


def test_sane_request_id_is_echoed_and_insane_one_replaced(server):
    r = server.get("/healthz", headers={"X-Request-Id": "abc-123.XYZ_9"})
    assert r.headers["X-Request-Id"] == "abc-123.XYZ_9"
    for bad in ("x" * 65, "has space", "quote\"inject", "<script>"):
        r = server.get("/healthz", headers={"X-Request-Id": bad})
        assert r.headers["X-Request-Id"] != bad
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-Id"])


def test_readyz_reports_database_and_schema(server):
    r = server.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ready" and body["database"] == "ok"
    migrations = sorted(p.name for p in (ROOT / "db" / "migrations").glob("*.sql"))
    assert body["schema"] == {"applied": len(migrations), "available": len(migrations)}


def test_openapi_document_is_served_verbatim(server):
    r = server.get("/openapi.yaml")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/yaml")
    assert r.content == (ROOT / "openapi.yaml").read_bytes()
    assert yaml.safe_load(r.text)["openapi"].startswith("3.1")


def test_metrics_count_requests_by_route_and_status(server):
    server.get("/healthz")
    server.get("/no/such/thing")
    text = server.metrics()
    m = re.search(r'eoffice_http_requests_total\{method="GET",route="/healthz",status="200"\} (\d+)', text)
    assert m and int(m.group(1)) >= 1
    assert re.search(r'eoffice_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} \d+', text)
    assert 'eoffice_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="+Inf"}' in text
    for gauge in ("eoffice_db_pool_size", "eoffice_db_pool_in_use", "eoffice_db_pool_waiting"):
        assert re.search(rf"^{gauge} \d+$", text, re.M), gauge
    # An unmatched path never becomes a label of its own.
    assert "/no/such/thing" not in text


# ---- problems, 404/405, language ------------------------------------------

def test_unknown_route_is_a_problem_in_indonesian_by_default(server):
    body = assert_problem(server.get("/api/v1/does-not-exist"), 404, "not_found")
    assert body["title"] == "Sumber daya tidak ditemukan"
    assert body["type"] == "urn:eoffice:problem:not_found"


def test_english_on_accept_language_en(server):
    r = server.get("/api/v1/does-not-exist", headers={"Accept-Language": "en-US,en;q=0.9,id;q=0.5"})
    assert assert_problem(r, 404, "not_found")["title"] == "Resource not found"
    assert r.headers["Content-Language"] == "en"
    r = server.get("/api/v1/does-not-exist", headers={"Accept-Language": "id-ID,en;q=0.5"})
    assert r.headers["Content-Language"] == "id"


def test_wrong_method_is_405_with_allow(server):
    r = server.request("DELETE", "/healthz")
    assert_problem(r, 405, "method_not_allowed")
    assert r.headers["Allow"] == "GET"
    r = server.request("BREW", "/healthz")
    assert_problem(r, 405, "method_not_allowed")


def test_head_is_answered_like_get(server):
    r = requests.head(server.url + "/healthz", timeout=5)
    assert r.status_code == 200


# ---- request bodies: media type, malformed JSON, size ----------------------

JSON_ROUTE = "/api/v1/auth/login"


def test_wrong_media_type_is_415(server):
    r = server.post(JSON_ROUTE, data="nip=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_problem(r, 415, "unsupported_media_type")
    r = server.post(JSON_ROUTE, data=b"{}")  # no Content-Type at all
    assert_problem(r, 415, "unsupported_media_type")


@pytest.mark.parametrize("body", [b"{", b"", b"{\"a\":1,}", b"{\"a\":1,\"a\":2}", b"\xff\xfe{}", b"[1,2]", b"\"str\""])
def test_malformed_or_non_object_json_is_400(server, body):
    r = server.post(JSON_ROUTE, data=body, headers={"Content-Type": "application/json"})
    assert_problem(r, 400)


def test_oversized_body_is_413_by_content_length(server):
    big = b'{"nip":"' + b"1" * (70 * 1024) + b'"}'
    r = server.post(JSON_ROUTE, data=big, headers={"Content-Type": "application/json"})
    body = assert_problem(r, 413, "payload_too_large")
    assert body["max_bytes"] == 65536


def test_oversized_chunked_body_is_413(server):
    def gen():
        yield b'{"nip":"'
        for _ in range(80):
            yield b"1" * 1024
        yield b'"}'
    r = server.post(JSON_ROUTE, data=gen(), headers={"Content-Type": "application/json"})
    assert_problem(r, 413, "payload_too_large")


# ---- CORS -----------------------------------------------------------------

def test_cors_preflight_for_allowed_origin(server):
    r = server.request("OPTIONS", JSON_ROUTE, headers={"Origin": SPA, "Access-Control-Request-Method": "POST",
                                                        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == SPA
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in r.headers["Access-Control-Allow-Headers"]
    assert r.headers.get("Access-Control-Allow-Credentials") is None
    r = server.get("/healthz", headers={"Origin": SPA})
    assert r.headers["Access-Control-Allow-Origin"] == SPA
    assert "Origin" in r.headers["Vary"]


def test_cors_denies_other_origins(server):
    r = server.request("OPTIONS", JSON_ROUTE, headers={"Origin": "https://evil.example.com",
                                                        "Access-Control-Request-Method": "POST"})
    assert_problem(r, 403, "cors_origin_denied")
    r = server.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in r.headers


# ---- logging --------------------------------------------------------------

def test_one_json_log_line_per_request(server):
    rid = "log-check-" + str(time.time_ns())
    server.get("/healthz", headers={"X-Request-Id": rid})
    import json
    server.wait_log(rid)
    time.sleep(0.1)  # a second line for the same request would have come by now
    lines = [json.loads(l) for l in server.log_text().splitlines() if rid in l]
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "GET" and line["route"] == "/healthz" and line["status"] == 200
    assert line["duration_ms"] >= 0 and line["request_id"] == rid and "user" in line


# ---- configuration --------------------------------------------------------

@pytest.mark.parametrize("var,value", [
    ("EOFFICE_PORT", "eighty"), ("EOFFICE_PORT", "70000"), ("EOFFICE_DB_POOL_SIZE", "0"),
    ("EOFFICE_GEOFENCE_MODE", "maybe"), ("EOFFICE_WEB_PRESENSI", "perhaps"), ("EOFFICE_CORS_ORIGINS", "*"),
    ("EOFFICE_ENV", "staging"), ("EOFFICE_MAX_BODY_BYTES", "-5"),
])
def test_bad_configuration_stops_start_up_naming_the_variable(var, value):
    env = base_env(**{var: value})
    p = subprocess.run([BIN, "serve"], env=env, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert var in p.stderr


def test_secret_values_are_never_printed():
    secret = "zz" + "9" * 62
    p = subprocess.run([BIN, "serve"], env=base_env(EOFFICE_SECRET_KEY=secret), capture_output=True, text=True,
                       timeout=30)
    assert p.returncode != 0 and "EOFFICE_SECRET_KEY" in p.stderr
    assert secret not in p.stderr and secret not in p.stdout


def test_missing_database_url_and_mail_log_outside_dev():
    env = base_env()
    del env["DATABASE_URL"]
    p = subprocess.run([BIN, "serve"], env=env, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0 and "DATABASE_URL" in p.stderr
    p = subprocess.run([BIN, "serve"], env=base_env(EOFFICE_ENV="production", EOFFICE_MAIL_MODE="log"),
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0 and "EOFFICE_MAIL_MODE" in p.stderr


def test_cli_help_for_every_command():
    p = run_cli("--help")
    assert p.returncode == 0
    commands = re.findall(r"^  (\S+)\s", p.stdout, re.M)
    for cmd in ("serve", "migrate", "seed-demo", "import", "grant-role", "version", "routes"):
        assert cmd in commands
    for cmd in commands:
        q = run_cli(cmd, "--help")
        assert q.returncode == 0, (cmd, q.stdout, q.stderr)
        assert "usage" in (q.stdout + q.stderr).lower(), cmd
    assert run_cli("no-such-command").returncode == 2
    assert re.fullmatch(r"eoffice \d+\.\d+\.\d+\n", run_cli("version").stdout)


# ---- database: readiness, pool, reconnect --------------------------------

def test_readyz_503_when_database_unreachable(start_server):
    srv = start_server(DATABASE_URL="postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=2")
    assert srv.get("/healthz").status_code == 200
    r = srv.get("/readyz")
    assert_problem(r, 503, "db_unavailable")
    assert int(r.headers["Retry-After"]) >= 1


def test_pool_exhaustion_is_a_bounded_503(start_server, db):
    srv = start_server(EOFFICE_DB_POOL_SIZE=1, EOFFICE_DB_POOL_WAIT_MS=200)
    locker = psycopg2.connect(db.dsn)
    try:
        cur = locker.cursor()
        cur.execute("LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE")
        slow = {}
        t = threading.Thread(target=lambda: slow.setdefault("r", srv.get("/readyz", timeout=30)))
        t.start()
        time.sleep(0.5)  # the first request now holds the only connection, blocked on the lock
        t0 = time.time()
        r = srv.get("/readyz")
        assert_problem(r, 503, "db_busy")
        assert time.time() - t0 < 3
        assert "Retry-After" in r.headers
        metrics = srv.metrics()
        assert re.search(r"^eoffice_db_pool_in_use 1$", metrics, re.M)
    finally:
        locker.rollback()
        locker.close()
    t.join()
    assert slow["r"].status_code == 200


def open_pool_connections(srv, n=8):
    """Makes the server open several pooled connections (concurrent requests)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(n) as ex:
        assert all(r.status_code == 200 for r in ex.map(lambda _: srv.get("/readyz"), range(4 * n)))


def test_server_reconnects_after_backends_are_killed(start_server, db):
    srv = start_server(EOFFICE_DB_POOL_SIZE=8)
    open_pool_connections(srv)
    cur = db.cursor()
    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'eoffice'")
    assert cur.fetchone()[0] >= 2
    cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'eoffice' AND pid <> pg_backend_pid()")
    time.sleep(0.2)
    # Every pooled connection notices it was closed before it is used: no request fails.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(8) as ex:
        statuses = list(ex.map(lambda _: srv.get("/readyz").status_code, range(32)))
    assert statuses == [200] * 32, statuses


def test_graceful_shutdown_finishes_in_flight_requests(start_server, db):
    srv = start_server()
    locker = psycopg2.connect(db.dsn)
    cur = locker.cursor()
    cur.execute("LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE")
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("r", srv.get("/readyz", timeout=30)))
    t.start()
    time.sleep(0.5)
    srv.signal(signal.SIGTERM)
    time.sleep(0.5)
    assert srv.proc.poll() is None, "server quit with a request in flight"
    with pytest.raises(requests.ConnectionError):
        requests.get(srv.url + "/healthz", timeout=2)  # no new connections while draining
    locker.rollback()
    locker.close()
    t.join()
    assert result["r"].status_code == 200
    srv.proc.wait(timeout=20)
    assert srv.proc.returncode == 0
    assert '"msg":"stopped"' in srv.log_text()


# ---- migrations ------------------------------------------------------------

def migration_rows(url):
    with psycopg2.connect(url) as c, c.cursor() as cur:
        cur.execute("SELECT name, checksum FROM schema_migrations ORDER BY name")
        return cur.fetchall()


def test_two_parallel_migrate_runs_end_with_one_schema(fresh_database):
    env = base_env(DATABASE_URL=fresh_database)
    procs = [subprocess.Popen([BIN, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    names = [n for n, _ in migration_rows(fresh_database)]
    expected = sorted(p.name for p in (ROOT / "db" / "migrations").glob("*.sql"))
    assert names == expected
    assert run_cli("migrate", "status", env=env).returncode == 0


def test_changed_migration_is_refused(fresh_database, start_server):
    env = base_env(DATABASE_URL=fresh_database)
    run_cli("migrate", env=env, check=True)
    with psycopg2.connect(fresh_database) as c, c.cursor() as cur:
        cur.execute("UPDATE schema_migrations SET checksum = 'tampered' WHERE name = '0001_master.sql'")
    p = run_cli("migrate", env=env)
    assert p.returncode != 0
    assert "0001_master.sql" in p.stderr and "changed" in p.stderr
    status = run_cli("migrate", "status", env=env)
    assert status.returncode == 1 and "CHANGED" in status.stdout
    srv = start_server(DATABASE_URL=fresh_database)
    body = assert_problem(srv.get("/readyz"), 503, "schema_not_current")
    assert body["changed"] == 1


def test_pending_migrations_make_readyz_503(fresh_database, start_server):
    srv = start_server(DATABASE_URL=fresh_database)
    body = assert_problem(srv.get("/readyz"), 503, "schema_not_current")
    assert body["pending"] >= 1


# ---- the contract: code and openapi.yaml agree -----------------------------

def routes_in_code():
    out = run_cli("routes", check=True).stdout
    return {tuple(line.split()[:2]) for line in out.splitlines() if line.strip()}


def routes_in_document():
    doc = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    methods = {"get", "put", "post", "delete", "patch"}
    return {(m.upper(), path) for path, item in doc["paths"].items() for m in item if m in methods}


def test_every_route_is_documented_and_every_documented_route_exists():
    code, document = routes_in_code(), routes_in_document()
    assert sorted(code - document) == [], "routes missing from openapi.yaml"
    assert sorted(document - code) == [], "documented routes the server does not have"


def test_openapi_lints_clean():
    redocly = ROOT / "node_modules" / ".bin" / "redocly"
    assert redocly.exists(), "node_modules/.bin/redocly missing: run scripts/dev deps"
    p = subprocess.run([str(redocly), "lint", "--format=stylish", str(ROOT / "openapi.yaml")], cwd=ROOT,
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stdout[-6000:] + p.stderr[-3000:]


def test_server_recovers_after_postgresql_restart(start_server):
    from conftest import restart_postgres
    srv = start_server(EOFFICE_DB_POOL_SIZE=8)
    open_pool_connections(srv)
    restart_postgres()
    # The restart is complete (pg_ctl -w): every request succeeds on a fresh connection.
    statuses = [srv.get("/readyz").status_code for _ in range(12)]
    assert statuses == [200] * 12, statuses
