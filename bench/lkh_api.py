"""LKH API timings (docs/lkh.md): create (3 activities), submit, the atasan's
team queue (100 reports) and a bulk approval of 100 reports, against a
throw-away server on the test database.

Run with the environment `scripts/dev test` sets up (DATABASE_URL,
EOFFICE_BIN, EOFFICE_JWT_PRIVATE_KEY_FILE, EOFFICE_SECRET_KEY, ...) on a
seeded database: /usr/bin/python3 bench/lkh_api.py
It removes Ahmad's (a demo employee's) LKH rows before and after.
"""
import sys, time, statistics, datetime, json
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "tests" / "api"))
import psycopg2, requests
from conftest import Server, DATABASE_URL
from helpers_auth import auth_headers, login
from lkh_support import AHMAD, NURHASANAH, reset, working, activity

db = psycopg2.connect(DATABASE_URL); db.autocommit = True
srv = Server()
try:
    reset(db, AHMAD)
    ha = auth_headers(login(srv.url, AHMAD)); hn = auth_headers(login(srv.url, NURHASANAH))
    # open 100 past working days for Ahmad (a permit each), then create, submit, bulk-approve
    days, d = [], datetime.date.today() - datetime.timedelta(days=1)
    while len(days) < 100:
        if working(db, AHMAD, d): days.append(d)
        d -= datetime.timedelta(days=1)
    with db.cursor() as cur:
        for d in days:
            cur.execute("insert into lkh_late_permits (employee_id, work_date, granted_by) select a.id, %s, b.id"
                        " from employees a, employees b where a.nip = %s and b.nip = %s on conflict do nothing", (d, AHMAD, NURHASANAH))
    acts = [activity("07:30", "09:00"), activity("09:00", "10:30"), activity(None, None, duration_min=60)]
    c_t, s_t, ids = [], [], []
    for d in days:
        t = time.perf_counter(); r = requests.post(srv.url + "/api/v1/lkh/reports", headers=ha, json={"work_date": d.isoformat(), "activities": acts}); c_t.append(time.perf_counter() - t)
        assert r.status_code == 201, r.text; ids.append(r.json()["id"])
        t = time.perf_counter(); r = requests.post(srv.url + f"/api/v1/lkh/reports/{ids[-1]}/submit", headers=ha); s_t.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
    q_t = []
    for _ in range(20):
        t = time.perf_counter(); r = requests.get(srv.url + "/api/v1/lkh/team", headers=hn, params={"limit": 100}); q_t.append(time.perf_counter() - t)
        assert r.status_code == 200 and len(r.json()["items"]) == 100
    t = time.perf_counter(); r = requests.post(srv.url + "/api/v1/lkh/team/approve", headers=hn, json={"ids": ids}); b = time.perf_counter() - t
    assert r.status_code == 200 and r.json()["approved"] == 100, r.text[:300]
    ms = lambda xs: f"median {statistics.median(xs)*1000:.1f} ms, p95 {sorted(xs)[int(len(xs)*0.95)-1]*1000:.1f} ms"
    print("create (3 activities):", ms(c_t)); print("submit (notify atasan):", ms(s_t))
    print("team queue, 100 reports:", ms(q_t)); print(f"bulk approve 100 ids: {b*1000:.0f} ms ({b*10:.1f} ms per report)")
finally:
    reset(db, AHMAD)
    srv.stop()
