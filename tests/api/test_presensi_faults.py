"""Presensi exactly-once under retries and faults: idempotent replay, double
taps, last check-out wins (and its opt-out), the S3 back-end against a fake
that verifies SigV4 (fake_s3.py), a PostgreSQL restart in the middle of a burst, and the
orphan-photo sweeper."""
import concurrent.futures
import hashlib
import pathlib
import threading
import time
import uuid

import requests

import psycopg2

from conftest import DATABASE_URL, assert_problem, restart_postgres
from fake_s3 import fake_s3  # noqa: F401  (pytest fixture)
from presensi_support import (ADMIN, AGUSTINA, BAMBANG, DATA, EKO, HENDRA, ISKANDAR, NURHASANAH, NURHAYATI, employee,
                              form, headers, now_rfc3339, photo, punch, reset, unique_jpeg)


def count(db, sql, *args):
    with db.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()[0]


def jpeg(tag):
    return {"photo": ("selfie.jpg", unique_jpeg(tag), "image/jpeg")}


# ------------------------------------------------------------------ idempotency, double taps, check-out

def test_replay_is_byte_for_byte_and_keys_are_per_body(server, db):
    reset(db, HENDRA)
    key = "hendra-" + uuid.uuid4().hex
    data, files = form(db, HENDRA), jpeg("hendra-in")
    first = punch(server, HENDRA, data=data, files=files, key=key)
    assert first.status_code == 201, first.text
    again = punch(server, HENDRA, data=data, files=jpeg("hendra-in"), key=key)
    assert again.status_code == 201 and again.content == first.content
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    # Same key, anything different (photo, position, route): 409, nothing recorded.
    assert_problem(punch(server, HENDRA, data=data, files=jpeg("other"), key=key), 409, "idempotency_key_reused")
    assert_problem(punch(server, HENDRA, data=dict(data, accuracy="9.0"), files=jpeg("hendra-in"), key=key),
                   409, "idempotency_key_reused")
    assert_problem(punch(server, HENDRA, "check-out", data=data, files=jpeg("hendra-in"), key=key),
                   409, "idempotency_key_reused")
    for bad in ("x" * 256, "ключ".encode("utf-8"), "a b", "a\tb"):
        r = punch(server, HENDRA, data=data, files=jpeg("hendra-in"), **{"Idempotency-Key": bad})
        assert_problem(r, 400, "idempotency_key_invalid")
    eid = employee(db, HENDRA)[0]
    assert count(db, "select count(*) from attendance where employee_id = %s", eid) == 1
    assert count(db, "select count(*) from idempotency_keys where employee_id = %s", eid) == 1
    # Another employee may use the same key string: keys are per employee.
    reset(db, BAMBANG)
    other = punch(server, BAMBANG, data=form(db, BAMBANG), files=jpeg("bambang-in"), key=key)
    assert other.status_code == 201 and other.json()["record"]["id"] != first.json()["record"]["id"]
    reset(db, HENDRA, BAMBANG)


def test_double_tap_with_one_key_records_once(server, db):
    reset(db, BAMBANG)
    key = str(uuid.uuid4())
    data, body = form(db, BAMBANG), unique_jpeg("double-tap")

    def tap(_):
        return punch(server, BAMBANG, data=data, files={"photo": ("s.jpg", body, "image/jpeg")}, key=key)

    with concurrent.futures.ThreadPoolExecutor(6) as ex:
        answers = list(ex.map(tap, range(6)))
    # A tap may meet a pooled connection that an earlier test's PostgreSQL restart cut: that is a
    # clean 503, and the phone's retry with the same key gets the one recorded answer.
    for i, a in enumerate(answers):
        if a.status_code != 201:
            assert_problem(a, 503)
            answers[i] = tap(i)
    assert {a.status_code for a in answers} == {201}, [(a.status_code, a.text[:300]) for a in answers]
    assert len({a.content for a in answers}) == 1
    eid = employee(db, BAMBANG)[0]
    assert count(db, "select count(*) from attendance where employee_id = %s", eid) == 1
    # Without keys, a double tap gives one 201 and 409 already_checked_in for the rest.
    reset(db, BAMBANG)
    with concurrent.futures.ThreadPoolExecutor(6) as ex:
        answers = list(ex.map(lambda _: punch(server, BAMBANG, data=data, files=jpeg("no-key")), range(6)))
    codes = [a.status_code for a in answers if a.status_code != 503]   # 503: see above; nothing recorded
    assert codes.count(201) == 1 and set(codes) <= {201, 409}, [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"already_checked_in"}
    assert count(db, "select count(*) from attendance where employee_id = %s", eid) == 1
    reset(db, BAMBANG)


