"""Assessment report documents (PDF, through the attachments module): attached
once by whoever may record the assessment, read by whoever may see the
employee, refused (404) to everyone else; never overwritten."""
import requests

from conftest import ROOT, assert_problem
from competency_support import ADMIN, AHMAD, DEWI, EKO, HENDRA, RAHMAT, get, headers, post

PDF = (ROOT / "tests" / "data" / "letter.pdf").read_bytes()
PNG = (ROOT / "tests" / "data" / "selfie.png").read_bytes()


def new_assessment(server, nip=DEWI):
    body = {"type": "assessment_centre", "assessed_on": "2026-01-05", "assessor": "UPT",
            "scores": [{"code": "M.01", "score": 3}]}
    r = post(server, f"/api/v1/employees/{nip}/assessments", ADMIN, body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def upload(server, nip, aid, actor, data=PDF, field="report", ctype="application/pdf"):
    return requests.put(f"{server.url}/api/v1/employees/{nip}/assessments/{aid}/report", headers=headers(server, actor),
                        files={field: ("laporan.pdf", data, ctype)}, timeout=30)


def test_attach_once_and_read_by_those_who_see(server, db):
    aid = new_assessment(server)
    r = upload(server, DEWI, aid, RAHMAT)
    assert r.status_code == 201, r.text
    assert r.json()["has_report"] is True
    for viewer in (DEWI, HENDRA, RAHMAT, ADMIN):
        g = get(server, f"/api/v1/assessments/{aid}/report", viewer)
        assert g.status_code == 200 and g.content == PDF and g.headers["Content-Type"] == "application/pdf"
    for other in (AHMAD, EKO):
        assert_problem(get(server, f"/api/v1/assessments/{aid}/report", other), 404, "report_not_found")
    assert_problem(upload(server, DEWI, aid, ADMIN), 409, "report_exists")
    with db.cursor() as cur:
        cur.execute("select kind, status from attachments a join assessments s on s.report_attachment_id = a.id "
                    "where s.id = %s", (aid,))
        assert cur.fetchone() == ("assessment.report", "referenced")


def test_only_pdf(server):
    aid = new_assessment(server)
    assert_problem(upload(server, DEWI, aid, ADMIN, data=PNG, ctype="image/png"), 415)
    assert_problem(upload(server, DEWI, aid, ADMIN, data=b"%PDF-1.4 truncated without trailer" * 3), 422)
    assert_problem(upload(server, DEWI, aid, ADMIN, field="file"), 422)
    assert get(server, f"/api/v1/assessments/{aid}/report", DEWI).status_code == 404


def test_wrong_employee_or_actor(server):
    aid = new_assessment(server)
    assert_problem(upload(server, AHMAD, aid, ADMIN), 404, "assessment_not_found")
    assert_problem(upload(server, DEWI, aid, HENDRA), 403)
    assert_problem(upload(server, DEWI, aid, EKO), 404)
    assert_problem(upload(server, DEWI, "x", ADMIN), 404)
    assert_problem(get(server, "/api/v1/assessments/abc/report", DEWI), 404)
    assert_problem(get(server, "/api/v1/assessments/999999999/report", DEWI), 404, "report_not_found")
    r = requests.put(f"{server.url}/api/v1/employees/{DEWI}/assessments/{aid}/report", headers=headers(server, ADMIN),
                     data="x", timeout=30)
    assert_problem(r, 415)
    assert_problem(get(server, f"/api/v1/assessments/{aid}/report"), 401)
