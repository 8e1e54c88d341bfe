"""Shared helpers of the competency and integration API tests.

Demo actors (db/seed/demo.sql, db/seed/demo_competency.sql):
  ADMIN      Andi (admin; Pranata Komputer Ahli Muda; assessed 2025, self-assessment only last year)
  DEWI       staff, standard of Analis SDM Ahli Pertama, self-assessment this year, a pre/post pair
  HENDRA     Dewi's atasan
  RAHMAT     anpeg of KEMENKES-ROSDM (covers Dewi and Andi)
  EKO        anpeg of MUBA-DISDIK (covers Ahmad, not Dewi)
  AHMAD      guru, Guru Kelas Ahli Muda, self-assessment this year
  NURHASANAH Ahmad's atasan
  AGUSTINA   guru in Jayapura, a standard but no assessment at all
  SUKARDI    korwil in Muba (no standard; atasan chain of Ahmad, not of Dewi)
  FITRI      humas, no position standard
"""
import json

import requests

from conftest import walk_pages
from helpers_auth import auth_headers, login

ADMIN = "198807142014031001"
DEWI = "199305212019032001"
HENDRA = "197806252003121001"
RAHMAT = "198611022010121001"
EKO = "198303032009011001"
AHMAD = "198709232012031001"
NURHASANAH = "197504142000032001"
AGUSTINA = "198908172014032001"
SUKARDI = "197212011997031001"
FITRI = "199112192017122001"


def headers(server, nip, **extra):
    h = auth_headers(login(server.url, nip))
    h.update(extra)
    return h


def get(server, path, nip=None, **params):
    h = headers(server, nip) if nip else {}
    return requests.get(server.url + path, headers=h, params=params, timeout=30)


def send(server, method, path, nip=None, body=None, raw=None, extra=None):
    h = headers(server, nip) if nip else {}
    if body is not None or raw is not None:
        h["Content-Type"] = "application/json"
    if extra:
        h.update(extra)
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.request(method, server.url + path, headers=h, data=data, timeout=30)


def post(server, path, nip=None, body=None, raw=None):
    return send(server, "POST", path, nip, body, raw)


def standard_codes(db, nip):
    with db.cursor() as cur:
        cur.execute("select c.code from position_standards s join employees e on e.position_id = s.position_id "
                    "join competencies c on c.id = s.competency_id where e.nip = %s order by c.code", (nip,))
        return [r[0] for r in cur.fetchall()]


def assessment_count(db, nip=None, partner=None):
    with db.cursor() as cur:
        cur.execute("select count(*) from assessments a join employees e on e.id = a.employee_id "
                    "where (%s::text is null or e.nip = %s) and (%s::text is null or a.partner = %s)",
                    (nip, nip, partner, partner))
        return cur.fetchone()[0]


def walk(server, path, nip, limit=2, **params):
    """Every item of a paged list, checking no item repeats."""
    items, _ = walk_pages(lambda q: get(server, path, nip, **q), limit, params, max_pages=200)
    keys = [json.dumps(it, sort_keys=True) for it in items]
    assert len(set(keys)) == len(keys), "an item came twice"
    return items
