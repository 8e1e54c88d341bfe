"""Corrections on the whole review machinery (core/review.h, svc/review.h).

Besides approve and reject, the atasan may RETURN a request for rework (a note
is required); the author may then RESUBMIT it (changing the requested times or
the reason) and may WITHDRAW a pending one (it becomes a draft, which the
author alone sees and may resubmit). Every step is audited as
"presensi.correction.<action>"; approved and rejected requests are read-only.

Chain (db/seed/demo.sql): AHMAD (author) -> NURHASANAH (his atasan) -> SUKARDI
(korwil: sees Ahmad's attendance, is not his atasan); EKO is anpeg of the unit
tree (sees, decides nothing); FITRI is in another chain (sees nothing).
"""
import datetime
import json

import pytest
import requests

from conftest import assert_problem
from presensi_support import (AHMAD, EKO, FITRI, NURHASANAH, SUKARDI, employee, headers, insert_day, local_today,
                              reset, working_day_before)

CORR = "/api/v1/presensi/corrections"


def post(server, path, nip=None, body=None, raw=None):
    h = headers(server, nip) if nip else {}
    if raw is not None or body is not None:
        h["Content-Type"] = "application/json"
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.post(server.url + path, headers=h, data=data, timeout=15)


def get(server, path, nip, **params):
    return requests.get(server.url + path, headers=headers(server, nip), params=params, timeout=15)


def status_of(db, cid):
    with db.cursor() as cur:
        cur.execute("select status from attendance_corrections where id = %s", (cid,))
        return cur.fetchone()[0]


def audit_trail(db, cid):
    """[(action, actor NIP)] of the request, oldest first."""
    with db.cursor() as cur:
        cur.execute("select a.action, e.nip from audit_log a left join employees e on e.id = a.actor_employee_id"
                    " where a.target_type = 'attendance_correction' and a.target_id = %s order by a.id",
                    (str(cid),))
        return cur.fetchall()


@pytest.fixture
def filed(server, db):
    """A pending request of AHMAD for a past day (forgot to check out), with the day's check-in recorded."""
    reset(db, AHMAD)
    day = local_today(server, AHMAD) - datetime.timedelta(days=5)
    insert_day(db, AHMAD, day, "07:00:00", None)
    r = post(server, CORR, AHMAD, {"work_date": day.isoformat(), "kind": "forgot_check_out",
                                   "requested_check_out": "14:05", "reason": "Lupa absen pulang"})
    assert r.status_code == 201, r.text
    yield r.json()["id"], day
    reset(db, AHMAD)


def test_return_needs_a_note(server, db, filed):
    cid, _ = filed
    for body in (None, {}, {"note": "   \n"}):
        b = assert_problem(post(server, f"{CORR}/{cid}/return", NURHASANAH, body), 422, "validation_failed")
        assert [e["field"] for e in b["errors"]] == ["note"], b
        assert b["errors"][0]["code"] == "review_note_required"
    assert_problem(post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "x" * 1001}), 422)
    assert_problem(post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "x", "status": "approved"}), 422)
    assert status_of(db, cid) == "pending"
    assert audit_trail(db, cid) == [("presensi.correction.submit", AHMAD)]


def test_return_only_by_the_atasan(server, db, filed):
    cid, _ = filed
    # Those who may see Ahmad's attendance learn the request exists (403); a stranger gets 404.
    for nip in (SUKARDI, EKO):
        assert_problem(post(server, f"{CORR}/{cid}/return", nip, {"note": "Perbaiki"}), 403, "not_supervisor")
    assert_problem(post(server, f"{CORR}/{cid}/return", FITRI, {"note": "Perbaiki"}), 404, "correction_not_found")
    assert_problem(post(server, f"{CORR}/{cid}/return", AHMAD, {"note": "Perbaiki"}), 403, "review_own_record")
    assert_problem(post(server, f"{CORR}/{cid}/return", None, {"note": "Perbaiki"}), 401)
    assert status_of(db, cid) == "pending"
    assert audit_trail(db, cid) == [("presensi.correction.submit", AHMAD)]


def test_resubmit_and_withdraw_are_the_authors(server, db, filed):
    cid, _ = filed
    assert post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "Jam pulang?"}).status_code == 200
    change = {"requested_check_out": "15:00"}
    assert_problem(post(server, f"{CORR}/{cid}/resubmit", FITRI, change), 404, "correction_not_found")
    for nip in (NURHASANAH, SUKARDI, EKO):   # the atasan too: he reviews, he does not author
        assert_problem(post(server, f"{CORR}/{cid}/resubmit", nip, change), 403, "review_not_author")
    assert status_of(db, cid) == "returned"
    assert post(server, f"{CORR}/{cid}/resubmit", AHMAD).status_code == 200
    assert_problem(post(server, f"{CORR}/{cid}/withdraw", FITRI), 404, "correction_not_found")
    assert_problem(post(server, f"{CORR}/{cid}/withdraw", NURHASANAH), 403, "review_not_author")
    assert status_of(db, cid) == "pending"
    with db.cursor() as cur:
        cur.execute("select to_char(requested_check_out, 'HH24:MI') from attendance_corrections where id = %s", (cid,))
        assert cur.fetchone()[0] == "14:05"   # nobody else's change got in


