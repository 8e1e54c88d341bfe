"""Leftovers of the sign-in throttle redesign.

- The background sweeper deletes auth_throttle counters whose longest quiet
  window (1 h, EO_THROTTLE_QUIET_MAX_S) has passed and that hold no wait still
  running; per-address keys would otherwise grow with attack traffic.
- A NIP typed with white space around it (pasted from a letter) names the same
  employee in the presensi history `?nip=` and the admin audit-log `nip` filter.
"""
import datetime
import time
import uuid

import requests

from helpers_auth import auth_headers, login
from presensi_support import ADMIN, BAMBANG, NURHAYATI, headers, local_today

# Padded forms as a client sends them: spaces, a tab, a line break (percent-encoded
# by hand so no '+' is left to the server's reading of the query string).
PADDED = ("%20{}", "{}%20%20", "%09{}%0D%0A")


def test_sweeper_forgets_quiet_counters(start_server, db):
    tag = "test-sweep:" + uuid.uuid4().hex[:12]
    rows = {
        # key suffix: (updated_at age in seconds, throttle_until offset in seconds or None)
        "aged": (7200, None),                 # quiet for 2 h: gone
        "aged-wait-over": (7200, -3600),      # its wait ended long ago: gone
        "aged-just": (3700, None),            # just past the longest window: gone
        "fresh": (600, None),                 # quiet for 10 min only: kept
        "inside-window": (3000, None),        # within the 1 h window of a pair counter: kept
        "pending": (7200, 3600),              # a wait still running: kept, whatever its age
    }
    with db.cursor() as cur:
        for suffix, (age, until) in rows.items():
            cur.execute(
                "insert into auth_throttle (key, failures, window_start, throttle_until, created_at, updated_at) "
                "values (%s, 7, now() - make_interval(secs => %s), "
                "case when %s::int is null then null else now() + make_interval(secs => %s::int) end, "
                "now() - make_interval(secs => %s), now() - make_interval(secs => %s))",
                (f"login:ip:{tag}:nip:{suffix}", age, until, until, age, age))
    # EOFFICE_PHOTO_GRACE_S sets the sweeper's pass interval (grace under a minute: one pass per grace).
    start_server(EOFFICE_PHOTO_GRACE_S="1")
    gone = {"aged", "aged-wait-over", "aged-just"}
    deadline = time.time() + 30
    while True:
        with db.cursor() as cur:
            cur.execute("select key from auth_throttle where key like %s", (f"login:ip:{tag}:%",))
            left = {k.rsplit(":", 1)[1] for (k,) in cur.fetchall()}
        if not (left & gone) or time.time() > deadline:
            break
        time.sleep(0.2)
    assert left == {"fresh", "inside-window", "pending"}, left
    with db.cursor() as cur:
        cur.execute("delete from auth_throttle where key like %s", (f"login:ip:{tag}:%",))


def test_history_nip_is_trimmed(server):
    month = f"{local_today(server, NURHAYATI):%Y-%m}"
    h = headers(server, BAMBANG)
    plain = requests.get(server.url + f"/api/v1/presensi/history?month={month}&nip={NURHAYATI}", headers=h,
                         timeout=15)
    assert plain.status_code == 200, plain.text
    assert plain.json()["nip"] == NURHAYATI
    for form in PADDED:
        r = requests.get(server.url + f"/api/v1/presensi/history?month={month}&nip=" + form.format(NURHAYATI),
                         headers=h, timeout=15)
        assert r.status_code == 200, (form, r.text)
        assert r.json() == plain.json(), form
    # White space alone names nobody else: the caller's own history, as with no nip.
    own = requests.get(server.url + f"/api/v1/presensi/history?month={month}", headers=h, timeout=15)
    blank = requests.get(server.url + f"/api/v1/presensi/history?month={month}&nip=%20%09", headers=h, timeout=15)
    assert blank.status_code == 200 and blank.json() == own.json()
    # Padding around a longer text does not hide it: still refused as a NIP.
    long = requests.get(server.url + f"/api/v1/presensi/history?month={month}&nip=%20" + "1" * 40 + "%20",
                        headers=h, timeout=15)
    assert long.status_code == 422, long.text


def test_audit_log_nip_filter_is_trimmed(server, db):
    action = "test.trim." + uuid.uuid4().hex[:12]
    with db.cursor() as cur:
        for target in (NURHAYATI, NURHAYATI, BAMBANG):
            cur.execute("insert into audit_log (action, target_type, target_id, at) values (%s, 'employee', %s, %s)",
                        (action, target, datetime.datetime.now(datetime.timezone.utc)))
    h = auth_headers(login(server.url, ADMIN))  # admin routes want a web session
    url = server.url + "/api/v1/admin/audit-log?limit=50&action=" + action + "&nip="
    plain = requests.get(url + NURHAYATI, headers=h, timeout=15)
    assert plain.status_code == 200, plain.text
    ids = [e["id"] for e in plain.json()["items"]]
    assert len(ids) == 2
    for form in PADDED:
        r = requests.get(url + form.format(NURHAYATI), headers=h, timeout=15)
        assert r.status_code == 200, (form, r.text)
        assert [e["id"] for e in r.json()["items"]] == ids, form
    # Over-long text stays refused rather than read as "no filter".
    assert requests.get(url + "%20" + "1" * 40 + "%20", headers=h, timeout=15).status_code == 422
