"""Metrics have a listener of their own (issue 8, section 4).

The API listener answers /metrics with 404 like any unknown path; the metrics
listener (EOFFICE_METRICS_BIND:EOFFICE_METRICS_PORT, default 127.0.0.1:9464)
answers GET /metrics and nothing else. docs/operations.md, "Metrics".
"""
import re
import subprocess

import requests

from conftest import BIN, assert_problem, base_env, free_port


def test_api_listener_does_not_serve_metrics(server):
    assert_problem(server.get("/metrics"), 404, "not_found")
    assert server.request("HEAD", "/metrics").status_code == 404


def test_metrics_listener_serves_metrics_of_the_api(server):
    server.get("/healthz")
    r = requests.get(server.metrics_url, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert re.search(r'eoffice_http_requests_total\{method="GET",route="/healthz",status="200"\} \d+', r.text)
    # The refused /metrics on the API listener is counted like any unknown path.
    assert "route=\"/metrics\"" not in r.text
    head = requests.head(server.metrics_url, timeout=10)
    assert head.status_code == 200 and head.content == b""


def test_metrics_listener_answers_nothing_else(server):
    base = server.metrics_url.rsplit("/", 1)[0]
    assert requests.get(base + "/healthz", timeout=10).status_code == 404
    assert requests.get(base + "/api/v1/me", timeout=10).status_code == 404
    r = requests.post(server.metrics_url, data=b"x", timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"


def test_metrics_listener_binds_loopback_by_default(server):
    assert re.search(r'"msg":"metrics listening","url":"http://127\.0\.0\.1:\d+/metrics"', server.log_text())


def test_metrics_listener_can_be_switched_off(start_server):
    srv = start_server(EOFFICE_METRICS_PORT=0)
    assert "metrics listening" not in srv.log_text()
    assert_problem(srv.get("/metrics"), 404, "not_found")


def test_metrics_port_must_differ_from_the_api_port():
    port = free_port()
    env = base_env(EOFFICE_PORT=port, EOFFICE_METRICS_PORT=port)
    p = subprocess.run([BIN, "serve"], env=env, capture_output=True, text=True, timeout=30)
    assert p.returncode == 1 and "EOFFICE_METRICS_PORT" in p.stderr
    p = subprocess.run([BIN, "serve"], env=base_env(EOFFICE_METRICS_BIND="localhost"), capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 1 and "EOFFICE_METRICS_BIND" in p.stderr
