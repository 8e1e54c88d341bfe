"""LKH reports: filing window, activity rules, editing, own list, SKP targets,
and who may read or change whose report (docs/lkh.md)."""
import datetime

import pytest
import requests

from conftest import assert_problem
from helpers_auth import auth_headers, login
from lkh_support import (AHMAD, DEWI, EKO, FITRI, NURHASANAH, SUKARDI, activity, call, create, day_with_after,
                         last_day_off, recent_working_days, reset, today_of)

REPORTS = "/api/v1/lkh/reports"
SKP = "/api/v1/lkh/skp-targets"


@pytest.fixture
def clean(server, db):
    reset(db, AHMAD, DEWI)
    yield
    reset(db, AHMAD, DEWI)


def count_reports(db, nip):
    with db.cursor() as cur:
        cur.execute("select count(*) from lkh_reports r join employees e on e.id = r.employee_id where e.nip = %s",
                    (nip,))
        return cur.fetchone()[0]


def test_create_get_edit(server, db, clean):
    day = recent_working_days(db, AHMAD, today_of(server, AHMAD), 1)[0]
    acts = [activity("07:30", "09:00"), activity("09:00", "10:15", description="Memeriksa tugas siswa",
                                                 output="Tugas diperiksa", quantity=28, unit="lembar"),
            activity(None, None, duration_min=45, description="Piket sekolah", output="Piket", quantity=1,
                     unit="kegiatan")]
    rep = create(server, AHMAD, day, acts)
    assert rep["status"] == "draft" and rep["work_date"] == day.isoformat()
    assert rep["employee"]["nip"] == AHMAD
    assert rep["total_minutes"] == 90 + 75 + 45
    assert [a["duration_min"] for a in rep["activities"]] == [90, 75, 45]
    assert rep["activities"][2]["start_time"] is None and rep["attachment"] is None

    r = call(server, "GET", f"{REPORTS}/{rep['id']}", AHMAD)
    assert r.status_code == 200 and r.json() == rep

    r = call(server, "PUT", f"{REPORTS}/{rep['id']}", AHMAD, {"activities": [activity("13:00", "24:00")]})
    assert r.status_code == 200, r.text
    assert r.json()["total_minutes"] == 11 * 60 and r.json()["activities"][0]["end_time"] == "24:00"

    # one report per day
    assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": day.isoformat(), "activities": []}), 409,
                   "lkh_report_exists")
    assert count_reports(db, AHMAD) == 1


def test_filing_window(server, db, clean):
    with db.cursor() as cur:
        cur.execute("select coalesce(max(id), 0) from audit_log")
        (audit_from,) = cur.fetchone()
        cur.execute("select coalesce(max(id), 0) from notifications")
        (notice_from,) = cur.fetchone()
    today = today_of(server, AHMAD)
    future = today + datetime.timedelta(days=1)
    b = assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": future.isoformat()}), 422)
    assert b["errors"] == [{"field": "work_date", "code": "lkh_future_date", "message": b["errors"][0]["message"]}]
    sunday = last_day_off(db, AHMAD, today)
    b = assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": sunday.isoformat()}), 422)
    assert b["errors"][0]["code"] == "lkh_not_working_day"

    in_window = day_with_after(db, AHMAD, today, 3)
    create(server, AHMAD, in_window)
    too_old = day_with_after(db, AHMAD, today, 4)
    b = assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": too_old.isoformat()}), 422)
    assert b["errors"][0]["code"] == "lkh_too_far_back"
    assert count_reports(db, AHMAD) == 1

    # only those who manage Ahmad may open the day: a stranger and Ahmad himself get 404
    for nip in (FITRI, AHMAD, DEWI):
        assert_problem(call(server, "POST", "/api/v1/lkh/permits", nip,
                            {"nip": AHMAD, "work_date": too_old.isoformat()}), 404, "employee_not_found")
    b = assert_problem(call(server, "POST", "/api/v1/lkh/permits", NURHASANAH,
                            {"nip": AHMAD, "work_date": sunday.isoformat()}), 422)
    assert b["errors"][0]["code"] == "lkh_not_working_day"
    assert_problem(call(server, "POST", "/api/v1/lkh/permits", NURHASANAH, {"nip": AHMAD}), 422)
    assert_problem(call(server, "POST", "/api/v1/lkh/permits", NURHASANAH, {"nip": "x", "work_date": "2026-13-01"}),
                   422)
    r = call(server, "POST", "/api/v1/lkh/permits", NURHASANAH, {"nip": AHMAD, "work_date": too_old.isoformat()})
    assert r.status_code == 201, r.text
    r = call(server, "POST", "/api/v1/lkh/permits", NURHASANAH, {"nip": AHMAD, "work_date": too_old.isoformat()})
    assert r.status_code == 200, r.text  # already open
    create(server, AHMAD, too_old)
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where action = 'lkh.permit.grant' and target_id = %s and id > %s",
                    (f"{AHMAD}:{too_old.isoformat()}", audit_from))
        assert cur.fetchone()[0] == 1
        cur.execute("select count(*) from notifications n join employees e on e.id = n.employee_id"
                    " where e.nip = %s and n.kind = 'lkh.permitted' and n.target_id = %s and n.id > %s",
                    (AHMAD, f"{AHMAD}:{too_old.isoformat()}", notice_from))
        assert cur.fetchone()[0] == 1


