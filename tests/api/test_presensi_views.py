"""Presensi views: photo read-back and who may see it, monthly history with
TL/PSW classes, the atasan's team view, today, and /mobile/v1/config.

Days in the past are written straight into the database (the check-in API
only records "now"); the evaluation must then come from the server's rules in
the employee's own time zone. Expectations are derived from the server's local
date and the schedule/holiday tables, so the tests pass on any day of the
week, holidays included.
"""
import datetime
import zoneinfo

import pytest
import requests

from conftest import assert_problem
from presensi_support import (ADMIN, AHMAD, BAMBANG, DATA, DEWI, EKO, FITRI, HENDRA, NURHASANAH, NURHAYATI,
                              RAHMAT, SUKARDI, config, employee, form, headers, insert_day, local_today, photo,
                              punch, reset, schedule_hours)


def get(server, path, nip=None, **kw):
    h = headers(server, nip) if nip else {}
    return requests.get(server.url + path, headers=h, timeout=15, **kw)


# ------------------------------------------------------------------ photos

def test_photo_read_back_and_object_level_access(server, db):
    reset(db, DEWI)
    png = (DATA / "selfie.png").read_bytes()
    r = punch(server, DEWI, data=form(db, DEWI), files=photo("selfie.png"))
    assert r.status_code == 201, r.text
    pid = r.json()["record"]["check_in"]["photo_id"]
    url = f"/api/v1/presensi/photos/{pid}"
    # Self, direct atasan, atasan further up, anpeg of a unit above, admin: same bytes and type.
    for nip in (DEWI, HENDRA, BAMBANG, RAHMAT, ADMIN):
        g = get(server, url, nip)
        assert g.status_code == 200, (nip, g.text[:200])
        assert g.content == png, nip
        assert g.headers["Content-Type"].startswith("image/png")
        assert g.headers.get("X-Content-Type-Options") == "nosniff"
        assert "no-store" in g.headers.get("Cache-Control", "")
    # A colleague in another unit, an anpeg of another unit, a teacher elsewhere: 404 like a missing photo.
    for nip in (FITRI, EKO, AHMAD):
        assert_problem(get(server, url, nip), 404, "photo_not_found")
    assert_problem(get(server, "/api/v1/presensi/photos/999999999", DEWI), 404, "photo_not_found")
    for bad in ("abc", "0", "-1", "1.5", "9" * 30):
        assert_problem(get(server, f"/api/v1/presensi/photos/{bad}", DEWI), 404, "photo_not_found")
    assert_problem(get(server, url), 401)
    assert_problem(requests.get(server.url + url, headers={"Authorization": "Bearer x.y.z"}, timeout=10), 401)


def test_photo_pending_is_not_readable(server, db):
    """A photo whose check-in never committed (pending) cannot be read, even by its owner."""
    eid = employee(db, DEWI)[0]
    with db.cursor() as cur:
        cur.execute("insert into photos (employee_id, storage_key, sha256, content_type, size_bytes)"
                    " values (%s, %s, %s, 'image/jpeg', 10) returning id", (eid, "ab" * 32 + ".jpg", "ab" * 32))
        pid = cur.fetchone()[0]
    try:
        assert_problem(get(server, f"/api/v1/presensi/photos/{pid}", DEWI), 404, "photo_not_found")
    finally:
        with db.cursor() as cur:
            cur.execute("delete from photos where id = %s", (pid,))


# ------------------------------------------------------------------ history

def previous_month(today):
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def hm(base, minutes, seconds=0):
    h, m = map(int, base.split(":"))
    t = datetime.datetime(2000, 1, 1, h, m) + datetime.timedelta(minutes=minutes, seconds=seconds)
    return t.strftime("%H:%M:%S")


