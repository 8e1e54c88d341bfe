"""Presensi check-in/out: exactly once, idempotency, geofence, photos, faults.

Expectations are computed from the server's own answers (local date/time in the
work location's zone), so the tests do not depend on the wall clock: check-in
is accepted on any day (holidays and days off are only marked non-working)."""
import datetime
import pathlib
import uuid

import pytest
import requests

from helpers_auth import auth_headers, login

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
NIP = "198611022010121001"        # Rahmat Hidayat, LOC-KEMENKES (WIB)
OTHER = "199112192017122001"      # Fitri Handayani, another chain
DEVICE = "presensi-test-device-1"


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def office(db, nip):
    with db.cursor() as cur:
        cur.execute("select l.latitude, l.longitude, l.radius_m, e.id from employees e"
                    " join office_locations l on l.id = e.office_location_id where e.nip = %s", (nip,))
        return cur.fetchone()


def reset(db, nip):
    with db.cursor() as cur:
        cur.execute("select id from employees where nip = %s", (nip,))
        (eid,) = cur.fetchone()
        cur.execute("delete from attendance_corrections where employee_id = %s", (eid,))
        cur.execute("delete from attendance where employee_id = %s", (eid,))
        cur.execute("delete from idempotency_keys where employee_id = %s", (eid,))
        cur.execute("delete from extra_locations where employee_id = %s", (eid,))
        cur.execute("delete from photos where employee_id = %s", (eid,))  # so no selfie counts as re-used
    return eid


def form(db, nip=NIP, dlat=0.0, accuracy="8.5", device=DEVICE, device_time=None, mock="false"):
    lat, lon, _, _ = office(db, nip)
    return {"latitude": f"{lat + dlat:.6f}", "longitude": f"{lon:.6f}", "accuracy": accuracy,
            "device_time": device_time or now_rfc3339(), "mock_location": mock, "device_id": device}


def photo(name="selfie.jpg"):
    ct = "image/png" if name.endswith(".png") else "image/jpeg"
    return {"photo": (name, (DATA / name).read_bytes(), ct)}


@pytest.fixture
def mobile(server):
    tok = login(server.url, NIP, mobile=True, device=DEVICE)
    return auth_headers(tok["access_token"])


def post(server, path, headers, data, files):
    return requests.post(server.url + path, headers=headers, data=data, files=files, timeout=30)


def test_presensi_check_in_out_exactly_once(server, db, mobile):
    reset(db, NIP)
    key = str(uuid.uuid4())
    h = dict(mobile, **{"Idempotency-Key": key})
    data = form(db)
    r1 = post(server, "/mobile/v1/presensi/check-in", h, data, photo())
    assert r1.status_code == 201, r1.text
    body = r1.json()
    rec = body["record"]
    assert rec["check_in"]["flags"] == [] and rec["check_in"]["photo_id"]
    assert rec["time_zone"] == "Asia/Jakarta" and rec["work_date"] == body["local_date"]
    # Retry with the same key and body: byte-for-byte replay.
    r2 = post(server, "/mobile/v1/presensi/check-in", h, data, photo())
    assert r2.status_code == 201 and r2.content == r1.content
    # Same key, different body.
    r3 = post(server, "/mobile/v1/presensi/check-in", h, dict(data, accuracy="9"), photo())
    assert r3.status_code == 409 and r3.json()["code"] == "idempotency_key_reused"
    # No key: second check-in refused with the existing record.
    r4 = post(server, "/mobile/v1/presensi/check-in", mobile, data, photo())
    assert r4.status_code == 409 and r4.json()["code"] == "already_checked_in"
    assert r4.json()["record"]["id"] == rec["id"]
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance a join employees e on e.id = a.employee_id where e.nip = %s", (NIP,))
        assert cur.fetchone()[0] == 1
        cur.execute("select status from photos where id = %s", (rec["check_in"]["photo_id"],))
        assert cur.fetchone()[0] == "referenced"
    # Check-out, then a later one wins (default).
    r5 = post(server, "/mobile/v1/presensi/check-out", mobile, form(db), photo("selfie.png"))
    assert r5.status_code == 200, r5.text
    assert r5.json()["record"]["check_out"]["local_time"]
    r6 = post(server, "/mobile/v1/presensi/check-out", mobile, form(db), photo("selfie2.jpg"))
    assert r6.status_code == 200
    # Photo readable by the owner, byte-identical.
    pid = r6.json()["record"]["check_out"]["photo_id"]
    g = requests.get(f"{server.url}/api/v1/presensi/photos/{pid}", headers=mobile, timeout=10)
    assert g.status_code == 200 and g.content == (DATA / "selfie2.jpg").read_bytes()
    assert g.headers["Content-Type"].startswith("image/jpeg")
    # Today view agrees.
    t = requests.get(server.url + "/mobile/v1/presensi/today", headers=mobile, timeout=10).json()
    assert t["status"] == "checked_out" and t["date"] == body["local_date"]


