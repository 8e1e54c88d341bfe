"""Shared helpers of the presensi API tests (tests/api/test_presensi_*.py).

Sessions: one mobile sign-in per (server, NIP), cached by helpers_auth.login;
a mobile access token also works on the /api/v1 routes. Different tests use
different demo employees where they can, so that one test's data does not
disturb another's.

Nothing here depends on the wall clock of the test machine: the server's own
answers (local date and time in the work location's zone) drive the
expectations; dates in the past are computed from that local date.
"""
import datetime
import pathlib
import uuid

import requests

from helpers_auth import auth_headers, login

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"

# Demo employees (db/seed/demo.sql) that have accounts.
ADMIN = "198807142014031001"        # Andi Pratama, admin, KEMENKES-ROSDM-RENSDM
DEWI = "199305212019032001"         # staff, KEMENKES-ROSDM-RENSDM, atasan HENDRA
HENDRA = "197806252003121001"       # atasan of ADMIN, DEWI, RAHMAT; atasan SRI WAHYUNI (no account)
BAMBANG = "196804171995031001"      # Sekretaris Jenderal, top of the Kemenkes chains
RAHMAT = "198611022010121001"       # anpeg of KEMENKES-ROSDM
FITRI = "199112192017122001"        # humas, KEMENKES-ROKOM-MEDIA (another chain, another unit)
NURHAYATI = "198401282009032001"    # Makassar (WITA), 5HK; chain -> Andi Muhammad Yusuf -> BAMBANG
AGUSTINA = "198908172014032001"     # Jayapura (WIT), 5HKS
ISKANDAR = "196905051994031001"     # Kepala Dinas Pendidikan Muba, atasan of SUKARDI
EKO = "198303032009011001"          # anpeg of MUBA-DISDIK
SUKARDI = "197212011997031001"      # korwil Sekayu, atasan of NURHASANAH
NURHASANAH = "197504142000032001"   # kepala sekolah SDN 1 Sekayu (6HKS), atasan of AHMAD
AHMAD = "198709232012031001"        # guru SDN 1 Sekayu (6HKS)

# The existing check-in tests sign these in this way; reuse their cached sessions.
_SESSION_KIND = {RAHMAT: (True, "presensi-test-device-1"), FITRI: (False, None)}


def device_of(nip):
    mobile, device = _SESSION_KIND.get(nip, (True, f"test-device-{nip}"))
    return device if mobile else None


def headers(server, nip, **extra):
    """Authorization headers of nip's (cached) session on server."""
    mobile, device = _SESSION_KIND.get(nip, (True, f"test-device-{nip}"))
    h = auth_headers(login(server.url, nip, mobile=mobile, device=device))
    h.update(extra)
    return h


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def employee(db, nip):
    """(id, lat, lon, radius_m, time_zone, schedule code) of nip's office."""
    with db.cursor() as cur:
        cur.execute("select e.id, l.latitude, l.longitude, l.radius_m, l.time_zone, s.code from employees e"
                    " join office_locations l on l.id = e.office_location_id"
                    " join work_schedules s on s.id = e.work_schedule_id where e.nip = %s", (nip,))
        return cur.fetchone()


def location(db, code):
    with db.cursor() as cur:
        cur.execute("select latitude, longitude, radius_m, time_zone from office_locations where code = %s", (code,))
        return cur.fetchone()


def reset(db, *nips):
    """Removes the employees' attendance, corrections, keys and extra locations."""
    with db.cursor() as cur:
        for nip in nips:
            cur.execute("select id from employees where nip = %s", (nip,))
            (eid,) = cur.fetchone()
            cur.execute("delete from attendance_corrections where employee_id = %s", (eid,))
            cur.execute("delete from attendance where employee_id = %s", (eid,))
            cur.execute("delete from idempotency_keys where employee_id = %s", (eid,))
            cur.execute("delete from extra_locations where employee_id = %s", (eid,))
            cur.execute("delete from photos where employee_id = %s", (eid,))  # so no selfie counts as re-used


