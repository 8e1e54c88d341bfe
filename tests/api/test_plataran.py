"""The Plataran Sehat client (docs/integrations.md) against a fake Plataran on
loopback (fake_plataran.py): catalogue sync with ETag / If-None-Match, bounded
retries, garbage and outages; the agenda from approved RPI items, answered from
the last good copy ("stale": true, with its age) whenever Plataran is down,
slow or sends garbage, never with a 5xx."""
import time

import pytest
import requests

from conftest import assert_problem
from fake_plataran import FakePlataran
from rpi_support import ADMIN, AHMAD, DEWI, call, emp_id, reset, this_year

SYNC = "/api/v1/admin/plataran/sync"
AGENDA = "/api/v1/me/agenda"

CATALOGUE = [
    {"id": "PS-T-001", "title": "Uji Plataran: Komunikasi Risiko", "description": "e-learning", "method": "e_learning",
     "category": "formal", "jp": 10, "competencies": ["M.03"], "organiser_unit_code": "KEMENKES-ROSDM-BANGKOM"},
    {"id": "PS-T-002", "title": "Uji Plataran: Magang Puskesmas", "method": "magang", "category": "experiential",
     "jp": 24},
]
SESSIONS = [
    {"id": "S1", "title": "Sesi 1", "starts_at": "2030-02-01T08:00:00+07:00", "ends_at": "2030-02-01T12:00:00+07:00",
     "location": "Zoom", "mode": "online"},
    {"id": "S2", "starts_at": "2030-02-08T08:00:00Z", "ends_at": "2030-02-08T10:00:00Z", "mode": "offline"},
]


@pytest.fixture
def fake():
    f = FakePlataran().start()
    f.set_catalogue(CATALOGUE)
    yield f
    try:
        f.stop()
    except OSError:
        pass


@pytest.fixture
def plat(start_server, fake):
    """A server talking to the fake: short timeouts, one retry, no background job."""
    return start_server(EOFFICE_PLATARAN_URL=fake.url + "/", EOFFICE_PLATARAN_TIMEOUT_MS=600,
                        EOFFICE_PLATARAN_CONNECT_TIMEOUT_MS=300, EOFFICE_PLATARAN_RETRIES=1,
                        EOFFICE_PLATARAN_BACKOFF_MS=20, EOFFICE_PLATARAN_SYNC_S=0)


def programmes(db, prefix="PS-T-"):
    with db.cursor() as cur:
        cur.execute("select external_id, title, jp, method, active from dev_programmes where source = 'plataran'"
                    " and external_id like %s order by external_id", (prefix + "%",))
        return cur.fetchall()


def clean(db):
    with db.cursor() as cur:
        cur.execute("delete from plataran_cache where resource = 'catalogue' or resource like 'schedule:PS-T-%'")
        cur.execute("delete from rpi_items where programme_id in (select id from dev_programmes"
                    " where external_id like 'PS-T-%')")
        cur.execute("delete from dev_programme_competencies where programme_id in (select id from dev_programmes"
                    " where external_id like 'PS-T-%')")
        cur.execute("delete from dev_programmes where external_id like 'PS-T-%'")


@pytest.fixture(autouse=True)
def fresh(db):
    clean(db)
    yield
    clean(db)


def test_sync_upserts_and_uses_etags(plat, db, fake):
    r = call(plat, "POST", SYNC, ADMIN)
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "updated" and r.json()["created"] == 2 and r.json()["updated"] == 0
    rows = programmes(db)
    assert [(x[0], x[2], x[3]) for x in rows] == [("PS-T-001", 10, "e_learning"), ("PS-T-002", 24, "magang")]
    listed = call(plat, "GET", "/api/v1/programmes", DEWI, competency="M.03").json()["items"]
    assert any(p["external_id"] == "PS-T-001" and p["source"] == "plataran" for p in listed)

    # unchanged: a conditional request, answered 304, changes nothing
    r = call(plat, "POST", SYNC, ADMIN)
    assert r.status_code == 200 and r.json()["outcome"] == "not_modified"
    path, inm, status = fake.log("/v1/programmes")[-1]
    assert inm == FakePlataran.etag_of({"programmes": CATALOGUE}) and status == 304

    # the catalogue changes: new ETag, the changed programme is updated, a new one created
    fake.set_catalogue([dict(CATALOGUE[0], jp=12, title="Uji Plataran: Komunikasi Risiko (baru)"), CATALOGUE[1],
                        {"id": "PS-T-003", "title": "Uji Plataran: Seminar", "method": "seminar",
                         "category": "social", "jp": 3}])
    r = call(plat, "POST", SYNC, ADMIN)
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["created"], r.json()["updated"]) == ("updated", 1, 2)
    assert [(x[0], x[2]) for x in programmes(db)] == [("PS-T-001", 12), ("PS-T-002", 24), ("PS-T-003", 3)]
    with db.cursor() as cur:
        cur.execute("select details->>'outcome' from audit_log where action = 'plataran.sync' order by id desc limit 3")
        assert [x[0] for x in cur.fetchall()] == ["updated", "not_modified", "updated"]