def test_withdraw_twice_is_a_conflict(server, db, filed):
    cid, day = filed
    r = post(server, f"{CORR}/{cid}/withdraw", AHMAD)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "draft" and r.json()["decided_by"] is None
    assert_problem(post(server, f"{CORR}/{cid}/withdraw", AHMAD), 409, "correction_not_pending")
    assert_problem(post(server, f"{CORR}/{cid}/withdraw", AHMAD, {"note": "x"}), 422)   # nobody to tell
    # Nothing to decide: the atasan cannot act on a draft, nor see it in the team list.
    assert_problem(post(server, f"{CORR}/{cid}/approve", NURHASANAH), 409, "correction_not_pending")
    assert_problem(post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "x"}), 409, "correction_not_pending")
    assert cid not in [x["id"] for x in get(server, CORR, NURHASANAH, scope="team").json()["items"]]
    assert [x["id"] for x in get(server, CORR, AHMAD, status="draft").json()["items"]] == [cid]
    # The day's slot is free again: a new request may be filed ...
    other = post(server, CORR, AHMAD, {"work_date": day.isoformat(), "kind": "other", "requested_check_out": "14:10",
                                       "reason": "Yang benar"})
    assert other.status_code == 201, other.text
    # ... and then the draft cannot be filed again for the same day.
    assert_problem(post(server, f"{CORR}/{cid}/resubmit", AHMAD), 409, "correction_exists")
    assert status_of(db, cid) == "draft"
    assert audit_trail(db, cid) == [("presensi.correction.submit", AHMAD), ("presensi.correction.withdraw", AHMAD)]


def test_full_cycle_submit_return_resubmit_approve(server, db, filed):
    cid, day = filed
    ret = post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "Rapat selesai 14:30, mohon diperbaiki"})
    assert ret.status_code == 200, ret.text
    assert ret.json()["status"] == "returned"
    assert ret.json()["decision_note"] == "Rapat selesai 14:30, mohon diperbaiki"
    assert ret.json()["decided_by"]["nip"] == NURHASANAH and ret.json()["decided_by"]["name"]
    assert "employee_id" not in ret.json() and ret.json()["employee"]["nip"] == AHMAD
    # Returned is the author's turn: the atasan cannot decide it meanwhile.
    assert_problem(post(server, f"{CORR}/{cid}/approve", NURHASANAH), 409, "correction_not_pending")
    assert [x["id"] for x in get(server, CORR, AHMAD, status="returned").json()["items"]] == [cid]
    again = post(server, f"{CORR}/{cid}/resubmit", AHMAD,
                 {"requested_check_out": "14:30", "reason": "Lupa absen pulang, rapat sampai 14:30"})
    assert again.status_code == 200, again.text
    c = again.json()
    assert c["status"] == "pending" and c["requested_check_out"] == "14:30"
    assert c["reason"] == "Lupa absen pulang, rapat sampai 14:30"
    assert c["decision_note"] is None and c["decided_by"] is None and c["decided_at"] is None
    assert c["work_date"] == day.isoformat() and c["kind"] == "forgot_check_out"
    ok = post(server, f"{CORR}/{cid}/approve", NURHASANAH, {"note": "Oke"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "approved"
    hist = get(server, "/api/v1/presensi/history", AHMAD, month=f"{day:%Y-%m}").json()
    item = next(it for it in hist["items"] if it["date"] == day.isoformat())
    assert item["record"]["check_out"]["local_time"] == "14:30:00"
    assert item["record"]["check_in"]["local_time"] == "07:00:00"
    assert audit_trail(db, cid) == [("presensi.correction.submit", AHMAD), ("presensi.correction.return", NURHASANAH),
                                    ("presensi.correction.submit", AHMAD), ("presensi.correction.approve", NURHASANAH)]
    # The audit row of each step carries the request as it was after the step.
    with db.cursor() as cur:
        cur.execute("select details->>'status' from audit_log where target_type = 'attendance_correction'"
                    " and target_id = %s order by id", (str(cid),))
        assert [r[0] for r in cur.fetchall()] == ["pending", "returned", "pending", "approved"]


def test_approved_and_rejected_are_read_only(server, db, filed):
    cid, day = filed
    assert post(server, f"{CORR}/{cid}/approve", NURHASANAH).status_code == 200
    steps = [("return", NURHASANAH, {"note": "x"}), ("reject", NURHASANAH, {"note": "x"}),
             ("approve", NURHASANAH, None), ("resubmit", AHMAD, {"requested_check_out": "16:00"}),
             ("withdraw", AHMAD, None)]
    for action, nip, body in steps:
        assert_problem(post(server, f"{CORR}/{cid}/{action}", nip, body), 409, "correction_not_pending")
    assert status_of(db, cid) == "approved"
    with db.cursor() as cur:
        cur.execute("select to_char(requested_check_out, 'HH24:MI') from attendance_corrections where id = %s", (cid,))
        assert cur.fetchone()[0] == "14:05"
    assert len(audit_trail(db, cid)) == 2
    # A rejected one likewise.
    r = post(server, CORR, AHMAD, {"work_date": working_day_before(db, AHMAD, day - datetime.timedelta(days=1)).isoformat(), "kind": "other",
                                   "requested_check_in": "07:00", "reason": "Lupa"})
    rid = r.json()["id"]
    assert post(server, f"{CORR}/{rid}/reject", NURHASANAH, {"note": "Tidak ada bukti"}).status_code == 200
    for action, nip, body in steps:
        assert_problem(post(server, f"{CORR}/{rid}/{action}", nip, body), 409, "correction_not_pending")
    assert status_of(db, rid) == "rejected"


@pytest.mark.parametrize("body,field,code", [
    ({"requested_check_out": "25:00"}, "requested_check_out", "invalid_value"),
    ({"requested_check_in": "7:00"}, "requested_check_in", "invalid_value"),
    ({"requested_check_out": 1430}, "requested_check_out", "invalid_type"),
    ({"requested_check_in": "15:00"}, "requested_check_out", "out_of_range"),       # after the stored 14:05
    ({"requested_check_in": "08:00", "requested_check_out": "07:30"}, "requested_check_out", "out_of_range"),
    ({"requested_check_out": None}, "requested_check_out", "missing_field"),       # null clears: no time left
    ({"reason": "  "}, "reason", "missing_field"),
    ({"reason": "x" * 1001}, "reason", "too_long"),
    ({"work_date": "2026-01-01"}, "work_date", "unknown_field"),                  # times and reason only
    ({"kind": "other"}, "kind", "unknown_field"),
])
def test_resubmit_validation(server, db, filed, body, field, code):
    cid, _ = filed
    assert post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "Perbaiki"}).status_code == 200
    b = assert_problem(post(server, f"{CORR}/{cid}/resubmit", AHMAD, body), 422, "validation_failed")
    assert (field, code) in [(e["field"], e["code"]) for e in b["errors"]], b
    assert status_of(db, cid) == "returned"