def test_last_check_out_wins_and_replaced_photo_is_released(server, db):
    reset(db, ISKANDAR)
    assert punch(server, ISKANDAR, data=form(db, ISKANDAR), files=jpeg("isk-in")).status_code == 201
    k1 = str(uuid.uuid4())
    d1 = form(db, ISKANDAR)
    o1 = punch(server, ISKANDAR, "check-out", data=d1, files=jpeg("isk-out-1"), key=k1)
    assert o1.status_code == 200, o1.text
    time.sleep(1.1)
    o2 = punch(server, ISKANDAR, "check-out", data=form(db, ISKANDAR), files=photo("selfie.png"))
    assert o2.status_code == 200, o2.text
    p1 = o1.json()["record"]["check_out"]["photo_id"]
    p2 = o2.json()["record"]["check_out"]["photo_id"]
    assert p1 != p2 and o2.json()["record"]["check_out"]["at"] > o1.json()["record"]["check_out"]["at"]
    eid = employee(db, ISKANDAR)[0]
    assert count(db, "select check_out_count from attendance where employee_id = %s", eid) == 2
    assert count(db, "select check_out_photo_id from attendance where employee_id = %s", eid) == p2
    assert count(db, "select status from photos where id = %s", p1) == "pending"
    assert count(db, "select status from photos where id = %s", p2) == "referenced"
    # A late retry of the first check-out replays its answer; it does not overwrite the later one.
    again = punch(server, ISKANDAR, "check-out", data=d1, files=jpeg("isk-out-1"), key=k1)
    assert again.status_code == 200 and again.content == o1.content
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert count(db, "select check_out_count from attendance where employee_id = %s", eid) == 2
    # The released photo is no longer readable; the current one is.
    assert requests.get(f"{server.url}/api/v1/presensi/photos/{p1}", headers=headers(server, ISKANDAR),
                        timeout=10).status_code == 404
    g = requests.get(f"{server.url}/api/v1/presensi/photos/{p2}", headers=headers(server, ISKANDAR), timeout=10)
    assert g.status_code == 200 and g.content == (DATA / "selfie.png").read_bytes()
    reset(db, ISKANDAR)


def test_racing_check_outs_all_land_and_one_photo_stands(server, db):
    """Check-outs of one employee at once: each statement writes only over the row
    version its answer was rendered from, so the losers read the row again and write
    after the winner. Every one is answered 200 and counted; one photo stands, the
    ones it replaced go to the sweeper."""
    reset(db, BAMBANG)
    assert punch(server, BAMBANG, data=form(db, BAMBANG), files=jpeg("bb-in")).status_code == 201
    n = 4
    forms = [form(db, BAMBANG) for _ in range(n)]
    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        rs = list(pool.map(lambda i: punch(server, BAMBANG, "check-out", data=forms[i],
                                           files=jpeg(f"bb-out-{i}-{uuid.uuid4().hex}")), range(n)))
    assert [r.status_code for r in rs] == [200] * n, [r.text for r in rs]
    ids = {r.json()["record"]["check_out"]["photo_id"] for r in rs}
    assert len(ids) == n
    eid = employee(db, BAMBANG)[0]
    assert count(db, "select check_out_count from attendance where employee_id = %s", eid) == n
    standing = count(db, "select check_out_photo_id from attendance where employee_id = %s", eid)
    assert standing in ids
    for pid in ids - {standing}:
        assert count(db, "select status from photos where id = %s", pid) == "pending"
    assert count(db, "select status from photos where id = %s", standing) == "referenced"
    reset(db, BAMBANG)


def test_first_check_out_stands_when_configured(start_server, db):
    reset(db, NURHASANAH)
    srv = start_server(EOFFICE_LAST_CHECKOUT_WINS="false")
    assert punch(srv, NURHASANAH, data=form(db, NURHASANAH), files=jpeg("nh-in")).status_code == 201
    o1 = punch(srv, NURHASANAH, "check-out", data=form(db, NURHASANAH), files=jpeg("nh-out-1"))
    assert o1.status_code == 200, o1.text
    o2 = punch(srv, NURHASANAH, "check-out", data=form(db, NURHASANAH), files=jpeg("nh-out-2"))
    b = assert_problem(o2, 409, "already_checked_out")
    eid = employee(db, NURHASANAH)[0]
    assert count(db, "select check_out_count from attendance where employee_id = %s", eid) == 1
    assert count(db, "select check_out_photo_id from attendance where employee_id = %s", eid) == \
        o1.json()["record"]["check_out"]["photo_id"]
    assert b.get("record") is None or b["record"]["check_out"]["photo_id"] == o1.json()["record"]["check_out"]["photo_id"]
    srv.stop()
    reset(db, NURHASANAH)


# ------------------------------------------------------------------ S3 back-end against a verifying fake

