"""GET /api/v1/employees/{nip} (public profile), PUT/GET /api/v1/me/skills and
/api/v1/me/about, and colleague recommendations: one per author and subject,
never for oneself, editable by the author only (an accepted one goes back to
pending), accepted or hidden by the subject only, only accepted ones public,
the subject notified in the same transaction, everything audited."""
import pytest

from conftest import assert_problem
from directory_support import (AGUSTINA, BAMBANG, EKO, FORBIDDEN, ISKANDAR, NURHAYATI, SUKARDI, app, call,
                               employee_id, get, walk, web)

RECEIVED = "/api/v1/me/recommendations/received"
WRITTEN = "/api/v1/me/recommendations/written"


def clear_recommendations(db, *nips):
    with db.cursor() as cur:
        for nip in nips:
            cur.execute("delete from recommendations where author_id = (select id from employees where nip = %s)"
                        " or subject_id = (select id from employees where nip = %s)", (nip, nip))


def recommend(server, author, subject, text):
    return call(server, "POST", f"/api/v1/employees/{subject}/recommendations", web(server, author), json={"text": text})


def audit_count(db, action, target):
    with db.cursor() as cur:
        cur.execute("select count(*) from audit_log where action = %s and target_id = %s", (action, str(target)))
        return cur.fetchone()[0]


# ---------------------------------------------------------------- public profile

def test_public_profile_has_card_skills_about_and_accepted_recommendations_only(server, db):
    clear_recommendations(db, SUKARDI)
    sh = web(server, SUKARDI)
    assert call(server, "PUT", "/api/v1/me/skills", sh, json={"skills": ["Supervisi Akademik", "Kurikulum Merdeka"]}).status_code == 200
    assert call(server, "PUT", "/api/v1/me/about", sh, json={"about": "Korwil Sekayu."}).status_code == 200
    accepted = recommend(server, AGUSTINA, SUKARDI, "Pembina yang sabar.").json()
    pending = recommend(server, NURHAYATI, SUKARDI, "Belum diterima.").json()
    hidden = recommend(server, EKO, SUKARDI, "Disembunyikan.").json()
    assert call(server, "POST", f"{RECEIVED}/{accepted['id']}/accept", sh).status_code == 200
    assert call(server, "POST", f"{RECEIVED}/{hidden['id']}/hide", sh).status_code == 200

    r = get(server, f"/api/v1/employees/{SUKARDI}", web(server, ISKANDAR))
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["nip"] == SUKARDI and p["name"] == "Sukardi, S.Pd., M.Pd."
    assert p["skills"] == ["Supervisi Akademik", "Kurikulum Merdeka"] and p["about"] == "Korwil Sekayu."
    assert [x["id"] for x in p["recommendations"]] == [accepted["id"]]
    assert p["recommendations"][0]["author"]["nip"] == AGUSTINA
    assert "status" not in p["recommendations"][0]
    assert not FORBIDDEN & set(p)
    assert not FORBIDDEN & set(p["recommendations"][0]["author"])
    for secret in ("1606010112720926", "1972-12-01", "sukardi@musibanyuasinkab", pending["text"], hidden["text"]):
        assert secret not in r.text
    assert r.headers.get("Cache-Control") == "no-store"


def test_public_profile_of_someone_without_skills(server):
    p = get(server, f"/api/v1/employees/{BAMBANG}", web(server, AGUSTINA)).json()
    assert isinstance(p["skills"], list) and isinstance(p["about"], str) and isinstance(p["recommendations"], list)


@pytest.mark.parametrize("nip", ["999999999999999999", "1969050519940310", "abc", "19690505199403100X"])
def test_public_profile_unknown_nip_is_404(server, nip):
    assert_problem(get(server, f"/api/v1/employees/{nip}", web(server, AGUSTINA)), 404)


def test_public_profile_needs_a_web_session(server):
    assert_problem(get(server, f"/api/v1/employees/{ISKANDAR}", {}), 401)


# ---------------------------------------------------------------- skills and about

