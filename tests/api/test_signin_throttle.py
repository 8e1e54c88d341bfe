"""The sign-in throttle cannot lock the owner out (issue 8 section 3).

Every attacker and user has its own source address on 127.0.0.0/8 (the client
socket is bound to it; the server listens on 127.0.0.1, which every loopback
address reaches). Waits are never slept: throttle rows are aged in the database.
The rule is in docs/operations.md ("Sign-in throttle")."""
import concurrent.futures
import http.client
import json
import statistics
import time
import urllib.parse

from identity_support import PASSWORD, fresh_employee, problem_core, register_and_verify

LOGIN = "/api/v1/auth/login"
MOBILE_LOGIN = "/mobile/v1/auth/login"


class Answer:
    def __init__(self, status, headers, body):
        self.status_code, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode(errors="replace")


def post_from(url, src, path, body, headers=None):
    """POST body as JSON from source address src (a 127.x.y.z)."""
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60, source_address=(src, 0))
    try:
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        conn.request("POST", path, body=json.dumps(body), headers=h)
        r = conn.getresponse()
        return Answer(r.status, dict(r.getheaders()), r.read())
    finally:
        conn.close()


def login_from(url, src, app, password=PASSWORD, otp=None, path=LOGIN, headers=None, **extra):
    body = {"nip": app.nip, "password": password, "otp": otp if otp is not None else app.code()}
    body.update(extra)
    return post_from(url, src, path, body, headers)


def wrong_otp(app):
    good = app.totp.now()
    return "000000" if good != "000000" else "111111"


def assert_answer(r, status, code):
    assert r.status_code == status, r.text
    assert r.json()["code"] == code, r.text


def clear_rows(db, *patterns):
    cur = db.cursor()
    for p in patterns:
        cur.execute("delete from auth_throttle where key like %s", (p,))


def test_attacker_elsewhere_does_not_delay_the_owner(server, db):
    """Wrong passwords for the victim's NIP from address A throttle A (for that NIP), not
    the victim signing in from address B; nothing is counted against the NIP alone."""
    emp = fresh_employee(db, 14)
    _, _, app = register_and_verify(server.url, db, emp)
    attacker, victim = "127.0.0.21", "127.0.0.22"
    clear_rows(db, "login:ip:127.0.0.21%", "login:ip:127.0.0.22%")
    for _ in range(6):
        assert_answer(login_from(server.url, attacker, app, password="not-the-password"), 401, "invalid_credentials")
    for _ in range(3):
        r = login_from(server.url, attacker, app, password="not-the-password")
        assert_answer(r, 429, "too_many_attempts")
        assert int(r.headers["Retry-After"]) >= 1
    # Even the right password and code are held back on the attacker's address for this NIP.
    assert_answer(login_from(server.url, attacker, app), 429, "too_many_attempts")
    r = login_from(server.url, victim, app)
    assert r.status_code == 200, r.text
    cur = db.cursor()
    cur.execute("select key, failures from auth_throttle where key like %s order by key", (f"%:nip:{emp['nip']}",))
    rows = dict(cur.fetchall())
    assert rows == {f"login:ip:{attacker}:nip:{emp['nip']}": 6}, rows  # no per-NIP counter, no victim row
    # The attacker's wait ends (aged, not slept) and it counts again from where it was.
    cur.execute("update auth_throttle set throttle_until = now() - interval '1 second' where key = %s",
                (f"login:ip:{attacker}:nip:{emp['nip']}",))
    assert login_from(server.url, attacker, app).status_code == 200
    clear_rows(db, "login:ip:127.0.0.21%", "login:ip:127.0.0.22%")