@pytest.mark.parametrize("acts, field, code", [
    ([activity("08:00", "10:00"), activity("09:30", "11:00")], "activities[1].start_time", "lkh_activity_overlap"),
    ([activity("08:00", "12:00"), activity("13:00", "14:00"), activity("09:00", "09:10")], "activities[2].start_time",
     "lkh_activity_overlap"),
    ([activity("10:00", "09:00")], "activities[0].end_time", "out_of_range"),
    ([activity("10:00", "24:01")], "activities[0].end_time", "invalid_value"),
    ([activity("24:00", "24:00")], "activities[0].start_time", "invalid_value"),
    ([activity(None, None, duration_min=900), activity(None, None, duration_min=600)], "activities",
     "lkh_day_exceeded"),
    ([activity("07:30", "09:00", duration_min=90)], "activities[0].duration_min", "lkh_duration_with_times"),
    ([activity("07:30", None)], "activities[0].end_time", "missing_field"),
    ([activity(None, None)], "activities[0].end_time", "missing_field"),
    ([activity(description="   ")], "activities[0].description", "missing_field"),
    ([activity(quantity=0)], "activities[0].quantity", "out_of_range"),
    ([activity(quantity="3")], "activities[0].quantity", "invalid_type"),
    ([activity(unit=None)], "activities[0].unit", "missing_field"),
    ([activity(output="x" * 201)], "activities[0].output", "too_long"),
    ([activity(colour="red")], "activities[0].colour", "unknown_field"),
    ([activity(skp_target_id=999999999)], "activities[0].skp_target_id", "skp_target_not_found"),
    (["text"], "activities[0].description", "invalid_type"),
    ({"a": 1}, "activities", "invalid_type"),
    ([activity(f"{h:02d}:00", f"{h:02d}:30") for h in range(21)], "activities", "too_long"),
])
def test_activity_rules(server, db, clean, acts, field, code):
    day = recent_working_days(db, AHMAD, today_of(server, AHMAD), 1)[0]
    b = assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": day.isoformat(), "activities": acts}), 422)
    assert (field, code) in [(e["field"], e["code"]) for e in b["errors"]], b
    assert count_reports(db, AHMAD) == 0
    # the same rules on an edit, which changes nothing when refused
    rep = create(server, AHMAD, day)
    b = assert_problem(call(server, "PUT", f"{REPORTS}/{rep['id']}", AHMAD, {"activities": acts}), 422)
    assert (field, code) in [(e["field"], e["code"]) for e in b["errors"]], b
    assert call(server, "GET", f"{REPORTS}/{rep['id']}", AHMAD).json()["activities"] == rep["activities"]


