"""Shared helpers of the LKH API tests (tests/api/test_lkh_*.py).

Chains (db/seed/demo.sql): AHMAD (guru, 6-day school week, WIB) -> NURHASANAH
(his direct atasan) -> SUKARDI (korwil, above in the chain, not the direct
atasan); EKO is anpeg of the Dinas Pendidikan subtree; DEWI -> HENDRA is
another chain; FITRI sees neither. The demo seed gives AHMAD and DEWI reports
(db/seed/demo_lkh.sql); every test starts by removing their LKH rows.

Dates are derived from the server's local date for the employee and the
schedule/holiday tables (presensi_support), never from the test machine's clock.
"""
import datetime
import json

import requests

from helpers_auth import auth_headers, login
from presensi_support import (AHMAD, DEWI, EKO, FITRI, HENDRA, NURHASANAH, SUKARDI, employee, headers, local_today,
                              schedule_hours)

__all__ = ["AHMAD", "DEWI", "EKO", "FITRI", "HENDRA", "NURHASANAH", "SUKARDI", "web", "call", "reset", "today_of",
           "working", "day_with_after", "recent_working_days", "last_day_off", "activity", "create", "audit_trail",
           "notices", "status_of"]

REPORTS = "/api/v1/lkh/reports"


def web(server, nip):
    """Authorization headers of nip's web session."""
    return auth_headers(login(server.url, nip))


def call(server, method, path, nip=None, body=None, raw=None, mobile=False, **kw):
    h = (headers(server, nip) if mobile else web(server, nip)) if nip else {}
    if raw is not None or body is not None:
        h["Content-Type"] = "application/json"
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.request(method, server.url + path, headers=h, data=data, timeout=30, **kw)


def reset(db, *nips):
    """Removes the employees' reports (with activities and evidence rows), permits and SKP targets."""
    with db.cursor() as cur:
        for nip in nips:
            cur.execute("select id from employees where nip = %s", (nip,))
            (eid,) = cur.fetchone()
            cur.execute("delete from lkh_reports where employee_id = %s", (eid,))
            cur.execute("delete from lkh_late_permits where employee_id = %s", (eid,))
            cur.execute("delete from skp_targets where employee_id = %s", (eid,))
            cur.execute("delete from attachments where employee_id = %s and kind = 'lkh.evidence'", (eid,))


def today_of(server, nip):
    return local_today(server, nip)


def working(db, nip, day):
    return schedule_hours(db, employee(db, nip)[5], day) is not None


def day_with_after(db, nip, today, n):
    """The latest working day D before today with exactly n working days in (D, today]."""
    count = 1 if working(db, nip, today) else 0
    day = today - datetime.timedelta(days=1)
    for _ in range(200):
        if working(db, nip, day):
            if count == n:
                return day
            count += 1
        day -= datetime.timedelta(days=1)
    raise AssertionError("no such day")


def recent_working_days(db, nip, today, n):
    """The n latest working days on or before today that are within the default window (3 back)."""
    days, day = [], today
    while len(days) < n:
        if working(db, nip, day):
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days


def last_day_off(db, nip, today):
    day = today - datetime.timedelta(days=1)
    while working(db, nip, day):
        day -= datetime.timedelta(days=1)
    return day


def activity(start="07:30", end="09:00", **over):
    a = {"description": "Mengajar matematika kelas IV", "start_time": start, "end_time": end,
         "output": "Pembelajaran terlaksana", "quantity": 2, "unit": "jam pelajaran"}
    a.update(over)
    return {k: v for k, v in a.items() if v is not None}


def create(server, nip, day, activities=None):
    r = call(server, "POST", REPORTS, nip, {"work_date": day.isoformat(),
                                            "activities": activities if activities is not None else [activity()]})
    assert r.status_code == 201, r.text
    return r.json()


def status_of(db, rid):
    with db.cursor() as cur:
        cur.execute("select status from lkh_reports where id = %s", (rid,))
        row = cur.fetchone()
        return row[0] if row else None


def audit_trail(db, rid):
    """[(action, actor NIP)] of the report, oldest first."""
    with db.cursor() as cur:
        cur.execute("select a.action, e.nip from audit_log a left join employees e on e.id = a.actor_employee_id"
                    " where a.target_type = 'lkh_report' and a.target_id = %s order by a.id", (str(rid),))
        return cur.fetchall()


def notices(db, nip, rid):
    """Kinds of the notifications nip received about report rid, oldest first."""
    with db.cursor() as cur:
        cur.execute("select n.kind from notifications n join employees e on e.id = n.employee_id"
                    " where e.nip = %s and n.target_type = 'lkh_report' and n.target_id = %s order by n.id",
                    (nip, str(rid)))
        return [r[0] for r in cur.fetchall()]
