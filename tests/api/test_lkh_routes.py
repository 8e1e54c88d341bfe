"""Every LKH route against the requests nobody should get past: no or a bad
token (401), a body that is not JSON (400), the wrong media type (415), an
oversized body (413), and ids that cannot exist (404). Nothing is written."""
import pytest
import requests

from conftest import assert_problem
from lkh_support import AHMAD, DEWI, reset, web

ROUTES = [
    ("GET", "/api/v1/lkh/reports"), ("POST", "/api/v1/lkh/reports"), ("GET", "/api/v1/lkh/reports/1"),
    ("PUT", "/api/v1/lkh/reports/1"), ("POST", "/api/v1/lkh/reports/1/submit"),
    ("POST", "/api/v1/lkh/reports/1/withdraw"), ("POST", "/api/v1/lkh/reports/1/approve"),
    ("POST", "/api/v1/lkh/reports/1/return"), ("PUT", "/api/v1/lkh/reports/1/attachment"),
    ("GET", "/api/v1/lkh/reports/1/attachment"), ("GET", "/api/v1/lkh/team"), ("POST", "/api/v1/lkh/team/approve"),
    ("POST", "/api/v1/lkh/permits"), ("GET", "/api/v1/lkh/skp-targets"), ("POST", "/api/v1/lkh/skp-targets"),
    ("PUT", "/api/v1/lkh/skp-targets/1"), ("DELETE", "/api/v1/lkh/skp-targets/1"), ("GET", "/mobile/v1/lkh/today"),
    ("POST", "/mobile/v1/lkh/today"),
]
JSON_BODY = [(m, p) for m, p in ROUTES if m in ("POST", "PUT") and "attachment" not in p and "mobile" not in p]


@pytest.fixture
def quiet(db):
    reset(db, AHMAD, DEWI)
    with db.cursor() as cur:
        cur.execute("select coalesce(max(id), 0) from audit_log")
        (before,) = cur.fetchone()
    yield
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where id > %s and action like 'lkh.%%'", (before,))
        assert cur.fetchone()[0] == 0
        cur.execute("select count(*) from lkh_reports r join employees e on e.id = r.employee_id"
                    " where e.nip in (%s, %s)", (AHMAD, DEWI))
        assert cur.fetchone()[0] == 0


@pytest.mark.parametrize("method, path", ROUTES)
def test_unauthenticated(server, quiet, method, path):
    assert_problem(requests.request(method, server.url + path, timeout=10), 401)
    assert_problem(requests.request(method, server.url + path, headers={"Authorization": "Bearer x.y.z"},
                                    timeout=10), 401)


@pytest.mark.parametrize("method, path", JSON_BODY)
def test_bad_bodies(server, quiet, method, path):
    h = web(server, AHMAD)
    assert_problem(requests.request(method, server.url + path, headers={**h, "Content-Type": "application/json"},
                                    data="{\"a\": ", timeout=10), 400)
    assert_problem(requests.request(method, server.url + path, headers={**h, "Content-Type": "text/plain"},
                                    data="ids=1", timeout=10), 415)
    assert_problem(requests.request(method, server.url + path, headers={**h, "Content-Type": "application/json"},
                                    data="{\"x\": \"" + "a" * 70000 + "\"}", timeout=10), 413)


@pytest.mark.parametrize("method, path", [(m, p.replace("/1", "/0")) for m, p in ROUTES if "/1" in p] +
                         [(m, p.replace("/1", "/abc")) for m, p in ROUTES if "/1" in p])
def test_impossible_ids(server, quiet, method, path):
    h = web(server, AHMAD)
    r = requests.request(method, server.url + path, headers={**h, "Content-Type": "application/json"}, data="{}",
                         timeout=10)
    assert_problem(r, 404)