def test_history_classes_in_the_employees_zone(server, db):
    """Makassar (WITA) employee, previous month: on time at 07.29 and at 07.30.59, TL1, TL4 with a
    missing check-out (PSW4), PSW2, absences; weekends and holidays are never absent."""
    reset(db, NURHAYATI)
    eid, _, _, _, tz, sched = employee(db, NURHAYATI)
    assert tz == "Asia/Makassar"
    today = local_today(server, NURHAYATI)
    first, last = previous_month(today)
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if schedule_hours(db, sched, d)]
    assert len(working) >= 5
    a, b, c, d, e = working[:5]
    plan = {
        a: (hm(schedule_hours(db, sched, a)[0], -1), hm(schedule_hours(db, sched, a)[1], 0)),      # 07.29: on time
        b: (hm(schedule_hours(db, sched, b)[0], 0, 59), hm(schedule_hours(db, sched, b)[1], -31)),  # on time; PSW2
        c: (hm(schedule_hours(db, sched, c)[0], 1), hm(schedule_hours(db, sched, c)[1], 5)),       # TL1
        d: (hm(schedule_hours(db, sched, d)[0], 91), None),                                         # TL4; PSW4
    }
    for day, (i, o) in plan.items():
        insert_day(db, NURHAYATI, day, i, o)
    r = get(server, f"/api/v1/presensi/history?month={first:%Y-%m}", NURHAYATI)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["time_zone"] == "Asia/Makassar" and body["nip"] == NURHAYATI
    items = {datetime.date.fromisoformat(it["date"]): it for it in body["items"]}
    assert sorted(items) == days
    ev = {k: v["evaluation"] for k, v in items.items()}
    # The local times come back as written, in the employee's zone (07.29 WITA is 23.29 UTC the day before).
    assert items[a]["record"]["check_in"]["local_time"] == plan[a][0]
    utc = items[a]["record"]["check_in"]["at"]
    local = datetime.datetime.fromisoformat(utc.replace("Z", "+00:00")).astimezone(zoneinfo.ZoneInfo(tz))
    assert local.strftime("%H:%M:%S") == plan[a][0] and local.date() == a
    assert ev[a]["tl"] is None and ev[a]["late_minutes"] == 0 and ev[a]["psw"] is None
    assert ev[b]["tl"] is None and ev[b]["psw"] == "PSW2" and ev[b]["early_leave_minutes"] == 31
    assert ev[c]["tl"] == "TL1" and ev[c]["late_minutes"] == 1 and ev[c]["psw"] is None
    assert ev[d]["tl"] == "TL4" and ev[d]["psw"] == "PSW4" and ev[d]["missing_check_out"] is True
    assert ev[e]["absent"] is True and items[e]["record"] is None
    for day in days:
        hours = schedule_hours(db, sched, day)
        assert ev[day]["working_day"] is bool(hours), day
        if not hours:
            assert ev[day]["absent"] is False and ev[day]["tl"] is None
        else:
            assert ev[day]["schedule"] == {"start": hours[0], "end": hours[1]}
    s = body["summary"]
    assert s["working_days"] == len(working)
    assert s["absent"] == len(working) - 4
    assert (s["TL1"], s["TL2"], s["TL3"], s["TL4"]) == (1, 0, 0, 1)
    assert (s["PSW1"], s["PSW2"], s["PSW3"], s["PSW4"]) == (0, 1, 0, 1)
    # The current month stops at the local today; nothing of the future is reported.
    cur = get(server, f"/api/v1/presensi/history?month={today:%Y-%m}", NURHAYATI).json()
    dates = [it["date"] for it in cur["items"]]
    assert dates[-1] == today.isoformat() and len(dates) == today.day
    assert cur["items"][-1]["evaluation"]["absent"] is False   # today is still running
    reset(db, NURHAYATI)


def test_history_of_another_employee(server, db):
    month = f"{local_today(server, NURHAYATI):%Y-%m}"
    path = f"/api/v1/presensi/history?month={month}&nip={NURHAYATI}"
    for nip in (BAMBANG, ADMIN):                          # atasan up the chain; admin
        r = get(server, path, nip)
        assert r.status_code == 200, (nip, r.text)
        assert r.json()["nip"] == NURHAYATI
    for nip in (RAHMAT, FITRI, AHMAD):                    # anpeg of another unit; colleagues elsewhere
        assert_problem(get(server, path, nip), 404, "employee_not_found")
    # An unknown NIP answers the same as a forbidden one.
    assert_problem(get(server, f"/api/v1/presensi/history?month={month}&nip=199901012020011999", FITRI),
                   404, "employee_not_found")
    # Anpeg of the employee's unit tree sees a teacher's history.
    r = get(server, f"/api/v1/presensi/history?month={month}&nip={AHMAD}", EKO)
    assert r.status_code == 200 and r.json()["nip"] == AHMAD


@pytest.mark.parametrize("query,field", [
    ("", "month"), ("?month=", "month"), ("?month=2026-13", "month"), ("?month=2026-1", "month"),
    ("?month=abcd-ef", "month"), ("?month=2026-01-01", "month"), ("?month=1899-12", "month"),
    ("?month=2026-01&nip=123", "nip"), ("?month=2026-01&nip=" + "1" * 19, "nip"),
])
def test_history_bad_input(server, query, field):
    b = assert_problem(get(server, "/api/v1/presensi/history" + query, DEWI), 422, "validation_failed")
    assert field in [e["field"] for e in b["errors"]]


def test_history_requires_auth(server):
    assert_problem(get(server, "/api/v1/presensi/history?month=2026-01"), 401)
    assert get(server, "/api/v1/presensi/history?month=" + "9" * 5000, DEWI).status_code in (414, 422, 431, 400)


# ------------------------------------------------------------------ team