def test_many_users_behind_one_address_do_not_block_the_next(server, db):
    """300 people behind one NAT address each mistype once; the 301st signs in."""
    nat = "127.0.0.23"
    clear_rows(db, "login:ip:127.0.0.23%")
    emp = fresh_employee(db, 15)
    _, _, app = register_and_verify(server.url, db, emp)

    def one(i):
        body = {"nip": f"19700101{i:010d}", "password": "salah-ketik-sandi", "otp": "123456"}
        return post_from(server.url, nat, LOGIN, body).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(one, range(300)))
    assert statuses == [401] * 300, sorted(set(statuses))
    cur = db.cursor()
    cur.execute("select failures, throttle_until from auth_throttle where key = %s", (f"login:ip:{nat}",))
    failures, until = cur.fetchone()
    assert failures == 300 and until is None
    r = login_from(server.url, nat, app)
    assert r.status_code == 200, r.text
    # The budget is a wall all the same: past it the address waits (the row is set just
    # below the budget rather than sending another 700 requests).
    cur.execute("update auth_throttle set failures = 1000 where key = %s", (f"login:ip:{nat}",))
    body = {"nip": "197001010000000999", "password": "salah-ketik-sandi", "otp": "123456"}
    assert post_from(server.url, nat, LOGIN, body).status_code == 401  # the 1001st failure: 2 s
    assert_answer(post_from(server.url, nat, LOGIN, body), 429, "too_many_attempts")
    clear_rows(db, "login:ip:127.0.0.23%")


def test_otp_guessing_with_the_password_is_throttled_per_account(server, db):
    """With the right password, wrong codes count against the account from every address;
    the owner's known device (a live refresh token bound to it) is not held back."""
    emp = fresh_employee(db, 16)
    _, _, app = register_and_verify(server.url, db, emp)
    clear_rows(db, "login:ip:127.0.1.%", "login:dev:%")
    phone = login_from(server.url, "127.0.0.30", app, path=MOBILE_LOGIN, device_id="hp-pemilik-1", platform="android")
    assert phone.status_code == 200, phone.text
    refresh = phone.json()["refresh_token"]
    for i in range(6):  # a new address for every guess
        r = login_from(server.url, f"127.0.1.{i + 1}", app, otp=wrong_otp(app))
        assert_answer(r, 401, "invalid_credentials")
    cur = db.cursor()
    account_key = f"login:nip:{emp['nip']}"
    cur.execute("select failures, throttle_until is not null from auth_throttle where key = %s", (account_key,))
    assert cur.fetchone() == (6, True)
    # The 6th failure set a 2 s wait; stretch it so that a slow machine still sees it.
    cur.execute("update auth_throttle set throttle_until = now() + interval '10 minutes' where key = %s",
                (account_key,))
    r = login_from(server.url, "127.0.1.50", app, otp=wrong_otp(app))
    assert_answer(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) >= 1
    # The right code from yet another address waits as well: it is the account's counter.
    assert_answer(login_from(server.url, "127.0.1.51", app), 429, "too_many_attempts")
    # An unknown NIP or a wrong password never reaches that counter.
    assert_answer(login_from(server.url, "127.0.1.52", app, password="not-the-password"), 401, "invalid_credentials")
    cur.execute("select failures from auth_throttle where key = %s", (account_key,))
    assert cur.fetchone()[0] == 6

    # The owner's phone proves it is a known device and signs in from any address.
    ok = login_from(server.url, "127.0.1.60", app, path=MOBILE_LOGIN, device_id="hp-pemilik-1", platform="android",
                    refresh_token=refresh)
    assert ok.status_code == 200, ok.text
    # The owner's success cleared the account's counter; put the attacker's wall back.
    cur.execute("select count(*) from auth_throttle where key = %s", (account_key,))
    assert cur.fetchone()[0] == 0
    cur.execute("insert into auth_throttle (key, failures, throttle_until) "
                "values (%s, 6, now() + interval '10 minutes')", (account_key,))
    # A device id without its token, or a token with another device id, proves nothing.
    for extra in ({"device_id": "hp-pemilik-1"}, {"device_id": "hp-lain", "refresh_token": refresh},
                  {"device_id": "hp-pemilik-1", "refresh_token": "x" * 43}):
        r = login_from(server.url, "127.0.1.61", app, path=MOBILE_LOGIN, platform="android", **extra)
        assert_answer(r, 429, "too_many_attempts")
    # Its own failures still count, on the device alone.
    for _ in range(6):
        r = login_from(server.url, "127.0.1.62", app, path=MOBILE_LOGIN, device_id="hp-pemilik-1",
                       platform="android", refresh_token=refresh, otp=wrong_otp(app))
        assert_answer(r, 401, "invalid_credentials")
    device_key = f"login:dev:hp-pemilik-1:nip:{emp['nip']}"
    cur.execute("update auth_throttle set throttle_until = now() + interval '10 minutes' "
                "where key = %s and throttle_until is not null", (device_key,))
    assert cur.rowcount == 1
    r = login_from(server.url, "127.0.1.62", app, path=MOBILE_LOGIN, device_id="hp-pemilik-1", platform="android",
                   refresh_token=refresh)
    assert_answer(r, 429, "too_many_attempts")
    cur.execute("select failures from auth_throttle where key = %s", (device_key,))
    assert cur.fetchone()[0] == 6

    # The account's wait ends (aged): the right code signs in and clears the counter.
    cur.execute("update auth_throttle set throttle_until = now() - interval '1 second' where key = %s",
                (account_key,))
    r = login_from(server.url, "127.0.1.70", app)
    assert r.status_code == 200, r.text
    cur.execute("select count(*) from auth_throttle where key = %s", (account_key,))
    assert cur.fetchone()[0] == 0
    clear_rows(db, "login:ip:127.0.1.%", "login:dev:%", "login:ip:127.0.0.30%")