def test_bad_requests(server, db, clean):
    day = recent_working_days(db, AHMAD, today_of(server, AHMAD), 1)[0].isoformat()
    assert_problem(call(server, "POST", REPORTS, AHMAD, raw="{not json"), 400)
    assert_problem(call(server, "POST", REPORTS, AHMAD, raw="[]"), 400)
    r = requests.post(server.url + REPORTS, headers=auth_headers(login(server.url, AHMAD)), data="work_date=x",
                      timeout=10)
    assert_problem(r, 415)
    assert_problem(call(server, "POST", REPORTS, AHMAD, {}), 422)
    for bad in ("2026-02-30", "yesterday", 20261130, "2026-1-1"):
        assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": bad}), 422)
    assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": day, "status": "approved"}), 422)
    big = {"work_date": day, "activities": [activity(description="x" * 60000)] * 2}
    assert_problem(call(server, "POST", REPORTS, AHMAD, big), 413)
    assert_problem(call(server, "POST", REPORTS, None, {"work_date": day}), 401)
    assert_problem(call(server, "GET", REPORTS, None), 401)
    # the app's session is not the web's
    assert_problem(call(server, "GET", REPORTS, AHMAD, mobile=True), 403, "web_session_required")
    for bad in ("0", "-1", "abc", "99999999999999999999"):
        assert_problem(call(server, "GET", f"{REPORTS}/{bad}", AHMAD), 404, "lkh_not_found")
    assert_problem(call(server, "PUT", f"{REPORTS}/987654321", AHMAD, {"activities": []}), 404, "lkh_not_found")
    assert count_reports(db, AHMAD) == 0