@pytest.mark.parametrize("mode, code", [("error", "plataran_unavailable"), ("reset", "plataran_unavailable"),
                                        ("slow", "plataran_unavailable"), ("garbage", "plataran_bad_response")])
def test_sync_failures_keep_the_catalogue(plat, db, fake, mode, code):
    assert call(plat, "POST", SYNC, ADMIN).status_code == 200
    before = programmes(db)
    fake.set_catalogue([dict(CATALOGUE[0], jp=99)])
    fake.mode = mode
    n = fake.count("/v1/programmes")
    t0 = time.monotonic()
    r = call(plat, "POST", SYNC, ADMIN)
    took = time.monotonic() - t0
    assert_problem(r, 503, code)
    assert programmes(db) == before
    # bounded: retries + 1 attempts at most, each within the total timeout (plus backoff)
    assert fake.count("/v1/programmes") - n <= 2
    assert took < 2 * 0.6 + 0.1 + 2.0
    if mode in ("error", "reset", "slow"):
        assert fake.count("/v1/programmes") - n == 2  # one retry


@pytest.mark.parametrize("garbage", [
    b"<html>Bad gateway</html>",
    b'{"programmes": [{"id": "PS-T-9", "title": "x", "method": "kuliah", "category": "formal", "jp": 2}]}',
    b'{"programmes": [{"id": "PS-T-9", "title": "x", "method": "seminar", "category": "formal", "jp": "2"}]}',
    b'{"programmes": [{"id": "PS-T-9", "title": "x", "method": "seminar", "category": "formal", "jp": 2},'
    b' {"id": "PS-T-9", "title": "y", "method": "seminar", "category": "formal", "jp": 2}]}',
    b'{"programmes": {}}',
    b"",
])
def test_sync_refuses_every_kind_of_garbage(plat, db, fake, garbage):
    fake.mode = "garbage"
    fake.garbage = garbage
    assert_problem(call(plat, "POST", SYNC, ADMIN), 503, "plataran_bad_response")
    assert programmes(db) == []


def test_sync_is_admin_only_and_needs_a_url(server, plat):
    assert_problem(call(plat, "POST", SYNC, DEWI), 403, "forbidden")
    assert_problem(call(plat, "POST", SYNC), 401)
    assert_problem(call(plat, "POST", SYNC, ADMIN, {"force": True}), 422)
    assert_problem(call(plat, "POST", SYNC, ADMIN, raw="{"), 400)
    # the shared test server has no Plataran URL
    assert_problem(call(server, "POST", SYNC, ADMIN), 503, "plataran_not_configured")


@pytest.fixture
def approved(plat, db, fake):
    """Ahmad's approved plan of this year holding PS-T-001 (synced) and a manual programme."""
    reset(db, AHMAD)
    assert call(plat, "POST", SYNC, ADMIN).status_code == 200
    fake.set_schedule("PS-T-001", SESSIONS)
    with db.cursor() as cur:
        cur.execute("insert into rpis (employee_id, year, status, approved_at) values (%s, %s, 'approved', now())"
                    " returning id", (emp_id(db, AHMAD), this_year()))
        rid = cur.fetchone()[0]
        cur.execute("insert into rpi_items (rpi_id, programme_id, kind) select %s, id, 'additional'"
                    " from dev_programmes where external_id = 'PS-T-001'", (rid,))
        cur.execute("insert into dev_programmes (title, method, category, jp) values"
                    " ('Uji Plataran: manual', 'coaching', 'social', 6) returning id")
        manual = cur.fetchone()[0]
        cur.execute("insert into rpi_items (rpi_id, programme_id, kind) values (%s, %s, 'additional')", (rid, manual))
    yield rid
    reset(db, AHMAD)
    with db.cursor() as cur:
        cur.execute("delete from dev_programmes where id = %s", (manual,))


def agenda_item(body, ext):
    return next(i for i in body["items"] if i["external_id"] == ext)


