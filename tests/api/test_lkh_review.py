"""The LKH workflow on the shared review machinery: submit to the direct
atasan, approve or return (note required), resubmit; approved is read-only;
nobody reviews their own; the atasan's team queue and bulk approval; a
notification and an audit row for every step (docs/lkh.md)."""
import pytest

from conftest import assert_problem
from lkh_support import (AHMAD, DEWI, EKO, FITRI, HENDRA, NURHASANAH, SUKARDI, activity, audit_trail, call, create,
                         notices, recent_working_days, reset, status_of, today_of)

REPORTS = "/api/v1/lkh/reports"
TEAM = "/api/v1/lkh/team"


@pytest.fixture
def clean(server, db):
    reset(db, AHMAD, DEWI)
    yield
    reset(db, AHMAD, DEWI)


def submitted(server, db, nip, n=1):
    ids = []
    for d in recent_working_days(db, nip, today_of(server, nip), n):
        rid = create(server, nip, d)["id"]
        r = call(server, "POST", f"{REPORTS}/{rid}/submit", nip)
        assert r.status_code == 200, r.text
        ids.append(rid)
    return ids


def test_submit_approve_read_only(server, db, clean):
    (rid,) = submitted(server, db, AHMAD)
    r = call(server, "GET", f"{REPORTS}/{rid}", AHMAD).json()
    assert r["status"] == "submitted" and r["reviewer"]["nip"] == NURHASANAH and r["submitted_at"]
    assert notices(db, NURHASANAH, rid) == ["lkh.submitted"]
    # submitted: the author cannot edit it any more (withdraw first)
    assert_problem(call(server, "PUT", f"{REPORTS}/{rid}", AHMAD, {"activities": [activity()]}), 409, "lkh_read_only")
    # nobody reviews their own; up the chain is not the reviewer; strangers learn nothing
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/approve", AHMAD), 403, "review_own_record")
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/approve", SUKARDI), 403, "review_not_reviewer")
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/approve", EKO), 403, "review_not_reviewer")
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/approve", FITRI), 404, "lkh_not_found")
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/approve", HENDRA), 404, "lkh_not_found")
    assert status_of(db, rid) == "submitted"

    r = call(server, "POST", f"{REPORTS}/{rid}/approve", NURHASANAH, {"note": "Baik"})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["status"] == "approved" and rep["decided_at"] and rep["review_note"] == "Baik"
    assert notices(db, AHMAD, rid) == ["lkh.approved"]
    # read-only for everyone
    assert_problem(call(server, "PUT", f"{REPORTS}/{rid}", AHMAD, {"activities": [activity()]}), 409, "lkh_read_only")
    for step, nip in (("return", NURHASANAH), ("approve", NURHASANAH), ("withdraw", AHMAD), ("submit", AHMAD)):
        body = {"note": "lagi"} if step == "return" else None
        assert_problem(call(server, "POST", f"{REPORTS}/{rid}/{step}", nip, body), 409, "review_final")
    assert call(server, "GET", f"{REPORTS}/{rid}", AHMAD).json() == rep
    assert audit_trail(db, rid) == [("lkh.report.create", AHMAD), ("lkh.report.submit", AHMAD),
                                    ("lkh.report.approve", NURHASANAH)]