def test_skills_are_normalised_and_audited(server, db):
    h = web(server, EKO)
    r = call(server, "PUT", "/api/v1/me/skills", h,
             json={"skills": ["  Analisis   Jabatan ", "analisis jabatan", "SIMPEG", "simpeg", "Excel\tlanjut"]})
    assert r.status_code == 200, r.text
    assert r.json()["skills"] == ["Analisis Jabatan", "SIMPEG", "Excel lanjut"]
    assert get(server, "/api/v1/me/skills", h).json()["skills"] == ["Analisis Jabatan", "SIMPEG", "Excel lanjut"]
    assert audit_count(db, "directory.skills_update", EKO) >= 1
    # 30 distinct is the maximum; 30 plus duplicates is fine
    tags = [f"Keahlian {i}" for i in range(30)]
    assert call(server, "PUT", "/api/v1/me/skills", h, json={"skills": tags + ["keahlian 0"]}).json()["skills"] == tags
    assert call(server, "PUT", "/api/v1/me/skills", h, json={"skills": []}).json()["skills"] == []


@pytest.mark.parametrize("body,field,code", [
    ({}, "skills", "missing_field"),
    ({"skills": None}, "skills", "missing_field"),
    ({"skills": "SIMPEG"}, "skills", "invalid_type"),
    ({"skills": [f"k{i}" for i in range(31)]}, "skills", "too_long"),
    ({"skills": ["x"] * 500}, "skills", "too_long"),
    ({"skills": [1]}, "skills[0]", "invalid_type"),
    ({"skills": ["ok", "   "]}, "skills[1]", "invalid_value"),
    ({"skills": ["x" * 51]}, "skills[0]", "invalid_value"),
    ({"skills": ["a\u0001b"]}, "skills[0]", "invalid_value"),
    ({"skills": ["ok"], "about": "x"}, "about", "unknown_field"),
])
def test_bad_skills_are_422_and_change_nothing(server, body, field, code):
    h = web(server, EKO)
    call(server, "PUT", "/api/v1/me/skills", h, json={"skills": ["Tetap"]})
    body_ = assert_problem(call(server, "PUT", "/api/v1/me/skills", h, json=body), 422)
    assert any(e["field"] == field and e["code"] == code for e in body_["errors"]), body_
    assert get(server, "/api/v1/me/skills", h).json()["skills"] == ["Tetap"]


def test_skill_of_50_characters_is_accepted(server):
    tag = "é" * 50
    assert call(server, "PUT", "/api/v1/me/skills", web(server, EKO), json={"skills": [tag]}).json()["skills"] == [tag]


def test_about_bounds_and_clearing(server, db):
    h = web(server, EKO)
    text = "Analis SDM.\nSuka membaca." + "é" * (2000 - 25)
    r = call(server, "PUT", "/api/v1/me/about", h, json={"about": text})
    assert r.status_code == 200 and r.json()["about"] == text
    assert audit_count(db, "directory.about_update", EKO) >= 1
    assert_problem(call(server, "PUT", "/api/v1/me/about", h, json={"about": text + "x"}), 422)
    assert_problem(call(server, "PUT", "/api/v1/me/about", h, json={"about": 5}), 422)
    assert_problem(call(server, "PUT", "/api/v1/me/about", h, json={}), 422)
    assert_problem(call(server, "PUT", "/api/v1/me/about", h, json={"about": "a\u0007"}), 422)
    assert get(server, "/api/v1/me/about", h).json()["about"] == text
    assert call(server, "PUT", "/api/v1/me/about", h, json={"about": None}).json()["about"] == ""


def test_skills_and_about_malformed_and_unauthorised(server):
    h = web(server, EKO)
    for path in ("/api/v1/me/skills", "/api/v1/me/about"):
        assert_problem(call(server, "PUT", path, h, data="{not json", headers={**h, "Content-Type": "application/json"}), 400)
        assert_problem(call(server, "PUT", path, h, data="x", headers={**h, "Content-Type": "text/plain"}), 415)
        assert_problem(call(server, "PUT", path, h, json=["a"]), 400)
        assert_problem(call(server, "PUT", path, {}, json={}), 401)
        assert_problem(get(server, path, {}), 401)
        assert_problem(call(server, "PUT", path, h, data="[" + "1," * 40000 + "1]",
                            headers={**h, "Content-Type": "application/json"}), 413)
    # the app may edit its own (an /api/v1/me route)
    assert call(server, "PUT", "/api/v1/me/skills", app(server, EKO), json={"skills": ["Dari HP"]}).status_code == 200


