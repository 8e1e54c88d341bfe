"""The session cache (svc/session_cache.c): two server processes on one
PostgreSQL. A revocation or a disabled account on server A must take effect on
server B within 1 s although B answers from its cache, and still when B's
LISTEN connection has been killed (B then queries for every request)."""
import re
import time

import requests

from helpers_auth import auth_headers, login
from identity_support import ADMIN, fresh_employee, login_with, register_and_verify

BOUND_S = 1.0


def me(srv, tok):
    return requests.get(srv.url + "/api/v1/me", headers=auth_headers(tok), timeout=30).status_code


def warm(srv, tok):
    """A few accepted requests: the session is in B's cache afterwards."""
    for _ in range(5):
        assert me(srv, tok) == 200


def refused_within(srv, tok, start):
    """Seconds from `start` until srv answers 401 for tok (fails after the bound)."""
    while True:
        st = me(srv, tok)
        now = time.monotonic()
        if st == 401:
            return now - start
        assert st == 200, st
        assert now - start <= BOUND_S, f"still accepted {now - start:.2f} s after the revocation"
        time.sleep(0.02)


def kill_listeners(db):
    cur = db.cursor()
    cur.execute("select count(pg_terminate_backend(pid)) from pg_stat_activity"
                " where application_name = 'eoffice-session-listener'")
    return cur.fetchone()[0]


def test_session_cache_logout_on_a_reaches_b(start_server, db):
    a, b = start_server(), start_server()
    emp = fresh_employee(db, 19)
    _, tok, app = register_and_verify(a.url, db, emp)
    warm(b, tok)
    t0 = time.monotonic()
    assert requests.post(a.url + "/api/v1/auth/logout", headers=auth_headers(tok), timeout=30).status_code == 204
    assert refused_within(b, tok, t0) <= BOUND_S
    # A new session of the same employee is not caught up in the invalidation.
    r = login_with(a.url, app)
    assert r.status_code == 200, r.text
    assert me(b, r.json()) == 200


def test_session_cache_disable_on_a_reaches_b(start_server, db):
    a, b = start_server(), start_server()
    emp = fresh_employee(db, 20)
    _, tok, app = register_and_verify(a.url, db, emp)
    admin = login(a.url, ADMIN, fresh=True)
    warm(b, tok)
    base = a.url + f"/api/v1/admin/employees/{emp['nip']}"
    t0 = time.monotonic()
    assert requests.post(base + "/disable", headers=auth_headers(admin), timeout=30).status_code == 200
    assert refused_within(b, tok, t0) <= BOUND_S
    assert requests.post(base + "/enable", headers=auth_headers(admin), timeout=30).status_code == 200
    # Enabling again does not bring the old session back on B (disabling ended it).
    assert me(b, tok) == 401


def test_session_cache_falls_back_when_listener_is_killed(start_server, db):
    b = start_server()
    emp = fresh_employee(db, 21)
    _, tok, _ = register_and_verify(b.url, db, emp)
    warm(b, tok)
    assert kill_listeners(db) >= 1
    # Revoke straight in the database while the channel is down or reconnecting:
    # its NOTIFY may never reach B, which must then not trust its cache.
    t0 = time.monotonic()
    db.cursor().execute("update sessions set revoked_at = now(), revoked_reason = 'test' where id = %s",
                        (tok["session_id"],))
    assert refused_within(b, tok, t0) <= BOUND_S
    # The listener comes back by itself and the cache serves again.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        cur = db.cursor()
        cur.execute("select count(*) from pg_stat_activity where application_name = 'eoffice-session-listener'")
        if cur.fetchone()[0] >= 1:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the session listener did not reconnect")
    assert b.stop() == 0



def test_session_cache_honours_a_sessions_own_expiry(start_server, db):
    """A session that simply runs out (no update, hence no NOTIFY) is refused
    from the second it expires, cached or not: the entry holds expires_at."""
    b = start_server()
    emp = fresh_employee(db, 24)
    _, tok, _ = register_and_verify(b.url, db, emp)
    cur = db.cursor()
    # (this update notifies and drops the entry; the next requests cache the new expiry)
    cur.execute("update sessions set expires_at = now() + interval '2 seconds' where id = %s "
                "returning extract(epoch from expires_at - now())", (tok["session_id"],))
    left = float(cur.fetchone()[0])
    t0 = time.monotonic()
    warm(b, tok)
    time.sleep(max(0.0, left - (time.monotonic() - t0)) + 0.05)
    assert me(b, tok) == 401
    assert b.stop() == 0