def test_no_enumeration(server, db):
    """Unknown NIP, wrong password and wrong code (right password) get the same answer in
    similar time, each from its own address."""
    emp = fresh_employee(db, 17)
    _, _, app = register_and_verify(server.url, db, emp)
    clear_rows(db, "login:ip:127.0.2.%")
    cases = {
        "unknown": ("127.0.2.1", {"nip": "197001010000000001", "password": PASSWORD, "otp": "123456"}),
        "wrong_password": ("127.0.2.2", {"nip": emp["nip"], "password": "not-the-password", "otp": "123456"}),
        "wrong_otp": ("127.0.2.3", {"nip": emp["nip"], "password": PASSWORD, "otp": None}),
    }
    answers, times = {}, {k: [] for k in cases}
    for _ in range(3):
        for name, (src, body) in cases.items():
            if body["otp"] is None:
                body = dict(body, otp=wrong_otp(app))
            t0 = time.monotonic()
            r = post_from(server.url, src, LOGIN, body)
            times[name].append(time.monotonic() - t0)
            answers[name] = (r.status_code, problem_core(r), r.headers.get("Content-Type"))
    assert len({json.dumps(a, sort_keys=True) for a in answers.values()}) == 1, answers
    assert answers["unknown"][0] == 401 and answers["unknown"][1]["code"] == "invalid_credentials"
    med = {k: statistics.median(v) for k, v in times.items()}
    assert max(med.values()) < 3 * min(med.values()), med
    clear_rows(db, "login:ip:127.0.2.%", f"%:nip:{emp['nip']}")


def test_nip_white_space_is_trimmed_everywhere(server, db):
    """A NIP with a space before or after it is the same NIP, on sign-in and registration."""
    emp = fresh_employee(db, 18)
    _, _, app = register_and_verify(server.url, db, emp)
    for i, nip in enumerate((f" {emp['nip']}", f"{emp['nip']} ", f"\t{emp['nip']}\n")):
        r = post_from(server.url, f"127.0.3.{i + 1}", LOGIN, {"nip": nip, "password": PASSWORD, "otp": app.code()})
        assert r.status_code == 200, (repr(nip), r.text)
    # Registration reads it the same way: the account exists, whichever way it is typed.
    body = {"nip": f" {emp['nip']} ", "nik": emp["nik"], "personal_email": "pribadi@example.com",
            "office_email": emp["office_email"], "phone": "+628123456789", "password": PASSWORD,
            "password_confirmation": PASSWORD}
    r = post_from(server.url, "127.0.3.9", "/api/v1/auth/register", body)
    assert_answer(r, 422, "registration_rejected")  # account_exists, as without the spaces
    # White space inside is not trimmed: that is no NIP.
    spaced = emp["nip"][:8] + " " + emp["nip"][8:]
    r = post_from(server.url, "127.0.3.10", LOGIN, {"nip": spaced, "password": PASSWORD, "otp": app.code()})
    assert_answer(r, 401, "invalid_credentials")
    clear_rows(db, "login:ip:127.0.3.%")


