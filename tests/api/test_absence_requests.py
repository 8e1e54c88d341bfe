"""Absence requests (docs/absence.md): the employee's drafts and submissions,
the atasan's decisions on the shared review cycle, overlap, the sakit document
rule, duty-travel locations, audit and notifications, and every route's bad
input and other people's ids.

Chain (db/seed/demo.sql): AHMAD (author) -> NURHASANAH (his atasan) -> SUKARDI
(above: sees, does not decide); EKO anpeg of the unit tree (sees); FITRI and
DEWI in other chains (see nothing)."""
import pytest

from absence_support import (AR, audit_actions, call, clear_absences, employee_id, notices, pdf_bytes, web)
from conftest import assert_problem
from presensi_support import AHMAD, DATA, DEWI, EKO, FITRI, NURHASANAH, SUKARDI

import requests


@pytest.fixture
def clean(db):
    clear_absences(db, AHMAD, DEWI)
    yield
    clear_absences(db, AHMAD, DEWI)


def draft(server, nip=AHMAD, **over):
    body = {"kind": "cuti", "cuti_type": "tahunan", "date_from": "2031-03-02", "date_to": "2031-03-04",
            "reason": "Urusan keluarga"}
    body.update(over)
    r = call(server, "POST", AR, nip, body)
    assert r.status_code == 201, r.text
    return r.json()