def test_presensi_check_in_keeps_the_cached_profile(server, db, mobile):
    """A check-in or check-out changes nothing GET /me shows, so it does not drop
    the caller's cached profile (every other write does: read your own writes);
    /metrics counts the profile cache's misses. Three tries, because a miss is
    also counted while the cache's channel is not proven alive (a loaded CI
    machine); a check-in that dropped the profile would miss every time."""
    import re

    def misses():
        return int(re.search(r"^eoffice_profile_cache_misses_total (\d+)$", server.metrics(), re.M).group(1))

    def me():
        r = requests.get(server.url + "/mobile/v1/me", headers=mobile, timeout=30)
        assert r.status_code == 200, r.text

    kept = []
    for _ in range(3):
        reset(db, NIP)
        me()
        me()  # cached now
        before = misses()
        assert post(server, "/mobile/v1/presensi/check-in", mobile, form(db), photo()).status_code == 201
        assert post(server, "/mobile/v1/presensi/check-out", mobile, form(db), photo("selfie.png")).status_code == 200
        me()
        kept.append(misses() == before)
        if kept[-1]:
            break
    assert any(kept), "every check-in dropped the cached profile"
    # any other write of the caller does drop it: the next /me queries
    me()
    before = misses()
    assert requests.post(server.url + "/api/v1/me/notifications/read-all", headers=mobile,
                         timeout=30).status_code in (200, 204)
    me()
    assert misses() == before + 1


def test_presensi_photo_not_visible_to_others(server, db, mobile):
    reset(db, NIP)
    r = post(server, "/mobile/v1/presensi/check-in", mobile, form(db), photo())
    assert r.status_code == 201, r.text
    pid = r.json()["record"]["check_in"]["photo_id"]
    other = auth_headers(login(server.url, OTHER)["access_token"])
    g = requests.get(f"{server.url}/api/v1/presensi/photos/{pid}", headers=other, timeout=10)
    assert g.status_code == 404
    assert requests.get(f"{server.url}/api/v1/presensi/photos/{pid}", timeout=10).status_code == 401


def test_presensi_check_out_before_check_in(server, db, mobile):
    reset(db, NIP)
    r = post(server, "/mobile/v1/presensi/check-out", mobile, form(db), photo())
    assert r.status_code == 409 and r.json()["code"] == "not_checked_in"


