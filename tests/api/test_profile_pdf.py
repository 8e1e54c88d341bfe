"""The printable profile: an A4 PDF (libharu, DejaVu Sans embedded) whose text pdftotext can
read: name, NIP, every section heading, a record of each section; the footer carries the
generation time and a document id (which is in the audit trail). Same access rule as the
full profile."""
import re
import shutil
import subprocess

import pytest
import requests

from conftest import assert_problem
from profile_support import (ADMIN, AHMAD, DEWI, EKO, FITRI, HENDRA, RAHMAT, SAMPLES, SECTIONS, TITLES,
                             add_approved, get, reset)

UNIQUE = {  # a value from each section's record the text must show
    "identity": "Pajajaran", "family": "Rizky Ramadhan", "rank": "KP.03.01/II/0871/2023",
    "position": "KP.02.02/II/556/2020", "education": "Universitas Indonesia", "team": "Tim Pengadaan CASN 2024",
    "award": "Pegawai Teladan Biro OSDM", "competency": "BBPK Jakarta", "assignment": "Verifikasi berkas seleksi",
}


def text_of(pdf):
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is required"
    p = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.decode("utf-8")


def info_of(pdf):
    p = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.decode()


def fonts_of(pdf):
    p = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, timeout=60)
    return p.stdout.decode()


@pytest.fixture(autouse=True)
def clean(db):
    reset(db, DEWI, AHMAD)
    yield
    reset(db, DEWI, AHMAD)


def test_own_profile_pdf_has_every_section(server, db):
    for s in SECTIONS:
        add_approved(server, DEWI, s)
    # a UTF-8 name beyond Latin-1 must print as written
    add_approved(server, DEWI, "family", dict(SAMPLES["family"], name="Ñoño Şükrü Łukasz"))
    r = get(server, "/api/v1/me/profile.pdf", DEWI)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    assert r.headers["Cache-Control"] == "no-store"
    text = text_of(r.content)
    assert "Dewi Lestari" in text and DEWI in text
    for title in TITLES:
        assert title in text, title
    flat = " ".join(text.split())
    for s, v in UNIQUE.items():
        assert v in flat, (s, v)
    assert "Ñoño Şükrü Łukasz" in flat
    info = info_of(r.content)
    assert re.search(r"Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info
    fonts = fonts_of(r.content)
    assert "DejaVuSans" in fonts and "TrueType" in fonts
    # footer: generation time and the document id, which the audit trail knows
    doc_id = r.headers["X-Document-Id"]
    assert re.fullmatch(r"PRF-\d{18}-[0-9a-f]{12}", doc_id)
    assert doc_id in flat and re.search(r"Dicetak \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", flat)
    with db.cursor() as cur:
        cur.execute("select target_id from audit_log where action = 'profile.print' and details->>'document_id' = %s",
                    (doc_id,))
        assert cur.fetchall() == [(DEWI,)]


def test_empty_profile_and_pending_marks(server, db):
    r = get(server, "/api/v1/me/profile.pdf", DEWI)
    text = " ".join(text_of(r.content).split())
    assert all(t in text for t in TITLES) and "Belum ada data." in text


def test_someone_elses_pdf_follows_the_profile_rule(server, db):
    for s in SECTIONS:
        add_approved(server, DEWI, s)
    url = f"/api/v1/employees/{DEWI}/profile.pdf"
    full = " ".join(text_of(get(server, url, RAHMAT).content).split())
    assert "Pajajaran" in full and "Rizky Ramadhan" in full
    assert get(server, url, ADMIN).status_code == 200
    atasan = " ".join(text_of(get(server, url, HENDRA).content).split())
    assert "Pajajaran" not in atasan and "Rizky Ramadhan" not in atasan and "Pegawai Teladan" in atasan
    for nip in (FITRI, EKO, AHMAD):
        assert_problem(get(server, url, nip), 404, "employee_not_found")
    assert_problem(get(server, "/api/v1/employees/123/profile.pdf", RAHMAT), 404)
    assert_problem(requests.get(server.url + url, timeout=30), 401)
    assert_problem(requests.get(server.url + "/api/v1/me/profile.pdf", timeout=30), 401)
