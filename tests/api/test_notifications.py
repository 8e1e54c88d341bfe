"""The notifications read side: GET /api/v1/me/notifications (newest first,
unread_count, ?unread=true, keyset paging), mark one / all read, the same under
/mobile/v1 in the compact shape, another employee's ids (404), the e-mail
opt-in (GET/PUT /api/v1/me/notification-settings) with delivery through the
fake SMTP server. Rows are written with SQL where a producer is not the point."""
import pytest

from conftest import assert_problem
from directory_support import AGUSTINA, EKO, ISKANDAR, NURHAYATI, SUKARDI, app, call, employee_id, get, walk, web

LIST = "/api/v1/me/notifications"
MLIST = "/mobile/v1/me/notifications"


def add_notices(db, nip, n, kind="test.paging", read=False):
    """n notifications for nip, one second apart (the newest last); returns their ids, newest first."""
    eid = employee_id(db, nip)
    ids = []
    with db.cursor() as cur:
        for i in range(n):
            cur.execute("insert into notifications (employee_id, kind, title, body, target_type, target_id, created_at,"
                        " read_at) values (%s, %s, %s, 'isi', 'test', %s, now() - make_interval(secs => %s),"
                        " case when %s then now() end) returning id",
                        (eid, kind, f"Uji {i}", str(i), n - i, read))
            ids.append(cur.fetchone()[0])
    return ids[::-1]


def expected(db, nip, unread_only=False):
    with db.cursor() as cur:
        cur.execute("select id from notifications where employee_id = %s and (not %s or read_at is null)"
                    " order by created_at desc, id desc", (employee_id(db, nip), unread_only))
        return [r[0] for r in cur.fetchall()]


def unread(db, nip):
    return len(expected(db, nip, True))


