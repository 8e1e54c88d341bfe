"""Supervisor-approved corrections and duty-travel extra locations.

Chains used (db/seed/demo.sql): AHMAD (guru) -> NURHASANAH (kepala sekolah)
-> SUKARDI (korwil) -> ISKANDAR (Kepala Dinas); EKO is anpeg of MUBA-DISDIK
(sees that tree, manages nothing); FITRI and DEWI are in other chains.
"""
import datetime
import json

import pytest
import requests

from conftest import assert_problem
from presensi_support import (ADMIN, AHMAD, DEWI, EKO, FITRI, ISKANDAR, NURHASANAH, SUKARDI, config, employee,
                              form, headers, insert_day, local_today, location, punch, reset,
                              working_day_before)

CORR = "/api/v1/presensi/corrections"
EXTRA = "/api/v1/presensi/extra-locations"


def post(server, path, nip=None, body=None, raw=None, ctype="application/json"):
    h = headers(server, nip) if nip else {}
    if raw is not None or body is not None:
        h["Content-Type"] = ctype
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.post(server.url + path, headers=h, data=data, timeout=15)


def get(server, path, nip=None, **kw):
    return requests.get(server.url + path, headers=headers(server, nip) if nip else {}, timeout=15, **kw)


def audit_rows(db, action, target_id):
    with db.cursor() as cur:
        cur.execute("select a.actor_employee_id, e.nip from audit_log a left join employees e"
                    " on e.id = a.actor_employee_id where a.action = %s and a.target_id = %s",
                    (action, str(target_id)))
        return cur.fetchall()


# ------------------------------------------------------------------ corrections

