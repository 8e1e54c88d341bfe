"""Contract items of issue 8 §4: charsets, the one paging rule, people by NIP,
corrections only for days the employee had to attend.

The check that every answer is documented is tests/api/contract_check.py (it
runs over the whole suite); the tests at the end prove that it bites.
"""
import datetime
import json

import pytest
import requests

import contract_check
from conftest import assert_problem
from helpers_auth import auth_headers, login
from presensi_support import (ADMIN, AHMAD, NURHAYATI, SUKARDI, employee, headers, insert_day, local_today, reset,
                              working_day_before)

CORR = "/api/v1/presensi/corrections"


def post_raw(server, path, nip, data, ctype):
    h = headers(server, nip)
    h["Content-Type"] = ctype
    return requests.post(server.url + path, headers=h, data=data, timeout=15)


# ------------------------------------------------------------------ charset

@pytest.mark.parametrize("ctype", [
    "application/json; charset=utf-16", "application/json; charset=UTF-16LE", 'application/json; charset="utf-16"',
    "application/json;charset=iso-8859-1", "application/json; charset=utf-8x", 'application/json; charset="utf-8',
    "application/json; charset=", "application/json; charset=utf-8; charset=latin1",
])
def test_json_body_in_another_charset_is_refused(server, db, ctype):
    body = json.dumps({"work_date": "2026-01-05", "kind": "other", "requested_check_out": "14:00", "reason": "x"})
    data = body.encode("utf-16") if "16" in ctype else body.encode()
    assert_problem(post_raw(server, CORR, AHMAD, data, ctype), 415, "unsupported_charset")


@pytest.mark.parametrize("ctype", [
    "application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8",
    'application/json; charset="utf-8"', "application/json;charset=Utf-8 ", "application/problem+json; charset=utf-8",
])
def test_json_body_in_utf8_passes_the_media_check(server, ctype):
    # An empty object: past the media check, refused by validation (nothing is stored).
    assert_problem(post_raw(server, CORR, AHMAD, b"{}", ctype), 422, "validation_failed")


def test_charset_refused_on_sign_in_too(server):
    r = requests.post(server.url + "/api/v1/auth/login", data=json.dumps({"nip": AHMAD}).encode("utf-16"),
                      headers={"Content-Type": "application/json; charset=utf-16"}, timeout=15)
    assert_problem(r, 415, "unsupported_charset")


# ------------------------------------------------------------------ paging: one rule for every list

LISTS = ["/api/v1/me/sessions", "/api/v1/me/devices", f"/api/v1/admin/employees/{AHMAD}/roles",
         "/api/v1/admin/audit-log", CORR, "/api/v1/presensi/extra-locations"]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_takes_limit_1_to_100(server, path):
    h = auth_headers(login(server.url, ADMIN))
    for limit in (1, 100):
        r = requests.get(server.url + path, headers=h, params={"limit": limit}, timeout=15)
        assert r.status_code == 200, (path, limit, r.text)
        assert len(r.json()["items"]) <= limit
    for limit in (0, 101, 200):
        b = assert_problem(requests.get(server.url + path, headers=h, params={"limit": limit}, timeout=15), 422)
        assert [e["field"] for e in b["errors"]] == ["limit"]


