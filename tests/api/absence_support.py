"""Shared helpers of the absence-request and settings-confirmation tests.

Web sessions (helpers_auth.login, mobile=False): /api/v1/absence-requests and
/api/v1/settings-changes are not among the routes an app session may use."""
import json

import requests

from helpers_auth import auth_headers, login
from presensi_support import DATA, headers as mobile_headers  # noqa: F401

AR = "/api/v1/absence-requests"
SC = "/api/v1/settings-changes"


def web(server, nip, **extra):
    h = auth_headers(login(server.url, nip))
    h.update(extra)
    return h


def call(server, method, path, nip=None, body=None, raw=None, params=None, mobile=False, **kw):
    h = (mobile_headers(server, nip) if mobile else web(server, nip)) if nip else {}
    if raw is not None or body is not None:
        h["Content-Type"] = "application/json"
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.request(method, server.url + path, headers=h, data=data, params=params, timeout=30, **kw)


def employee_id(db, nip):
    with db.cursor() as cur:
        cur.execute("select id from employees where nip = %s", (nip,))
        return cur.fetchone()[0]


def clear_absences(db, *nips):
    """Removes the employees' absence requests and their documents' rows (a released row left
    behind would be swept by another test's server, e.g. the S3 sweep test)."""
    with db.cursor() as cur:
        for nip in nips:
            cur.execute("delete from absence_requests where employee_id = (select id from employees where nip = %s)",
                        (nip,))
            cur.execute("delete from attachments where kind = 'absence.document'"
                        " and employee_id = (select id from employees where nip = %s)", (nip,))


def notices(db, nip, kind):
    with db.cursor() as cur:
        cur.execute("select count(*) from notifications n join employees e on e.id = n.employee_id"
                    " where e.nip = %s and n.kind = %s", (nip, kind))
        return cur.fetchone()[0]


def audit_actions(db, target_type, target_id):
    with db.cursor() as cur:
        cur.execute("select action from audit_log where target_type = %s and target_id = %s order by id",
                    (target_type, str(target_id)))
        return [r[0] for r in cur.fetchall()]


def pdf_bytes():
    return (DATA / "letter.pdf").read_bytes()
