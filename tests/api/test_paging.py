"""Keyset paging of every list under /api/v1/me and /api/v1/admin: walking all pages
serves each item exactly once in order, the last page says next_cursor null, and a
cursor is refused (422 problem+json) unless it is this list's, with these filters,
untouched. Rows are made with SQL so no test waits for a TOTP step."""
import base64
import json
import uuid

import pytest
import requests

from conftest import assert_problem, walk_pages
from helpers_auth import auth_headers, login
from identity_support import ADMIN, GURU_JPR, GURU_SEKAYU, STAFF


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def employee_id(db, nip):
    with db.cursor() as cur:
        cur.execute("select id from employees where nip = %s", (nip,))
        return cur.fetchone()[0]


def get(server, path, token, **params):
    return requests.get(server.url + path, headers=auth_headers(token), params=params, timeout=30)


def walk(server, path, token, key, limit=2, **params):
    """Every page of a list; returns the keys in order and the number of pages."""
    items, pages = walk_pages(lambda q: get(server, path, token, **q), limit, params, max_pages=100)
    return [key(item) for item in items], pages


def first_cursor(server, path, token, **params):
    r = get(server, path, token, limit=1, **params)
    assert r.status_code == 200, r.text
    cursor = r.json()["next_cursor"]
    assert cursor, r.text
    return cursor


def tampered(cursor):
    """The same cursor with one position value changed, the MAC left as it was."""
    body, mac = cursor.split(".")
    pos = json.loads(unb64url(body))
    pos[-1] = str(int(pos[-1]) + 1) if str(pos[-1]).isdigit() else "1"
    return b64url(json.dumps(pos, separators=(",", ":")).encode()) + "." + mac


def bad_cursors(cursor):
    body, mac = cursor.split(".")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    return {
        "tampered": tampered(cursor),
        "flipped_mac": body + "." + flipped,
        "no_mac": body,
        "forged": b64url(b'["2030-01-01T00:00:00.000000Z","1"]') + "." + b64url(bytes(16)),
        "garbage": "!!not-a-cursor!!",
        "number": "12345",
        "oversized": "A" * 600 + "." + mac,
    }


def assert_rejects_bad_input(server, path, token, cursor, **params):
    for name, bad in bad_cursors(cursor).items():
        r = get(server, path, token, cursor=bad, **params)
        body = assert_problem(r, 422)
        assert [e["field"] for e in body["errors"]] == ["cursor"], (name, body)
        assert body["errors"][0]["code"] == "invalid_cursor", (name, body)
    for limit in ("0", "101", "201", "-1", "abc", ""):
        body = assert_problem(get(server, path, token, limit=limit, **params), 422)
        assert body["errors"][0]["field"] == "limit", (limit, body)


@pytest.fixture
def owner(server):
    return login(server.url, GURU_JPR)


@pytest.fixture
def other(server):
    return login(server.url, GURU_SEKAYU)


@pytest.fixture
def admin(server):
    return login(server.url, ADMIN)


@pytest.fixture
def sessions(db, owner):
    """Five extra live sessions of the owner, two of them created at the same instant."""
    eid = employee_id(db, GURU_JPR)
    ids = []
    with db.cursor() as cur:
        for minutes in (5, 10, 10, 15, 20):
            cur.execute("insert into sessions (employee_id, client, ip, user_agent, expires_at, created_at) "
                        "values (%s, 'web', '10.9.9.9', 'paging-test', now() + interval '1 hour', "
                        "now() - make_interval(mins => %s)) returning id", (eid, minutes))
            ids.append(cur.fetchone()[0])
    yield ids
    with db.cursor() as cur:
        cur.execute("delete from sessions where id = any(%s)", (ids,))


def live_sessions(db, nip):
    with db.cursor() as cur:
        cur.execute("select id from sessions where employee_id = %s and revoked_at is null and expires_at > now() "
                    "order by created_at desc, id desc", (employee_id(db, nip),))
        return [r[0] for r in cur.fetchall()]