def test_agenda_fresh_then_conditional(plat, db, fake, approved):
    r = call(plat, "GET", AGENDA, AHMAD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stale"] is False and body["age_s"] is None and body["year"] == this_year()
    it = agenda_item(body, "PS-T-001")
    assert [s["id"] for s in it["sessions"]] == ["S1", "S2"] and it["stale"] is False
    assert it["sessions"][0]["location"] == "Zoom" and it["sessions"][1]["title"] == ""
    manual = next(i for i in body["items"] if i["source"] == "manual")
    assert manual["sessions"] == [] and manual["stale"] is False
    # the second time: If-None-Match, 304, still fresh
    r = call(plat, "GET", AGENDA, AHMAD)
    assert r.json()["stale"] is False
    assert fake.log("/v1/programmes/PS-T-001/schedules")[-1][2] == 304
    # the schedule changes: the agenda follows
    fake.set_schedule("PS-T-001", SESSIONS[:1])
    assert [s["id"] for s in agenda_item(call(plat, "GET", AGENDA, AHMAD).json(), "PS-T-001")["sessions"]] == ["S1"]


@pytest.mark.parametrize("mode", ["error", "slow", "garbage", "reset", "stopped"])
def test_agenda_answers_from_the_last_good_copy(plat, db, fake, approved, mode):
    assert call(plat, "GET", AGENDA, AHMAD).json()["stale"] is False
    with db.cursor() as cur:  # the good copy is a minute old
        cur.execute("update plataran_cache set fetched_at = now() - interval '60 seconds'"
                    " where resource = 'schedule:PS-T-001'")
    fake.garbage = b'{"programme_id": "PS-T-001", "sessions": [{"id": 1}]}'
    if mode == "stopped":
        fake.stop()
    else:
        fake.mode = mode
    t0 = time.monotonic()
    r = call(plat, "GET", AGENDA, AHMAD)
    assert time.monotonic() - t0 < 5
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stale"] is True and 60 <= body["age_s"] < 120
    it = agenda_item(body, "PS-T-001")
    assert it["stale"] is True and [s["id"] for s in it["sessions"]] == ["S1", "S2"]
    with db.cursor() as cur:
        cur.execute("select last_error from plataran_cache where resource = 'schedule:PS-T-001'")
        assert cur.fetchone()[0] in ("plataran_unavailable", "plataran_bad_response")


def test_after_an_outage_agendas_skip_plataran_for_the_cooldown(start_server, db, fake, plat, approved):
    srv = start_server(EOFFICE_PLATARAN_URL=fake.url, EOFFICE_PLATARAN_TIMEOUT_MS=600, EOFFICE_PLATARAN_RETRIES=1,
                       EOFFICE_PLATARAN_BACKOFF_MS=20, EOFFICE_PLATARAN_SYNC_S=0, EOFFICE_PLATARAN_COOLDOWN_S=600)
    path = "/v1/programmes/PS-T-001/schedules"
    assert call(srv, "GET", AGENDA, AHMAD).json()["stale"] is False
    fake.mode = "slow"
    assert call(srv, "GET", AGENDA, AHMAD).json()["stale"] is True   # waited out the timeouts once
    fake.mode = "ok"
    n = fake.count(path)
    t0 = time.monotonic()
    r = call(srv, "GET", AGENDA, AHMAD)
    assert time.monotonic() - t0 < 0.5 and r.json()["stale"] is True and fake.count(path) == n  # not asked
    # a successful sync shows Plataran is back: the next agenda asks again
    assert call(srv, "POST", SYNC, ADMIN).status_code == 200
    assert call(srv, "GET", AGENDA, AHMAD).json()["stale"] is False


def test_agenda_without_any_copy_is_empty_and_stale(plat, db, fake, approved):
    fake.mode = "error"
    r = call(plat, "GET", AGENDA, AHMAD)
    assert r.status_code == 200, r.text
    it = agenda_item(r.json(), "PS-T-001")
    assert it["sessions"] == [] and it["stale"] is True and it["age_s"] is None
    assert r.json()["stale"] is True


def test_agenda_of_others_and_bad_input(plat, db, approved):
    r = call(plat, "GET", AGENDA, DEWI, year="2001")
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["stale"] is False
    assert_problem(call(plat, "GET", AGENDA, AHMAD, year="abc"), 422)
    assert_problem(call(plat, "GET", AGENDA, AHMAD, year="1999"), 422)
    assert_problem(call(plat, "GET", AGENDA), 401)
    # a draft plan gives no agenda
    with db.cursor() as cur:
        cur.execute("update rpis set status = 'draft' where id = %s", (approved,))
    assert call(plat, "GET", AGENDA, AHMAD).json()["items"] == []


def test_agenda_without_plataran_configured(server, db, fake, approved):
    """The shared server has no URL: the stored copies, stale."""
    r = call(server, "GET", AGENDA, AHMAD)
    assert r.status_code == 200
    assert r.json()["stale"] is True and agenda_item(r.json(), "PS-T-001")["sessions"] == []


def test_background_job_syncs_at_start(start_server, db, fake):
    srv = start_server(EOFFICE_PLATARAN_URL=fake.url, EOFFICE_PLATARAN_SYNC_S=3600,
                       EOFFICE_PLATARAN_TIMEOUT_MS=1000)
    log = srv.wait_log('"msg":"plataran sync"', timeout=15)
    assert '"msg":"plataran sync"' in log
    assert [x[0] for x in programmes(db)] == ["PS-T-001", "PS-T-002"]


def test_bad_configuration_refuses_to_start(cli):
    from conftest import base_env, free_port
    for var, value in (("EOFFICE_PLATARAN_URL", "ftp://x"), ("EOFFICE_PLATARAN_RETRIES", "9"),
                       ("EOFFICE_PLATARAN_TIMEOUT_MS", "soon")):
        env = base_env(EOFFICE_PORT=str(free_port()), EOFFICE_METRICS_PORT=str(free_port()), **{var: value})
        p = cli("serve", env=env, timeout=30)
        assert p.returncode != 0
        assert var in p.stdout + p.stderr
