"""The app's LKH screens (/mobile/v1/lkh/today): today's status in a compact
shape, and create/edit of today's report with a photo, optionally submitted
at once (docs/lkh.md)."""
import json
import uuid

import pytest
import requests

from conftest import assert_problem
from lkh_support import AHMAD, DEWI, NURHASANAH, activity, call, notices, reset, today_of, web, working
from presensi_support import headers, unique_jpeg

TODAY = "/mobile/v1/lkh/today"


@pytest.fixture
def clean(server, db):
    reset(db, AHMAD, DEWI)
    yield
    reset(db, AHMAD, DEWI)


def save(server, nip, acts, photo=None, submit=None, hdrs=None):
    """POSTs the app's multipart form: activities (JSON text), submit, photo."""
    parts = {"activities": (None, acts if isinstance(acts, str) else json.dumps(acts))}
    if submit is not None:
        parts["submit"] = (None, submit)
    if photo is not None:
        parts["photo"] = ("foto.jpg", photo, "image/jpeg")
    return requests.post(server.url + TODAY, headers=hdrs or headers(server, nip), files=parts, timeout=30)


def test_today_flow(server, db, clean):
    today = today_of(server, AHMAD)
    r = requests.get(server.url + TODAY, headers=headers(server, AHMAD), timeout=10)
    assert r.status_code == 200, r.text
    assert r.json() == {"work_date": today.isoformat(), "working_day": working(db, AHMAD, today), "report": None}
    photo = unique_jpeg()
    r = save(server, AHMAD, [activity("07:30", "09:00")], photo=photo)
    if not working(db, AHMAD, today):  # a Sunday or a holiday: nothing to file today
        b = assert_problem(r, 422)
        assert b["errors"][0]["code"] == "lkh_not_working_day"
        return
    assert r.status_code == 201, r.text
    rep = r.json()
    assert rep == {"id": rep["id"], "work_date": today.isoformat(), "status": "draft", "total_minutes": 90,
                   "activities": 1, "has_photo": True, "review_note": None}
    # edit today's report again and submit it at once
    r = save(server, AHMAD, [activity("07:30", "09:00"), activity("09:00", "10:00")], submit="true")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted" and r.json()["total_minutes"] == 150 and r.json()["has_photo"]
    assert notices(db, NURHASANAH, rep["id"]) == ["lkh.submitted"]
    r = requests.get(server.url + TODAY, headers=headers(server, AHMAD), timeout=10)
    assert r.json()["report"]["status"] == "submitted"
    # submitted: the app cannot change it any more
    assert_problem(save(server, AHMAD, [activity()]), 409, "lkh_read_only")
    # the full report on the web shows the photo to the atasan
    full = call(server, "GET", f"/api/v1/lkh/reports/{rep['id']}", NURHASANAH).json()
    assert full["attachment"]["content_type"] == "image/jpeg"


def test_idempotent_retry(server, db, clean):
    if not working(db, AHMAD, today_of(server, AHMAD)):
        pytest.skip("today is no working day of the school week: nothing to file")
    photo = unique_jpeg()
    h = {**headers(server, AHMAD), "Idempotency-Key": f"lkh-today-{uuid.uuid4().hex}"}
    first = save(server, AHMAD, [activity()], photo=photo, submit="true", hdrs=h)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "submitted"
    again = save(server, AHMAD, [activity()], photo=photo, submit="true", hdrs=h)
    assert again.status_code == 201 and again.content == first.content
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert notices(db, NURHASANAH, first.json()["id"]) == ["lkh.submitted"]  # once
    # the same key with another form is refused; without a key the report is read-only now
    assert_problem(save(server, AHMAD, [activity("10:00", "11:00")], submit="true", hdrs=h), 409,
                   "idempotency_key_reused")
    assert_problem(save(server, AHMAD, [activity()], submit="true"), 409, "lkh_read_only")
    with db.cursor() as cur:
        cur.execute("select action from audit_log where target_type = 'lkh_report' and target_id = %s order by id",
                    (str(first.json()["id"]),))
        assert [r[0] for r in cur.fetchall()] == ["lkh.report.create", "lkh.report.submit"]


def test_bad_forms(server, db, clean):
    for acts, field in (("[", "activities"), ("{}", "activities"), ("", "activities"),
                        (json.dumps([activity("09:00", "08:00")]), "activities[0].end_time")):
        b = assert_problem(save(server, AHMAD, acts), 422)
        assert b["errors"][0]["field"] == field, b
    assert_problem(save(server, AHMAD, [activity()], submit="maybe"), 422)
    # a document is no photo for the app
    b = assert_problem(save(server, AHMAD, [activity()], photo=b"%PDF-1.4\n" + b"x" * 300 + b"\n%%EOF\n"), 422,
                       "lkh_attachment_type_not_allowed")
    assert_problem(save(server, AHMAD, [activity()], photo=b"\xff\xd8\xff" + b"0" * (5 << 20)), 413)
    r = requests.post(server.url + TODAY, headers={**headers(server, AHMAD), "Content-Type": "application/json"},
                      data="{}", timeout=10)
    assert_problem(r, 415)
    # the app's routes take the app's sessions only
    assert_problem(requests.get(server.url + TODAY, headers=web(server, AHMAD), timeout=10), 403,
                   "mobile_session_required")
    assert_problem(save(server, AHMAD, [activity()], hdrs=web(server, AHMAD)), 403, "mobile_session_required")
    assert_problem(requests.get(server.url + TODAY, timeout=10), 401)
    with db.cursor() as cur:
        cur.execute("select count(*) from lkh_reports r join employees e on e.id = r.employee_id where e.nip = %s",
                    (AHMAD,))
        assert cur.fetchone()[0] == 0
