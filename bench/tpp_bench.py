#!/usr/bin/python3
"""Drives the TPP month benchmark against a running server (bench/tpp).

Measures, for the bench unit and month: the floor (one SELECT reading the rows
the computation reads: the employees' days with schedule, holiday, attendance
and LKH; once counted in the database, once streamed out with COPY), then the
first compute (all rows written), repeated computes (same inputs: idempotent,
nothing written), the close, and an XLSX export; the server's RSS (VmRSS) and
peak (VmHWM) from /proc around each step. Wall-clock times, the machine as it is.
"""
import argparse
import io
import json
import os
import subprocess
import sys
import time

import psycopg2
import requests

DEMO_ADMIN = "198807142014031001"
DEMO_PASSWORD = "eOffice-Demo-2026"
UNIT = "BENCH-TPP"

# The floor: the same employee-days and their rows, read by one plain SELECT.
# Two shapes (a timestamp day series, and the settings function the
# computation uses); the faster one is the floor.
FLOOR_SQL = ["""
select e.id, d.d::date, wn.start_time as ns, wn.end_time as ne, wr.start_time as rs, wr.end_time as re,
       h.id as holiday, a.check_in_at, a.check_out_at, a.time_zone, a.corrected_by, k.id as lkh, e.unit_id
from employees e
join org_units u on u.id = e.unit_id and u.code = 'BENCH-TPP'
cross join generate_series(%(first)s::date, %(last)s::date, interval '1 day') d
left join work_schedule_days wn on wn.schedule_id = e.work_schedule_id and wn.season = 'normal'
     and wn.isodow = extract(isodow from d.d)
left join work_schedule_days wr on wr.schedule_id = e.work_schedule_id and wr.season = 'ramadan'
     and wr.isodow = extract(isodow from d.d)
left join public_holidays h on h.holiday_date = d.d::date
left join attendance a on a.employee_id = e.id and a.work_date = d.d::date
left join lkh_reports k on k.employee_id = e.id and k.work_date = d.d::date and k.status = 'approved'
""", """
select s.employee_id, s.day, wn.start_time as ns, wn.end_time as ne, wr.start_time as rs, wr.end_time as re,
       h.id as holiday, a.check_in_at, a.check_out_at, a.time_zone, a.corrected_by, k.id as lkh, s.unit_id
from eo_employee_settings_between(%(first)s::date, %(last)s::date) s
join employees e on e.id = s.employee_id
join org_units u on u.id = e.unit_id and u.code = 'BENCH-TPP'
left join work_schedule_days wn on wn.schedule_id = s.work_schedule_id and wn.season = 'normal'
     and wn.isodow = extract(isodow from s.day)
left join work_schedule_days wr on wr.schedule_id = s.work_schedule_id and wr.season = 'ramadan'
     and wr.isodow = extract(isodow from s.day)
left join public_holidays h on h.holiday_date = s.day
left join attendance a on a.employee_id = s.employee_id and a.work_date = s.day
left join lkh_reports k on k.employee_id = s.employee_id and k.work_date = s.day and k.status = 'approved'
"""]

def mem(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) // 1024
    return out