# ---------------------------------------------------------------- recommendations

def test_recommendation_flow_notifies_and_edit_sends_accepted_back_to_pending(server, db):
    clear_recommendations(db, NURHAYATI)
    subject_id = employee_id(db, NURHAYATI)
    with db.cursor() as cur:
        cur.execute("select coalesce(max(id), 0) from notifications where employee_id = %s", (subject_id,))
        (before,) = cur.fetchone()
    r = recommend(server, AGUSTINA, NURHAYATI, "Widyaiswara yang inspiratif.")
    assert r.status_code == 201, r.text
    reco = r.json()
    assert reco["status"] == "pending" and reco["author"]["nip"] == AGUSTINA and reco["subject"]["nip"] == NURHAYATI
    with db.cursor() as cur:
        cur.execute("select kind, target_type, target_id, actor_employee_id from notifications"
                    " where employee_id = %s and id > %s", (subject_id, before))
        rows = cur.fetchall()
    assert rows == [("recommendation.received", "recommendation", str(reco["id"]), employee_id(db, AGUSTINA))]
    assert audit_count(db, "directory.recommendation_create", reco["id"]) == 1

    # a second one by the same author is 409; the author edits instead
    assert_problem(recommend(server, AGUSTINA, NURHAYATI, "Lagi."), 409, "recommendation_exists")
    nh = web(server, NURHAYATI)
    assert call(server, "POST", f"{RECEIVED}/{reco['id']}/accept", nh).json()["status"] == "accepted"
    edited = call(server, "PUT", f"{WRITTEN}/{reco['id']}", web(server, AGUSTINA), json={"text": "Teks baru."})
    assert edited.status_code == 200 and edited.json()["status"] == "pending" and edited.json()["text"] == "Teks baru."
    assert audit_count(db, "directory.recommendation_edit", reco["id"]) == 1
    public = get(server, f"/api/v1/employees/{NURHAYATI}", web(server, ISKANDAR)).json()
    assert reco["id"] not in [x["id"] for x in public["recommendations"]]
    assert call(server, "POST", f"{RECEIVED}/{reco['id']}/accept", nh).status_code == 200
    public = get(server, f"/api/v1/employees/{NURHAYATI}", web(server, ISKANDAR)).json()
    assert [x["text"] for x in public["recommendations"] if x["id"] == reco["id"]] == ["Teks baru."]
    # hiding takes it off the profile again
    assert call(server, "POST", f"{RECEIVED}/{reco['id']}/hide", nh).json()["status"] == "hidden"
    public = get(server, f"/api/v1/employees/{NURHAYATI}", web(server, ISKANDAR)).json()
    assert reco["id"] not in [x["id"] for x in public["recommendations"]]
    assert audit_count(db, "directory.recommendation_hide", reco["id"]) == 1


def test_recommendation_for_oneself_is_403(server):
    assert_problem(recommend(server, AGUSTINA, AGUSTINA, "Saya hebat."), 403, "recommendation_self")


@pytest.mark.parametrize("body,code", [
    ({}, "missing_field"), ({"text": ""}, "missing_field"), ({"text": "  \n "}, "missing_field"),
    ({"text": 5}, "invalid_type"), ({"text": "x" * 1001}, "too_long"), ({"text": "é" * 1001}, "too_long"),
    ({"text": "ok\u0007"}, "invalid_value"), ({"text": "ok", "status": "accepted"}, "unknown_field"),
])
def test_bad_recommendation_is_422(server, db, body, code):
    clear_recommendations(db, BAMBANG)
    r = call(server, "POST", f"/api/v1/employees/{BAMBANG}/recommendations", web(server, AGUSTINA), json=body)
    b = assert_problem(r, 422)
    assert code is None or any(e["code"] == code for e in b["errors"]), b
    with db.cursor() as cur:
        cur.execute("select count(*) from recommendations where subject_id = %s", (employee_id(db, BAMBANG),))
        assert cur.fetchone()[0] == 0


