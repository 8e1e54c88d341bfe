"""Keyset paging of the reviewed/presensi lists and the shared review workflow.

Corrections (GET /api/v1/presensi/corrections) and extra locations
(GET /api/v1/presensi/extra-locations) page with ?limit= and an opaque
?cursor= bound to the list, its filters and the caller: every item is reached
exactly once, in order, and a tampered or foreign cursor is refused (422).

Also the object-level answers of deciding a correction through svc/review:
the author is refused (403 review_own_record), someone who may see the
author's attendance but is not the atasan gets 403 not_supervisor, anyone
else 404 (ids are no oracle), and a rejection needs a note.
"""
import base64
import datetime
import json

import pytest
import requests

from conftest import assert_problem, walk_pages
from presensi_support import (AHMAD, EKO, FITRI, ISKANDAR, NURHASANAH, SUKARDI, employee, headers, local_today, reset,
                              working_day_before)

CORR = "/api/v1/presensi/corrections"
EXTRA = "/api/v1/presensi/extra-locations"


def get(server, path, who, **params):
    return requests.get(server.url + path, headers=headers(server, who), params=params, timeout=15)


def post(server, path, nip, body=None):
    h = headers(server, nip)
    if body is not None:
        h["Content-Type"] = "application/json"
    return requests.post(server.url + path, headers=h, data=json.dumps(body) if body is not None else None,
                         timeout=15)


def walk(server, path, who, limit, **params):
    """All pages of a list: (items in order, number of pages)."""
    def page(body):
        assert set(body) == {"items", "next_cursor"}
        if body["next_cursor"] is not None:
            assert len(body["items"]) == limit, "a page before the last one is full"
    return walk_pages(lambda q: get(server, path, who, **q), limit, params, check=page, max_pages=50)


@pytest.fixture
def corrections(server, db):
    """Seven corrections of AHMAD on distinct past days; three share one created_at (the id breaks the tie).
    Returns their ids, newest first as the list orders them."""
    reset(db, AHMAD)
    eid = employee(db, AHMAD)[0]
    today = local_today(server, AHMAD)
    with db.cursor() as cur:
        for i in range(7):
            status = "approved" if i in (1, 4) else "pending"
            created = "2026-01-05 08:00:00+00" if i >= 4 else f"2026-01-0{i + 1} 08:00:00.{i:06d}+00"
            cur.execute("insert into attendance_corrections (employee_id, work_date, kind, requested_check_out,"
                        " reason, status, created_at) values (%s, %s, 'other', '14:00', 'uji paging', %s, %s)"
                        " returning id", (eid, today - datetime.timedelta(days=10 + i), status, created))
    with db.cursor() as cur:
        cur.execute("select id from attendance_corrections where employee_id = %s order by created_at desc, id desc",
                    (eid,))
        ids = [r[0] for r in cur.fetchall()]
    yield ids
    reset(db, AHMAD)


def test_corrections_page_past_the_first(server, db, corrections):
    for limit in (1, 2, 3, 7, 50):
        items, pages = walk(server, CORR, AHMAD, limit)
        assert [x["id"] for x in items] == corrections, limit
        assert pages == -(-len(corrections) // limit), limit  # no empty trailing page
    # Exactly full last page: the extra row fetched tells there is none after it.
    r = get(server, CORR, AHMAD, limit=7).json()
    assert len(r["items"]) == 7 and r["next_cursor"] is None
    r = get(server, CORR, AHMAD, limit=6).json()
    assert len(r["items"]) == 6 and r["next_cursor"]
    # Filters page too, and the atasan's team view pages over the same rows.
    pending, _ = walk(server, CORR, AHMAD, 2, status="pending")
    assert [x["status"] for x in pending] == ["pending"] * 5
    team, _ = walk(server, CORR, NURHASANAH, 2, scope="team", status="pending")
    assert [x["id"] for x in team if x["employee"]["nip"] == AHMAD] == [x["id"] for x in pending]


def test_corrections_cursor_is_bound_to_list_filters_and_caller(server, db, corrections):
    cur = get(server, CORR, AHMAD, limit=2).json()["next_cursor"]
    assert cur
    assert get(server, CORR, AHMAD, limit=2, cursor=cur).status_code == 200
    # Another filter, another scope, another caller, another list: refused.
    for nip, path, params in ((AHMAD, CORR, {"status": "pending"}), (AHMAD, CORR, {"scope": "team"}),
                              (NURHASANAH, CORR, {}), (AHMAD, EXTRA, {})):
        b = assert_problem(get(server, path, nip, cursor=cur, **params), 422, "validation_failed")
        assert {"field": "cursor", "code": "invalid_cursor"} in [{k: e[k] for k in ("field", "code")}
                                                                 for e in b["errors"]], b
    # Tampered: a forged position with the old seal, a flipped character, garbage.
    payload, mac = cur.split(".")
    pos = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps([pos[0], str(int(pos[1]) + 1000)]).encode()).decode().rstrip("=")
    flipped = cur[:-1] + ("A" if cur[-1] != "A" else "B")
    for bad in (f"{forged}.{mac}", flipped, "x", "." * 10, "a" * 600):
        assert_problem(get(server, CORR, AHMAD, cursor=bad), 422)