def form(db, nip, at=None, dlat=0.0, accuracy="8.5", mock="false", device=None):
    """Check-in/out form fields at nip's office (or at=(lat, lon))."""
    if at is None:
        _, lat, lon, _, _, _ = employee(db, nip)
    else:
        lat, lon = at
    return {"latitude": f"{lat + dlat:.6f}", "longitude": f"{lon:.6f}", "accuracy": accuracy,
            "device_time": now_rfc3339(), "mock_location": mock, "device_id": device or device_of(nip) or ""}


def photo(name="selfie.jpg"):
    ct = "image/png" if name.endswith(".png") else "image/jpeg"
    return {"photo": (name, (DATA / name).read_bytes(), ct)}


def unique_jpeg(tag=None):
    """A valid JPEG whose bytes (and so storage key) are new: selfie.jpg with a COM segment."""
    base = (DATA / "selfie.jpg").read_bytes()
    text = (tag or uuid.uuid4().hex).encode()
    com = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return base[:2] + com + base[2:]


def punch(server, nip, kind="check-in", data=None, files=None, db=None, key=None, **hdr):
    h = headers(server, nip, **hdr)
    if key:
        h["Idempotency-Key"] = key
    return requests.post(f"{server.url}/mobile/v1/presensi/{kind}", headers=h,
                         data=data if data is not None else form(db, nip),
                         files=files if files is not None else photo(), timeout=30)


def config(server, nip):
    r = requests.get(server.url + "/mobile/v1/config", headers=headers(server, nip), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def local_today(server, nip):
    return datetime.date.fromisoformat(config(server, nip)["local_date"])


def calendar(db):
    """(holiday dates, Ramadan ranges) from the database."""
    with db.cursor() as cur:
        cur.execute("select holiday_date from public_holidays")
        holidays = {r[0] for r in cur.fetchall()}
        cur.execute("select start_date, end_date from ramadan_periods")
        ramadan = cur.fetchall()
    return holidays, ramadan


def schedule_hours(db, code, day):
    """(start 'HH:MM', end 'HH:MM') of schedule code on day, or None when not a working day."""
    holidays, ramadan = calendar(db)
    if day in holidays:
        return None
    season = "ramadan" if any(a <= day <= b for a, b in ramadan) else "normal"
    with db.cursor() as cur:
        cur.execute("select to_char(d.start_time, 'HH24:MI'), to_char(d.end_time, 'HH24:MI'), d.season"
                    " from work_schedule_days d join work_schedules s on s.id = d.schedule_id"
                    " where s.code = %s and d.isodow = %s", (code, day.isoweekday()))
        rows = {r[2]: (r[0], r[1]) for r in cur.fetchall()}
    return rows.get(season) or rows.get("normal")


def working_day_before(db, nip, day):
    """The latest working day of nip's schedule on or before day (days off and holidays skipped)."""
    code = employee(db, nip)[5]
    while schedule_hours(db, code, day) is None:
        day -= datetime.timedelta(days=1)
    return day


def insert_day(db, nip, day, check_in=None, check_out=None):
    """An attendance row written straight into the database, times local 'HH:MM:SS' in nip's zone."""
    eid, _, _, _, tz, _ = employee(db, nip)
    with db.cursor() as cur:
        cur.execute("insert into attendance (employee_id, work_date, time_zone, source, check_in_at, check_out_at)"
                    " values (%s, %s, %s, 'mobile',"
                    "  case when %s::time is null then null else (%s::date + %s::time) at time zone %s end,"
                    "  case when %s::time is null then null else (%s::date + %s::time) at time zone %s end)"
                    " returning id",
                    (eid, day, tz, check_in, day, check_in, tz, check_out, day, check_out, tz))
        return cur.fetchone()[0]