def test_return_and_resubmit(server, db, clean):
    (rid,) = submitted(server, db, AHMAD)
    for body in (None, {}, {"note": "  \n"}):
        b = assert_problem(call(server, "POST", f"{REPORTS}/{rid}/return", NURHASANAH, body), 422)
        assert b["errors"][0]["code"] == "review_note_required"
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/return", NURHASANAH, {"note": "x" * 1001}), 422)
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/return", NURHASANAH, {"note": 5}), 422)
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/return", NURHASANAH, {"note": "x", "status": "draft"}), 422)
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/return", NURHASANAH, raw="{"), 400)
    assert status_of(db, rid) == "submitted"
    r = call(server, "POST", f"{REPORTS}/{rid}/return", NURHASANAH, {"note": "Lengkapi outputnya"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert r.json()["review_note"] == "Lengkapi outputnya"
    assert notices(db, AHMAD, rid) == ["lkh.returned"]
    # the author fixes and resubmits
    r = call(server, "PUT", f"{REPORTS}/{rid}", AHMAD, {"activities": [activity(output="Nilai tugas direkap")]})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    r = call(server, "POST", f"{REPORTS}/{rid}/submit", AHMAD)
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["review_note"] is None
    assert notices(db, NURHASANAH, rid) == ["lkh.submitted", "lkh.submitted"]
    # withdraw back to draft, then submit again
    assert call(server, "POST", f"{REPORTS}/{rid}/withdraw", AHMAD).json()["status"] == "draft"
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/withdraw", AHMAD, {"note": "x"}), 422)
    assert_problem(call(server, "POST", f"{REPORTS}/{rid}/approve", NURHASANAH), 409, "review_transition_invalid")
    assert call(server, "POST", f"{REPORTS}/{rid}/submit", AHMAD).json()["status"] == "submitted"
    assert [a for a, _ in audit_trail(db, rid)] == [
        "lkh.report.create", "lkh.report.submit", "lkh.report.return", "lkh.report.edit", "lkh.report.submit",
        "lkh.report.withdraw", "lkh.report.submit"]


def test_submit_needs_an_activity(server, db, clean):
    day = recent_working_days(db, AHMAD, today_of(server, AHMAD), 1)[0]
    rep = create(server, AHMAD, day, [])
    b = assert_problem(call(server, "POST", f"{REPORTS}/{rep['id']}/submit", AHMAD), 422)
    assert b["errors"][0] == {"field": "activities", "code": "lkh_no_activities", "message": b["errors"][0]["message"]}
    assert status_of(db, rep["id"]) == "draft" and notices(db, NURHASANAH, rep["id"]) == []


def test_team_queue(server, db, clean):
    ahmad = submitted(server, db, AHMAD, 3)
    draft = create(server, AHMAD, recent_working_days(db, AHMAD, today_of(server, AHMAD), 4)[3])["id"]
    dewi = submitted(server, db, DEWI, 1)
    # From the oldest of these days on: the demo seeds give her team reports of earlier months (TPP).
    since = min(recent_working_days(db, AHMAD, today_of(server, AHMAD), 4))
    r = call(server, "GET", f"{TEAM}?from={since}", NURHASANAH)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["id"] for i in items] == ahmad  # newest day first; no draft; only her own team
    assert draft not in [i["id"] for i in items]
    assert all(i["employee"]["nip"] == AHMAD for i in items)
    # Hendra's team is Dewi's chain: none of Ahmad's reports
    assert [i["id"] for i in call(server, "GET", TEAM, HENDRA, params={"nip": DEWI}).json()["items"]] == dewi
    assert not set(ahmad) & {i["id"] for i in call(server, "GET", TEAM, HENDRA).json()["items"]}
    # up the chain is not the team (the queue is the direct atasan's)
    assert call(server, "GET", TEAM, SUKARDI, params={"nip": AHMAD}).json()["items"] == []
    assert call(server, "GET", TEAM, NURHASANAH, params={"nip": DEWI}).json()["items"] == []
    # filters
    r = call(server, "GET", TEAM, NURHASANAH, params={"status": "submitted", "nip": AHMAD,
                                                      "from": items[1]["work_date"], "to": items[0]["work_date"]})
    assert [i["id"] for i in r.json()["items"]] == ahmad[:2]
    assert call(server, "GET", TEAM, NURHASANAH, params={"status": "approved", "from": since}).json()["items"] == []
    seen, cursor = [], None
    while True:
        r = call(server, "GET", TEAM, NURHASANAH,
                 params={"limit": 2, "from": since, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        seen += [i["id"] for i in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert seen == ahmad
    for params in ({"status": "draft"}, {"status": "x"}, {"nip": "123"}, {"nip": "1" * 19}, {"from": "2026-13-01"},
                   {"limit": "abc"}, {"cursor": "x" * 600}):
        assert_problem(call(server, "GET", TEAM, NURHASANAH, params=params), 422)
    assert_problem(call(server, "GET", TEAM, None), 401)


def test_bulk_approve(server, db, clean):
    ahmad = submitted(server, db, AHMAD, 2)
    (dewi,) = submitted(server, db, DEWI, 1)
    draft = create(server, AHMAD, recent_working_days(db, AHMAD, today_of(server, AHMAD), 3)[2])["id"]
    ids = ahmad + [dewi, draft, 987654321]
    r = call(server, "POST", f"{TEAM}/approve", NURHASANAH, {"ids": ids})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["approved"] == 2 and body["failed"] == 3
    res = {x["id"]: x for x in body["results"]}
    assert [x["id"] for x in body["results"]] == ids
    for rid in ahmad:
        assert res[rid]["status"] == 200 and res[rid]["report"]["status"] == "approved"
        assert status_of(db, rid) == "approved"
        assert audit_trail(db, rid)[-1] == ("lkh.report.approve", NURHASANAH)
        assert notices(db, AHMAD, rid) == ["lkh.approved"]
    # another atasan's report: not found, untouched, nothing about it leaks
    assert res[dewi] == {"id": dewi, "status": 404, "code": "lkh_not_found"}
    assert status_of(db, dewi) == "submitted" and audit_trail(db, dewi)[-1][0] == "lkh.report.submit"
    assert res[draft] == {"id": draft, "status": 409, "code": "review_transition_invalid"}
    assert res[987654321]["status"] == 404
    # an author cannot bulk-approve their own
    r = call(server, "POST", f"{TEAM}/approve", DEWI, {"ids": [dewi]})
    assert r.json()["results"][0] == {"id": dewi, "status": 403, "code": "review_own_record"}
    for bad in ({}, {"ids": []}, {"ids": "1"}, {"ids": [1, 1]}, {"ids": [0]}, {"ids": ["1"]},
                {"ids": list(range(1, 102))}, {"ids": [1], "note": "x"}):
        assert_problem(call(server, "POST", f"{TEAM}/approve", NURHASANAH, bad), 422)
    assert_problem(call(server, "POST", f"{TEAM}/approve", NURHASANAH, raw="[1]"), 400)
    assert_problem(call(server, "POST", f"{TEAM}/approve", None, {"ids": [dewi]}), 401)
    assert status_of(db, dewi) == "submitted"