def throttle_keys(db, nip):
    cur = db.cursor()
    cur.execute("select key from auth_throttle where key like %s order by key", (f"login:ip:%:nip:{nip}",))
    return [k for (k,) in cur.fetchall()]


def test_client_address_from_a_trusted_proxy_only(start_server, db):
    """X-Forwarded-For (or Forwarded, as configured) names the client only when the TCP
    peer is a trusted proxy; the address goes to throttles, audit and logs."""
    nip = "197001010000000777"
    clear_rows(db, f"%:nip:{nip}")
    body = {"nip": nip, "password": "not-the-password", "otp": "123456"}
    trusted = start_server(EOFFICE_TRUSTED_PROXIES="127.0.0.1")
    untrusted = start_server()
    forwarded = start_server(EOFFICE_TRUSTED_PROXIES="127.0.0.1", EOFFICE_PROXY_HEADER="forwarded")

    # From the trusted peer: the right-most address that is not a trusted proxy.
    r = post_from(trusted.url, "127.0.0.1", LOGIN, body, {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"})
    assert r.status_code == 401
    assert throttle_keys(db, nip) == [f"login:ip:198.51.100.7:nip:{nip}"]
    cur = db.cursor()
    cur.execute("select ip from audit_log where action = 'auth.login_failed' and target_id = %s "
                "order by id desc limit 1", (nip,))
    assert cur.fetchone()[0] == "198.51.100.7"
    assert '"ip":"198.51.100.7"' in trusted.log_text()
    # The same server, a peer it does not trust: the header is ignored.
    clear_rows(db, f"%:nip:{nip}")
    post_from(trusted.url, "127.0.0.41", LOGIN, body, {"X-Forwarded-For": "198.51.100.8"})
    assert throttle_keys(db, nip) == [f"login:ip:127.0.0.41:nip:{nip}"]
    # No trusted proxies configured: never honoured, not even from 127.0.0.1.
    clear_rows(db, f"%:nip:{nip}")
    post_from(untrusted.url, "127.0.0.1", LOGIN, body, {"X-Forwarded-For": "198.51.100.9"})
    assert throttle_keys(db, nip) == [f"login:ip:127.0.0.1:nip:{nip}"]
    assert '"ip":"198.51.100.9"' not in untrusted.log_text()
    # Garbage in the header stops at the last trusted hop (the proxy itself).
    clear_rows(db, f"%:nip:{nip}")
    post_from(trusted.url, "127.0.0.1", LOGIN, body, {"X-Forwarded-For": "not-an-address"})
    assert throttle_keys(db, nip) == [f"login:ip:127.0.0.1:nip:{nip}"]

    # EOFFICE_PROXY_HEADER=forwarded: RFC 7239 for= (quoted, with a port); X-Forwarded-For ignored.
    clear_rows(db, f"%:nip:{nip}")
    post_from(forwarded.url, "127.0.0.1", LOGIN, body,
              {"Forwarded": 'for="198.51.100.10:4711";proto=https', "X-Forwarded-For": "198.51.100.11"})
    assert throttle_keys(db, nip) == [f"login:ip:198.51.100.10:nip:{nip}"]
    clear_rows(db, f"%:nip:{nip}")
    post_from(forwarded.url, "127.0.0.1", LOGIN, body, {"Forwarded": 'for="[2001:db8::7]:443"'})
    assert throttle_keys(db, nip) == [f"login:ip:2001:db8::7:nip:{nip}"]
    clear_rows(db, f"%:nip:{nip}")
    post_from(forwarded.url, "127.0.0.1", LOGIN, body, {"X-Forwarded-For": "198.51.100.12"})
    assert throttle_keys(db, nip) == [f"login:ip:127.0.0.1:nip:{nip}"]
    clear_rows(db, f"%:nip:{nip}", "login:ip:198.51.100.%", "login:ip:2001:db8::7")