def test_cuti_happy_path_submit_approve(server, db, clean):
    d = draft(server)
    assert d["status"] == "draft" and d["days"] == 3 and d["employee"]["nip"] == AHMAD
    assert d["kind"] == "cuti" and d["cuti_type"] == "tahunan" and d["document"] is None
    before = notices(db, NURHASANAH, "absence.submitted")
    r = call(server, "POST", f"{AR}/{d['id']}/submit", AHMAD)
    assert r.status_code == 200 and r.json()["status"] == "submitted", r.text
    assert r.json()["reviewer"]["nip"] == NURHASANAH
    assert notices(db, NURHASANAH, "absence.submitted") == before + 1
    # The atasan's queue shows it; the employee's own list too.
    q = call(server, "GET", AR, NURHASANAH, params={"scope": "team", "status": "submitted"}).json()
    assert [i["id"] for i in q["items"]] == [d["id"]]
    own = call(server, "GET", AR, AHMAD).json()
    assert [i["id"] for i in own["items"]] == [d["id"]]
    before = notices(db, AHMAD, "absence.approved")
    r = call(server, "POST", f"{AR}/{d['id']}/approve", NURHASANAH, {"note": "Selamat berlibur"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["decided_by"]["nip"] == NURHASANAH
    assert notices(db, AHMAD, "absence.approved") == before + 1
    assert audit_actions(db, "absence_request", d["id"]) == ["absence.create", "absence.submit", "absence.approve"]
    # Approved is final: no edit, no second decision, no withdrawal.
    assert_problem(call(server, "PATCH", f"{AR}/{d['id']}", AHMAD, {"reason": "x"}), 409, "absence_not_editable")
    assert_problem(call(server, "POST", f"{AR}/{d['id']}/reject", NURHASANAH, {"note": "no"}), 409, "review_final")
    assert_problem(call(server, "POST", f"{AR}/{d['id']}/withdraw", AHMAD), 409, "review_final")


def test_return_edit_resubmit_reject(server, db, clean):
    d = draft(server, kind="tugas_belajar", cuti_type=None, submit=True)
    assert d["status"] == "submitted" and d["cuti_type"] is None
    assert_problem(call(server, "POST", f"{AR}/{d['id']}/return", NURHASANAH), 422)  # note required
    r = call(server, "POST", f"{AR}/{d['id']}/return", NURHASANAH, {"note": "Lampirkan surat tugas"})
    assert r.status_code == 200 and r.json()["status"] == "returned" and r.json()["review_note"]
    r = call(server, "PATCH", f"{AR}/{d['id']}", AHMAD, {"date_to": "2031-03-10", "reason": "Diklat"})
    assert r.status_code == 200 and r.json()["days"] == 9 and r.json()["reason"] == "Diklat"
    r = call(server, "POST", f"{AR}/{d['id']}/submit", AHMAD)
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["review_note"] is None
    r = call(server, "POST", f"{AR}/{d['id']}/reject", NURHASANAH, {"note": "Tidak sesuai"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert notices(db, AHMAD, "absence.rejected") >= 1
    # A rejected request frees its days.
    again = draft(server, date_from="2031-03-05", date_to="2031-03-06")
    assert again["status"] == "draft"


def test_withdraw_then_delete_draft(server, db, clean):
    d = draft(server, submit=True)
    r = call(server, "POST", f"{AR}/{d['id']}/withdraw", AHMAD)
    assert r.status_code == 200 and r.json()["status"] == "draft"
    # The atasan's queue no longer shows a draft.
    q = call(server, "GET", AR, NURHASANAH, params={"scope": "team"}).json()
    assert d["id"] not in [i["id"] for i in q["items"]]
    assert_problem(call(server, "DELETE", f"{AR}/{d['id']}", NURHASANAH), 403, "review_not_author")
    assert call(server, "DELETE", f"{AR}/{d['id']}", AHMAD).status_code == 204
    assert_problem(call(server, "GET", f"{AR}/{d['id']}", AHMAD), 404, "absence_not_found")


def test_overlap_refused_in_service_and_database(server, db, clean):
    d = draft(server)
    r = call(server, "POST", AR, AHMAD, {"kind": "sakit", "date_from": "2031-03-04", "date_to": "2031-03-04",
                                          "reason": "Demam"})
    assert_problem(r, 409, "absence_overlap")
    other = draft(server, date_from="2031-03-05", date_to="2031-03-05")
    assert_problem(call(server, "PATCH", f"{AR}/{other['id']}", AHMAD, {"date_from": "2031-03-03"}), 409,
                   "absence_overlap")
    # Another employee may take the same days.
    assert draft(server, DEWI)["status"] == "draft"
    # The database refuses it whoever writes.
    import psycopg2
    with pytest.raises(psycopg2.errors.ExclusionViolation):
        with db.cursor() as cur:
            cur.execute("insert into absence_requests (employee_id, kind, date_from, date_to, reason, status)"
                        " values (%s, 'sakit', '2031-03-03', '2031-03-03', 'x', 'approved')",
                        (employee_id(db, AHMAD),))
    assert d["id"]


def test_long_sakit_needs_document(server, db, clean):
    d = draft(server, kind="sakit", cuti_type=None, date_from="2031-04-01", date_to="2031-04-03")
    assert_problem(call(server, "POST", f"{AR}/{d['id']}/submit", AHMAD), 422, "absence_document_required")
    r = call(server, "POST", AR, AHMAD, {"kind": "sakit", "date_from": "2031-05-01", "date_to": "2031-05-05",
                                          "reason": "Rawat inap", "submit": True})
    assert_problem(r, 422, "absence_document_required")
    with db.cursor() as cur:  # nothing stored by the refused create
        cur.execute("select count(*) from absence_requests where date_from = '2031-05-01'")
        assert cur.fetchone()[0] == 0
    # Two days is within the limit (EOFFICE_SICK_DOC_DAYS = 2).
    short = draft(server, kind="sakit", cuti_type=None, date_from="2031-04-10", date_to="2031-04-11", submit=True)
    assert short["status"] == "submitted"
    # With a PDF the long one goes through.
    r = requests.put(server.url + f"{AR}/{d['id']}/document", headers=web(server, AHMAD),
                     files={"document": ("surat.pdf", pdf_bytes(), "application/pdf")}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["document"]["content_type"] == "application/pdf"
    assert call(server, "POST", f"{AR}/{d['id']}/submit", AHMAD).json()["status"] == "submitted"
    # The atasan reads the document; someone outside the chain cannot.
    r = requests.get(server.url + f"{AR}/{d['id']}/document", headers=web(server, NURHASANAH), timeout=30)
    assert r.status_code == 200 and r.content == pdf_bytes()
    assert_problem(requests.get(server.url + f"{AR}/{d['id']}/document", headers=web(server, FITRI), timeout=30),
                   404, "absence_not_found")
    assert "absence.document" in audit_actions(db, "absence_request", d["id"])


def test_bad_document_stores_nothing(server, db, clean):
    d = draft(server, kind="sakit", cuti_type=None, date_from="2031-04-01", date_to="2031-04-03")
    with db.cursor() as cur:
        cur.execute("select count(*) from attachments where kind = 'absence.document'")
        n0 = cur.fetchone()[0]
    url = server.url + f"{AR}/{d['id']}/document"
    h = web(server, AHMAD)
    cases = [
        ({"document": ("x.pdf", (DATA / "not_a_photo.jpg").read_bytes(), "application/pdf")}, 415),
        ({"document": ("x.pdf", b"%PDF-1.4\nno end", "application/pdf")}, 422),
        ({"document": ("r.docx", (DATA / "report.docx").read_bytes(), "application/pdf")}, 415),
        ({"other": ("x.pdf", pdf_bytes(), "application/pdf")}, 422),
    ]
    for files, status in cases:
        r = requests.put(url, headers=h, files=files, timeout=30)
        assert_problem(r, status)
    r = requests.put(url, headers=dict(h, **{"Content-Type": "application/json"}), data="{}", timeout=30)
    assert r.status_code in (400, 415)
    with db.cursor() as cur:
        cur.execute("select count(*) from attachments where kind = 'absence.document'")
        assert cur.fetchone()[0] == n0
        cur.execute("select attachment_id from absence_requests where id = %s", (d["id"],))
        assert cur.fetchone()[0] is None
    # Another employee cannot attach to it (404), nor its atasan (403: may see it, is not the author).
    r = requests.put(url, headers=web(server, FITRI), files={"document": ("s.pdf", pdf_bytes(), "application/pdf")},
                     timeout=30)
    assert_problem(r, 404, "absence_not_found")
    r = requests.put(url, headers=web(server, NURHASANAH),
                     files={"document": ("s.pdf", pdf_bytes(), "application/pdf")}, timeout=30)
    assert_problem(r, 403, "review_not_author")


def test_dinas_luar_links_own_extra_locations(server, db, clean):
    ahmad, dewi = employee_id(db, AHMAD), employee_id(db, DEWI)
    with db.cursor() as cur:
        ids = []
        for eid in (ahmad, dewi):
            cur.execute("insert into extra_locations (employee_id, name, latitude, longitude, radius_m, time_zone,"
                        " valid_from, valid_to, reason, created_by) values (%s, 'Hotel Palembang', -2.97, 104.75,"
                        " 200, 'Asia/Jakarta', '2031-01-01', '2031-12-31', 'Rapat', %s) returning id", (eid, eid))
            ids.append(cur.fetchone()[0])
    try:
        d = draft(server, kind="dinas_luar", cuti_type=None, extra_location_ids=[ids[0]])
        assert [x["id"] for x in d["extra_locations"]] == [ids[0]]
        r = call(server, "POST", AR, AHMAD, {"kind": "perjalanan_dinas", "date_from": "2031-06-01",
                                              "date_to": "2031-06-02", "reason": "x", "extra_location_ids": [ids[1]]})
        assert_problem(r, 422)  # DEWI's location is not AHMAD's
        r = call(server, "POST", AR, AHMAD, {"kind": "cuti", "cuti_type": "besar", "date_from": "2031-06-01",
                                              "date_to": "2031-06-02", "reason": "x", "extra_location_ids": [ids[0]]})
        assert_problem(r, 422)  # cuti takes no locations
        r = call(server, "PATCH", f"{AR}/{d['id']}", AHMAD, {"extra_location_ids": []})
        assert r.status_code == 200 and r.json()["extra_locations"] == []
    finally:
        clear_absences(db, AHMAD, DEWI)
        with db.cursor() as cur:
            cur.execute("delete from extra_locations where id = any(%s)", (ids,))


def test_bola_and_roles(server, db, clean):
    d = draft(server, submit=True)
    path = f"{AR}/{d['id']}"
    # Outside the chain: 404 on read and on every action.
    for nip in (FITRI, DEWI):
        assert_problem(call(server, "GET", path, nip), 404, "absence_not_found")
        for action in ("approve", "submit", "withdraw"):
            assert_problem(call(server, "POST", f"{path}/{action}", nip), 404, "absence_not_found")
        assert_problem(call(server, "PATCH", path, nip, {"reason": "x"}), 404, "absence_not_found")
        assert_problem(call(server, "DELETE", path, nip), 404, "absence_not_found")
        q = call(server, "GET", AR, nip, params={"scope": "team"}).json()
        assert d["id"] not in [i["id"] for i in q["items"]]
    # Above in the chain and the anpeg see it, but only the direct atasan decides.
    for nip in (SUKARDI, EKO):
        assert call(server, "GET", path, nip).status_code == 200
        assert_problem(call(server, "POST", f"{path}/approve", nip), 403, "review_not_reviewer")
    # The author cannot approve their own; the atasan cannot withdraw it.
    assert_problem(call(server, "POST", f"{path}/approve", AHMAD), 403, "review_own_record")
    assert_problem(call(server, "POST", f"{path}/withdraw", NURHASANAH), 403, "review_not_author")
    # The team queue of SUKARDI holds only his direct team (NURHASANAH), not AHMAD.
    q = call(server, "GET", AR, SUKARDI, params={"scope": "team"}).json()
    assert d["id"] not in [i["id"] for i in q["items"]]
    # Unknown and malformed ids.
    assert_problem(call(server, "GET", f"{AR}/999999999", AHMAD), 404, "absence_not_found")
    assert_problem(call(server, "GET", f"{AR}/abc", AHMAD), 404)
    assert_problem(call(server, "POST", f"{AR}/-1/approve", NURHASANAH), 404)


def test_bad_input(server, db, clean):
    base = {"kind": "cuti", "cuti_type": "tahunan", "date_from": "2031-03-02", "date_to": "2031-03-04",
            "reason": "x"}

    def bad(status, raw=None, nip=AHMAD, **over):
        body = dict(base)
        body.update(over)
        for k in [k for k, v in over.items() if v is ...]:
            del body[k]
        return assert_problem(call(server, "POST", AR, nip, None if raw is not None else body, raw=raw), status)

    bad(400, raw="{not json")
    bad(400, raw="[]")
    bad(422, kind="liburan")
    bad(422, kind=...)
    bad(422, reason=...)
    bad(422, reason="   ")
    bad(422, reason="x" * 1001)
    bad(422, cuti_type=...)
    bad(422, cuti_type="liburan")
    bad(422, kind="sakit")  # cuti_type only with cuti
    bad(422, date_from="2031-02-30")
    bad(422, date_to="2031-03-01")  # before date_from
    bad(422, date_to="2035-03-01")  # longer than three years
    bad(422, date_from=20310302)
    bad(422, submit="yes")
    bad(422, extra_location_ids="1")
    bad(422, extra_location_ids=[1, 1])
    bad(422, extra_location_ids=list(range(1, 20)))
    bad(422, role="admin")
    r = requests.post(server.url + AR, headers=dict(web(server, AHMAD), **{"Content-Type": "application/json"}),
                      data='{"reason": "' + "x" * 70000 + '"}', timeout=30)
    assert_problem(r, 413)
    assert_problem(requests.post(server.url + AR, json=base, timeout=30), 401)
    assert_problem(requests.get(server.url + AR, timeout=30), 401)
    for params in ({"scope": "all"}, {"status": "pending"}, {"kind": "x"}, {"from": "2031-13-01"}, {"limit": "0"},
                   {"limit": "101"}, {"cursor": "garbage"}):
        assert_problem(call(server, "GET", AR, NURHASANAH, params=dict(params, scope=params.get("scope", "team"))),
                       422)
    d = draft(server)
    assert_problem(call(server, "PATCH", f"{AR}/{d['id']}", AHMAD, raw="{"), 400)
    assert_problem(call(server, "PATCH", f"{AR}/{d['id']}", AHMAD, {"status": "approved"}), 422)
    assert_problem(call(server, "PATCH", f"{AR}/{d['id']}", AHMAD, {"date_to": "2031-01-01"}), 422)
    assert_problem(call(server, "POST", f"{AR}/{d['id']}/submit", AHMAD, {"note": "x"}), 422)
    # App sessions are refused on the web routes.
    assert_problem(call(server, "GET", AR, AHMAD, mobile=True), 403, "web_session_required")


def test_paging_team_queue(server, db, clean):
    ids = set()
    for i in range(5):
        day = f"2031-07-{10 + i:02d}"
        ids.add(draft(server, date_from=day, date_to=day, submit=True)["id"])
    seen, cursor = [], None
    while True:
        params = {"scope": "team", "limit": 2, "nip": AHMAD, "from": "2031-07-01", "to": "2031-07-31"}
        if cursor:
            params["cursor"] = cursor
        page = call(server, "GET", AR, NURHASANAH, params=params).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids)
    # A cursor of another list (other filters or caller) is refused.
    first = call(server, "GET", AR, NURHASANAH, params={"scope": "team", "limit": 2}).json()
    assert_problem(call(server, "GET", AR, AHMAD, params={"limit": 2, "cursor": first["next_cursor"]}), 422)


def test_mobile_compact_list_and_create(server, db, clean):
    r = call(server, "POST", "/mobile/v1/absence-requests", AHMAD,
             {"kind": "sakit", "date_from": "2031-08-03", "date_to": "2031-08-03", "reason": "Demam",
              "submit": True}, mobile=True)
    assert r.status_code == 201, r.text
    assert set(r.json()) == {"id", "kind", "cuti_type", "date_from", "date_to", "days", "status"}
    assert r.json()["status"] == "submitted"
    page = call(server, "GET", "/mobile/v1/absence-requests", AHMAD, mobile=True).json()
    assert [i["id"] for i in page["items"]] == [r.json()["id"]]
    assert "employee" not in page["items"][0]
    assert_problem(call(server, "POST", "/mobile/v1/absence-requests", AHMAD, {"kind": "x"}, mobile=True), 422)
    assert_problem(call(server, "GET", "/mobile/v1/absence-requests", AHMAD), 403, "mobile_session_required")


def test_presensi_views_show_approved_absence(server, db, clean):
    """A past working day under an approved request shows its kind instead of absent
    (history and team views); a submitted one does not count yet."""
    import datetime

    from presensi_support import headers, local_today, reset, working_day_before
    reset(db, AHMAD)
    today = local_today(server, AHMAD)
    day = working_day_before(db, AHMAD, today - datetime.timedelta(days=1))
    month = f"{day:%Y-%m}"

    def hist():
        r = requests.get(server.url + f"/api/v1/presensi/history?month={month}", headers=headers(server, AHMAD),
                         timeout=30)
        assert r.status_code == 200, r.text
        body = r.json()
        return next(i for i in body["items"] if i["date"] == day.isoformat())["evaluation"], body["summary"]

    ev0, s0 = hist()
    assert ev0["absent"] is True and ev0["absence"] is None
    d = draft(server, kind="sakit", cuti_type=None, date_from=day.isoformat(), date_to=day.isoformat(), submit=True)
    ev1, _ = hist()
    assert ev1["absent"] is True and ev1["absence"] is None  # submitted is not yet approved
    assert call(server, "POST", f"{AR}/{d['id']}/approve", NURHASANAH).status_code == 200
    ev2, s2 = hist()
    assert ev2["absent"] is False and ev2["absence"] == "sakit"
    assert s2["absent"] == s0["absent"] - 1 and s2["absence_days"] == s0["absence_days"] + 1
    r = requests.get(server.url + f"/api/v1/presensi/team?date={day}", headers=headers(server, NURHASANAH), timeout=30)
    mine = next(i for i in r.json()["items"] if i["nip"] == AHMAD)
    assert mine["evaluation"]["absence"] == "sakit" and mine["evaluation"]["absent"] is False


def test_mobile_document_and_submit(server, db, clean):
    from presensi_support import headers, unique_jpeg
    r = call(server, "POST", "/mobile/v1/absence-requests", AHMAD,
             {"kind": "sakit", "date_from": "2031-09-01", "date_to": "2031-09-04", "reason": "Tifus"}, mobile=True)
    assert r.status_code == 201 and r.json()["status"] == "draft", r.text
    rid = r.json()["id"]
    assert_problem(call(server, "POST", f"/mobile/v1/absence-requests/{rid}/submit", AHMAD, mobile=True), 422,
                   "absence_document_required")
    # No document yet: the reader is told so (404 absence_document_not_found), a stranger only "not found".
    assert_problem(call(server, "GET", f"{AR}/{rid}/document", AHMAD), 404, "absence_document_not_found")
    assert_problem(call(server, "GET", f"{AR}/{rid}/document", FITRI), 404, "absence_not_found")
    url = server.url + f"/mobile/v1/absence-requests/{rid}/document"
    photo = unique_jpeg("surat-dokter")
    # A web session may not use the app's route.
    r = requests.put(url, headers=web(server, AHMAD), files={"document": ("s.jpg", photo, "image/jpeg")}, timeout=30)
    assert_problem(r, 403, "mobile_session_required")
    # Over the upload limit: 413, nothing stored.
    big = b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024) + b"\n%%EOF\n"
    r = requests.put(url, headers=headers(server, AHMAD), files={"document": ("big.pdf", big, "application/pdf")},
                     timeout=60)
    assert_problem(r, 413)
    r = requests.put(url, headers=headers(server, AHMAD), files={"document": ("s.jpg", photo, "image/jpeg")},
                     timeout=30)
    assert r.status_code == 200 and r.json()["document"]["content_type"] == "image/jpeg", r.text
    # Replacing it releases the first one for the sweeper.
    first = _attachment_of(db, rid)
    r = requests.put(url, headers=headers(server, AHMAD), files={"document": ("s.pdf", pdf_bytes(), "application/pdf")},
                     timeout=30)
    assert r.status_code == 200 and r.json()["document"]["content_type"] == "application/pdf"
    with db.cursor() as cur:
        cur.execute("select status from attachments where id = %s", (first,))
        assert cur.fetchone()[0] == "pending"
    r = call(server, "POST", f"/mobile/v1/absence-requests/{rid}/submit", AHMAD, mobile=True)
    assert r.status_code == 200 and r.json()["status"] == "submitted", r.text
    # Submitted: the document is frozen.
    r = requests.put(url, headers=headers(server, AHMAD), files={"document": ("s.jpg", photo, "image/jpeg")},
                     timeout=30)
    assert_problem(r, 409, "absence_not_editable")


def _attachment_of(db, rid):
    with db.cursor() as cur:
        cur.execute("select attachment_id from absence_requests where id = %s", (rid,))
        return cur.fetchone()[0]


@pytest.mark.parametrize("method,path", [
    ("POST", AR), ("GET", AR), ("GET", f"{AR}/1"), ("PATCH", f"{AR}/1"), ("DELETE", f"{AR}/1"),
    ("PUT", f"{AR}/1/document"), ("GET", f"{AR}/1/document"), ("POST", f"{AR}/1/submit"),
    ("POST", f"{AR}/1/withdraw"), ("POST", f"{AR}/1/approve"), ("POST", f"{AR}/1/return"),
    ("POST", f"{AR}/1/reject"), ("GET", "/mobile/v1/absence-requests"), ("POST", "/mobile/v1/absence-requests"),
    ("PUT", "/mobile/v1/absence-requests/1/document"), ("POST", "/mobile/v1/absence-requests/1/submit"),
    ("GET", "/api/v1/settings-changes"), ("POST", "/api/v1/settings-changes/1/confirm"),
    ("POST", "/api/v1/settings-changes/1/refuse"), ("POST", "/api/v1/settings-changes/1/withdraw"),
    ("PUT", f"/api/v1/employees/{AHMAD}/settings"),
])
def test_every_route_needs_a_session(server, method, path):
    r = requests.request(method, server.url + path, headers={"Authorization": "Bearer not-a-token"}, timeout=30)
    assert_problem(r, 401)
    assert_problem(requests.request(method, server.url + path, timeout=30), 401)