def test_s3_backend_round_trip(start_server, db, fake_s3):  # noqa: F811
    """PUT and GET through the back-end, each request's SigV4 signature checked by the
    fake as AWS checks it (tests/api/fake_s3.py; test_storage_faults.py shows it refuses
    a wrong one); then the service goes away."""
    reset(db, AGUSTINA)
    srv = start_server(**fake_s3.server_env())
    body = unique_jpeg("s3-" + uuid.uuid4().hex)
    r = punch(srv, AGUSTINA, data=form(db, AGUSTINA), files={"photo": ("whatever.png", body, "image/png")})
    assert r.status_code == 201, r.text
    assert r.json()["record"]["time_zone"] == "Asia/Jayapura"
    pid = r.json()["record"]["check_in"]["photo_id"]
    with db.cursor() as cur:
        cur.execute("select storage_key, content_type, status from photos where id = %s", (pid,))
        key, ctype, status = cur.fetchone()
    # The key comes from the content, never from the client's file name or type.
    assert key.endswith(".jpg") and ctype == "image/jpeg" and status == "referenced"
    assert fake_s3.get_object(key) == body and fake_s3.objects[key][1] == "image/jpeg"
    g = requests.get(f"{srv.url}/api/v1/presensi/photos/{pid}", headers=headers(srv, AGUSTINA), timeout=10)
    assert g.status_code == 200 and g.content == body and g.headers["Content-Type"].startswith("image/jpeg")
    assert fake_s3.rejected == [] and fake_s3.served("PUT") and fake_s3.served("GET")
    # Storage gone: reading answers 503, a check-out records nothing.
    fake_s3.stop()
    g = requests.get(f"{srv.url}/api/v1/presensi/photos/{pid}", headers=headers(srv, AGUSTINA), timeout=30)
    assert_problem(g, 503, "storage_unavailable")
    out = punch(srv, AGUSTINA, "check-out", data=form(db, AGUSTINA), files=jpeg("s3-out"))
    assert_problem(out, 503, "storage_unavailable")
    assert out.headers.get("Retry-After")
    eid = employee(db, AGUSTINA)[0]
    assert count(db, "select check_out_at is null from attendance where employee_id = %s", eid) is True
    srv.stop()
    reset(db, AGUSTINA)


# ------------------------------------------------------------------ PostgreSQL restart mid-burst

def test_postgres_restart_loses_no_acknowledged_punch(server, db):
    """Check-ins of several employees and a run of check-outs (one key each) while the
    cluster restarts: every request ends in 2xx, retried with its key after a clean 503;
    the database then holds exactly one effect per key."""
    people = [ADMIN, EKO, NURHAYATI]
    reset(db, *people)
    forms = {nip: form(db, nip) for nip in people}     # coordinates read before the restart
    for nip in people:
        headers(server, nip)                           # signed in before the restart
    plan = [(nip, "check-in", str(uuid.uuid4())) for nip in people]
    plan += [(ADMIN, "check-out", str(uuid.uuid4())) for _ in range(12)]
    bodies = [unique_jpeg(f"burst-{i}") for i in range(len(plan))]
    outcomes, unclean = {}, []
    started = threading.Event()

    def worker():
        for i, (nip, kind, key) in enumerate(plan):
            data = dict(forms[nip], device_time=now_rfc3339())
            files = {"photo": ("s.jpg", bodies[i], "image/jpeg")}
            tries = []
            deadline = time.time() + 90
            while time.time() < deadline:
                started.set()
                try:
                    r = punch(server, nip, kind, data=data, files=files, key=key)
                except requests.RequestException as e:      # the server itself must never drop us
                    unclean.append(repr(e))
                    time.sleep(0.2)
                    continue
                tries.append(r.status_code)
                if r.status_code < 300:
                    break
                if r.status_code == 503 and r.headers.get("Content-Type", "").startswith("application/problem+json"):
                    time.sleep(0.2)
                    continue
                unclean.append((r.status_code, r.text[:300]))
                break
            outcomes[key] = tries
            time.sleep(0.1)

    t = threading.Thread(target=worker)
    t.start()
    started.wait(10)
    time.sleep(0.4)
    restart_postgres()
    restarted_at = time.time()
    t.join(240)
    assert not t.is_alive()
    assert not unclean, unclean
    assert len(outcomes) == len(plan) and all(v and v[-1] < 300 for v in outcomes.values()), outcomes
    # Exactly once: one row per check-in, one check-out per key, one stored answer per key.
    with psycopg2.connect(DATABASE_URL) as conn, conn.cursor() as cur:
        for nip in people:
            cur.execute("select count(*) from attendance a join employees e on e.id = a.employee_id"
                        " where e.nip = %s", (nip,))
            assert cur.fetchone()[0] == 1, nip
        cur.execute("select a.check_out_count from attendance a join employees e on e.id = a.employee_id"
                    " where e.nip = %s", (ADMIN,))
        assert cur.fetchone()[0] == 12
        cur.execute("select count(*) from idempotency_keys where key = any(%s)", ([k for _, _, k in plan],))
        assert cur.fetchone()[0] == len(plan)
    conn.close()
    retried = [k for k, v in outcomes.items() if len(v) > 1]
    print(f"attempts per request: {[len(v) for v in outcomes.values()]}; retried {len(retried)}; "
          f"restart done {restarted_at:.1f}")
    with psycopg2.connect(DATABASE_URL) as conn2:
        conn2.autocommit = True
        reset(conn2, *people)
    conn2.close()


