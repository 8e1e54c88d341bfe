"""A check-in is stamped with the moment its request began to arrive.

On a weak signal a selfie takes seconds to upload; the employee who pressed the
button at 07.29 must be recorded at 07.29, not when the last byte arrived. A
request trickled in for longer than EOFFICE_MAX_UPLOAD_SECONDS is stamped on
receipt and flagged, so nobody can open a request early and finish it late.
"""
import datetime
import json
import socket
import time
from urllib.parse import urlparse

import requests

from presensi_support import AGUSTINA, form, headers, reset, unique_jpeg


def slow_post(base_url, path, hdrs, data, files, pause):
    """Sends the request line, headers and a first slice of the body, pauses, sends the rest."""
    prepared = requests.Request("POST", base_url + path, headers=hdrs, data=data, files=files).prepare()
    body = prepared.body
    u = urlparse(base_url)
    head = [f"POST {path} HTTP/1.1", f"Host: {u.hostname}:{u.port}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in prepared.headers.items()]
    raw_head = ("\r\n".join(head) + "\r\n\r\n").encode()
    with socket.create_connection((u.hostname, u.port), timeout=60) as s:
        started = time.time()
        s.sendall(raw_head + body[:1000])
        time.sleep(pause)
        s.sendall(body[1000:])
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    raw = b"".join(chunks)
    status = int(raw.split(b" ", 2)[1])
    payload = json.loads(raw.split(b"\r\n\r\n", 1)[1])
    return started, status, payload


def instant(record_side):
    return datetime.datetime.fromisoformat(record_side["at"].replace("Z", "+00:00")).timestamp()


def test_slow_upload_is_stamped_when_it_started(server, db):
    reset(db, AGUSTINA)
    started, status, body = slow_post(server.url, "/mobile/v1/presensi/check-in", headers(server, AGUSTINA),
                                      form(db, AGUSTINA), {"photo": ("selfie.jpg", unique_jpeg(), "image/jpeg")},
                                      pause=3.0)
    assert status == 201, body
    at = instant(body["record"]["check_in"])
    # Times are given to the second: the stamp is the start's second, not three seconds later.
    assert int(started) - 1 <= at <= started + 1.0, (started, at)
    assert "slow_upload" not in body["record"]["check_in"]["flags"]
    reset(db, AGUSTINA)


def test_trickled_upload_cannot_back_date(start_server, db):
    srv = start_server(EOFFICE_MAX_UPLOAD_SECONDS=1)
    reset(db, AGUSTINA)
    started, status, body = slow_post(srv.url, "/mobile/v1/presensi/check-in", headers(srv, AGUSTINA),
                                      form(db, AGUSTINA), {"photo": ("selfie.jpg", unique_jpeg(), "image/jpeg")},
                                      pause=2.5)
    assert status == 201, body
    at = instant(body["record"]["check_in"])
    assert at >= int(started + 2.4), (started, at)
    assert "slow_upload" in body["record"]["check_in"]["flags"]
    reset(db, AGUSTINA)
