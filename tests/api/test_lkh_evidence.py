"""The LKH evidence: one file per report (JPEG/PNG photo, PDF or DOCX),
judged by its content, size-limited, replaceable while the report is a draft
or returned, downloadable by whoever may see the report (docs/lkh.md)."""
import hashlib
import io
import pathlib
import zipfile

import pytest
import requests

from conftest import assert_problem
from lkh_support import (AHMAD, DEWI, EKO, FITRI, NURHASANAH, SUKARDI, call, create, recent_working_days, reset,
                         today_of, web)
from presensi_support import unique_jpeg

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
REPORTS = "/api/v1/lkh/reports"


@pytest.fixture
def report(server, db):
    reset(db, AHMAD, DEWI)
    day = recent_working_days(db, AHMAD, today_of(server, AHMAD), 1)[0]
    yield create(server, AHMAD, day)
    reset(db, AHMAD, DEWI)


def upload(server, rid, nip, content, name="bukti.bin", ct="application/octet-stream", field="file"):
    return requests.put(f"{server.url}{REPORTS}/{rid}/attachment", headers=web(server, nip),
                        files={field: (name, content, ct)}, timeout=30)


def download(server, rid, nip):
    return requests.get(f"{server.url}{REPORTS}/{rid}/attachment", headers=web(server, nip), timeout=30)


def evidence_rows(db):
    with db.cursor() as cur:
        cur.execute("select a.id, a.status from attachments a join employees e on e.id = a.employee_id"
                    " where e.nip = %s and a.kind = 'lkh.evidence' order by a.id", (AHMAD,))
        return cur.fetchall()


def stored(server, content):
    """Is an object with these bytes in the server's fs store?"""
    sha = hashlib.sha256(content).hexdigest()
    return any(p.name.startswith(sha) for p in (pathlib.Path(server.tmp.name) / "photos").rglob("*"))


def docx(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in entries:
            z.writestr(name, "<xml/>" * 20)
    return buf.getvalue()


def test_each_type_replaces_the_last(server, db, report):
    rid = report["id"]
    files = [(unique_jpeg(), "image/jpeg"), ((DATA / "selfie.png").read_bytes(), "image/png"),
             ((DATA / "letter.pdf").read_bytes(), "application/pdf"),
             (docx(["[Content_Types].xml", "word/document.xml"]),
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    for content, ct in files:
        r = upload(server, rid, AHMAD, content, name="whatever.txt")  # the name and type sent do not matter
        assert r.status_code == 200, r.text
        att = r.json()["attachment"]
        assert att["content_type"] == ct and att["size_bytes"] == len(content)
        for nip in (AHMAD, NURHASANAH, SUKARDI, EKO):
            d = download(server, rid, nip)
            assert d.status_code == 200 and d.content == content and d.headers["Content-Type"] == ct
            assert d.headers["X-Content-Type-Options"] == "nosniff"
    rows = evidence_rows(db)
    assert [s for _, s in rows] == ["pending"] * 3 + ["referenced"]  # replaced files are released, then swept
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where action = 'lkh.report.attach' and target_id = %s", (str(rid),))
        assert cur.fetchone()[0] == 4


@pytest.mark.parametrize("content, code", [
    (b"<html><body>" + b"x" * 200 + b"</body></html>", "lkh_attachment_type_not_allowed"),  # HTML named .pdf
    (docx(["[Content_Types].xml", "docProps/app.xml"]), "lkh_attachment_type_not_allowed"),  # a ZIP, no word/
    ((DATA / "not_docx.zip").read_bytes(), "lkh_attachment_type_not_allowed"),
    (b"%PDF-1.4\n" + b"x" * 200, "lkh_attachment_corrupt"),  # a PDF header, no %%EOF
    ((DATA / "not_a_photo.jpg").read_bytes(), None),
    (b"%PDF", "lkh_attachment_too_small"),
])
def test_content_checks(server, db, report, content, code):
    r = upload(server, report["id"], AHMAD, content, name="laporan.pdf", ct="application/pdf")
    b = assert_problem(r, 422, code)
    assert evidence_rows(db) == [] and not stored(server, content)
    assert call(server, "GET", f"{REPORTS}/{report['id']}", AHMAD).json()["attachment"] is None


def test_bad_uploads(server, db, report):
    rid = report["id"]
    big = b"%PDF-1.4\n" + b"0" * (4 << 20) + b"\n%%EOF\n"
    assert_problem(upload(server, rid, AHMAD, big), 413)
    assert_problem(upload(server, rid, AHMAD, b"%PDF-1.4\n" + b"0" * (6 << 20) + b"\n%%EOF\n"), 413)
    assert_problem(upload(server, rid, AHMAD, (DATA / "letter.pdf").read_bytes(), field="photo"), 422)
    assert_problem(upload(server, rid, AHMAD, b"", name="x.pdf"), 422)
    r = requests.put(f"{server.url}{REPORTS}/{rid}/attachment", headers={**web(server, AHMAD),
                     "Content-Type": "application/json"}, data="{}", timeout=10)
    assert_problem(r, 415)
    r = requests.put(f"{server.url}{REPORTS}/{rid}/attachment", files={"file": ("a.pdf", b"%PDF", "application/pdf")},
                     timeout=10)
    assert_problem(r, 401)
    assert evidence_rows(db) == []
    assert_problem(download(server, rid, AHMAD), 404, "lkh_attachment_not_found")  # none yet


def test_who_may_upload_and_download(server, db, report):
    rid = report["id"]
    pdf = (DATA / "letter.pdf").read_bytes()
    for nip in (FITRI, DEWI):
        assert_problem(upload(server, rid, nip, pdf), 404, "lkh_not_found")
    assert_problem(upload(server, rid, NURHASANAH, pdf), 403, "lkh_not_author")
    assert_problem(upload(server, 987654321, AHMAD, pdf), 404, "lkh_not_found")
    assert evidence_rows(db) == []
    assert upload(server, rid, AHMAD, pdf).status_code == 200
    for nip in (FITRI, DEWI):
        assert_problem(download(server, rid, nip), 404, "lkh_attachment_not_found")
    assert_problem(download(server, 987654321, AHMAD), 404, "lkh_attachment_not_found")
    assert_problem(download(server, "abc", AHMAD), 404)
    # submitted, then approved: no replacing any more
    assert call(server, "POST", f"{REPORTS}/{rid}/submit", AHMAD).status_code == 200
    assert_problem(upload(server, rid, AHMAD, unique_jpeg()), 409, "lkh_read_only")
    assert call(server, "POST", f"{REPORTS}/{rid}/approve", NURHASANAH).status_code == 200
    assert_problem(upload(server, rid, AHMAD, unique_jpeg()), 409, "lkh_read_only")
    assert download(server, rid, AHMAD).content == pdf
    assert [s for _, s in evidence_rows(db)] == ["referenced"]
