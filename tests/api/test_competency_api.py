"""Competencies: the profile against the position standard (gap and colour
class), history, pre/post effects, recording assessments, and who may see
whose (docs/competency.md)."""
import datetime

import pytest

from conftest import assert_problem
from competency_support import (ADMIN, AGUSTINA, AHMAD, DEWI, EKO, FITRI, HENDRA, NURHASANAH, RAHMAT, SUKARDI,
                                assessment_count, get, post, standard_codes, walk)

ME = "/api/v1/me/competencies"


def emp(nip, tail="competencies"):
    return f"/api/v1/employees/{nip}/{tail}"


def by_code(body):
    return {it["code"]: it for it in body["items"]}


def test_profile_gap_and_class_follow_the_rules(server, db):
    r = get(server, ME, DEWI)
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    body = r.json()
    assert body["nip"] == DEWI
    assert body["position"]["name"] == "Analis Sumber Daya Manusia Aparatur Ahli Pertama"
    items = by_code(body)
    assert set(standard_codes(db, DEWI)) <= set(items)
    # the expected values, computed here from the rows themselves
    with db.cursor() as cur:
        cur.execute("""select distinct on (c.code) c.code, s.score from assessments a
                       join assessment_scores s on s.assessment_id = a.id join competencies c on c.id = s.competency_id
                       join employees e on e.id = a.employee_id
                       where e.nip = %s and a.type <> 'self' order by c.code, a.assessed_on desc, a.id desc""", (DEWI,))
        latest = {code: float(score) for code, score in cur.fetchall()}
    for code, it in items.items():
        if code not in latest:
            assert it["score"] is None and it["class"] == "empty" and it["gap"] is None
            continue
        assert it["score"] == pytest.approx(latest[code])
        if it["standard"] is None:
            assert it["gap"] is None
            continue
        gap = round(latest[code] - it["standard"], 2)
        assert it["gap"] == pytest.approx(gap)
        expected = "empty" if latest[code] < 1 else ("below" if gap < 0 else "meets")
        assert it["class"] == expected
    # managerial first, then socio-cultural, then technical
    cats = [it["category"] for it in body["items"]]
    assert cats == sorted(cats, key=["managerial", "sociocultural", "technical"].index)
    assert body["last_self_assessment_on"] is not None


def test_profile_without_any_assessment_is_all_empty(server):
    r = get(server, ME, AGUSTINA)
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and all(it["class"] == "empty" and it["score"] is None for it in items)
    assert all(isinstance(it["standard"], int) for it in items)


def test_numbers_are_written_with_two_decimals(server):
    r = get(server, ME, DEWI)
    assert "99999" not in r.text and "00000" not in r.text


def test_history_is_newest_first_and_pages(server, db):
    items = walk(server, ME + "/T.SDM-01/history", DEWI, limit=1)
    assert len(items) >= 4  # two assessment-centre results, the self-assessment, pre and post
    keys = [(it["assessed_on"], it["assessment_id"]) for it in items]
    assert keys == sorted(keys, reverse=True)
    assert {it["type"] for it in items} >= {"assessment_centre", "self", "pre", "post"}


def test_history_of_an_unknown_competency_is_404(server):
    assert_problem(get(server, ME + "/T.NOPE-99/history", DEWI), 404, "competency_not_found")
    assert_problem(get(server, ME + "/not-a-code/history", DEWI), 404, "competency_not_found")


def test_effects_show_gap_before_and_after(server):
    r = get(server, ME + "/effects", DEWI)
    assert r.status_code == 200
    progs = {p["programme_ref"]: p for p in r.json()["programmes"]}
    anjab = {c["code"]: c for c in progs["PLT-2026-ANJAB"]["competencies"]}
    t = anjab["T.SDM-01"]
    assert t["pre_score"] == pytest.approx(1.67) and t["post_score"] == pytest.approx(2.67)
    assert t["gap_before"] == pytest.approx(1.67 - t["standard"])
    assert t["gap_after"] == pytest.approx(2.67 - t["standard"])
    assert t["change"] == pytest.approx(1.0)
    assert get(server, ME + "/effects", AGUSTINA).json() == {"programmes": []}


def test_unauthenticated_is_401(server):
    for path in (ME, ME + "/effects", ME + "/M.01/history", emp(DEWI), "/api/v1/competencies"):
        assert_problem(get(server, path), 401)


# ---- who may see whose ----

@pytest.mark.parametrize("viewer", [DEWI, HENDRA, RAHMAT, ADMIN])
def test_employee_profile_visible_to_self_atasan_anpeg_admin(server, viewer):
    r = get(server, emp(DEWI), viewer)
    assert r.status_code == 200, r.text
    assert r.json()["nip"] == DEWI


@pytest.mark.parametrize("viewer", [AHMAD, EKO, FITRI, SUKARDI, NURHASANAH])
def test_employee_profile_hidden_from_others(server, viewer):
    """BOLA: another employee, an anpeg outside the unit, an atasan of another chain: 404."""
    assert_problem(get(server, emp(DEWI), viewer), 404, "employee_not_found")
    assert_problem(get(server, emp(DEWI, "assessments"), viewer), 404, "employee_not_found")
    assert_problem(get(server, emp(DEWI, "competencies/M.01/history"), viewer), 404, "employee_not_found")


def test_unknown_and_malformed_nip_are_404(server):
    assert_problem(get(server, emp("199999999999999999"), ADMIN), 404, "employee_not_found")
    assert_problem(get(server, emp("12ab"), ADMIN), 404, "employee_not_found")


