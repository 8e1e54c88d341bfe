"""Upload hardening (issue 8, section 2): multipart read strictly, images judged whole.

- A repeated form field is refused (400 multipart_field_repeated), never joined:
  ulfius/libmicrohttpd used to join two "photo" parts with a comma.
- Images are decoded in full (core/photo.c): an appended payload, junk between
  segments, a JPEG/ZIP polyglot, a truncated image, a decompression bomb are
  refused (422); valid JPEG and PNG still pass.
- multipart/form-data without a boundary is answered (400 problem+json) instead
  of the connection being dropped.
Nothing is recorded for a refused check-in.
"""
import socket
import uuid

import requests

from conftest import assert_problem
from presensi_support import DATA, NURHAYATI, employee, form, headers, punch, reset, unique_jpeg

NIP = NURHAYATI
PATH = "/mobile/v1/presensi/check-in"


def recorded(db, nip):
    """(attendance rows, photo rows) of nip."""
    eid = employee(db, nip)[0]
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance where employee_id = %s", (eid,))
        (rows,) = cur.fetchone()
        cur.execute("select count(*) from attachments where employee_id = %s", (eid,))
        (photos,) = cur.fetchone()
    return rows, photos


def multipart(parts, boundary=None):
    """A multipart/form-data body from (name, filename or None, bytes) triples."""
    boundary = boundary or "b-" + uuid.uuid4().hex
    out = b""
    for name, filename, value in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n".encode()
        if filename:
            out += b"Content-Type: image/jpeg\r\n"
        out += b"\r\n" + value + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def fields(db, nip):
    return [(k, None, v.encode()) for k, v in form(db, nip).items()]


def post_raw(server, nip, body, content_type):
    h = headers(server, nip)
    h["Content-Type"] = content_type
    return requests.post(server.url + PATH, headers=h, data=body, timeout=30)


def test_two_photo_parts_are_refused_and_nothing_recorded(server, db):
    reset(db, NIP)
    body, ct = multipart(fields(db, NIP) + [("photo", "a.jpg", unique_jpeg()), ("photo", "b.jpg", unique_jpeg())])
    body = assert_problem(post_raw(server, NIP, body, ct), 400, "multipart_field_repeated")
    assert body["field"] == "photo"
    assert recorded(db, NIP) == (0, 0)


def test_repeated_text_field_is_refused(server, db):
    reset(db, NIP)
    parts = fields(db, NIP)
    lat = next(v for k, _, v in parts if k == "latitude")
    body, ct = multipart(parts + [("latitude", None, lat), ("photo", "a.jpg", unique_jpeg())])
    body = assert_problem(post_raw(server, NIP, body, ct), 400, "multipart_field_repeated")
    assert body["field"] == "latitude"
    assert recorded(db, NIP) == (0, 0)


def test_a_well_formed_raw_body_is_still_accepted(server, db):
    reset(db, NIP)
    body, ct = multipart(fields(db, NIP) + [("photo", "a.jpg", unique_jpeg())])
    r = post_raw(server, NIP, body, ct)
    assert r.status_code == 201, r.text
    assert recorded(db, NIP) == (1, 1)
    reset(db, NIP)


def _selfie():
    return (DATA / "selfie.jpg").read_bytes()


def _between_segments():
    d = _selfie()
    dqt = d.index(b"\xff\xdb")
    return d[:dqt] + b"JUNKJUNK" + d[dqt:]


def _polyglot():
    return _selfie() + (DATA / "report.docx").read_bytes()  # a ZIP after EOI


def _truncated():
    d = _selfie()
    sos = d.index(b"\xff\xda")
    cut = sos + (len(d) - sos) // 2
    return d[:cut] + b"\xff\xd9"


def _png_bomb():
    d = bytearray((DATA / "selfie.png").read_bytes())
    d[16:24] = (50000).to_bytes(4, "big") + (50000).to_bytes(4, "big")  # IHDR width, height
    return bytes(d)


BAD_IMAGES = [
    ("appended payload", lambda: _selfie() + b"<?php system($_GET['c']); ?>\xff\xd9", "photo_corrupt"),
    ("payload between segments", _between_segments, "photo_corrupt"),
    ("JPEG/ZIP polyglot", _polyglot, "photo_corrupt"),
    ("truncated", _truncated, "photo_corrupt"),
    ("PNG bomb 50000x50000", _png_bomb, "photo_dimensions_too_large"),
]


def test_bad_images_are_refused_and_nothing_recorded(server, db):
    reset(db, NIP)
    for label, make, code in BAD_IMAGES:
        r = punch(server, NIP, data=form(db, NIP), files={"photo": ("x.jpg", make(), "image/jpeg")})
        assert r.status_code == 422, f"{label}: {r.status_code} {r.text}"
        assert_problem(r, 422, code)
        assert recorded(db, NIP) == (0, 0), label


def test_valid_jpeg_and_png_still_accepted(server, db):
    for name in ("selfie.jpg", "selfie2.jpg", "selfie_progressive.jpg", "selfie.png"):
        reset(db, NIP)
        r = punch(server, NIP, data=form(db, NIP), files={"photo": (name, (DATA / name).read_bytes(), "image/jpeg")})
        assert r.status_code == 201, f"{name}: {r.text}"
    reset(db, NIP)


def _raw(server, head, body=b""):
    """Sends one request on a fresh socket; returns everything until the server closes."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    s.sendall(head + body)
    buf = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        pass
    finally:
        s.close()
    return buf


def test_multipart_without_boundary_is_answered_over_a_raw_socket(server, db):
    reset(db, NIP)
    token = headers(server, NIP)["Authorization"]
    body = b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n"
    for ct in ("multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; BOUNDARY=x"):
        head = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\nContent-Type: {ct}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        got = _raw(server, head, body)
        assert got.startswith(b"HTTP/1.1 400 "), (ct, got[:300])
        assert b"application/problem+json" in got and b"multipart_boundary_invalid" in got, got[:600]
    assert recorded(db, NIP) == (0, 0)


def test_multipart_without_boundary_with_requests(server, db):
    h = headers(server, NIP)
    h["Content-Type"] = "multipart/form-data"
    r = requests.post(server.url + PATH, headers=h, data=b"--x--\r\n", timeout=30)
    assert_problem(r, 400, "multipart_boundary_invalid")
    # The server is still fine afterwards.
    assert requests.get(server.url + "/healthz", timeout=10).status_code == 200


def test_malformed_multipart_body_is_a_400(server, db):
    reset(db, NIP)
    body, ct = multipart(fields(db, NIP) + [("photo", "a.jpg", unique_jpeg())])
    assert_problem(post_raw(server, NIP, b"preamble\r\n" + body, ct), 400, "multipart_invalid")
    assert_problem(post_raw(server, NIP, body + b"epilogue", ct), 400, "multipart_invalid")
    assert recorded(db, NIP) == (0, 0)