def counter(srv, name):
    m = re.search(rf"^{name} (\d+)$", srv.metrics(), re.M)
    assert m, name
    return int(m.group(1))


def test_session_cache_counts_its_hits_and_misses(start_server, db):
    """/metrics shows the caches at work: once a session is cached its /me
    requests are all hits (no query), and the channel is trusted."""
    b = start_server()
    emp = fresh_employee(db, 25)
    _, tok, _ = register_and_verify(b.url, db, emp)
    assert me(b, tok) == 200  # fills both caches (the channel may still be proving itself)
    deadline = time.monotonic() + 5
    while counter(b, "eoffice_session_cache_trusted") != 1:
        assert time.monotonic() < deadline, "the session listener never proved its channel"
        time.sleep(0.05)
    assert me(b, tok) == 200
    hits, misses = counter(b, "eoffice_session_cache_hits_total"), counter(b, "eoffice_session_cache_misses_total")
    p_hits, p_misses = counter(b, "eoffice_profile_cache_hits_total"), counter(b, "eoffice_profile_cache_misses_total")
    for _ in range(20):
        assert me(b, tok) == 200
    # (a miss is allowed only if the channel's proof lapsed under a loaded CI machine)
    assert counter(b, "eoffice_session_cache_misses_total") - misses <= 2
    assert counter(b, "eoffice_session_cache_hits_total") - hits >= 18
    assert counter(b, "eoffice_profile_cache_misses_total") - p_misses <= 2
    assert counter(b, "eoffice_profile_cache_hits_total") - p_hits >= 18
    assert b.stop() == 0


def me_json(srv, tok, path="/api/v1/me"):
    r = requests.get(srv.url + path, headers=auth_headers(tok), timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def shows_within(srv, tok, start, pred):
    """Seconds from `start` until srv's /me satisfies pred (fails after the bound)."""
    while True:
        body = me_json(srv, tok)
        now = time.monotonic()
        if pred(body):
            return now - start
        assert now - start <= BOUND_S, f"/me still stale {now - start:.2f} s after the change: {body}"
        time.sleep(0.02)


def test_profile_cache_follows_changes_made_elsewhere(start_server, db):
    """B serves /me from its cache; a change committed anywhere (psql here) shows on B within 1 s:
    the employee's own row, a shared row (the unit's name), a role grant, and a subordinate who
    makes them an atasan."""
    b = start_server()
    emp = fresh_employee(db, 22)
    sub = fresh_employee(db, 23)
    _, tok, _ = register_and_verify(b.url, db, emp)
    first = me_json(b, tok)
    for _ in range(3):
        assert me_json(b, tok) == first
    cur = db.cursor()
    cur.execute("select e.name, e.unit_id, u.name, e2.supervisor_id from employees e join org_units u on u.id = e.unit_id,"
                " employees e2 where e.nip = %s and e2.nip = %s", (emp["nip"], sub["nip"]))
    name, unit_id, unit_name, sub_supervisor = cur.fetchone()
    try:
        t0 = time.monotonic()
        cur.execute("update employees set name = %s where nip = %s", ("Drs. Cache Berubah", emp["nip"]))
        assert shows_within(b, tok, t0, lambda m: m["name"] == "Drs. Cache Berubah") <= BOUND_S

        me_json(b, tok)
        t0 = time.monotonic()
        cur.execute("update org_units set name = %s where id = %s", (unit_name + " (baru)", unit_id))
        assert shows_within(b, tok, t0, lambda m: m["unit"]["name"] == unit_name + " (baru)") <= BOUND_S

        me_json(b, tok)
        t0 = time.monotonic()
        cur.execute("insert into role_grants (employee_id, role) select id, 'humas' from employees where nip = %s",
                    (emp["nip"],))
        assert shows_within(b, tok, t0, lambda m: "humas" in m["roles"]) <= BOUND_S

        me_json(b, tok)
        t0 = time.monotonic()
        cur.execute("update employees set supervisor_id = (select id from employees where nip = %s) where nip = %s",
                    (emp["nip"], sub["nip"]))
        assert shows_within(b, tok, t0, lambda m: "atasan" in m["roles"]) <= BOUND_S
    finally:
        cur.execute("update employees set supervisor_id = %s where nip = %s", (sub_supervisor, sub["nip"]))
        cur.execute("delete from role_grants where role = 'humas' and employee_id = %s", (emp["id"],))
        cur.execute("update org_units set name = %s where id = %s", (unit_name, unit_id))
        cur.execute("update employees set name = %s where nip = %s", (name, emp["nip"]))
    assert b.stop() == 0
