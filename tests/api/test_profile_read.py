"""Reading profiles: the employee's own (web and compact mobile), and another employee's
full profile for their anpeg (unit subtree), their atasan chain (career sections only) and
admin; everyone else gets the 404 an unknown NIP gets."""
import pytest
import requests

from conftest import assert_problem
from helpers_auth import auth_headers, login
from profile_support import (ADMIN, AHMAD, DEWI, EKO, FITRI, HENDRA, ME, NURHASANAH, RAHMAT, SAMPLES, SECTIONS,
                             TITLES, add_approved, get, propose, reset)

PRIVATE = {"identity", "family"}


@pytest.fixture(autouse=True)
def clean(db):
    reset(db, DEWI, AHMAD)
    yield
    reset(db, DEWI, AHMAD)


def test_own_profile_has_every_section_and_shows_pending_changes(server, db):
    rid = add_approved(server, DEWI, "rank")
    edit = propose(server, DEWI, "rank", "edit", record_id=rid, data=dict(SAMPLES["rank"], sk_number="SK-2"))
    add = propose(server, DEWI, "award", data=SAMPLES["award"])
    r = get(server, ME, DEWI)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    p = r.json()
    assert p["employee"]["nip"] == DEWI and p["employee"]["name"].startswith("Dewi")
    assert list(p["sections"]) == SECTIONS and [s["title"] for s in p["sections"].values()] == TITLES
    assert p["hidden_sections"] == []
    rank = p["sections"]["rank"]["records"][0]
    assert rank["data"] == SAMPLES["rank"]  # unchanged until approved
    assert rank["pending_change"]["id"] == edit["id"] and rank["pending_change"]["op"] == "edit"
    assert rank["pending_change"]["submitted_at"].endswith("Z")
    assert p["sections"]["award"]["pending_additions"][0]["id"] == add["id"]
    assert_problem(requests.get(server.url + ME, timeout=30), 401)
    assert_problem(requests.get(server.url + ME, headers={"Authorization": "Bearer x.y.z"}, timeout=30), 401)


def test_mobile_compact_profile(server, db):
    add_approved(server, DEWI, "education")
    propose(server, DEWI, "award", data=SAMPLES["award"])
    tok = login(server.url, DEWI, mobile=True, device="profile-test-phone")
    r = requests.get(server.url + "/mobile/v1/me/profile", headers=auth_headers(tok), timeout=30)
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["nip"] == DEWI and set(p["sections"]) == set(SECTIONS) and p["pending_additions"] == 1
    assert p["sections"]["education"][0]["data"] == SAMPLES["education"]
    assert p["sections"]["education"][0]["pending"] is False
    # a web session is not an app session
    assert_problem(get(server, "/mobile/v1/me/profile", DEWI), 403, "mobile_session_required")
    assert_problem(requests.get(server.url + "/mobile/v1/me/profile", timeout=30), 401)


def test_who_reads_another_employees_profile(server, db):
    for s in SECTIONS:
        add_approved(server, DEWI, s)
    url = f"/api/v1/employees/{DEWI}/profile"
    for nip in (RAHMAT, ADMIN):  # the anpeg of the unit and admin: everything
        p = get(server, url, nip).json()
        assert list(p["sections"]) == SECTIONS and p["hidden_sections"] == []
        assert p["sections"]["identity"]["records"][0]["data"]["address"] == SAMPLES["identity"]["address"]
    p = get(server, url, HENDRA).json()  # the atasan: career sections, no private ones
    assert set(p["sections"]) == set(SECTIONS) - PRIVATE and set(p["hidden_sections"]) == PRIVATE
    assert "Pajajaran" not in str(p) and "Rizky" not in str(p)
    assert p["sections"]["rank"]["records"][0]["data"] == SAMPLES["rank"]
    # a bystander and an anpeg of another subtree: the same 404 as an unknown NIP
    for nip in (FITRI, EKO, AHMAD):
        assert_problem(get(server, url, nip), 404, "employee_not_found")
    assert_problem(get(server, "/api/v1/employees/199901012020012999/profile", RAHMAT), 404, "employee_not_found")
    assert_problem(get(server, "/api/v1/employees/not-a-nip/profile", RAHMAT), 404, "employee_not_found")
    assert_problem(get(server, "/api/v1/employees/" + "1" * 300 + "/profile", RAHMAT), 404)
    assert_problem(requests.get(server.url + url, timeout=30), 401)
    # the employee reading themselves by NIP: the own profile
    assert get(server, url, DEWI).json()["hidden_sections"] == []
    # every read of someone else is in the audit trail
    with db.cursor() as cur:
        cur.execute("select details->>'as' from audit_log where action = 'profile.view' and target_id = %s"
                    " order by id desc limit 3", (DEWI,))
        assert [r[0] for r in cur.fetchall()] == ["atasan", "full", "full"]
    # EKO covers Ahmad's school; Ahmad's atasan chain (NURHASANAH) sees career sections
    assert get(server, f"/api/v1/employees/{AHMAD}/profile", EKO).json()["hidden_sections"] == []
    assert set(get(server, f"/api/v1/employees/{AHMAD}/profile", NURHASANAH).json()["hidden_sections"]) == PRIVATE
    assert_problem(get(server, f"/api/v1/employees/{AHMAD}/profile", RAHMAT), 404, "employee_not_found")


def test_wrong_methods(server):
    r = requests.post(server.url + ME, timeout=30)
    assert r.status_code == 405
    r = requests.delete(server.url + "/api/v1/pdm/changes/1", timeout=30)
    assert r.status_code == 405


def test_app_sessions_only_on_the_own_routes(server, db):
    """/api/v1/me/... is shared with the app; the anpeg's queue and other employees' profiles are web-only."""
    tok = auth_headers(login(server.url, RAHMAT, mobile=True, device="profile-test-anpeg-phone"))
    assert requests.get(server.url + ME, headers=tok, timeout=30).status_code == 200
    assert requests.get(server.url + "/api/v1/me/pdm/changes", headers=tok, timeout=30).status_code == 200
    for path in ("/api/v1/pdm/changes", f"/api/v1/employees/{DEWI}/profile", f"/api/v1/employees/{DEWI}/profile.pdf"):
        assert_problem(requests.get(server.url + path, headers=tok, timeout=30), 403, "web_session_required")
