"""Shared helpers of the directory and notification API tests
(tests/api/test_directory_*.py, tests/api/test_notifications*.py).

Extra employees for search cases are written with SQL (NIPs from birth date
2001-01-01 on, sequence 9xx, so they collide with no demo row) and every test
cleans up its own recommendations first, so a test runs on any state the
others left."""
import requests

from conftest import walk_pages
from helpers_auth import auth_headers, login

ISKANDAR = "196905051994031001"    # Drs. H. Iskandar Syahputra, M.Pd. (MUBA-DISDIK)
AGUSTINA = "198908172014032001"    # Agustina Rumbiak, S.Pd. (KOTA-JPR-SDN1)
NURHAYATI = "198401282009032001"   # Nurhayati Syamsuddin, S.K.M. (KEMENKES-BBPK-MKS)
SUKARDI = "197212011997031001"     # Sukardi, S.Pd., M.Pd. (MUBA-KORWIL-SEKAYU)
EKO = "198303032009011001"         # Eko Susanto, S.Sos. (MUBA-DISDIK)
BAMBANG = "196804171995031001"     # dr. Bambang Wibowo, M.Kes.

# What the public card must never carry.
FORBIDDEN = {"nik", "birth_date", "birthplace", "address", "family", "office_email", "email", "personal_email",
             "phone", "gender", "religion", "marital_status", "supervisor", "search_name", "id"}


def web(server, nip):
    return auth_headers(login(server.url, nip))


def app(server, nip):
    return auth_headers(login(server.url, nip, mobile=True, device=f"dir-device-{nip}"))


def get(server, path, headers, **params):
    return requests.get(server.url + path, headers=headers, params=params, timeout=30)


def call(server, method, path, auth, **kw):
    """kw["headers"], when given, adds to (and overrides) the auth headers."""
    headers = {**auth, **kw.pop("headers", {})}
    return requests.request(method, server.url + path, headers=headers, timeout=30, **kw)


def employee_id(db, nip):
    with db.cursor() as cur:
        cur.execute("select id from employees where nip = %s", (nip,))
        return cur.fetchone()[0]


def add_employee(db, seq, name, birth="2001-01-01", status="active", unit="MUBA-DISDIK"):
    """An employee for search cases: NIP from birth date, TMT 2025-01, male, sequence seq (900..999)."""
    nip = birth.replace("-", "") + "202501" + "1" + f"{seq:03d}"
    nik = "160601" + birth[8:10] + birth[5:7] + birth[2:4] + f"{seq:04d}"
    with db.cursor() as cur:
        cur.execute(
            "insert into employees (nip, nik, name, gender, birth_date, employee_type, rank, unit_id, status)"
            " select %s, %s, %s, 'L', %s, 'PNS', 'III/a', u.id, %s from org_units u where u.code = %s"
            " on conflict (nip) do update set name = excluded.name, status = excluded.status",
            (nip, nik, name, birth, status, unit))
    return nip


def walk(server, path, headers, limit, **params):
    """Every page of a list: (items in order, pages)."""
    return walk_pages(lambda q: get(server, path, headers, **q), limit, params)