# ------------------------------------------------------------------ orphan-photo sweeper

def test_sweeper_removes_orphans_and_keeps_referenced(start_server, db):
    """Objects are written before their row, and the row is born referenced in the record's
    transaction: a punch that fails after the upload leaves an object with NO row, which the
    sweeper finds by listing the store. A released (replaced check-out) photo goes with its row."""
    reset(db, HENDRA)
    srv = start_server(EOFFICE_PHOTO_GRACE_S=1)
    store = pathlib.Path(srv.env["EOFFICE_STORAGE_DIR"])
    eid = employee(db, HENDRA)[0]
    kept_bytes = unique_jpeg("sweep-kept")
    ok = punch(srv, HENDRA, data=form(db, HENDRA), files={"photo": ("a.jpg", kept_bytes, "image/jpeg")})
    assert ok.status_code == 201, ok.text
    kept = ok.json()["record"]["check_in"]["photo_id"]
    # A second check-in: its object is written, then the attendance insert hits the one-per-day
    # constraint and the transaction (photo row included) rolls back (409): an honest orphan.
    orphan_bytes = unique_jpeg("sweep-orphan")
    dup = punch(srv, HENDRA, data=form(db, HENDRA), files={"photo": ("b.jpg", orphan_bytes, "image/jpeg")})
    assert_problem(dup, 409, "already_checked_in")
    orphan_key = hashlib.sha256(orphan_bytes).hexdigest() + ".jpg"

    def obj(key):
        return store / key[:2] / key

    assert obj(orphan_key).read_bytes() == orphan_bytes    # written first, durably; no row
    assert count(db, "select count(*) from photos where storage_key = %s", orphan_key) == 0
    # The same again with the bytes of the referenced photo: its object is rewritten, still in use.
    dup2 = punch(srv, HENDRA, data=form(db, HENDRA), files={"photo": ("c.jpg", kept_bytes, "image/jpeg")})
    assert_problem(dup2, 409, "already_checked_in")
    # Two check-outs: the first one's photo is released when the second replaces it.
    out1_bytes = unique_jpeg("sweep-out-1")
    o1 = punch(srv, HENDRA, "check-out", data=form(db, HENDRA), files={"photo": ("d.jpg", out1_bytes, "image/jpeg")})
    assert o1.status_code == 200, o1.text
    released = o1.json()["record"]["check_out"]["photo_id"]
    o2 = punch(srv, HENDRA, "check-out", data=form(db, HENDRA), files=jpeg("sweep-out-2"))
    assert o2.status_code == 200, o2.text
    with db.cursor() as cur:
        # No row for either failed punch; the released one may already be swept (grace 1 s).
        cur.execute("select count(*) from photos where employee_id = %s and id <> %s", (eid, released))
        assert cur.fetchone()[0] == 2
        cur.execute("select storage_key from photos where id = %s", (kept,))
        kept_key = cur.fetchone()[0]
        cur.execute("select status from photos where id = %s", (released,))
        assert cur.fetchone() in (None, ("pending",))
    released_key = hashlib.sha256(out1_bytes).hexdigest() + ".jpg"
    assert obj(kept_key).read_bytes() == kept_bytes
    deadline = time.time() + 20
    while time.time() < deadline and (obj(orphan_key).exists() or obj(released_key).exists()):
        time.sleep(0.3)
    assert not obj(orphan_key).exists() and not obj(released_key).exists()
    assert count(db, "select count(*) from photos where id = %s", released) == 0
    # The referenced photos and their objects stay.
    assert count(db, "select status from photos where id = %s", kept) == "referenced"
    assert obj(kept_key).read_bytes() == kept_bytes
    g = requests.get(f"{srv.url}/api/v1/presensi/photos/{kept}", headers=headers(srv, HENDRA), timeout=10)
    assert g.status_code == 200 and g.content == kept_bytes
    assert "attachment sweeper removed unreferenced objects" in srv.wait_log("attachment sweeper removed")
    srv.stop()
    reset(db, HENDRA)