def test_list_pages_newest_first_with_unread_count(server, db):
    add_notices(db, EKO, 7)
    add_notices(db, EKO, 2, read=True)
    h = web(server, EKO)
    items, pages = walk(server, LIST, h, 3)
    assert [x["id"] for x in items] == expected(db, EKO)
    assert pages == -(-len(items) // 3)
    first = get(server, LIST, h, limit=3).json()
    assert first["unread_count"] == unread(db, EKO) >= 7
    n = first["items"][0]
    assert set(n) == {"id", "kind", "title", "body", "target_type", "target_id", "data", "actor", "created_at",
                      "read_at"}
    only_unread, _ = walk(server, LIST, h, 4, unread="true")
    assert [x["id"] for x in only_unread] == expected(db, EKO, True)
    assert all(x["read_at"] is None for x in only_unread)
    assert {x["id"] for x in items if x["read_at"]} == set(expected(db, EKO)) - set(expected(db, EKO, True))


def test_mark_one_read_is_idempotent_and_counts(server, db):
    (nid,) = add_notices(db, EKO, 1, kind="test.mark")
    h = web(server, EKO)
    before = get(server, LIST, h).json()["unread_count"]
    r = call(server, "POST", f"{LIST}/{nid}/read", h)
    assert r.status_code == 200 and r.json()["id"] == nid and r.json()["read_at"]
    again = call(server, "POST", f"{LIST}/{nid}/read", h).json()
    assert again["read_at"] == r.json()["read_at"]
    assert get(server, LIST, h).json()["unread_count"] == before - 1
    assert nid not in [x["id"] for x in walk(server, LIST, h, 100, unread="true")[0]]


def test_another_employees_notification_is_404_and_untouched(server, db):
    (theirs,) = add_notices(db, AGUSTINA, 1, kind="test.bola")
    h = web(server, EKO)
    assert_problem(call(server, "POST", f"{LIST}/{theirs}/read", h), 404, "notification_not_found")
    assert_problem(call(server, "POST", f"{MLIST}/{theirs}/read", app(server, EKO)), 404, "notification_not_found")
    with db.cursor() as cur:
        cur.execute("select read_at from notifications where id = %s", (theirs,))
        assert cur.fetchone()[0] is None
    assert theirs not in [x["id"] for x in walk(server, LIST, h, 100)[0]]
    for bad in ("0", "-1", "abc", "99999999999999"):
        assert_problem(call(server, "POST", f"{LIST}/{bad}/read", h), 404)


def test_read_all_marks_only_mine(server, db):
    add_notices(db, EKO, 3, kind="test.all")
    (theirs,) = add_notices(db, AGUSTINA, 1, kind="test.all")
    h = web(server, EKO)
    n = unread(db, EKO)
    r = call(server, "POST", f"{LIST}/read-all", h)
    assert r.status_code == 200 and r.json() == {"marked": n, "unread_count": 0}
    assert get(server, LIST, h).json()["unread_count"] == 0
    assert get(server, LIST, h, unread="true").json()["items"] == []
    assert call(server, "POST", f"{LIST}/read-all", h).json()["marked"] == 0
    with db.cursor() as cur:
        cur.execute("select read_at from notifications where id = %s", (theirs,))
        assert cur.fetchone()[0] is None


def test_mobile_compact_shape_and_marks(server, db):
    ids = add_notices(db, AGUSTINA, 3, kind="test.mobile")
    h = app(server, AGUSTINA)
    body = get(server, MLIST, h, limit=2).json()
    assert body["unread_count"] == unread(db, AGUSTINA)
    assert set(body["items"][0]) == {"id", "kind", "title", "body", "target_type", "target_id", "at", "read"}
    items, _ = walk(server, MLIST, h, 2)
    assert [x["id"] for x in items] == expected(db, AGUSTINA)
    r = call(server, "POST", f"{MLIST}/{ids[0]}/read", h)
    assert r.status_code == 200 and r.json()["read"] is True and set(r.json()) == set(body["items"][0])
    assert call(server, "POST", f"{MLIST}/read-all", h).json()["unread_count"] == 0
    assert get(server, MLIST, h).json()["unread_count"] == 0
    # the app may also use the /api/v1/me routes; a web session is refused on /mobile
    assert get(server, LIST, h).status_code == 200
    for method, path in (("GET", MLIST), ("POST", f"{MLIST}/read-all"), ("POST", f"{MLIST}/{ids[1]}/read")):
        assert_problem(call(server, method, path, web(server, AGUSTINA)), 403, "mobile_session_required")


def test_bad_paging_and_filters_are_422(server, db):
    add_notices(db, EKO, 3, kind="test.cursor")
    h = web(server, EKO)
    for params in ({"unread": "maybe"}, {"unread": "1"}, {"limit": "0"}, {"limit": "101"}, {"limit": "x"},
                   {"cursor": "garbage"}):
        assert_problem(get(server, LIST, h, **params), 422)
    cursor = get(server, LIST, h, limit=1).json()["next_cursor"]
    assert cursor
    assert_problem(get(server, LIST, h, unread="true", cursor=cursor), 422)      # another filter
    assert_problem(get(server, LIST, web(server, AGUSTINA), cursor=cursor), 422)  # another owner
    assert_problem(get(server, MLIST, app(server, EKO), cursor=cursor), 422)      # the app's list
    assert get(server, LIST, h, limit=1, cursor=cursor).status_code == 200


def test_unauthorised(server):
    for method, path in (("GET", LIST), ("POST", f"{LIST}/read-all"), ("POST", f"{LIST}/1/read"), ("GET", MLIST),
                         ("POST", f"{MLIST}/read-all"), ("POST", f"{MLIST}/1/read"),
                         ("GET", "/api/v1/me/notification-settings"), ("PUT", "/api/v1/me/notification-settings")):
        assert_problem(call(server, method, path, {}), 401)
        assert_problem(call(server, method, path, {"Authorization": "Bearer x.y.z"}), 401)


# ---------------------------------------------------------------- e-mail opt-in

SETTINGS = "/api/v1/me/notification-settings"


def test_settings_read_write_and_bad_input(server, db):
    h = web(server, SUKARDI)
    assert call(server, "PUT", SETTINGS, h, json={"email": False}).json() == {"email": False}
    assert get(server, SETTINGS, h).json() == {"email": False}
    assert call(server, "PUT", SETTINGS, h, json={"email": True}).json() == {"email": True}
    assert get(server, SETTINGS, h).json() == {"email": True}
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where action = 'notifications.settings_change' and target_id = %s",
                    (SUKARDI,))
        assert cur.fetchone()[0] >= 1
    for body in ({}, {"email": None}, {"email": "yes"}, {"email": 1}, {"email": True, "sms": True}):
        assert_problem(call(server, "PUT", SETTINGS, h, json=body), 422)
    assert_problem(call(server, "PUT", SETTINGS, h, data="{", headers={**h, "Content-Type": "application/json"}), 400)
    assert_problem(call(server, "PUT", SETTINGS, h, data="x", headers={**h, "Content-Type": "text/plain"}), 415)
    assert_problem(call(server, "PUT", SETTINGS, h, data='{"email": "' + "x" * 70000 + '"}',
                        headers={**h, "Content-Type": "application/json"}), 413)
    assert get(server, SETTINGS, h).json() == {"email": True}
    call(server, "PUT", SETTINGS, h, json={"email": False})