def test_correction_approved_by_the_direct_atasan(server, db):
    reset(db, AHMAD)
    today = local_today(server, AHMAD)
    day = today - datetime.timedelta(days=3)
    insert_day(db, AHMAD, day, "06:55:00", None)
    r = post(server, CORR, AHMAD, {"work_date": day.isoformat(), "kind": "forgot_check_out",
                                   "requested_check_out": "14:05", "reason": "Lupa absen pulang, rapat guru"})
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["status"] == "pending" and c["employee"]["nip"] == AHMAD and c["requested_check_out"] == "14:05"
    # One pending request per day.
    dup = post(server, CORR, AHMAD, {"work_date": day.isoformat(), "kind": "other", "requested_check_out": "14:00",
                                     "reason": "lagi"})
    assert_problem(dup, 409, "correction_exists")
    # Not the direct atasan: the korwil above, the anpeg, a stranger, the employee himself.
    for nip in (SUKARDI, EKO, FITRI, AHMAD):
        res = post(server, f"{CORR}/{c['id']}/approve", nip)
        assert res.status_code in (403, 404), (nip, res.text)
        assert_problem(res, res.status_code)
    with db.cursor() as cur:
        cur.execute("select status from attendance_corrections where id = %s", (c["id"],))
        assert cur.fetchone()[0] == "pending"
    # The atasan sees it in the team list, the korwil does not; strangers never see it.
    team = get(server, CORR + "?scope=team&status=pending", NURHASANAH).json()["items"]
    assert c["id"] in [x["id"] for x in team]
    assert c["id"] not in [x["id"] for x in get(server, CORR + "?scope=team", SUKARDI).json()["items"]]
    assert c["id"] not in [x["id"] for x in get(server, CORR, FITRI).json()["items"]]
    assert c["id"] in [x["id"] for x in get(server, CORR, AHMAD).json()["items"]]
    ok = post(server, f"{CORR}/{c['id']}/approve", NURHASANAH, {"note": "Disetujui"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "approved" and ok.json()["decision_note"] == "Disetujui"
    # The day's row now carries the requested local time; the check-in is untouched.
    hist = get(server, f"/api/v1/presensi/history?month={day:%Y-%m}", AHMAD).json()
    item = next(it for it in hist["items"] if it["date"] == day.isoformat())
    assert item["record"]["check_out"]["local_time"] == "14:05:00"
    assert item["record"]["check_in"]["local_time"] == "06:55:00"
    assert item["record"]["corrected"] is True
    assert audit_rows(db, "presensi.correction.approve", c["id"]) == [(employee(db, NURHASANAH)[0], NURHASANAH)]
    # Decided once.
    assert_problem(post(server, f"{CORR}/{c['id']}/approve", NURHASANAH), 409, "correction_not_pending")
    assert_problem(post(server, f"{CORR}/{c['id']}/reject", NURHASANAH, {"note": "x"}), 409, "correction_not_pending")
    reset(db, AHMAD)


def test_correction_rejected_with_reason_changes_nothing(server, db):
    reset(db, AHMAD)
    day = working_day_before(db, AHMAD, local_today(server, AHMAD) - datetime.timedelta(days=4))
    r = post(server, CORR, AHMAD, {"work_date": day.isoformat(), "kind": "app_failure", "requested_check_in": "07:10",
                                   "requested_check_out": "14:00", "reason": "Aplikasi error saat absen"})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    no = post(server, f"{CORR}/{cid}/reject", NURHASANAH, {"note": "Tidak ada bukti"})
    assert no.status_code == 200, no.text
    assert no.json()["status"] == "rejected" and no.json()["decision_note"] == "Tidak ada bukti"
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance where employee_id = %s and work_date = %s",
                    (employee(db, AHMAD)[0], day))
        assert cur.fetchone()[0] == 0
    assert len(audit_rows(db, "presensi.correction.reject", cid)) == 1
    assert_problem(post(server, f"{CORR}/{cid}/approve", NURHASANAH), 409, "correction_not_pending")
    # A new request for the same day is possible once the old one is decided.
    again = post(server, CORR, AHMAD, {"work_date": day.isoformat(), "kind": "forgot_check_in",
                                       "requested_check_in": "07:05", "reason": "Dengan surat keterangan"})
    assert again.status_code == 201
    # Approving a check-in-only request creates the row from the correction.
    ok = post(server, f"{CORR}/{again.json()['id']}/approve", NURHASANAH)
    assert ok.status_code == 200, ok.text
    with db.cursor() as cur:
        cur.execute("select source, to_char(check_in_at at time zone time_zone, 'HH24:MI'), check_out_at"
                    " from attendance where employee_id = %s and work_date = %s", (employee(db, AHMAD)[0], day))
        assert cur.fetchone() == ("correction", "07:05", None)
    reset(db, AHMAD)


def test_correction_unknown_ids(server):
    for path in (f"{CORR}/999999999/approve", f"{CORR}/abc/approve", f"{CORR}/0/reject", f"{CORR}/-5/reject"):
        assert_problem(post(server, path, NURHASANAH), 404, "correction_not_found")
    assert_problem(post(server, f"{CORR}/1/approve"), 401)
    assert_problem(post(server, f"{CORR}/1/approve", NURHASANAH, raw="{", ctype="application/json"), 400)
    assert_problem(post(server, f"{CORR}/1/approve", NURHASANAH, {"note": "x", "approve": True}), 422)
    assert_problem(post(server, f"{CORR}/1/approve", NURHASANAH, {"note": "x" * 1001}), 422)


def _good(day):
    return {"work_date": day.isoformat(), "kind": "forgot_check_out", "requested_check_out": "14:00",
            "reason": "Lupa"}


@pytest.mark.parametrize("change,field", [
    ({"work_date": None}, "work_date"), ({"work_date": "2026-02-30"}, "work_date"), ({"work_date": 20260101}, "work_date"),
    ({"kind": "holiday"}, "kind"), ({"kind": None}, "kind"),
    ({"requested_check_out": "24:00"}, "requested_check_out"), ({"requested_check_out": "7:00"}, "requested_check_out"),
    ({"requested_check_out": None}, "requested_check_out"),
    ({"requested_check_in": "15:00"}, "requested_check_out"),        # out must be after in
    ({"reason": "   "}, "reason"), ({"reason": None}, "reason"), ({"reason": "x" * 1001}, "reason"),
    ({"employee_id": 1}, "employee_id"),                             # unknown member: no acting for others
])
def test_correction_validation(server, db, change, field):
    body = _good(local_today(server, AHMAD) - datetime.timedelta(days=6))
    for k, v in change.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    b = assert_problem(post(server, CORR, AHMAD, body), 422, "validation_failed")
    assert field in [e["field"] for e in b["errors"]], b
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance_corrections where employee_id = %s and work_date = %s",
                    (employee(db, AHMAD)[0], body.get("work_date") if isinstance(body.get("work_date"), str)
                     and len(body.get("work_date", "")) == 10 and body["work_date"] != "2026-02-30" else "1900-01-01"))
        assert cur.fetchone()[0] == 0


