"""Self-assessment (Asesmen Mandiri): the form shows each competency of the
position standard with its level descriptions and indicators; the answer
gives a level 1..5 and a short justification for every one of them, exactly
once; it is stored as an assessment of type 'self' and the atasan sees it."""
import pytest

from conftest import assert_problem
from competency_support import (AGUSTINA, AHMAD, DEWI, FITRI, NURHASANAH, assessment_count, get, post,
                                standard_codes, walk)

FORM = "/api/v1/me/self-assessment"
SUBMIT = "/api/v1/me/self-assessments"


def answers(db, nip, level=3, **override):
    out = [{"code": c, "level": level, "justification": f"Saya menunjukkan perilaku level {level} pada {c}."}
           for c in standard_codes(db, nip)]
    for a in out:
        a.update(override.get(a["code"], {}))
    return {"answers": out}


def test_form_lists_the_standard_with_levels_and_indicators(server, db):
    r = get(server, FORM, AGUSTINA)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["code"] for c in body["competencies"]] and \
        sorted(c["code"] for c in body["competencies"]) == standard_codes(db, AGUSTINA)
    for c in body["competencies"]:
        assert [lv["level"] for lv in c["levels"]] == [1, 2, 3, 4, 5]
        assert all(lv["description"] and isinstance(lv["indicators"], list) for lv in c["levels"])
        assert 1 <= c["required_level"] <= 5
    m01 = next(c for c in body["competencies"] if c["code"] == "M.01")
    assert m01["name"] == "Integritas" and m01["levels"][0]["indicators"]
    assert body["justification_max_length"] == 1000


def test_submit_stores_a_self_assessment_the_atasan_sees(server, db):
    before = assessment_count(db, AHMAD)
    r = post(server, SUBMIT, AHMAD, answers(db, AHMAD, level=4))
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["type"] == "self" and a["source"] == "self"
    assert {s["code"] for s in a["scores"]} == set(standard_codes(db, AHMAD))
    assert all(s["score"] == 4 for s in a["scores"])
    assert assessment_count(db, AHMAD) == before + 1
    seen = walk(server, f"/api/v1/employees/{AHMAD}/assessments", NURHASANAH, limit=10, type="self")
    assert a["id"] in [x["id"] for x in seen]
    prof = get(server, "/api/v1/me/competencies", AHMAD).json()
    assert all(it["self_level"] == 4 for it in prof["items"] if it["standard"])
    # the self level is shown beside the score, it is not the score
    assert any(it["score"] != 4 for it in prof["items"] if it["score"] is not None)


def test_every_competency_once(server, db):
    before = assessment_count(db, AGUSTINA)
    body = answers(db, AGUSTINA)
    missing = body["answers"].pop()
    p = assert_problem(post(server, SUBMIT, AGUSTINA, body), 422)
    assert {"field": f"answers[{missing['code']}]", "code": "self_assessment_incomplete"} in \
        [{"field": e["field"], "code": e["code"]} for e in p["errors"]]
    body = answers(db, AGUSTINA)
    body["answers"].append(dict(body["answers"][0]))
    p = assert_problem(post(server, SUBMIT, AGUSTINA, body), 422)
    assert "answer_repeated" in [e["code"] for e in p["errors"]]
    body = answers(db, AGUSTINA)
    body["answers"].append({"code": "T.TIK-01", "level": 2, "justification": "x"})
    p = assert_problem(post(server, SUBMIT, AGUSTINA, body), 422)
    assert "competency_not_in_standard" in [e["code"] for e in p["errors"]]
    assert assessment_count(db, AGUSTINA) == before


@pytest.mark.parametrize("change,field,code", [
    ({"level": 0}, "level", "out_of_range"),
    ({"level": 6}, "level", "out_of_range"),
    ({"level": "3"}, "level", "invalid_type"),
    ({"level": 2.5}, "level", "invalid_type"),
    ({"justification": "x" * 1001}, "justification", "too_long"),
    ({"justification": "   "}, "justification", "missing_field"),
    ({"justification": None}, "justification", "missing_field"),
    ({"code": 7}, "code", "invalid_type"),
    ({"extra": True}, "extra", "unknown_field"),
])
def test_bad_answers_are_422_and_store_nothing(server, db, change, field, code):
    before = assessment_count(db, AGUSTINA)
    body = answers(db, AGUSTINA)
    body["answers"][0].update(change)
    if change.get("justification", "") is None:
        del body["answers"][0]["justification"]
    p = assert_problem(post(server, SUBMIT, AGUSTINA, body), 422)
    assert {"field": f"answers[0].{field}", "code": code} in \
        [{"field": e["field"], "code": e["code"]} for e in p["errors"]], p
    assert assessment_count(db, AGUSTINA) == before


def test_justification_of_exactly_1000_bytes_is_accepted(server, db):
    body = answers(db, AGUSTINA)
    body["answers"][0]["justification"] = "j" * 1000
    assert post(server, SUBMIT, AGUSTINA, body).status_code == 201


@pytest.mark.parametrize("raw,status", [("{", 400), ("[]", 400), ('{"answers": {}}', 422), ("{}", 422),
                                        ('{"answers": [1]}', 422), ('{"answers": [], "x": 1}', 422)])
def test_malformed_bodies(server, raw, status):
    assert_problem(post(server, SUBMIT, AGUSTINA, raw=raw), status)


def test_oversized_and_too_many(server, db):
    assert_problem(post(server, SUBMIT, AGUSTINA, raw='{"answers": [' + ",".join(["{}"] * 30000) + "]}"), 413)
    body = {"answers": [{"code": "M.01", "level": 3, "justification": "x"}] * 65}
    p = assert_problem(post(server, SUBMIT, AGUSTINA, body), 422)
    assert p["errors"][0] == {**p["errors"][0], "field": "answers", "code": "too_many_items"}


def test_position_without_standard_is_409(server):
    assert get(server, FORM, FITRI).json()["competencies"] == []
    body = {"answers": [{"code": "M.01", "level": 3, "justification": "x"}]}
    assert_problem(post(server, SUBMIT, FITRI, body), 409, "no_position_standard")


def test_unauthenticated(server):
    assert_problem(get(server, FORM), 401)
    assert_problem(post(server, SUBMIT, body={"answers": []}), 401)


def test_one_cannot_self_assess_for_another(server, db):
    """The route has no NIP: a body naming someone else's codes only counts against the caller's standard."""
    before = assessment_count(db, DEWI)
    post(server, SUBMIT, AHMAD, answers(db, DEWI))
    assert assessment_count(db, DEWI) == before


def notices(db, nip, kind, target_id):
    with db.cursor() as cur:
        cur.execute("select count(*) from notifications n join employees e on e.id = n.employee_id "
                    "where e.nip = %s and n.kind = %s and n.target_id = %s", (nip, kind, str(target_id)))
        return cur.fetchone()[0]


def test_the_atasan_is_told_of_a_self_assessment(server, db):
    r = post(server, SUBMIT, AHMAD, answers(db, AHMAD, level=2))
    assert r.status_code == 201
    aid = r.json()["id"]
    assert notices(db, NURHASANAH, "assessment.self_submitted", aid) == 1
    assert notices(db, AHMAD, "assessment.self_submitted", aid) == 0