def test_own_list_filters_and_paging(server, db, clean):
    days = recent_working_days(db, AHMAD, today_of(server, AHMAD), 3)
    ids = [create(server, AHMAD, d)["id"] for d in days]
    create(server, DEWI, recent_working_days(db, DEWI, today_of(server, DEWI), 1)[0])
    r = call(server, "GET", REPORTS, AHMAD)
    assert r.status_code == 200
    assert [i["id"] for i in r.json()["items"]] == ids and r.json()["next_cursor"] is None  # newest day first
    seen, cursor = [], None
    while True:
        r = call(server, "GET", REPORTS, AHMAD, params={"limit": 1, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        seen += [i["id"] for i in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert seen == ids
    r = call(server, "GET", REPORTS, AHMAD, params={"from": days[1].isoformat(), "to": days[1].isoformat()})
    assert [i["id"] for i in r.json()["items"]] == [ids[1]]
    r = call(server, "GET", REPORTS, AHMAD, params={"status": "approved"})
    assert r.json()["items"] == []
    for params in ({"status": "rejected"}, {"from": "x"}, {"to": "2026-02-30"}, {"limit": 0}, {"limit": 101},
                   {"cursor": "garbage"}, {"from": days[0].isoformat(), "to": days[2].isoformat()},
                   {"nip": DEWI}):
        assert_problem(call(server, "GET", REPORTS, AHMAD, params=params), 422)
    # a cursor of another filter set is refused
    r = call(server, "GET", REPORTS, AHMAD, params={"limit": 1})
    assert_problem(call(server, "GET", REPORTS, AHMAD, params={"limit": 1, "status": "draft",
                                                               "cursor": r.json()["next_cursor"]}), 422)


def test_who_sees_and_changes(server, db, clean):
    day = recent_working_days(db, AHMAD, today_of(server, AHMAD), 1)[0]
    rep = create(server, AHMAD, day)
    path = f"{REPORTS}/{rep['id']}"
    for nip in (NURHASANAH, SUKARDI, EKO):  # atasan, up the chain, anpeg of the unit tree
        r = call(server, "GET", path, nip)
        assert r.status_code == 200 and r.json()["id"] == rep["id"]
    for nip in (FITRI, DEWI):
        assert_problem(call(server, "GET", path, nip), 404, "lkh_not_found")
        assert_problem(call(server, "PUT", path, nip, {"activities": []}), 404, "lkh_not_found")
        assert_problem(call(server, "POST", f"{path}/submit", nip), 404, "lkh_not_found")
    # those who may see it still cannot write it
    assert_problem(call(server, "PUT", path, NURHASANAH, {"activities": []}), 403, "lkh_not_author")
    assert_problem(call(server, "POST", f"{path}/submit", NURHASANAH), 403, "review_not_author")
    assert call(server, "GET", path, AHMAD).json() == rep
    # another employee's list never shows it
    assert call(server, "GET", REPORTS, DEWI).json()["items"] == []


def test_skp_targets(server, db, clean):
    year = today_of(server, AHMAD).year
    day = recent_working_days(db, AHMAD, today_of(server, AHMAD), 1)[0]
    body = {"year": year, "title": "Melaksanakan pembelajaran kelas IV", "target_quantity": 960,
            "unit": "jam pelajaran"}
    r = call(server, "POST", SKP, AHMAD, body)
    assert r.status_code == 201, r.text
    t = r.json()
    assert {k: t[k] for k in body} == body
    other = call(server, "POST", SKP, AHMAD, dict(body, year=year - 1, title="Tahun lalu")).json()
    dewis = call(server, "POST", SKP, DEWI, dict(body, title="Milik Dewi")).json()

    r = call(server, "GET", SKP, AHMAD, params={"year": year})
    assert [i["id"] for i in r.json()["items"]] == [t["id"]]
    r = call(server, "GET", SKP, AHMAD, params={"limit": 1})
    assert len(r.json()["items"]) == 1 and r.json()["next_cursor"]
    r2 = call(server, "GET", SKP, AHMAD, params={"limit": 1, "cursor": r.json()["next_cursor"]})
    assert {i["id"] for i in r.json()["items"] + r2.json()["items"]} == {t["id"], other["id"]}
    assert_problem(call(server, "GET", SKP, AHMAD, params={"year": "20x6"}), 422)

    # an activity may name the employee's own target of the report's year only
    for bad in (dewis["id"], other["id"]):
        b = assert_problem(call(server, "POST", REPORTS, AHMAD, {"work_date": day.isoformat(),
                                                                 "activities": [activity(skp_target_id=bad)]}), 422)
        assert b["errors"][0] == {"field": "activities[0].skp_target_id", "code": "skp_target_not_found",
                                  "message": b["errors"][0]["message"]}
    rep = create(server, AHMAD, day, [activity(skp_target_id=t["id"])])
    assert rep["activities"][0]["skp_target"] == {"id": t["id"], "title": body["title"]}

    r = call(server, "PUT", f"{SKP}/{t['id']}", AHMAD, dict(body, target_quantity=900))
    assert r.status_code == 200 and r.json()["target_quantity"] == 900
    assert_problem(call(server, "DELETE", f"{SKP}/{t['id']}", AHMAD), 409, "skp_target_in_use")
    # BOLA: another employee's target is not found, whatever the verb
    assert_problem(call(server, "PUT", f"{SKP}/{dewis['id']}", AHMAD, body), 404, "skp_target_not_found")
    assert_problem(call(server, "DELETE", f"{SKP}/{dewis['id']}", AHMAD), 404, "skp_target_not_found")
    assert call(server, "GET", SKP, AHMAD, params={"year": year}).json()["items"][0]["id"] == t["id"]
    # bad input
    for bad in ({}, dict(body, year=1999), dict(body, year="2026"), dict(body, title=" "), dict(body, target_quantity=0),
                dict(body, unit="u" * 41), dict(body, employee_id=1)):
        assert_problem(call(server, "POST", SKP, AHMAD, bad), 422)
    assert_problem(call(server, "POST", SKP, AHMAD, raw="{"), 400)
    assert_problem(call(server, "POST", SKP, None, body), 401)
    assert call(server, "DELETE", f"{SKP}/{other['id']}", AHMAD).status_code == 204
    assert_problem(call(server, "DELETE", f"{SKP}/{other['id']}", AHMAD), 404)
    assert_problem(call(server, "DELETE", f"{SKP}/abc", AHMAD), 404)
    with db.cursor() as cur:
        cur.execute("select action from audit_log where target_type = 'skp_target' and target_id = %s order by id",
                    (str(t["id"]),))
        assert [r[0] for r in cur.fetchall()] == ["lkh.skp.create", "lkh.skp.update"]
