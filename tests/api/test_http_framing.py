"""HTTP/1.1 framing over raw sockets: request smuggling must not work (issue 8, section 1).

Each attack sends one badly framed request with a second, "smuggled" request
behind it on the same connection. The server must answer the first exactly
once (RFC 9112 §3.2, §6.1, §6.3: 400) and close the connection, and the
smuggled request must never run: it carries a unique X-Request-Id that the
router would echo and log, so neither the bytes received nor the server log
may contain it. A normal keep-alive pipeline must still be answered in full.
"""
import json
import re
import socket
import time
import uuid

import pytest

LOGIN = "/api/v1/auth/login"
STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3}) ")


def smuggled():
    """A request a front proxy would not have seen; returns (bytes, marker)."""
    marker = "smuggled-" + uuid.uuid4().hex
    return f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: {marker}\r\n\r\n".encode(), marker


def parse_responses(buf):
    """Splits buf into (status, headers, body) responses framed by Content-Length;
    returns (responses, leftover bytes that do not form a response)."""
    out = []
    while buf:
        head_end = buf.find(b"\r\n\r\n")
        m = STATUS_LINE.match(buf)
        if head_end < 0 or not m:
            break
        lines = buf[:head_end].decode("latin-1").split("\r\n")[1:]
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(buf) < head_end + 4 + length:
            break
        out.append((int(m.group(1)), headers, buf[head_end + 4:head_end + 4 + length]))
        buf = buf[head_end + 4 + length:]
    return out, buf


def exchange(server, data, want=None, timeout=3.0):
    """Sends data on a fresh connection and reads until the server closes it (or,
    with want, until that many responses arrived). Returns (bytes, closed, seconds)."""
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    s.sendall(data)
    buf, closed = b"", False
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            buf += chunk
            if want and len(parse_responses(buf)[0]) >= want:
                break
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    finally:
        s.close()
    return buf, closed, time.monotonic() - t0


def assert_refused(server, data, marker, code, status=400):
    """Exactly one response, a problem with this status and code, Connection:
    close, the connection closed at once, and the smuggled request never run."""
    buf, closed, took = exchange(server, data)
    responses, rest = parse_responses(buf)
    assert len(responses) == 1 and rest == b"", f"expected exactly one response, got {buf!r}"
    got, headers, body = responses[0]
    assert got == status, buf
    assert headers.get("content-type") == "application/problem+json"
    assert json.loads(body)["code"] == code
    assert headers.get("connection", "").lower() == "close"
    assert closed and took < 2.0, "the connection must be closed right after the answer"
    assert_not_run(server, buf, marker)


def assert_not_run(server, buf, marker):
    assert marker.encode() not in buf, "the smuggled request was answered"
    time.sleep(0.05)  # the log line of a request that ran is written before its answer; be generous
    assert marker not in server.log_text(), "the smuggled request ran"


def post_head(extra):
    return ("POST " + LOGIN + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra + "\r\n").encode()


# ---- Content-Length -------------------------------------------------------

@pytest.mark.parametrize("first_is_short", [True, False])
def test_two_differing_content_lengths_are_refused_and_closed(server, first_is_short):
    extra, marker = smuggled()
    body = b"{}" + extra
    lengths = (2, len(body)) if first_is_short else (len(body), 2)
    head = post_head(f"Content-Length: {lengths[0]}\r\nContent-Length: {lengths[1]}\r\n")
    assert_refused(server, head + body, marker, "content_length_invalid")


def test_repeated_equal_content_length_is_refused_too(server):
    extra, marker = smuggled()
    head = post_head("Content-Length: 2\r\nContent-Length: 2\r\n")
    assert_refused(server, head + b"{}" + extra, marker, "content_length_invalid")


# libmicrohttpd 0.9.75 parses Content-Length itself before any application code
# runs; a value it cannot parse gets its own 400 (413 past 2^64) and a closed
# connection, so the smuggled request never runs. Its answer, though, carries the
# status line and headers twice (docs/operations.md, "HTTP framing").
@pytest.mark.parametrize("value,status", [("-1", 400), ("+2", 400), ("99999999999999999999999", 413)])
def test_unparsable_content_length_closes_and_runs_nothing_after(server, value, status):
    extra, marker = smuggled()
    buf, closed, took = exchange(server, post_head(f"Content-Length: {value}\r\n") + b"{}" + extra)
    statuses = [int(s) for s in STATUS_LINE.findall(buf)]
    assert statuses and set(statuses) == {status}, buf
    assert closed and took < 2.0
    assert_not_run(server, buf, marker)


@pytest.mark.xfail(strict=True, reason="libmicrohttpd 0.9.75 writes its own error response's head twice; "
                                       "covered by the reverse proxy (docs/operations.md)")
@pytest.mark.parametrize("value", ["-1", "99999999999999999999999"])
def test_unparsable_content_length_gets_exactly_one_response(server, value):
    buf, _, _ = exchange(server, post_head(f"Content-Length: {value}\r\n") + b"{}")
    responses, rest = parse_responses(buf)
    assert len(responses) == 1 and rest == b"", buf


# ---- Transfer-Encoding ----------------------------------------------------

