"""Shared helpers of the RPI and Plataran API tests (tests/api/test_rpi_*.py,
test_plataran*.py).

Chain (db/seed/demo.sql): AHMAD (author, guru SDN 1 Sekayu) -> NURHASANAH (his
atasan) -> SUKARDI (atasan of the atasan: no part in the RPI); EKO is the anpeg
of MUBA-DISDIK (the verifier of Ahmad's plan); RAHMAT is an anpeg of another
tree (KEMENKES-ROSDM) and HENDRA an atasan of other people: both strangers
to Ahmad's plan. ADMIN may read every plan and decides none.

Competencies with codes T.RPITEST-* belong to these tests alone; every test
resets the plans and assessments of the employees it uses."""
import datetime
import json

import requests

from helpers_auth import auth_headers, login

ADMIN = "198807142014031001"
DEWI = "199305212019032001"
HENDRA = "197806252003121001"
RAHMAT = "198611022010121001"
EKO = "198303032009011001"
SUKARDI = "197212011997031001"
NURHASANAH = "197504142000032001"
AHMAD = "198709232012031001"
FITRI = "199112192017122001"

COMP_A = "T.RPITEST-A"   # Ahmad below standard by 2
COMP_B = "T.RPITEST-B"   # below by 1
COMP_C = "T.RPITEST-C"   # meets the standard


def this_year():
    """The plan year the server uses by default (WIB)."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).year


def web(server, nip):
    return auth_headers(login(server.url, nip))


def app(server, nip):
    return auth_headers(login(server.url, nip, mobile=True, device=f"rpi-device-{nip}"))


def call(server, verb, path, nip=None, body=None, raw=None, headers=None, params=None, **kw):
    """One request as nip's web session; query parameters from params and kw."""
    params = dict(params or {}, **kw)
    h = web(server, nip) if nip else {}
    if headers:
        h.update(headers)
    if body is not None or raw is not None:
        h.setdefault("Content-Type", "application/json")
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.request(verb, server.url + path, headers=h, data=data, params=params or None, timeout=30)


def emp_id(db, nip):
    with db.cursor() as cur:
        cur.execute("select id from employees where nip = %s", (nip,))
        return cur.fetchone()[0]


def reset(db, *nips):
    """Removes the employees' plans, the assessments these tests made, and their RPI notifications."""
    with db.cursor() as cur:
        for nip in nips:
            eid = emp_id(db, nip)
            cur.execute("delete from rpis where employee_id = %s", (eid,))
            cur.execute("delete from assessments where employee_id = %s and assessor = 'rpi-test'", (eid,))
            cur.execute("delete from notifications where kind like 'rpi.%%' and target_type = 'rpi'"
                        " and data->>'rpi_id' is not null and employee_id = %s", (eid,))


def self_assess(db, nip, year=None, scores=None):
    """A self-assessment on 1 January of year with the given {code: score} and, when scores are
    given, an assessment-centre result with the same scores that day: the gap comes from the
    latest score other than a self-assessment (docs/competency.md), the self-assessment is what
    submitting requires."""
    year = year or this_year()
    with db.cursor() as cur:
        ids = []
        for kind, source in (("self", "self"), ("assessment_centre", "manual")) if scores else (("self", "self"),):
            cur.execute("insert into assessments (employee_id, type, assessed_on, assessor, source)"
                        " values (%s, %s, %s, 'rpi-test', %s)"
                        " returning id", (emp_id(db, nip), kind, datetime.date(year, 1, 1), source))
            aid = cur.fetchone()[0]
            ids.append(aid)
            for code, score in (scores or {}).items():
                cur.execute("insert into assessment_scores (assessment_id, competency_id, score)"
                            " select %s, id, %s from competencies where code = %s", (aid, score, code))
        return ids[0]


def setup_competencies(db, nip=AHMAD):
    """T.RPITEST-A/B/C with the standard of nip's position at 3 each."""
    with db.cursor() as cur:
        for code in (COMP_A, COMP_B, COMP_C):
            cur.execute("insert into competencies (code, name, category) values (%s, %s, 'technical')"
                        " on conflict (code) do nothing", (code, "Uji " + code))
            cur.execute("insert into position_standards (position_id, competency_id, required_level)"
                        " select e.position_id, k.id, 3 from employees e, competencies k"
                        " where e.nip = %s and k.code = %s"
                        " on conflict (position_id, competency_id) do update set required_level = 3",
                        (nip, code))


def programme_body(title, **over):
    b = {"title": title, "description": "uji", "method": "pelatihan", "category": "formal", "jp": 8,
         "organiser": "MUBA-DISDIK", "competencies": [], "mandatory_for": {"everyone": False, "positions": [],
                                                                          "ranks": []}}
    b.update(over)
    return b


def make_programme(server, title, **over):
    r = call(server, "POST", "/api/v1/programmes", ADMIN, programme_body(title, **over))
    assert r.status_code == 201, r.text
    return r.json()


def archive(server, pid):
    call(server, "DELETE", f"/api/v1/programmes/{pid}", ADMIN)


def notifications(db, nip, kind):
    with db.cursor() as cur:
        cur.execute("select n.data->>'rpi_id' from notifications n join employees e on e.id = n.employee_id"
                    " where e.nip = %s and n.kind = %s order by n.id", (nip, kind))
        return [int(r[0]) for r in cur.fetchall()]


def audit(db, rpi_id):
    with db.cursor() as cur:
        cur.execute("select a.action, e.nip from audit_log a left join employees e on e.id = a.actor_employee_id"
                    " where a.target_type = 'rpi' and a.target_id = %s order by a.id", (str(rpi_id),))
        return cur.fetchall()