def test_resubmit_can_change_which_times(server, db, filed):
    cid, _ = filed
    assert post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "Jam masuk juga"}).status_code == 200
    r = post(server, f"{CORR}/{cid}/resubmit", AHMAD, {"requested_check_in": "06:50"})
    assert r.status_code == 200, r.text
    assert (r.json()["requested_check_in"], r.json()["requested_check_out"]) == ("06:50", "14:05")
    assert post(server, f"{CORR}/{cid}/return", NURHASANAH, {"note": "Jam pulang tidak perlu"}).status_code == 200
    r = post(server, f"{CORR}/{cid}/resubmit", AHMAD, {"requested_check_out": None})
    assert r.status_code == 200, r.text
    assert (r.json()["requested_check_in"], r.json()["requested_check_out"]) == ("06:50", None)
    assert r.json()["reason"] == "Lupa absen pulang"


def test_pending_cannot_be_resubmitted(server, db, filed):
    cid, _ = filed
    assert_problem(post(server, f"{CORR}/{cid}/resubmit", AHMAD), 409, "correction_not_pending")


def test_new_routes_unknown_ids_and_bad_requests(server):
    for action in ("return", "resubmit", "withdraw"):
        for bad in ("999999999", "abc", "0", "-5"):
            assert_problem(post(server, f"{CORR}/{bad}/{action}", AHMAD, {}), 404, "correction_not_found")
        assert_problem(post(server, f"{CORR}/1/{action}"), 401)
        assert_problem(post(server, f"{CORR}/1/{action}", AHMAD, raw="{"), 400)
        assert_problem(post(server, f"{CORR}/1/{action}", AHMAD, raw="[1]"), 400)
        assert_problem(requests.get(f"{server.url}{CORR}/1/{action}", headers=headers(server, AHMAD), timeout=10),
                       405)


def test_list_filters_by_the_new_states(server):
    for status in ("draft", "returned", "pending", "approved", "rejected"):
        assert get(server, CORR, AHMAD, status=status).status_code == 200
    for status in ("submitted", "withdrawn", "PENDING"):
        assert_problem(get(server, CORR, AHMAD, status=status), 422)
