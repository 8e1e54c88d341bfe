"""Regression tests of what the security sweep (test_sweep_authz.py, test_sweep_input.py,
the fuzz harnesses) found in the product code."""
import psycopg2
import requests

from conftest import DATABASE_URL, ROOT, assert_problem
from helpers_auth import auth_headers, login

RAHMAT = "198611022010121001"  # anpeg of KEMENKES-ROSDM, himself in KEMENKES-ROSDM-RENSDM
ADMIN = "198807142014031001"
DEWI = "199305212019032001"    # in Rahmat's scope
SCORES = "/api/v1/tpp/months/2026-02/kinerja-scores"


def _score_rows(nip):
    conn = psycopg2.connect(DATABASE_URL)
    try:
        with conn.cursor() as cur:
            cur.execute("select count(*) from tpp_kinerja_scores s join employees e on e.id = s.employee_id "
                        "where e.nip = %s and s.month = date '2026-02-01'", (nip,))
            return cur.fetchone()[0]
    finally:
        conn.close()


def test_anpeg_cannot_import_their_own_kinerja_score(server):
    """Found: an anpeg could store a kinerja score for themselves (an input of their own
    TPP pay) through PUT .../kinerja-scores; every other decision of the product refuses
    the caller's own record (pdm_own_change, rpi_own_record, settings_confirm_own)."""
    h = auth_headers(login(server.url, RAHMAT))
    before = _score_rows(RAHMAT)
    for items in ([{"nip": RAHMAT, "score": 100}], [{"nip": DEWI, "score": 80}, {"nip": RAHMAT, "score": 100}]):
        r = requests.put(server.url + SCORES, headers=h, timeout=30, json={"unit_code": "KEMENKES-ROSDM",
                                                                            "items": items})
        assert_problem(r, 403, "tpp_score_own")
    assert _score_rows(RAHMAT) == before  # refused whole: nothing stored, not even Dewi's
    # The others of the scope still go in; the admin sets the anpeg's score.
    r = requests.put(server.url + SCORES, headers=h, timeout=30,
                     json={"unit_code": "KEMENKES-ROSDM", "items": [{"nip": DEWI, "score": 80}]})
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    r = requests.put(server.url + SCORES, headers=auth_headers(login(server.url, ADMIN)), timeout=30,
                     json={"unit_code": "KEMENKES-ROSDM", "items": [{"nip": RAHMAT, "score": 90}]})
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    assert _score_rows(RAHMAT) == 1


def test_nobody_records_their_own_assessment(server, db):
    """Found: an anpeg (whose unit subtree holds their own unit) could record an official
    assessment of themselves -- any score, e.g. 5 on every competency -- and attach its
    report. Now 403 assessment_own for everyone, admin included; nothing is stored."""
    body = {"type": "assessment_centre", "assessed_on": "2026-01-05", "assessor": "Sendiri",
            "scores": [{"code": "M.01", "score": 5}]}
    with db.cursor() as cur:
        cur.execute("select count(*) from assessments")
        before = cur.fetchone()[0]
    for nip in (RAHMAT, ADMIN):
        r = requests.post(server.url + f"/api/v1/employees/{nip}/assessments", timeout=30, json=body,
                          headers=auth_headers(login(server.url, nip)))
        assert_problem(r, 403, "assessment_own")
    with db.cursor() as cur:
        cur.execute("select count(*) from assessments")
        assert cur.fetchone()[0] == before
    # The admin records the anpeg's; the anpeg may not attach its report, the admin may.
    r = requests.post(server.url + f"/api/v1/employees/{RAHMAT}/assessments", timeout=30, json=body,
                      headers=auth_headers(login(server.url, ADMIN)))
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    url = server.url + f"/api/v1/employees/{RAHMAT}/assessments/{aid}/report"
    pdf = (ROOT / "tests" / "data" / "letter.pdf").read_bytes()
    r = requests.put(url, headers=auth_headers(login(server.url, RAHMAT)), timeout=30,
                     files={"report": ("l.pdf", pdf, "application/pdf")})
    assert_problem(r, 403, "assessment_own")
    r = requests.put(url, headers=auth_headers(login(server.url, ADMIN)), timeout=30,
                     files={"report": ("l.pdf", pdf, "application/pdf")})
    assert r.status_code in (200, 201), r.text
