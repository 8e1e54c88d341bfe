"""Shared helpers of the TPP API tests (tests/api/test_tpp_*.py).

Months used by the tests lie in 2025 (the demo seed works on last month), one
month per test module, so modules do not disturb each other. Days are written
straight into the database; the working days of a month are read from the
schedule and holiday tables, so expectations follow the data.
"""
import datetime

import requests

from helpers_auth import auth_headers, login

ADMIN = "198807142014031001"   # Andi Pratama, admin
DEWI = "199305212019032001"    # no role
RAHMAT = "198611022010121001"  # anpeg of KEMENKES-ROSDM
EKO = "198303032009011001"     # anpeg of MUBA-DISDIK
AHMAD = "198709232012031001"   # guru SDN 1 Sekayu (6HKS), class 9 in the demo seed
SDN1 = "MUBA-SDN1-SEKAYU"
SDN2 = "MUBA-SDN2-SEKAYU"

RULES = {
    "weights": {"kinerja": 60, "kehadiran": 40},
    "deductions": {"TL": [0.5, 1, 1.5, 2], "PSW": [0.5, 1, 1.5, 2], "absent_day": 4},
    "exempt_absence_kinds": ["cuti", "sakit", "dinas_luar", "perjalanan_dinas", "tugas_belajar"],
    "kinerja_source": "lkh",
    "caps": {"max_deduction_pct": 100, "min_total_pct": 0},
    "base_amounts": {"8": 3000000, "9": 3500000},
}


def web(server, nip):
    """Authorization headers of nip's web session (administration routes refuse app sessions)."""
    return auth_headers(login(server.url, nip))


def call(server, method, path, nip=ADMIN, **kw):
    if nip:
        kw.setdefault("headers", {}).update(web(server, nip))
    kw.setdefault("timeout", 60)
    return requests.request(method, server.url + path, **kw)


def ensure_rule(server, db, unit, month, rules=None):
    """The rule version of unit from month (created by the admin when missing); its id."""
    r = call(server, "POST", "/api/v1/tpp/rules",
             json={"unit_code": unit, "effective_from": month, "rules": rules or RULES, "note": "pytest"})
    if r.status_code == 201:
        return r.json()["id"]
    assert r.status_code == 409, r.text
    with db.cursor() as cur:
        cur.execute("select v.id from tpp_rule_versions v join org_units u on u.id = v.unit_id"
                    " where u.code = %s and v.effective_from = %s", (unit, month + "-01"))
        return cur.fetchone()[0]


def emp(db, nip):
    """(id, time zone, schedule id, supervisor id)."""
    with db.cursor() as cur:
        cur.execute("select e.id, l.time_zone, e.work_schedule_id, e.supervisor_id from employees e"
                    " join office_locations l on l.id = e.office_location_id where e.nip = %s", (nip,))
        return cur.fetchone()


def working_days(db, nip, month):
    """{date: (start 'HH:MM', end 'HH:MM')} of nip's working days in month ('YYYY-MM')."""
    eid, _, sid, _ = emp(db, nip)
    with db.cursor() as cur:
        cur.execute(
            "select g::date, to_char(coalesce(r.start_time, n.start_time), 'HH24:MI'),"
            " to_char(coalesce(r.end_time, n.end_time), 'HH24:MI')"
            " from generate_series(%s::date, (%s::date + interval '1 month - 1 day')::date, interval '1 day') g"
            " join work_schedule_days n on n.schedule_id = %s and n.season = 'normal'"
            "  and n.isodow = extract(isodow from g)"
            " left join work_schedule_days r on r.schedule_id = %s and r.season = 'ramadan'"
            "  and r.isodow = extract(isodow from g)"
            "  and exists (select 1 from ramadan_periods p where g::date between p.start_date and p.end_date)"
            " where not exists (select 1 from public_holidays h where h.holiday_date = g::date)"
            " order by 1", (month + "-01", month + "-01", sid, sid))
        return {d: (s, e) for d, s, e in cur.fetchall()}


def clear(db, nip, month):
    eid = emp(db, nip)[0]
    with db.cursor() as cur:
        for table in ("attendance_corrections", "attendance", "lkh_reports"):
            cur.execute(f"delete from {table} where employee_id = %s and work_date >= %s::date"
                        f" and work_date < %s::date + interval '1 month'", (eid, month + "-01", month + "-01"))
        cur.execute("delete from absence_requests where employee_id = %s and date_to >= %s::date - interval '1 month'"
                    " and date_from < %s::date + interval '2 month'", (eid, month + "-01", month + "-01"))


def put_day(db, nip, day, check_in, check_out, lkh=True, corrected=False):
    eid, tz, _, sup = emp(db, nip)
    with db.cursor() as cur:
        cur.execute("delete from attendance where employee_id = %s and work_date = %s", (eid, day))
        if check_in or check_out:
            cur.execute(
                "insert into attendance (employee_id, work_date, time_zone, source, check_in_at, check_out_at,"
                " corrected_by) values (%s, %s, %s, %s,"
                " case when %s::time is null then null else (%s::date + %s::time) at time zone %s end,"
                " case when %s::time is null then null else (%s::date + %s::time) at time zone %s end, %s)",
                (eid, day, tz, "correction" if corrected else "mobile", check_in, day, check_in, tz, check_out, day,
                 check_out, tz, sup if corrected else None))
        cur.execute("delete from lkh_reports where employee_id = %s and work_date = %s", (eid, day))
        if lkh:
            cur.execute("insert into lkh_reports (employee_id, work_date, status, reviewer_id)"
                        " values (%s, %s, 'approved', %s)", (eid, day, sup))


def fill_month(db, nip, month):
    """On time on every working day with an approved LKH; returns the working days."""
    clear(db, nip, month)
    days = working_days(db, nip, month)
    for d, (start, end) in days.items():
        put_day(db, nip, d, start + ":00", end + ":00")
    return days


def absence(db, nip, kind, date_from, date_to, status="approved"):
    eid, _, _, sup = emp(db, nip)
    with db.cursor() as cur:
        cur.execute("insert into absence_requests (employee_id, kind, cuti_type, date_from, date_to, reason, status,"
                    " reviewer_id) values (%s, %s, %s, %s, %s, 'pytest', %s, %s)",
                    (eid, kind, "tahunan" if kind == "cuti" else None, date_from, date_to, status, sup))


def late(start, minutes):
    t = datetime.datetime.strptime(start, "%H:%M") + datetime.timedelta(minutes=minutes)
    return t.strftime("%H:%M:00")


def pct_amount(amount, pct):
    """round(amount * pct / 100), half up: the documented rounding rule."""
    bp = round(pct * 100)
    return (amount * bp + 5000) // 10000