def test_recommendation_of_1000_characters_and_unknown_subject(server, db):
    clear_recommendations(db, BAMBANG)
    assert recommend(server, AGUSTINA, BAMBANG, "é" * 1000).status_code == 201
    assert_problem(recommend(server, AGUSTINA, "999999999999999999", "x"), 404, "employee_not_found")
    h = web(server, AGUSTINA)
    path = f"/api/v1/employees/{BAMBANG}/recommendations"
    assert_problem(call(server, "POST", path, h, data="{", headers={**h, "Content-Type": "application/json"}), 400)
    assert_problem(call(server, "POST", path, h, data="text", headers={**h, "Content-Type": "text/plain"}), 415)
    assert_problem(call(server, "POST", path, {}, json={"text": "x"}), 401)
    assert_problem(call(server, "POST", path, app(server, AGUSTINA), json={"text": "x"}), 403, "web_session_required")
    assert_problem(call(server, "POST", path, h, data='{"text": "' + "x" * 70000 + '"}',
                        headers={**h, "Content-Type": "application/json"}), 413)


def test_only_the_author_edits_and_only_the_subject_decides(server, db):
    clear_recommendations(db, ISKANDAR)
    reco = recommend(server, SUKARDI, ISKANDAR, "Pemimpin teladan.").json()
    # the subject cannot edit it, a bystander neither: 404 (they did not write it)
    for nip in (ISKANDAR, EKO):
        assert_problem(call(server, "PUT", f"{WRITTEN}/{reco['id']}", web(server, nip), json={"text": "x"}), 404,
                       "recommendation_not_found")
    # the author and a bystander cannot accept or hide it
    for nip in (SUKARDI, EKO):
        for act in ("accept", "hide"):
            assert_problem(call(server, "POST", f"{RECEIVED}/{reco['id']}/{act}", web(server, nip)), 404,
                           "recommendation_not_found")
    with db.cursor() as cur:
        cur.execute("select status, body from recommendations where id = %s", (reco["id"],))
        assert cur.fetchone() == ("pending", "Pemimpin teladan.")
    for bad in ("0", "abc", "99999999999", "-1"):
        assert_problem(call(server, "POST", f"{RECEIVED}/{bad}/accept", web(server, ISKANDAR)), 404)
        assert_problem(call(server, "PUT", f"{WRITTEN}/{bad}", web(server, SUKARDI), json={"text": "x"}), 404)
    assert_problem(call(server, "POST", f"{RECEIVED}/{reco['id']}/accept", {}), 401)
    assert_problem(call(server, "PUT", f"{WRITTEN}/{reco['id']}", web(server, SUKARDI), json={"text": ""}), 422)
    assert_problem(call(server, "PUT", f"{WRITTEN}/{reco['id']}", web(server, SUKARDI), json={"text": 1}), 422)


def test_received_and_written_lists_page_and_filter(server, db):
    clear_recommendations(db, ISKANDAR)
    authors = (SUKARDI, EKO, AGUSTINA, NURHAYATI, BAMBANG)
    for a in authors:
        clear_recommendations(db, a)
        assert recommend(server, a, ISKANDAR, f"Dari {a}.").status_code == 201
    ih = web(server, ISKANDAR)
    items, pages = walk(server, RECEIVED, ih, 2)
    assert sorted(x["author"]["nip"] for x in items) == sorted(authors) and pages == 3
    assert [x["id"] for x in items] == sorted((x["id"] for x in items), reverse=True)
    first = items[0]["id"]
    call(server, "POST", f"{RECEIVED}/{first}/accept", ih)
    assert [x["id"] for x in walk(server, RECEIVED, ih, 2, status="accepted")[0]] == [first]
    assert len(walk(server, RECEIVED, ih, 2, status="pending")[0]) == 4
    assert_problem(get(server, RECEIVED, ih, status="bogus"), 422)
    cursor = get(server, RECEIVED, ih, limit=1).json()["next_cursor"]
    assert_problem(get(server, RECEIVED, ih, status="pending", cursor=cursor), 422)
    assert_problem(get(server, RECEIVED, web(server, EKO), cursor=cursor), 422)  # another owner's cursor
    mine = walk(server, WRITTEN, web(server, EKO), 1)[0]
    assert [x["subject"]["nip"] for x in mine] == [ISKANDAR]
    assert_problem(get(server, RECEIVED, {}), 401)
    assert_problem(get(server, WRITTEN, ih, limit="0"), 422)
    # the app may read its own lists (an /api/v1/me route)
    assert get(server, RECEIVED, app(server, ISKANDAR)).status_code == 200