@pytest.mark.parametrize("mutate,status,code", [
    (lambda d, f: (f.clear(), f.update(note=(None, "tanpa foto"))), 422, "photo_required"),
    (lambda d, f: f.update(photo("not_a_photo.jpg")), 415, "photo_unsupported_type"),
    (lambda d, f: d.update(latitude="NaN"), 422, "validation_failed"),
    (lambda d, f: d.update(latitude="91"), 422, "validation_failed"),
    (lambda d, f: d.update(longitude="-181.5"), 422, "validation_failed"),
    (lambda d, f: d.update(device_time=(datetime.datetime.now(datetime.timezone.utc)
                                        - datetime.timedelta(days=1, minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")),
     422, "device_time_skew"),
    (lambda d, f: d.update(device_id="someone-elses-phone"), 403, "device_mismatch"),
    (lambda d, f: d.update(dlat=True), 422, "outside_geofence"),
    (lambda d, f: d.update(accuracy="5000"), 422, "poor_accuracy"),
])
def test_presensi_bad_input(server, db, mobile, mutate, status, code):
    reset(db, NIP)
    data, files = form(db), photo()
    mutate(data, files)
    if data.pop("dlat", None):
        data = dict(data, latitude=f"{float(data['latitude']) + 0.05:.6f}")  # ~5.5 km away
    r = post(server, "/mobile/v1/presensi/check-in", mobile, data, files)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code
    if code == "outside_geofence":
        assert r.json()["distance_m"] > 5000 and r.json()["nearest_location"]["code"]
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance a join employees e on e.id = a.employee_id where e.nip = %s", (NIP,))
        assert cur.fetchone()[0] == 0


def test_presensi_oversized_upload(server, db, mobile):
    big = b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024)
    r = post(server, "/mobile/v1/presensi/check-in", mobile, form(db), {"photo": ("big.jpg", big, "image/jpeg")})
    assert r.status_code == 413


def test_presensi_old_app_and_web_disabled(server, db, mobile):
    r = post(server, "/mobile/v1/presensi/check-in", dict(mobile, **{"X-App-Version": "0.0.1"}), form(db), photo())
    assert r.status_code == 426 and r.json()["code"] == "app_update_required"
    cfg = requests.get(server.url + "/mobile/v1/config", headers=dict(mobile, **{"X-App-Version": "0.0.1"}), timeout=10)
    assert cfg.status_code == 200 and cfg.json()["update_required"] is True
    assert cfg.json()["geofences"][0]["radius_m"] > 0
    web = auth_headers(login(server.url, NIP)["access_token"])
    r = post(server, "/api/v1/presensi/check-in", web, form(db), photo())
    assert r.status_code == 403 and r.json()["code"] == "web_presensi_disabled"


def test_presensi_app_routes_refuse_web_sessions(server, db):
    """A web session has no bound device: it must not check in through the app's routes
    claiming any device id it likes."""
    reset(db, NIP)
    web = auth_headers(login(server.url, NIP)["access_token"])
    for device in (DEVICE, "any-phone-at-all"):
        r = post(server, "/mobile/v1/presensi/check-in", web, form(db, device=device), photo())
        assert r.status_code == 403 and r.json()["code"] == "mobile_session_required", r.text
    # Refused before the body is read (the session rule, api/auth.c): even a form with
    # no device id gets the 403, not a validation answer.
    r = post(server, "/mobile/v1/presensi/check-in", web, form(db, device=""), photo())
    assert r.status_code == 403 and r.json()["code"] == "mobile_session_required", r.text
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance a join employees e on e.id = a.employee_id where e.nip = %s", (NIP,))
        assert cur.fetchone()[0] == 0


def test_presensi_holiday_is_accepted_but_non_working(server, db, mobile):
    reset(db, NIP)
    today = requests.get(server.url + "/mobile/v1/presensi/today", headers=mobile, timeout=10).json()["date"]
    with db.cursor() as cur:
        cur.execute("insert into public_holidays (holiday_date, name) values (%s, 'Libur uji') "
                    "on conflict (holiday_date) do nothing returning id", (today,))
        inserted = cur.fetchone()
    try:
        r = post(server, "/mobile/v1/presensi/check-in", mobile, form(db), photo())
        assert r.status_code == 201, r.text
        ev = r.json()["evaluation"]
        assert ev["working_day"] is False and ev["holiday"] and ev["tl"] is None
    finally:
        if inserted:
            with db.cursor() as cur:
                cur.execute("delete from public_holidays where id = %s", (inserted[0],))


def test_presensi_flag_mode_accepts_with_flags(start_server, db):
    reset(db, NIP)
    srv = start_server(EOFFICE_GEOFENCE_MODE="flag")
    h = auth_headers(login(srv.url, NIP, mobile=True, device=DEVICE)["access_token"])
    data = form(db, dlat=0.05, mock="true")
    r = requests.post(srv.url + "/mobile/v1/presensi/check-in", headers=h, data=data, files=photo(), timeout=30)
    assert r.status_code == 201, r.text
    assert set(r.json()["record"]["check_in"]["flags"]) >= {"outside_geofence", "mock_location"}
    srv.stop()


def test_presensi_storage_down_records_nothing(start_server, db):
    reset(db, NIP)
    srv = start_server(EOFFICE_STORAGE="s3", EOFFICE_S3_ENDPOINT="http://127.0.0.1:9", EOFFICE_S3_BUCKET="photos",
                       EOFFICE_S3_ACCESS_KEY="S3RVER", EOFFICE_S3_SECRET_KEY="S3RVER")
    h = auth_headers(login(srv.url, NIP, mobile=True, device=DEVICE)["access_token"])
    r = requests.post(srv.url + "/mobile/v1/presensi/check-in", headers=h, data=form(db), files=photo(), timeout=30)
    assert r.status_code == 503 and r.json()["code"] == "storage_unavailable"
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance a join employees e on e.id = a.employee_id where e.nip = %s", (NIP,))
        assert cur.fetchone()[0] == 0
    srv.stop()


def test_presensi_survives_database_connection_loss(server, db, mobile):
    reset(db, NIP)
    r = post(server, "/mobile/v1/presensi/check-in", mobile, form(db), photo())
    assert r.status_code == 201
    with db.cursor() as cur:
        cur.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                    " where datname = current_database() and pid <> pg_backend_pid()")
    ok = None
    for _ in range(3):
        ok = requests.get(server.url + "/mobile/v1/presensi/today", headers=mobile, timeout=10)
        if ok.status_code == 200:
            break
    assert ok.status_code == 200 and ok.json()["status"] == "checked_in"


def test_presensi_web_check_in_when_policy_allows(start_server, db):
    """EOFFICE_WEB_PRESENSI=true: the SPA may check in, recorded as source 'web'; the
    same day's second check-in is still refused (one per day, whatever the client)."""
    srv = start_server(EOFFICE_WEB_PRESENSI="true")
    reset(db, NIP)
    web = auth_headers(login(srv.url, NIP)["access_token"])
    data = form(db, device="")
    data.pop("device_id")
    r = post(srv, "/api/v1/presensi/check-in", web, data, photo())
    assert r.status_code == 201, r.text
    assert r.json()["record"]["source"] == "web"
    again = post(srv, "/api/v1/presensi/check-in", web, data, photo("selfie2.jpg"))
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
    bad = post(srv, "/api/v1/presensi/check-out", web, dict(data, latitude="91"), photo())
    assert bad.status_code == 422
    with db.cursor() as cur:
        cur.execute("select count(*), bool_and(check_out_at is null) from attendance a join employees e"
                    " on e.id = a.employee_id where e.nip = %s", (NIP,))
        assert cur.fetchone() == (1, True)
    reset(db, NIP)
