"""Every answer of the suite is checked against openapi.yaml.

Imported by conftest.py. It wraps requests.Session.send (every requests.get,
post, request and Session call of the whole suite goes through it) and records
each answer of an eoffice server (recognised by its X-Request-Id header, so the
fake S3/SMTP servers and others are left out) as (method, path template,
status). At the end of the session, any status an operation of openapi.yaml
does not list fails the run with the list of them and one test that got each.

Rules: a path no template matches may answer only 404 (unmatched path); a known
path with a method it has no operation for only 405. HEAD is checked as GET.
CORS preflights (OPTIONS) are not operations and are not checked. Raw-socket
tests do not go through requests and so are not checked either: they send what
no client can, deliberately.

Overhead: one dictionary lookup per answer once a (method, path) was seen.
"""
import os
import pathlib
import re
from urllib.parse import urlsplit

import requests
import yaml

_SPEC = pathlib.Path(os.environ.get("EOFFICE_ROOT", pathlib.Path(__file__).resolve().parents[2])) / "openapi.yaml"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _load():
    doc = yaml.safe_load(_SPEC.read_text())
    ops = []
    for template, item in doc.get("paths", {}).items():
        parts = re.split(r"(\{[^}/]+\})", template)
        rx = re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")
        statuses = {m.upper(): {str(s) for s in (item[m].get("responses") or {})} for m in _METHODS if m in item}
        # literal segments first: /me/sessions before /me/sessions/{id}
        ops.append((template.count("{"), template, rx, statuses))
    ops.sort(key=lambda o: (o[0], o[1]))
    return ops


_OPS = None
_cache = {}        # (method, path) -> (template or None, documented statuses)
violations = {}    # (method, template, status) -> (url, test)
_current = ["(outside a test)"]


def _documented(method, path):
    global _OPS
    key = (method, path)
    hit = _cache.get(key)
    if hit is not None:
        return hit
    if _OPS is None:
        _OPS = _load()
    hit = (None, {"404"})
    for _, template, rx, statuses in _OPS:
        if rx.match(path):
            hit = (template, statuses.get("GET" if method == "HEAD" else method, {"405"}))
            break
    if len(_cache) < 100000:
        _cache[key] = hit
    return hit


def _allowed(status, documented):
    s = str(status)
    return s in documented or "default" in documented or (s[0] + "XX") in documented


def record(method, url, status):
    if method == "OPTIONS":
        return
    path = urlsplit(url).path or "/"
    template, documented = _documented(method, path)
    if not _allowed(status, documented):
        violations.setdefault((method, template or f"(unmatched) {path}", status), (url, _current[0]))


_send = requests.Session.send


def _checked_send(self, request, **kw):
    resp = _send(self, request, **kw)
    if "X-Request-Id" in resp.headers:
        record(request.method or "GET", request.url, resp.status_code)
    return resp


requests.Session.send = _checked_send


# ------------------------------------------------------------------ pytest hooks (re-exported by conftest.py)

def pytest_runtest_setup(item):
    _current[0] = item.nodeid


def pytest_sessionfinish(session, exitstatus):
    if violations and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not violations:
        return
    tr = terminalreporter
    tr.section("answers that openapi.yaml does not document", sep="=", red=True, bold=True)
    for (method, template, status), (url, test) in sorted(violations.items(), key=lambda v: (v[0][1], v[0][0], v[0][2])):
        tr.line(f"{method} {template} -> {status}   (e.g. {url} in {test})")
    tr.line(f"{len(violations)} undocumented (method, path, status); list them in openapi.yaml or fix the server.")
