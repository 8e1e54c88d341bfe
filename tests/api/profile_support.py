"""Shared helpers of the profile / PDM / printable-profile tests (tests/api/test_profile_*.py).

People (db/seed/demo.sql): DEWI (Kemenkes RENSDM) has atasan HENDRA and anpeg RAHMAT
(grant on KEMENKES-ROSDM); ADMIN is admin; FITRI (humas, another unit and chain) is a
bystander; EKO is anpeg of MUBA-DISDIK (outside Dewi's subtree) and of AHMAD's school;
NURHASANAH is AHMAD's atasan. Every test signs in with web sessions (the /api/v1 areas
outside /me take no app session) and starts from an empty profile of the employees it
uses (reset), so the seeded demo data never decides an outcome.
"""
import json

import requests

from helpers_auth import auth_headers, login
from presensi_support import ADMIN, AHMAD, DEWI, EKO, FITRI, HENDRA, NURHASANAH, RAHMAT  # noqa: F401

ME = "/api/v1/me/profile"
MINE = "/api/v1/me/pdm/changes"
QUEUE = "/api/v1/pdm/changes"

SAMPLES = {
    "identity": {"birthplace": "Bogor", "religion": "Islam", "marital_status": "kawin", "blood_type": "A",
                 "address": "Jl. Pajajaran No. 17, Bogor", "personal_phone": "+62 812-1122-3344",
                 "personal_email": "dewi.lestari93@example.id", "tmt_cpns": "2019-03-01", "tmt_pns": "2020-05-01"},
    "family": {"name": "Rizky Ramadhan", "relation": "suami", "birth_date": "1991-01-12",
               "occupation": "Karyawan swasta"},
    "rank": {"golongan": "III/b", "tmt": "2023-04-01", "sk_number": "KP.03.01/II/0871/2023",
             "sk_date": "2023-03-10"},
    "position": {"position": "Analis SDM Aparatur Ahli Pertama", "unit": "Bagian Perencanaan SDM",
                 "tmt": "2020-06-02", "sk_number": "KP.02.02/II/556/2020", "sk_date": "2020-05-25"},
    "education": {"level": "S1", "institution": "Universitas Indonesia", "major": "Administrasi Negara",
                  "graduation_year": 2015},
    "team": {"team": "Tim Pengadaan CASN 2024", "role": "Sekretaris", "start_date": "2024-02-01",
             "end_date": "2024-12-31", "sk_number": "HK.02.03/A/0191/2024", "sk_date": "2024-01-26"},
    "award": {"name": "Pegawai Teladan Biro OSDM", "year": 2022, "issuer": "Sekretaris Jenderal"},
    "competency": {"activity": "Pelatihan Dasar CPNS", "organiser": "BBPK Jakarta", "jp": 241,
                   "start_date": "2019-07-08", "end_date": "2019-09-20"},
    "assignment": {"activity": "Verifikasi berkas seleksi PPPK", "kind": "penugasan", "location": "Jakarta",
                   "start_date": "2024-10-07", "end_date": "2024-10-11"},
}
SECTIONS = list(SAMPLES)
TITLES = ["Data Pribadi", "Keluarga", "Riwayat Pangkat/Golongan", "Riwayat Jabatan", "Riwayat Pendidikan",
          "Tim Kerja", "Penghargaan", "Pengembangan Kompetensi", "Riwayat Kegiatan/Penugasan"]


def h(server, nip, **extra):
    """Web-session headers of nip on server."""
    hd = auth_headers(login(server.url, nip))
    hd.update(extra)
    return hd


def get(server, path, nip=None, **kw):
    return requests.get(server.url + path, headers=h(server, nip) if nip else {}, timeout=60, **kw)


def post(server, path, nip=None, body=None, raw=None, files=None, content_type=None):
    hd = h(server, nip) if nip else {}
    if files is not None:
        return requests.post(server.url + path, headers=hd, files=files, timeout=60)
    if raw is not None or body is not None:
        hd["Content-Type"] = content_type or "application/json"
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return requests.post(server.url + path, headers=hd, data=data, timeout=60)


def reset(db, *nips):
    """Removes the profile records and proposals of nips (and the notices about them)."""
    with db.cursor() as cur:
        cur.execute("select id from employees where nip = any(%s)", (list(nips),))
        ids = [r[0] for r in cur.fetchall()]
        cur.execute("delete from pdm_changes where employee_id = any(%s)", (ids,))
        cur.execute("delete from profile_records where employee_id = any(%s)", (ids,))
        cur.execute("delete from notifications where kind like 'pdm.%%'"
                    " and (data->>'nip' = any(%s) or employee_id = any(%s))", (list(nips), ids))


def propose(server, nip, section, op="add", data=None, record_id=None, note=None, expect=201):
    body = {"section": section, "op": op}
    if data is not None:
        body["data"] = data
    if record_id is not None:
        body["record_id"] = record_id
    if note is not None:
        body["note"] = note
    r = post(server, MINE, nip, body)
    assert r.status_code == expect, r.text
    return r.json()


def approve(server, change_id, nip=RAHMAT, expect=200):
    r = post(server, f"{QUEUE}/{change_id}/approve", nip)
    assert r.status_code == expect, r.text
    return r.json()


def record_of(server, nip, section, key=None, value=None):
    """The first live record of section in nip's own profile (matching data[key] == value)."""
    for rec in get(server, ME, nip).json()["sections"][section]["records"]:
        if key is None or rec["data"].get(key) == value:
            return rec
    return None


def add_approved(server, nip, section, data=None, anpeg=RAHMAT):
    c = propose(server, nip, section, data=data or SAMPLES[section])
    done = approve(server, c["id"], anpeg)
    return done["record_id"]


def audit_rows(db, action, target_id):
    with db.cursor() as cur:
        cur.execute("select actor_employee_id, details from audit_log where action = %s and target_id = %s"
                    " order by id", (action, str(target_id)))
        return cur.fetchall()


def employee_id(db, nip):
    with db.cursor() as cur:
        cur.execute("select id from employees where nip = %s", (nip,))
        return cur.fetchone()[0]


def pdf_bytes(name="letter.pdf"):
    import pathlib
    return (pathlib.Path(__file__).resolve().parents[1] / "data" / name).read_bytes()