def test_openapi_has_one_limit_rule():
    import yaml
    doc = yaml.safe_load(contract_check._SPEC.read_text())
    limit = doc["components"]["parameters"]["Limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 100, 50)
    for template, item in doc["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                assert p.get("name") != "limit", f"{method} {template}: use components/parameters/Limit"


# ------------------------------------------------------------------ people by NIP

def test_corrections_name_people_by_nip(server, db):
    from presensi_support import NURHASANAH
    reset(db, AHMAD)
    day = working_day_before(db, AHMAD, local_today(server, AHMAD) - datetime.timedelta(days=2))
    r = requests.post(server.url + CORR, headers=headers(server, AHMAD), timeout=15,
                      json={"work_date": day.isoformat(), "kind": "other", "requested_check_out": "14:00",
                            "reason": "Rapat"})
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["employee"]["nip"] == AHMAD and c["employee"]["name"] and c["decided_by"] is None
    assert not {"employee_id", "nip", "name"} & set(c)
    d = requests.post(f"{server.url}{CORR}/{c['id']}/reject", headers=headers(server, NURHASANAH), json={"note": "x"},
                      timeout=15)
    assert d.status_code == 200, d.text
    assert set(d.json()["decided_by"]) == {"nip", "name"} and d.json()["decided_by"]["nip"] == NURHASANAH
    listed = requests.get(server.url + CORR, headers=headers(server, NURHASANAH), params={"scope": "team"},
                          timeout=15).json()["items"]
    assert all(set(x["employee"]) == {"nip", "name"} and "employee_id" not in x for x in listed)
    assert any(x["id"] == c["id"] for x in listed)
    reset(db, AHMAD)


# ------------------------------------------------------------------ corrections only for working days

def _last(day, isoweekday):
    """The last date strictly before day that falls on isoweekday."""
    return day - datetime.timedelta(days=(day.isoweekday() - isoweekday - 1) % 7 + 1)


def _file(server, nip, day):
    return requests.post(server.url + CORR, headers=headers(server, nip), timeout=15,
                         json={"work_date": day.isoformat(), "kind": "forgot_check_in", "requested_check_in": "07:30",
                               "reason": "Lupa"})


def _stored(db, nip, day):
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance_corrections where employee_id = %s and work_date = %s",
                    (employee(db, nip)[0], day))
        return cur.fetchone()[0]


def test_correction_refused_for_a_day_off(server, db):
    assert employee(db, NURHAYATI)[5] == "5HK" and employee(db, AHMAD)[5] == "6HKS"
    reset(db, NURHAYATI)
    reset(db, AHMAD)
    today = local_today(server, NURHAYATI)
    saturday, sunday = _last(today, 6), _last(local_today(server, AHMAD), 7)
    # A Saturday of a 5-day schedule, a Sunday of a 6-day one.
    assert_problem(_file(server, NURHAYATI, saturday), 422, "correction_not_working_day")
    assert_problem(_file(server, AHMAD, sunday), 422, "correction_not_working_day")
    assert _stored(db, NURHAYATI, saturday) == 0 and _stored(db, AHMAD, sunday) == 0
    # A public holiday on a weekday (from the calendar).
    with db.cursor() as cur:
        cur.execute("select holiday_date from public_holidays where holiday_date < %s"
                    " and extract(isodow from holiday_date) between 1 and 5 order by holiday_date desc limit 1",
                    (today,))
        row = cur.fetchone()
    if row:
        assert_problem(_file(server, NURHAYATI, row[0]), 422, "correction_not_working_day")
    # The future stays its own answer.
    assert_problem(_file(server, NURHAYATI, _last(today, 6) + datetime.timedelta(days=7 + 7)), 422,
                   "correction_future_date")
    # A day off with an attendance record (came in on Saturday): that record may be corrected.
    insert_day(db, NURHAYATI, saturday, None, "12:00:00")
    r = _file(server, NURHAYATI, saturday)
    assert r.status_code == 201, r.text
    # A working day (the Friday before) is fine.
    friday = working_day_before(db, NURHAYATI, saturday - datetime.timedelta(days=1))
    r = _file(server, NURHAYATI, friday)
    assert r.status_code == 201, r.text
    reset(db, NURHAYATI)
    reset(db, AHMAD)


# ------------------------------------------------------------------ the contract check itself

def test_contract_check_flags_an_undocumented_status():
    before = dict(contract_check.violations)
    try:
        contract_check.record("POST", "http://x/api/v1/auth/enrolments/12/verify", 418)
        contract_check.record("GET", "http://x/api/v1/me/sessions", 404)
        contract_check.record("GET", "http://x/no/such/path", 400)
        contract_check.record("GET", "http://x/no/such/path", 404)          # unmatched: 404 is the answer
        contract_check.record("PUT", "http://x/healthz", 405)                # known path, other method
        contract_check.record("HEAD", "http://x/healthz", 200)               # HEAD is checked as GET
        contract_check.record("POST", "http://x/api/v1/auth/enrolments/12/verify", 410)
        new = set(contract_check.violations) - set(before)
        assert new == {("POST", "/api/v1/auth/enrolments/{id}/verify", 418),
                       ("GET", "/api/v1/me/sessions", 404),
                       ("GET", "(unmatched) /no/such/path", 400)}, new
    finally:
        contract_check.violations.clear()
        contract_check.violations.update(before)