def test_paging_me_sessions_walk(server, db, owner, sessions):
    seen, pages = walk(server, "/api/v1/me/sessions", owner, key=lambda s: s["id"])
    assert seen == live_sessions(db, GURU_JPR)
    assert len(seen) == len(set(seen)) and set(sessions) <= set(seen)
    # limit + 1 rows are fetched, so a full last page already says null: never an empty page.
    assert pages == -(-len(seen) // 2)
    r = get(server, "/api/v1/me/sessions", owner, limit=len(seen))
    assert [s["id"] for s in r.json()["items"]] == seen and r.json()["next_cursor"] is None


def test_paging_me_sessions_are_private(server, db, owner, other, sessions):
    cursor = first_cursor(server, "/api/v1/me/sessions", owner)
    # Another employee's cursor is refused outright, and their walk shows none of the owner's sessions.
    assert_problem(get(server, "/api/v1/me/sessions", other, cursor=cursor), 422)
    seen, _ = walk(server, "/api/v1/me/sessions", other, key=lambda s: s["id"])
    assert seen == live_sessions(db, GURU_SEKAYU)
    assert not set(seen) & set(sessions)


def test_paging_me_sessions_bad_input(server, owner, sessions):
    cursor = first_cursor(server, "/api/v1/me/sessions", owner)
    assert_rejects_bad_input(server, "/api/v1/me/sessions", owner, cursor)
    # A cursor of another list.
    assert_problem(get(server, "/api/v1/me/devices", owner, cursor=cursor), 422)


@pytest.fixture
def devices(db, owner):
    eid = employee_id(db, GURU_JPR)
    tag = uuid.uuid4().hex[:8]
    ids = []
    with db.cursor() as cur:
        for i, minutes in enumerate((1, 2, 2, 3, 4)):
            cur.execute("insert into devices (employee_id, device_id, device_name, platform, app_version, "
                        "first_seen_at, last_seen_at) values (%s, %s, 'paging phone', 'android', '1.0', "
                        "now() - make_interval(mins => %s), now() - make_interval(mins => %s)) returning id",
                        (eid, f"paging-{tag}-{i}", minutes, 10 - i))
            ids.append(cur.fetchone()[0])
    yield [f"paging-{tag}-{i}" for i in range(5)]
    with db.cursor() as cur:
        cur.execute("delete from devices where id = any(%s)", (ids,))


def device_ids(db, nip):
    with db.cursor() as cur:
        cur.execute("select device_id from devices where employee_id = %s order by first_seen_at desc, id desc",
                    (employee_id(db, nip),))
        return [r[0] for r in cur.fetchall()]


def test_paging_me_devices(server, db, owner, other, devices):
    seen, pages = walk(server, "/api/v1/me/devices", owner, key=lambda d: d["device_id"])
    assert seen == device_ids(db, GURU_JPR) and set(devices) <= set(seen) and len(seen) == len(set(seen))
    assert pages >= 3
    cursor = first_cursor(server, "/api/v1/me/devices", owner)
    assert_rejects_bad_input(server, "/api/v1/me/devices", owner, cursor)
    assert_problem(get(server, "/api/v1/me/sessions", owner, cursor=cursor), 422)
    assert_problem(get(server, "/api/v1/me/devices", other, cursor=cursor), 422)
    theirs, _ = walk(server, "/api/v1/me/devices", other, key=lambda d: d["device_id"])
    assert not set(theirs) & set(devices)


@pytest.fixture
def grants(db, admin):
    """Five revoked humas grants of GURU_JPR (revoked, so the one-active-grant rule holds)."""
    eid, by = employee_id(db, GURU_JPR), employee_id(db, ADMIN)
    ids = []
    with db.cursor() as cur:
        for minutes in (50, 40, 40, 30, 20):
            cur.execute("insert into role_grants (employee_id, role, granted_by, granted_at, revoked_at, revoked_by) "
                        "values (%s, 'humas', %s, now() - make_interval(mins => %s), now(), %s) returning id",
                        (eid, by, minutes, by))
            ids.append(cur.fetchone()[0])
    yield ids
    with db.cursor() as cur:
        cur.execute("delete from role_grants where id = any(%s)", (ids,))


def test_paging_admin_roles(server, db, admin, grants):
    path = f"/api/v1/admin/employees/{GURU_JPR}/roles"
    seen, pages = walk(server, path, admin, key=lambda g: g["id"])
    with db.cursor() as cur:
        cur.execute("select id from role_grants where employee_id = %s order by granted_at desc, id desc",
                    (employee_id(db, GURU_JPR),))
        assert seen == [r[0] for r in cur.fetchall()]
    assert set(grants) <= set(seen) and pages == -(-len(seen) // 2)
    cursor = first_cursor(server, path, admin)
    assert_rejects_bad_input(server, path, admin, cursor)
    # The cursor names this employee: on another employee's grants it is refused.
    assert_problem(get(server, f"/api/v1/admin/employees/{GURU_SEKAYU}/roles", admin, cursor=cursor), 422)
    assert_problem(get(server, "/api/v1/admin/audit-log", admin, cursor=cursor), 422)
    # A valid cursor does not open the list to a non-admin.
    assert_problem(get(server, path, login(server.url, STAFF), cursor=cursor), 403, "forbidden")
    assert_problem(get(server, "/api/v1/admin/employees/000000000000000000/roles", admin), 404, "employee_not_found")


@pytest.fixture
def audit_rows(db):
    """Five audit rows of a fresh action, two of them at the same instant, about GURU_JPR."""
    action = "test.paging." + uuid.uuid4().hex[:12]
    ids = []
    with db.cursor() as cur:
        for seconds in (1, 2, 2, 3, 4):
            cur.execute("insert into audit_log (action, target_type, target_id, at) "
                        "values (%s, 'employee', %s, now() - make_interval(secs => %s)) returning id",
                        (action, GURU_JPR, seconds))
            ids.append(cur.fetchone()[0])
    return action, ids


def test_paging_admin_audit_log(server, db, admin, audit_rows):
    action, ids = audit_rows
    path = "/api/v1/admin/audit-log"
    seen, pages = walk(server, path, admin, key=lambda e: e["id"], action=action)
    with db.cursor() as cur:
        cur.execute("select id from audit_log where action = %s order by at desc, id desc", (action,))
        assert seen == [r[0] for r in cur.fetchall()]
    assert sorted(seen) == sorted(ids) and pages == 3
    # Same rows through the nip filter (the target), with both filters.
    both, _ = walk(server, path, admin, key=lambda e: e["id"], action=action, nip=GURU_JPR)
    assert both == seen
    cursor = first_cursor(server, path, admin, action=action)
    assert_rejects_bad_input(server, path, admin, cursor, action=action)
    # The cursor is bound to its filters: another action, an added nip, no filter, another list.
    for params in ({"action": action + "x"}, {"action": action, "nip": GURU_JPR}, {}, {"nip": GURU_JPR}):
        assert_problem(get(server, path, admin, cursor=cursor, **params), 422)
    assert_problem(get(server, f"/api/v1/admin/employees/{GURU_JPR}/roles", admin, cursor=cursor), 422)
    assert_problem(get(server, path, login(server.url, STAFF), cursor=cursor, action=action), 403, "forbidden")
    # Filters that cannot match anything are still refused as before.
    assert_problem(get(server, path, admin, nip="1" * 19), 422, "invalid_value")


def test_paging_admin_audit_log_unfiltered_reaches_past_the_first_page(server, admin, audit_rows):
    """Without filters the newest rows come first and the next page continues strictly after them."""
    first = get(server, "/api/v1/admin/audit-log", admin, limit=3).json()
    second = get(server, "/api/v1/admin/audit-log", admin, limit=3, cursor=first["next_cursor"]).json()
    assert len(first["items"]) == 3 and second["items"]
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert first["items"][-1]["at"] >= second["items"][0]["at"]