def test_team_view_for_the_atasan(server, db):
    reset(db, AHMAD)
    eid, _, _, _, tz, sched = employee(db, AHMAD)
    today = local_today(server, AHMAD)
    day = next(today - datetime.timedelta(days=k) for k in range(1, 15)
               if schedule_hours(db, sched, today - datetime.timedelta(days=k)))
    start, end = schedule_hours(db, sched, day)
    insert_day(db, AHMAD, day, hm(start, 45), hm(end, 0))
    r = get(server, f"/api/v1/presensi/team?date={day}", NURHASANAH)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    with db.cursor() as cur:
        cur.execute("select nip from employees where supervisor_id = (select id from employees where nip = %s)"
                    " and status = 'active'", (NURHASANAH,))
        team = {x[0] for x in cur.fetchall()}
    assert {it["nip"] for it in items} == team and AHMAD in team
    mine = next(it for it in items if it["nip"] == AHMAD)
    assert mine["date"] == day.isoformat() and mine["record"]["check_in"]["local_time"] == hm(start, 45)
    assert mine["evaluation"]["tl"] == "TL2" and mine["evaluation"]["psw"] is None
    others = [it for it in items if it["nip"] != AHMAD]
    assert all(it["record"] is None and it["evaluation"]["absent"] for it in others)
    # Without a date: the team's local today.
    r = get(server, "/api/v1/presensi/team", NURHASANAH)
    assert r.status_code == 200 and {it["date"] for it in r.json()["items"]} == {today.isoformat()}
    # The korwil above is not the direct atasan: Ahmad is not in his team; a teacher has no team.
    korwil = get(server, f"/api/v1/presensi/team?date={day}", SUKARDI).json()["items"]
    assert AHMAD not in {it["nip"] for it in korwil} and NURHASANAH in {it["nip"] for it in korwil}
    assert get(server, f"/api/v1/presensi/team?date={day}", AHMAD).json()["items"] == []
    for bad in ("2026-02-30", "yesterday", "2026-1-1", "'; drop table attendance; --"):
        assert_problem(get(server, "/api/v1/presensi/team", NURHASANAH, params={"date": bad}), 422)
    assert_problem(get(server, "/api/v1/presensi/team"), 401)
    reset(db, AHMAD)


# ------------------------------------------------------------------ today and config

def test_today_and_config_agree_with_the_server_clock(server, db):
    reset(db, EKO)
    eid, lat, lon, radius, tz, sched = employee(db, EKO)
    before = datetime.datetime.now(datetime.timezone.utc)
    cfg = config(server, EKO)
    after = datetime.datetime.now(datetime.timezone.utc)
    st = datetime.datetime.fromisoformat(cfg["server_time"].replace("Z", "+00:00"))
    assert before - datetime.timedelta(seconds=5) <= st <= after + datetime.timedelta(seconds=5)
    local = st.astimezone(zoneinfo.ZoneInfo(tz))
    assert cfg["time_zone"] == tz and cfg["local_date"] == local.date().isoformat()
    assert cfg["local_time"][:5] == local.strftime("%H:%M")
    assert cfg["min_app_version"] and cfg["update_required"] is False
    assert cfg["geofence_mode"] == "reject" and cfg["max_accuracy_m"] > 0 and cfg["max_upload_bytes"] > 0
    office = cfg["geofences"][0]
    assert office["code"] == "LOC-DISDIK-MUBA" and office["extra"] is False
    assert abs(office["latitude"] - lat) < 1e-6 and abs(office["longitude"] - lon) < 1e-6
    assert office["radius_m"] == radius and office["time_zone"] == tz
    hours = schedule_hours(db, sched, local.date())
    assert cfg["schedule"]["working_day"] is bool(hours)
    assert cfg["schedule"]["schedule"] == ({"start": hours[0], "end": hours[1]} if hours else None)
    assert "no-store" in requests.get(server.url + "/mobile/v1/config", headers=headers(server, EKO),
                                      timeout=10).headers.get("Cache-Control", "")
    # An app that is too old still gets its configuration, told to update.
    old = requests.get(server.url + "/mobile/v1/config", headers=headers(server, EKO, **{"X-App-Version": "0.0.1"}),
                       timeout=10)
    assert old.status_code == 200 and old.json()["update_required"] is True
    assert_problem(requests.get(server.url + "/mobile/v1/config", timeout=10), 401)
    assert_problem(requests.post(server.url + "/mobile/v1/config", headers=headers(server, EKO), timeout=10), 405)
    # Today: not checked in, then checked in with the same date.
    t = get(server, "/mobile/v1/presensi/today", EKO).json()
    assert t["status"] == "not_checked_in" and t["record"] is None and t["date"] == cfg["local_date"]
    r = punch(server, EKO, db=db)
    assert r.status_code == 201, r.text
    t = get(server, "/api/v1/presensi/today", EKO).json()
    assert t["status"] == "checked_in" and t["record"]["id"] == r.json()["record"]["id"]
    assert t["evaluation"]["working_day"] is bool(hours)
    assert_problem(get(server, "/api/v1/presensi/today"), 401)
    reset(db, EKO)