def test_correction_bad_requests(server, db):
    today = local_today(server, AHMAD)
    assert_problem(post(server, CORR, AHMAD, _good(today + datetime.timedelta(days=1))), 422, "correction_future_date")
    assert_problem(post(server, CORR, AHMAD, raw="{not json"), 400, "malformed_json")
    assert_problem(post(server, CORR, AHMAD, raw="[1, 2]"), 400)
    assert_problem(post(server, CORR, AHMAD, raw="work_date=2026-01-01", ctype="application/x-www-form-urlencoded"), 415)
    big = dict(_good(today), reason="x" * (2 << 20))
    assert_problem(post(server, CORR, AHMAD, big), 413)
    assert_problem(post(server, CORR, None, _good(today)), 401)
    assert_problem(get(server, CORR + "?scope=all", AHMAD), 422)
    assert_problem(get(server, CORR + "?status=done", AHMAD), 422)
    assert_problem(get(server, CORR + "?limit=100000", AHMAD), 422)
    assert_problem(get(server, CORR), 401)


# ------------------------------------------------------------------ extra locations

def test_extra_locations_widen_the_geofence_only_on_their_dates(server, db):
    reset(db, SUKARDI)
    today = local_today(server, SUKARDI)
    tomorrow = today + datetime.timedelta(days=1)
    sdn2 = location(db, "LOC-SDN2-SEKAYU")
    # Who may not assign: the employee, an anpeg (403: may see, may not manage); outsiders (404).
    body = {"employee_nip": SUKARDI, "location_code": "LOC-SDN2-SEKAYU", "valid_from": tomorrow.isoformat(),
            "valid_to": (tomorrow + datetime.timedelta(days=1)).isoformat(), "reason": "Supervisi sekolah"}
    assert_problem(post(server, EXTRA, SUKARDI, body), 403, "forbidden")
    assert_problem(post(server, EXTRA, EKO, body), 403, "forbidden")
    assert_problem(post(server, EXTRA, AHMAD, body), 404, "employee_not_found")
    assert_problem(post(server, EXTRA, FITRI, body), 404, "employee_not_found")
    with db.cursor() as cur:
        cur.execute("select count(*) from extra_locations where employee_id = %s", (employee(db, SUKARDI)[0],))
        assert cur.fetchone()[0] == 0
    # The atasan assigns a future-dated one: not valid today.
    fut = post(server, EXTRA, ISKANDAR, body)
    assert fut.status_code == 201, fut.text
    assert fut.json()["location_code"] == "LOC-SDN2-SEKAYU" and fut.json()["time_zone"] == "Asia/Jakarta"
    assert audit_rows(db, "presensi.extra_location.create", fut.json()["id"]) == [(employee(db, ISKANDAR)[0], ISKANDAR)]
    assert [g["code"] for g in config(server, SUKARDI)["geofences"]] == ["LOC-KORWIL-SEKAYU"]
    r = punch(server, SUKARDI, data=form(db, SUKARDI, at=sdn2[:2]))
    b = assert_problem(r, 422, "outside_geofence")
    assert b["nearest_location"]["code"] in ("LOC-KORWIL-SEKAYU", "LOC-SDN2-SEKAYU")
    # One for today, by coordinates (a training venue in Palembang), assigned by the admin.
    venue = (-2.9761, 104.7754)
    today_body = {"employee_nip": SUKARDI, "name": "Hotel Bimtek Palembang", "latitude": venue[0],
                  "longitude": venue[1], "radius_m": 300, "time_zone": "Asia/Jakarta", "valid_from": today.isoformat(),
                  "valid_to": (today + datetime.timedelta(days=2)).isoformat(), "reason": "Bimtek kurikulum"}
    cur_loc = post(server, EXTRA, ADMIN, today_body)
    assert cur_loc.status_code == 201, cur_loc.text
    xid = cur_loc.json()["id"]
    # People by NIP and name, never by internal ids.
    assert cur_loc.json()["employee"]["nip"] == SUKARDI and cur_loc.json()["employee"]["name"]
    assert cur_loc.json()["created_by"]["nip"] == ADMIN
    assert "employee_id" not in cur_loc.json()
    fences = config(server, SUKARDI)["geofences"]
    assert [g["extra"] for g in fences] == [False, True]
    assert fences[1]["code"] == f"EXTRA-{xid}" and fences[1]["valid_to"] == today_body["valid_to"]
    assert fences[1]["radius_m"] == 300 and fences[1]["time_zone"] == "Asia/Jakarta"
    # The list: the employee and his atasan see both; a stranger gets 404.
    for nip, q in ((SUKARDI, ""), (ISKANDAR, f"?nip={SUKARDI}"), (EKO, f"?nip={SUKARDI}")):
        ids = {x["id"] for x in get(server, EXTRA + q, nip).json()["items"]}
        assert ids == {xid, fut.json()["id"]}, nip
    assert_problem(get(server, f"{EXTRA}?nip={SUKARDI}", FITRI), 404, "employee_not_found")
    # Check-in at the venue is accepted and names the place.
    r = punch(server, SUKARDI, data=form(db, SUKARDI, at=venue))
    assert r.status_code == 201, r.text
    assert r.json()["record"]["check_in"]["location"] == f"EXTRA-{xid}"
    assert r.json()["record"]["check_in"]["flags"] == []
    assert r.json()["record"]["time_zone"] == "Asia/Jakarta"
    # Revoke: only a manager; then it is gone from the config.
    assert_problem(requests.delete(f"{server.url}{EXTRA}/{xid}", headers=headers(server, EKO), timeout=10), 403)
    assert_problem(requests.delete(f"{server.url}{EXTRA}/{xid}", headers=headers(server, FITRI), timeout=10), 404)
    assert_problem(requests.delete(f"{server.url}{EXTRA}/{xid}", headers=headers(server, SUKARDI), timeout=10), 403)
    assert_problem(requests.delete(f"{server.url}{EXTRA}/{xid}", timeout=10), 401)
    d = requests.delete(f"{server.url}{EXTRA}/{xid}", headers=headers(server, ISKANDAR), timeout=10)
    assert d.status_code == 204, d.text
    assert len(audit_rows(db, "presensi.extra_location.revoke", xid)) == 1
    assert [g["code"] for g in config(server, SUKARDI)["geofences"]] == ["LOC-KORWIL-SEKAYU"]
    assert_problem(requests.delete(f"{server.url}{EXTRA}/{xid}", headers=headers(server, ISKANDAR), timeout=10),
                   404, "extra_location_not_found")
    for bad in ("abc", "0", "99999999999"):
        assert_problem(requests.delete(f"{server.url}{EXTRA}/{bad}", headers=headers(server, ISKANDAR), timeout=10), 404)
    reset(db, SUKARDI)