def login(url):
    otp = subprocess.run([os.environ.get("EOFFICE_BIN", "build/eoffice"), "dev-otp", DEMO_ADMIN],
                         capture_output=True, text=True, check=True).stdout.strip()
    r = requests.post(url + "/api/v1/auth/login", json={"nip": DEMO_ADMIN, "password": DEMO_PASSWORD, "otp": otp},
                      timeout=30)
    r.raise_for_status()
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--month", required=True)
    ap.add_argument("--employees", type=int, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    first = a.month + "-01"
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("select %s::date + interval '1 month - 1 day'", (first,))
    last = cur.fetchone()[0].date().isoformat()
    res = {"employees": a.employees, "month": a.month}
    cur.execute("set jit = off")  # as the computation runs
    floors_count, floors_copy = [], []
    for shape in FLOOR_SQL:
        q = cur.mogrify(shape, {"first": first, "last": last}).decode()
        cur.execute(f"select count(*) from ({q}) x")  # warm the cache
        res["day_rows"] = cur.fetchone()[0]
        for _ in range(3):
            floors_count.append(timed(lambda: cur.execute(
                f"select count(*), count(x.check_in_at), count(x.lkh) from ({q}) x"))[0])
            sink = io.StringIO()
            floors_copy.append(timed(lambda: cur.copy_expert(f"copy ({q}) to stdout", sink))[0])
    res["floor_select_count_s"] = min(floors_count)
    res["floor_select_copy_s"] = min(floors_copy)
    cur.execute("select count(*) from attendance a join employees e on e.id = a.employee_id join org_units u"
                " on u.id = e.unit_id where u.code = %s and a.work_date between %s and %s", (UNIT, first, last))
    res["attendance_rows"] = cur.fetchone()[0]

    h = login(a.url)
    body = {"unit_code": UNIT}
    res["rss_before_mb"] = mem(a.pid)
    t, r = timed(lambda: requests.post(f"{a.url}/api/v1/tpp/months/{a.month}/compute", json=body, headers=h,
                                       timeout=3600))
    assert r.status_code == 200, r.text
    res["compute_first_s"] = t
    res["compute_first"] = r.json()
    res["rss_after_compute_mb"] = mem(a.pid)
    reruns = []
    for _ in range(a.runs):
        t, r = timed(lambda: requests.post(f"{a.url}/api/v1/tpp/months/{a.month}/compute", json=body, headers=h,
                                           timeout=3600))
        assert r.status_code == 200 and r.json()["changed"] == 0, r.text
        reruns.append(t)
    res["compute_rerun_s"] = reruns
    cur.execute("select count(*), count(distinct fingerprint) from tpp_results t join org_units u on u.id = t.unit_id"
                " where u.code = %s and t.month = %s", (UNIT, first))
    res["result_rows"], res["distinct_fingerprints"] = cur.fetchone()
    t, r = timed(lambda: requests.post(f"{a.url}/api/v1/tpp/months/{a.month}/close", json=body, headers=h,
                                       timeout=3600))
    assert r.status_code == 200, r.text
    res["close_s"] = t
    t, r = timed(lambda: requests.get(f"{a.url}/api/v1/tpp/months/{a.month}/export.xlsx", params=body, headers=h,
                                      timeout=3600))
    assert r.status_code == 200, r.text
    res["export_xlsx_s"] = t
    res["export_xlsx_bytes"] = len(r.content)
    res["rss_end_mb"] = mem(a.pid)
    floor = res["floor_select_copy_s"]
    res["compute_vs_floor"] = res["compute_first_s"] / floor
    res["rerun_vs_floor"] = min(reruns) / floor if reruns else None
    with open(a.out, "w") as f:
        json.dump(res, f, indent=2, default=str)
    print(f"TPP month bench: {a.employees} employees, {a.month}, {res['day_rows']} employee-days,"
          f" {res['attendance_rows']} attendance rows")
    print(f"  floor SELECT (same rows, COPY to client) {floor:8.3f} s   (counted in the database {res['floor_select_count_s']:.3f} s)")
    print(f"  compute (first, all rows written)        {res['compute_first_s']:8.3f} s   = {res['compute_vs_floor']:.2f} x floor")
    print(f"  compute again (same inputs, idempotent)  {min(reruns) if reruns else float('nan'):8.3f} s   = {res['rerun_vs_floor'] or 0:.2f} x floor  runs {['%.3f' % x for x in reruns]}")
    print(f"  close                                    {res['close_s']:8.3f} s")
    print(f"  export.xlsx ({res['export_xlsx_bytes']} bytes)            {res['export_xlsx_s']:8.3f} s")
    print(f"  server RSS before {res['rss_before_mb']['VmRSS']} MB (peak so far {res['rss_before_mb']['VmHWM']} MB),"
          f" after compute {res['rss_after_compute_mb']['VmRSS']} MB (peak {res['rss_after_compute_mb']['VmHWM']} MB),"
          f" peak after close and export {res['rss_end_mb']['VmHWM']} MB")
    print(f"  result rows {res['result_rows']}, distinct fingerprints {res['distinct_fingerprints']}")
    print("  wall-clock times on a shared machine (other engineers' builds and tests run beside it)")


if __name__ == "__main__":
    sys.exit(main())