def office_email(db, nip):
    with db.cursor() as cur:
        cur.execute("select a.office_email from accounts a join employees e on e.id = a.employee_id where e.nip = %s",
                    (nip,))
        return cur.fetchone()[0]


def test_opted_in_recipient_gets_the_email_opted_out_does_not(server, db, smtp):
    with db.cursor() as cur:
        for nip in (ISKANDAR, NURHAYATI):
            cur.execute("delete from recommendations where author_id = (select id from employees where nip = %s)"
                        " and subject_id = (select id from employees where nip = %s)", (SUKARDI, nip))
    assert call(server, "PUT", SETTINGS, web(server, ISKANDAR), json={"email": True}).status_code == 200
    assert call(server, "PUT", SETTINGS, web(server, NURHAYATI), json={"email": False}).status_code == 200
    since = smtp.count()
    out_addr, in_addr = office_email(db, NURHAYATI), office_email(db, ISKANDAR)
    with db.cursor() as cur:
        cur.execute("select coalesce(max(id), 0) from mail_outbox")
        (outbox_before,) = cur.fetchone()
    sh = web(server, SUKARDI)
    assert call(server, "POST", f"/api/v1/employees/{NURHAYATI}/recommendations", sh, json={"text": "Tanpa surel."}).status_code == 201
    assert call(server, "POST", f"/api/v1/employees/{ISKANDAR}/recommendations", sh, json={"text": "Dengan surel."}).status_code == 201
    msg = smtp.wait_for(in_addr, timeout=20, since=since)
    assert "Rekomendasi baru" in msg.subject and "Sukardi" in msg.subject
    with db.cursor() as cur:
        cur.execute("select to_addr from mail_outbox where id > %s", (outbox_before,))
        addrs = [r[0] for r in cur.fetchall()]
        cur.execute("select count(*) from notifications n join employees e on e.id = n.employee_id"
                    " where e.nip = %s and n.kind = 'recommendation.received' and n.body like 'Terima%%'",
                    (NURHAYATI,))
        assert cur.fetchone()[0] >= 1   # the opted-out one has the notification, only no e-mail
    assert in_addr in addrs and out_addr not in addrs
    assert all(out_addr not in m.rcpt_to for m in smtp.messages[since:])
    call(server, "PUT", SETTINGS, web(server, ISKANDAR), json={"email": False})


def test_failed_step_leaves_no_notification(server, db):
    """The notice commits with its step: a refused second recommendation writes none."""
    with db.cursor() as cur:
        cur.execute("delete from recommendations where author_id = %s and subject_id = %s",
                    (employee_id(db, AGUSTINA), employee_id(db, SUKARDI)))
    h = web(server, AGUSTINA)
    assert call(server, "POST", f"/api/v1/employees/{SUKARDI}/recommendations", h, json={"text": "Satu."}).status_code == 201
    n = len(expected(db, SUKARDI))
    assert_problem(call(server, "POST", f"/api/v1/employees/{SUKARDI}/recommendations", h, json={"text": "Dua."}), 409)
    assert len(expected(db, SUKARDI)) == n


def test_oversized_bodies_are_413(server):
    big = "x" * 70000
    for method, path, h in (("POST", f"{LIST}/read-all", web(server, EKO)), ("POST", f"{LIST}/1/read", web(server, EKO)),
                            ("POST", f"{MLIST}/read-all", app(server, EKO)),
                            ("POST", "/api/v1/me/recommendations/received/1/accept", web(server, EKO)),
                            ("PUT", "/api/v1/me/recommendations/written/1", web(server, EKO))):
        assert_problem(call(server, method, path, h, data=big, headers={"Content-Type": "application/json"}), 413)