@pytest.mark.parametrize("change,status,code", [
    ({"valid_to": "2026-01-01", "valid_from": "2026-01-02"}, 422, "validation_failed"),
    ({"valid_from": "2026-01-01", "valid_to": "2027-06-01"}, 422, "validation_failed"),   # more than 366 days
    ({"valid_from": "01-01-2026"}, 422, "validation_failed"),
    ({"time_zone": "Mars/Olympus"}, 422, "validation_failed"),
    ({"radius_m": 5}, 422, "validation_failed"),
    ({"radius_m": "100"}, 422, "validation_failed"),
    ({"latitude": 95}, 422, "validation_failed"),
    ({"latitude": None}, 422, "validation_failed"),
    ({"name": None}, 422, "validation_failed"),
    ({"reason": " "}, 422, "validation_failed"),
    ({"employee_nip": None}, 422, "validation_failed"),
    ({"created_by": 1}, 422, "validation_failed"),
    ({"location_code": "LOC-NOWHERE"}, 422, "location_not_found"),
    ({"employee_nip": "199901012020011999"}, 404, "employee_not_found"),
])
def test_extra_location_validation(server, db, change, status, code):
    body = {"employee_nip": SUKARDI, "name": "Tempat", "latitude": -2.9, "longitude": 104.7, "radius_m": 100,
            "time_zone": "Asia/Jakarta", "valid_from": "2026-01-01", "valid_to": "2026-01-03", "reason": "Dinas"}
    for k, v in change.items():
        if v is None:
            body.pop(k)
        else:
            body[k] = v
    assert_problem(post(server, EXTRA, ISKANDAR, body), status, code)
    with db.cursor() as cur:
        cur.execute("select count(*) from extra_locations where employee_id = %s and valid_from = '2026-01-01'",
                    (employee(db, SUKARDI)[0],))
        assert cur.fetchone()[0] == 0


def test_extra_location_bad_requests(server):
    assert_problem(post(server, EXTRA, ISKANDAR, raw="{"), 400, "malformed_json")
    assert_problem(post(server, EXTRA, ISKANDAR, raw="x", ctype="text/plain"), 415)
    assert_problem(post(server, EXTRA, ISKANDAR, {"reason": "x" * (2 << 20)}), 413)
    assert_problem(post(server, EXTRA, None, {"employee_nip": SUKARDI}), 401)
    assert_problem(get(server, EXTRA), 401)
    assert_problem(get(server, f"{EXTRA}?nip=12ab", ISKANDAR), 422)
    # A colleague of another chain cannot list Dewi's.
    assert_problem(get(server, f"{EXTRA}?nip={DEWI}", ISKANDAR), 404, "employee_not_found")
