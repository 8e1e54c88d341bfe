"""503 busy when every password-hash slot is taken (issue 8, section 4).

argon2id costs 64 MiB per hash, so at most EOFFICE_MAX_CONCURRENT_HASHES run at once
and a sign-in waits EOFFICE_HASH_SLOT_WAIT_MS for a slot, then gets 503 `busy` with
Retry-After. With one slot and no wait the answer is deterministic: sign-ins whose
last byte is released together all reach the hash within a millisecond or two,
while one hash takes tens of milliseconds, so all but the one holding the slot are
refused at once.

Every sign-in comes from its own source address on 127.0.0.0/8 and names an
unknown NIP (the dummy hash costs the same), so no throttle and no account of
another test is touched.
"""
import json
import socket
import threading
import uuid


LOGIN = "/api/v1/auth/login"


def unknown_nip(i):
    # Valid NIP structure (born 1971-01-dd, appointed 1999-01, male, sequence) that the demo data does not use.
    return f"197101{(i % 28) + 1:02d}199901" + "1" + f"{(uuid.uuid4().int % 900) + 100:03d}"


def held_request(port, src, body):
    """Connects from src and sends all of the request but its last byte."""
    data = json.dumps(body).encode()
    req = (f"POST {LOGIN} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode() + data
    s = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(src, 0))
    s.sendall(req[:-1])
    return s, req[-1:]


def read_all(s):
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return buf
        buf += chunk


def burst(srv, n, first_src):
    held = [held_request(srv.port, f"127.0.{first_src}.{i + 1}",
                         {"nip": unknown_nip(i), "password": "salah-sekali-" + uuid.uuid4().hex, "otp": "000000"})
            for i in range(n)]
    answers = [None] * n

    def finish(i):
        answers[i] = read_all(held[i][0])
        held[i][0].close()

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for s, last in held:  # release every last byte together
        s.sendall(last)
    for t in threads:
        t.join(60)
    out = []
    for a in answers:
        head, _, body = a.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in head.decode("latin-1").split("\r\n")[1:])}
        out.append((status, headers, body))
    return out


def test_one_slot_no_wait_answers_busy(start_server):
    srv = start_server(EOFFICE_MAX_CONCURRENT_HASHES=1, EOFFICE_HASH_SLOT_WAIT_MS=0)
    answers = burst(srv, 6, 41)
    statuses = sorted(a[0] for a in answers)
    busy = [a for a in answers if a[0] == 503]
    assert busy, statuses
    assert any(a[0] == 401 for a in answers), statuses  # the one holding the slot got its answer
    assert set(statuses) <= {401, 503}, statuses
    for status, headers, body in busy:
        assert headers["content-type"].startswith("application/problem+json")
        assert json.loads(body)["code"] == "busy"
        assert int(headers["retry-after"]) >= 1


def test_waiting_for_a_slot_serves_everyone(start_server):
    srv = start_server(EOFFICE_MAX_CONCURRENT_HASHES=1, EOFFICE_HASH_SLOT_WAIT_MS=20000)
    answers = burst(srv, 3, 42)
    assert [a[0] for a in answers] == [401, 401, 401]


def test_slot_wait_is_validated():
    import subprocess

    from conftest import BIN, base_env
    p = subprocess.run([BIN, "serve"], env=base_env(EOFFICE_HASH_SLOT_WAIT_MS=-1), capture_output=True, text=True,
                       timeout=30)
    assert p.returncode == 1 and "EOFFICE_HASH_SLOT_WAIT_MS" in p.stderr