def test_transfer_encoding_with_content_length_is_refused_and_closed(server):
    extra, marker = smuggled()
    chunked = b"2\r\n{}\r\n0\r\n\r\n"
    head = post_head(f"Content-Length: {len(chunked)}\r\nTransfer-Encoding: chunked\r\n")
    assert_refused(server, head + chunked + extra, marker, "framing_ambiguous")


def test_content_length_before_transfer_encoding_is_refused_too(server):
    extra, marker = smuggled()
    chunked = b"2\r\n{}\r\n0\r\n\r\n"
    head = post_head(f"Transfer-Encoding: chunked\r\nContent-Length: {len(chunked) + len(extra)}\r\n")
    assert_refused(server, head + chunked + extra, marker, "framing_ambiguous")


@pytest.mark.parametrize("te", ["gzip, chunked", "chunked, gzip", "identity", "chunked, chunked", "xchunked"])
def test_unsupported_transfer_encoding_is_refused_at_once(server, te):
    extra, marker = smuggled()
    head = post_head(f"Transfer-Encoding: {te}\r\n")
    assert_refused(server, head + b"2\r\n{}\r\n0\r\n\r\n" + extra, marker, "transfer_encoding_unsupported")


def test_transfer_encoding_on_two_lines_is_refused(server):
    extra, marker = smuggled()
    head = post_head("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n")
    assert_refused(server, head + b"2\r\n{}\r\n0\r\n\r\n" + extra, marker, "transfer_encoding_unsupported")


def test_transfer_encoding_in_http_1_0_is_refused(server):
    extra, marker = smuggled()
    head = (f"POST {LOGIN} HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    assert_refused(server, head + b"2\r\n{}\r\n0\r\n\r\n" + extra, marker, "transfer_encoding_unsupported")


def test_plain_chunked_body_still_works_and_keeps_the_connection(server):
    extra, marker = smuggled()
    head = post_head("Transfer-Encoding: chunked\r\n")
    buf, _, _ = exchange(server, head + b"2\r\n{}\r\n0\r\n\r\n" + extra, want=2)
    responses, _ = parse_responses(buf)
    assert len(responses) == 2, buf
    first = json.loads(responses[0][2])
    assert responses[0][0] in (400, 422) and first["code"] not in (
        "content_length_invalid", "transfer_encoding_unsupported", "framing_ambiguous")
    assert responses[1][0] == 200 and responses[1][1]["x-request-id"] == marker


@pytest.mark.parametrize("line", ["Content-Length : {n}", "Content-Length\t: {n}", "Transfer-Encoding : chunked"])
def test_whitespace_before_the_colon_is_400(server, line):
    # libmicrohttpd would keep "Content-Length " as an unknown header and read no body,
    # so the bytes a lenient proxy forwarded as the body would run as a request.
    extra, marker = smuggled()
    head = post_head(line.format(n=len(extra)) + "\r\n")
    assert_refused(server, head + extra, marker, "header_name_invalid")


# ---- Host and the request target -------------------------------------------

def test_http_1_1_without_host_is_400_and_closed(server):
    extra, marker = smuggled()
    assert_refused(server, b"GET /healthz HTTP/1.1\r\n\r\n" + extra, marker, "host_header_invalid")


def test_two_host_headers_are_400(server):
    extra, marker = smuggled()
    assert_refused(server, b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + extra, marker,
                   "host_header_invalid")


def test_http_1_0_without_host_is_still_served(server):
    buf, _, _ = exchange(server, b"GET /healthz HTTP/1.0\r\n\r\n", want=1)
    responses, _ = parse_responses(buf)
    assert [r[0] for r in responses] == [200], buf


@pytest.mark.parametrize("target", ["http://x/healthz", "HTTP://eoffice.example:8080/healthz",
                                    "https://x/healthz?probe=1"])
def test_absolute_form_target_is_routed_on_its_path(server, target):
    buf, _, _ = exchange(server, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), want=1)
    responses, _ = parse_responses(buf)
    assert len(responses) == 1 and responses[0][0] == 200, buf
    assert json.loads(responses[0][2]) == {"status": "ok"}


def test_absolute_form_without_a_path_is_the_root(server):
    buf, _, _ = exchange(server, b"GET http://x HTTP/1.1\r\nHost: x\r\n\r\n", want=1)
    responses, _ = parse_responses(buf)
    # "/" is no route: a problem answer from the router, not a framing error.
    assert len(responses) == 1 and responses[0][0] == 404, buf
    assert json.loads(responses[0][2])["instance"] == "/"


# ---- what must keep working ------------------------------------------------

def test_keep_alive_pipeline_answers_every_request(server):
    second, marker = smuggled()
    data = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + second + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    buf, closed, _ = exchange(server, data, want=3)
    responses, rest = parse_responses(buf)
    assert [r[0] for r in responses] == [200, 200, 200] and rest == b"", buf
    assert responses[1][1]["x-request-id"] == marker
    assert all("close" not in r[1].get("connection", "").lower() for r in responses)
    assert not closed


def test_keep_alive_post_with_content_length_then_get(server):
    body = b"{}"
    data = post_head(f"Content-Length: {len(body)}\r\n") + body + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    buf, _, _ = exchange(server, data, want=2)
    responses, _ = parse_responses(buf)
    assert len(responses) == 2 and responses[1][0] == 200, buf