def test_atasan_sees_the_self_assessment_with_justifications(server):
    items = walk(server, emp(AHMAD, "assessments"), NURHASANAH, limit=5, type="self")
    assert items and all(it["type"] == "self" for it in items)
    assert all(s["justification"] for s in items[0]["scores"])


def test_assessment_list_filter_validated(server):
    assert_problem(get(server, emp(DEWI, "assessments"), HENDRA, type="bogus"), 422)
    assert_problem(get(server, "/api/v1/me/assessments", DEWI, limit=0), 422)
    assert_problem(get(server, "/api/v1/me/assessments", DEWI, cursor="garbage"), 422)
    items = walk(server, "/api/v1/me/assessments", DEWI, limit=2)
    assert len(items) >= 5


def test_cursor_of_one_employee_does_not_open_anothers_list(server):
    r = get(server, emp(DEWI, "assessments"), ADMIN, limit=1)
    cur = r.json()["next_cursor"]
    assert cur
    assert_problem(get(server, emp(AHMAD, "assessments"), ADMIN, limit=1, cursor=cur), 422)


# ---- recording ----

def record_body(**over):
    body = {"type": "assessment_centre", "assessed_on": "2026-01-15", "assessor": "UPT Penilaian Kompetensi",
            "scores": [{"code": "M.01", "score": 2.67}, {"code": "T.SDM-01", "score": 3}]}
    body.update(over)
    return body


def test_admin_and_anpeg_in_scope_record(server, db):
    before = assessment_count(db, DEWI)
    r = post(server, emp(DEWI, "assessments"), RAHMAT, record_body())
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["type"] == "assessment_centre" and a["nip"] == DEWI and a["source"] == "manual"
    assert {s["code"]: s["score"] for s in a["scores"]} == {"M.01": 2.67, "T.SDM-01": 3}
    r = post(server, emp(DEWI, "assessments"), ADMIN, record_body(type="pre", programme_ref="PLT-X"))
    assert r.status_code == 201, r.text
    assert assessment_count(db, DEWI) == before + 2
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where action = 'competency.assessment_record' "
                    "and target_id = %s", (str(a["id"]),))
        assert cur.fetchone()[0] == 1


def test_history_is_never_overwritten(server, db):
    before = assessment_count(db, DEWI)
    for score in (2, 3):
        body = record_body(scores=[{"code": "M.02", "score": score}], assessed_on="2026-01-20")
        assert post(server, emp(DEWI, "assessments"), ADMIN, body).status_code == 201
    assert assessment_count(db, DEWI) == before + 2


@pytest.mark.parametrize("actor,status", [(EKO, 404), (AHMAD, 404), (HENDRA, 403), (DEWI, 403)])
def test_others_cannot_record(server, db, actor, status):
    before = assessment_count(db, DEWI)
    r = post(server, emp(DEWI, "assessments"), actor, record_body())
    assert_problem(r, status)
    assert assessment_count(db, DEWI) == before


@pytest.mark.parametrize("body,field", [
    (record_body(type="self"), "type"),
    (record_body(type="x"), "type"),
    (record_body(type=3), "type"),
    (record_body(assessed_on="2026-02-30"), "assessed_on"),
    (record_body(assessed_on=None), "assessed_on"),
    (record_body(assessor="x" * 201), "assessor"),
    (record_body(type="post"), "programme_ref"),
    (record_body(scores=[]), "scores"),
    (record_body(scores="M.01"), "scores"),
    (record_body(scores=[{"code": "M.01", "score": 5.5}]), "scores[0].score"),
    (record_body(scores=[{"code": "M.01", "score": 2.675}]), "scores[0].score"),
    (record_body(scores=[{"code": "M.01", "score": "3"}]), "scores[0].score"),
    (record_body(scores=[{"code": "M.01"}]), "scores[0].score"),
    (record_body(scores=[{"code": "T.NOPE", "score": 3}]), "scores[0].code"),
    (record_body(scores=[{"code": "M.01", "score": 3}, {"code": "M.01", "score": 2}]), "scores[1].code"),
    (record_body(scores=[{"code": "M.01", "score": 3, "extra": 1}]), "scores[0].extra"),
    (record_body(scores=[{"code": "M.01", "score": 3}] * 65), "scores"),
    (record_body(nip="x"), "nip"),
])
def test_record_bad_input_is_422_and_changes_nothing(server, db, body, field):
    before = assessment_count(db, DEWI)
    r = post(server, emp(DEWI, "assessments"), ADMIN, body)
    p = assert_problem(r, 422)
    assert field in [e["field"] for e in p["errors"]], p
    assert assessment_count(db, DEWI) == before


def test_record_in_the_future_is_refused(server):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    p = assert_problem(post(server, emp(DEWI, "assessments"), ADMIN, record_body(assessed_on=future)), 422)
    assert p["errors"][0]["code"] == "date_in_future"


def test_record_malformed_and_oversized(server):
    assert_problem(post(server, emp(DEWI, "assessments"), ADMIN, raw="{"), 400)
    assert_problem(post(server, emp(DEWI, "assessments"), ADMIN, raw="[]"), 400)
    big = record_body(assessor="x" * 70000)
    assert_problem(post(server, emp(DEWI, "assessments"), ADMIN, big), 413)


def test_the_employee_is_told_of_a_recorded_assessment(server, db):
    r = post(server, emp(DEWI, "assessments"), RAHMAT, record_body())
    assert r.status_code == 201
    with db.cursor() as cur:
        cur.execute("select e.nip from notifications n join employees e on e.id = n.employee_id "
                    "where n.kind = 'assessment.recorded' and n.target_id = %s", (str(r.json()["id"]),))
        assert [x for (x,) in cur.fetchall()] == [DEWI]
