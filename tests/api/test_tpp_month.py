"""TPP month lifecycle: compute, review, close (frozen), reopen (audited),
idempotent re-runs, the employee's own breakdown, scope and bad input."""
import datetime

import pytest

from conftest import assert_problem
from tpp_support import (ADMIN, AHMAD, DEWI, EKO, RAHMAT, SDN1, SDN2, absence, call, clear, emp, ensure_rule,
                         fill_month, late, pct_amount, put_day, web)

MONTH = "2025-02"


def result_rows(db, nip, month):
    with db.cursor() as cur:
        cur.execute("select count(*), max(fingerprint), max(computed_at) from tpp_results t"
                    " join employees e on e.id = t.employee_id where e.nip = %s and t.month = %s",
                    (nip, month + "-01"))
        return cur.fetchone()


def compute(server, nip=EKO, unit=SDN1, month=MONTH):
    return call(server, "POST", f"/api/v1/tpp/months/{month}/compute", nip, json={"unit_code": unit})


def mine(server, nip=AHMAD, month=MONTH):
    return call(server, "GET", f"/api/v1/me/tpp/{month}", nip)


@pytest.fixture(scope="module")
def setup(server, request):
    import psycopg2
    from conftest import DATABASE_URL
    conn = psycopg2.connect(DATABASE_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("delete from tpp_results where month = %s", (MONTH + "-01",))
    ensure_rule(server, conn, SDN1, MONTH)
    ensure_rule(server, conn, SDN2, MONTH)
    yield conn
    clear(conn, AHMAD, MONTH)
    conn.close()


def test_lifecycle(server, setup, db):
    days = fill_month(db, AHMAD, MONTH)
    work = sorted(days)
    assert work[0] == datetime.date(2025, 2, 1)  # a Saturday: the 6-day school week works
    # Cuti from 29 January to 3 February: only 1 and 3 February are in the month (both exempt).
    for d in (datetime.date(2025, 2, 1), datetime.date(2025, 2, 3)):
        put_day(db, AHMAD, d, None, None, lkh=False)
    absence(db, AHMAD, "cuti", "2025-01-29", "2025-02-03")
    tl_day, absent_day = work[3], work[4]
    put_day(db, AHMAD, tl_day, late(days[tl_day][0], 15), days[tl_day][1] + ":00")
    put_day(db, AHMAD, absent_day, None, None, lkh=False)

    r = compute(server)
    assert r.status_code == 200, r.text
    summary = r.json()
    assert summary["month"] == MONTH and summary["unit_code"] == SDN1
    with db.cursor() as cur:
        cur.execute("select count(*) from employees e join org_units u on u.id = e.unit_id"
                    " where u.code = %s and e.status = 'active'", (SDN1,))
        assert summary["employees"] == cur.fetchone()[0]

    me = mine(server)
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["nip"] == AHMAD and body["status"] == "open"
    b = body["breakdown"]
    w = len(work)
    expected = w - 2
    score_bp = ((w - 3) * 10000 + expected // 2) // expected
    assert b["base_amount"] == 3500000 and b["class_grade"] == 9
    assert b["kinerja"]["max_amount"] == 2100000 and b["kehadiran"]["max_amount"] == 1400000
    assert b["kinerja"]["expected_days"] == expected and b["kinerja"]["approved_lkh_days"] == w - 3
    assert b["kehadiran"]["working_days"] == w and b["kehadiran"]["exempt_days"] == 2
    assert [e["date"] for e in b["kehadiran"]["exempt"]] == ["2025-02-01", "2025-02-03"]
    lines = [(x["date"], x["code"], x["pct"], x["amount"]) for x in b["kehadiran"]["deductions"]]
    assert lines == [(tl_day.isoformat(), "TL1", 0.5, 7000), (absent_day.isoformat(), "ABSENT", 4, 56000)]
    kinerja = (2100000 * score_bp + 5000) // 10000
    assert b["kinerja"]["amount"] == kinerja
    assert b["kehadiran"]["amount"] == 1400000 - 63000 == body["kehadiran_amount"]
    assert body["total_amount"] == kinerja + 1400000 - 63000
    assert pct_amount(1400000, 0.5) == 7000
    rule_id = body["rule_version_id"]
    assert b["rule_version_id"] == rule_id and rule_id

    # Idempotent: the same inputs give the same fingerprint, no new rows, nothing rewritten.
    before = result_rows(db, AHMAD, MONTH)
    again = compute(server)
    assert again.status_code == 200 and again.json()["changed"] == 0
    assert result_rows(db, AHMAD, MONTH) == before and before[0] == 1
    assert mine(server).json() == body

    # A correction on the late day (approved: source correction) changes the inputs.
    put_day(db, AHMAD, tl_day, days[tl_day][0] + ":00", days[tl_day][1] + ":00", corrected=True)
    changed = compute(server)
    assert changed.json()["changed"] == 1
    after = mine(server).json()
    assert after["fingerprint"] != body["fingerprint"] and after["kehadiran_amount"] == 1400000 - 56000

    # Close (admin or the anpeg of the subtree); the rule version is now locked.
    closed = call(server, "POST", f"/api/v1/tpp/months/{MONTH}/close", EKO, json={"unit_code": SDN1})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["closed"] == summary["employees"]
    frozen = mine(server).json()
    assert frozen["status"] == "closed" and frozen["closed_at"]
    r = call(server, "PUT", f"/api/v1/tpp/rules/{rule_id}", json={"rules": {**_rules(), "weights":
                                                                       {"kinerja": 50, "kehadiran": 50}}})
    assert_problem(r, 409, "tpp_rule_locked")

    # Frozen: presensi changes after close change nothing, even when recomputed.
    put_day(db, AHMAD, work[6], None, None, lkh=False)
    r = compute(server)
    assert r.status_code == 200 and r.json()["frozen"] == summary["employees"] and r.json()["changed"] == 0
    assert mine(server).json() == frozen

    # Reopen: admin only, with a reason, audited; then the month recomputes.
    assert_problem(call(server, "POST", f"/api/v1/tpp/months/{MONTH}/reopen", EKO,
                        json={"unit_code": SDN1, "reason": "salah hitung"}), 403, "forbidden")
    assert_problem(call(server, "POST", f"/api/v1/tpp/months/{MONTH}/reopen",
                        json={"unit_code": SDN1, "reason": "  "}), 422)
    r = call(server, "POST", f"/api/v1/tpp/months/{MONTH}/reopen", json={"unit_code": SDN1, "reason": "LKH terlambat"})
    assert r.status_code == 200 and r.json()["reopened"] == summary["employees"], r.text
    with db.cursor() as cur:
        cur.execute("select details->>'reason', actor_employee_id from audit_log where action = 'tpp.month.reopen'"
                    " order by id desc limit 1")
        reason, actor = cur.fetchone()
    assert reason == "LKH terlambat" and actor == emp(db, ADMIN)[0]
    assert_problem(call(server, "POST", f"/api/v1/tpp/months/{MONTH}/reopen",
                        json={"unit_code": SDN1, "reason": "lagi"}), 409, "tpp_month_not_closed")
    r = compute(server)
    assert r.json()["changed"] == 1
    reopened = mine(server).json()
    assert reopened["status"] == "open" and reopened["kehadiran_amount"] == 1400000 - 2 * 56000


def _rules():
    from tpp_support import RULES
    return dict(RULES)


def test_close_refusals(server, setup, db):
    # The server decides "over" in WIB (UTC+7): the month as it is there now.
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
    this_month = today.strftime("%Y-%m")
    r = call(server, "POST", f"/api/v1/tpp/months/{this_month}/close", json={"unit_code": SDN2})
    assert_problem(r, 409, "tpp_month_not_over")
    with db.cursor() as cur:
        cur.execute("delete from tpp_results t using employees e, org_units u where e.id = t.employee_id"
                    " and u.id = t.unit_id and u.code = %s and t.month = %s", (SDN2, MONTH + "-01"))
    body = assert_problem(call(server, "POST", f"/api/v1/tpp/months/{MONTH}/close", json={"unit_code": SDN2}), 409,
                          "tpp_not_computed")
    assert body["missing"] >= 1
    # A month in the future cannot be computed.
    future = (today.replace(day=1) + datetime.timedelta(days=62)).strftime("%Y-%m")
    assert_problem(compute(server, ADMIN, SDN2, future), 422)


def test_scope(server, setup, db):
    # anpeg outside the subtree: answered as an unknown unit (404), like a code that does not exist.
    assert_problem(compute(server, RAHMAT), 404, "unit_not_found")
    assert_problem(compute(server, EKO, "NO-SUCH-UNIT"), 404, "unit_not_found")
    # No role at all: 403; no token: 401; an app session on an administration route: 403.
    assert_problem(compute(server, DEWI), 403, "forbidden")
    assert_problem(compute(server, AHMAD), 403, "forbidden")
    assert_problem(compute(server, None), 401)
    for path in (f"/api/v1/tpp/months/{MONTH}/results?unit_code={SDN1}",
                 f"/api/v1/tpp/months/{MONTH}/export.csv?unit_code={SDN1}"):
        assert_problem(call(server, "GET", path, RAHMAT), 404, "unit_not_found")
        assert_problem(call(server, "GET", path, DEWI), 403, "forbidden")
    assert_problem(call(server, "POST", f"/api/v1/tpp/months/{MONTH}/close", RAHMAT, json={"unit_code": SDN1}), 404,
                   "unit_not_found")
    # The anpeg of a unit above (MUBA-DISDIK) may act on the school: done in test_lifecycle.


def test_me_is_own_only(server, setup, db):
    compute(server)
    r = mine(server, AHMAD)
    assert r.status_code == 200 and r.json()["nip"] == AHMAD
    # EKO has no result in that month (MUBA-DISDIK was not computed): 404, never someone else's.
    with db.cursor() as cur:
        cur.execute("delete from tpp_results t using employees e where e.id = t.employee_id and e.nip = %s"
                    " and t.month = %s", (EKO, MONTH + "-01"))
    assert_problem(mine(server, EKO), 404, "tpp_result_not_found")
    # Nothing in the route names another employee; a query naming one is ignored.
    r = call(server, "GET", f"/api/v1/me/tpp/{MONTH}?nip={AHMAD}", EKO)
    assert_problem(r, 404, "tpp_result_not_found")
    assert_problem(mine(server, None), 401)
    for bad in ("2025-13", "2025-2", "abcd-ef", "1999-12", "2025-02-01"):
        assert_problem(mine(server, AHMAD, bad), 422)


def test_results_paging(server, setup, db):
    assert compute(server).status_code == 200
    seen, cursor = [], None
    while True:
        params = {"unit_code": SDN1, "limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = call(server, "GET", f"/api/v1/tpp/months/{MONTH}/results", EKO, params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 2
        seen += [i["nip"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and AHMAD in seen and seen == sorted(seen)
    item = next(i for i in call(server, "GET", f"/api/v1/tpp/months/{MONTH}/results", EKO,
                                params={"unit_code": SDN1, "limit": 100}).json()["items"] if i["nip"] == AHMAD)
    assert item["total_amount"] == mine(server).json()["total_amount"] and "breakdown" not in item
    for params in ({"unit_code": SDN1, "limit": 0}, {"unit_code": SDN1, "limit": 101}, {"unit_code": SDN1,
                                                                                       "cursor": "garbage"}):
        assert_problem(call(server, "GET", f"/api/v1/tpp/months/{MONTH}/results", EKO, params=params), 422)
    assert_problem(call(server, "GET", f"/api/v1/tpp/months/{MONTH}/results", EKO), 422)  # unit_code missing


def test_bad_requests(server, setup):
    path = f"/api/v1/tpp/months/{MONTH}/compute"
    h = {**web(server, EKO), "Content-Type": "application/json"}
    assert_problem(call(server, "POST", path, None, headers=h, data=b"{not json"), 400)
    assert_problem(call(server, "POST", path, None, headers={**h, "Content-Type": "text/plain"}, data=b"{}"), 415)
    assert_problem(call(server, "POST", path, EKO, json={}), 422)
    assert_problem(call(server, "POST", path, EKO, json={"unit_code": 7}), 422)
    assert_problem(call(server, "POST", path, EKO, json={"unit_code": SDN1, "extra": 1}), 422)
    assert_problem(call(server, "POST", path, EKO, json={"unit_code": "X" * 65}), 422)
    assert_problem(call(server, "POST", path, EKO, json={"unit_code": "x" * 70000}), 413)
    assert_problem(call(server, "POST", "/api/v1/tpp/months/2025-00/compute", EKO, json={"unit_code": SDN1}), 422)
    assert_problem(call(server, "GET", path, EKO), 405)