@pytest.fixture
def extras(server, db):
    """Five extra locations of SUKARDI (two on the same valid_from) and one revoked."""
    reset(db, SUKARDI)
    eid = employee(db, SUKARDI)[0]
    iid = employee(db, ISKANDAR)[0]
    today = local_today(server, SUKARDI)
    with db.cursor() as cur:
        for i, start in enumerate((0, 1, 1, 3, 4, 5)):
            day = today + datetime.timedelta(days=start)
            cur.execute("insert into extra_locations (employee_id, name, latitude, longitude, radius_m, time_zone,"
                        " valid_from, valid_to, reason, created_by, revoked_at)"
                        " values (%s, %s, -2.9, 104.7, 100, 'Asia/Jakarta', %s, %s, 'uji paging', %s, %s)",
                        (eid, f"Tempat {i}", day, day + datetime.timedelta(days=1), iid,
                         datetime.datetime.now(datetime.timezone.utc) if i == 5 else None))
        cur.execute("select id from extra_locations where employee_id = %s and revoked_at is null"
                    " order by valid_from desc, id desc", (eid,))
        ids = [r[0] for r in cur.fetchall()]
    yield ids
    reset(db, SUKARDI)


def test_extra_locations_page_past_the_first(server, extras):
    assert len(extras) == 5
    for nip, params in ((SUKARDI, {}), (ISKANDAR, {"nip": SUKARDI}), (EKO, {"nip": SUKARDI})):
        for limit in (1, 2, 4, 5):
            items, _ = walk(server, EXTRA, nip, limit, **params)
            assert [x["id"] for x in items] == extras, (nip, limit)
    r = get(server, EXTRA, SUKARDI, limit=5).json()
    assert r["next_cursor"] is None
    assert_problem(get(server, EXTRA, SUKARDI, limit=0), 422)
    assert_problem(get(server, EXTRA, SUKARDI, limit=101), 422)


def test_extra_locations_foreign_and_tampered_cursors(server, extras):
    cur = get(server, EXTRA, ISKANDAR, nip=SUKARDI, limit=2).json()["next_cursor"]
    assert cur and get(server, EXTRA, ISKANDAR, nip=SUKARDI, limit=2, cursor=cur).status_code == 200
    assert_problem(get(server, EXTRA, EKO, nip=SUKARDI, cursor=cur), 422)      # another caller
    assert_problem(get(server, EXTRA, ISKANDAR, cursor=cur), 422)              # another list (his own)
    assert_problem(get(server, CORR, ISKANDAR, cursor=cur), 422)               # another resource
    assert_problem(get(server, EXTRA, ISKANDAR, nip=SUKARDI, cursor=cur[:-2] + "zz"), 422)
    # A stranger is still answered as if the NIP did not exist, cursor or not.
    assert_problem(get(server, EXTRA, FITRI, nip=SUKARDI), 404, "employee_not_found")


def test_deciding_follows_the_review_rules(server, db):
    reset(db, AHMAD)
    day = working_day_before(db, AHMAD, local_today(server, AHMAD) - datetime.timedelta(days=8))
    r = post(server, CORR, AHMAD, {"work_date": day.isoformat(), "kind": "forgot_check_out",
                                   "requested_check_out": "14:00", "reason": "Lupa absen pulang"})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where action = 'presensi.correction.submit' and target_id = %s",
                    (str(cid),))
        assert cur.fetchone()[0] == 1
    assert_problem(post(server, f"{CORR}/{cid}/approve", AHMAD), 403, "review_own_record")
    assert_problem(post(server, f"{CORR}/{cid}/approve", SUKARDI), 403, "not_supervisor")   # sees it, not atasan
    assert_problem(post(server, f"{CORR}/{cid}/approve", EKO), 403, "not_supervisor")       # anpeg of the unit
    assert_problem(post(server, f"{CORR}/{cid}/approve", FITRI), 404, "correction_not_found")
    # A rejection must say why.
    for body in (None, {}, {"note": "   "}):
        b = assert_problem(post(server, f"{CORR}/{cid}/reject", NURHASANAH, body), 422, "validation_failed")
        assert [(e["field"], e["code"]) for e in b["errors"]] == [("note", "review_note_required")]
    no = post(server, f"{CORR}/{cid}/reject", NURHASANAH, {"note": "Tidak ada bukti"})
    assert no.status_code == 200 and no.json()["status"] == "rejected"
    assert_problem(post(server, f"{CORR}/{cid}/reject", NURHASANAH, {"note": "lagi"}), 409, "correction_not_pending")
    reset(db, AHMAD)
