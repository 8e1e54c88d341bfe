"""The RPI builder and workflow (docs/rpi.md): recommended / mandatory /
additional items, the review summary, submit rules, draft -> submitted ->
verified (anpeg) -> approved (atasan), return with a note, withdraw, the
queues, notifications and audit, and who may see what (BOLA)."""
import pytest

from conftest import assert_problem
from rpi_support import (ADMIN, AHMAD, COMP_A, COMP_B, COMP_C, DEWI, EKO, HENDRA, NURHASANAH, RAHMAT, SUKARDI, app,
                         archive, audit, call, emp_id, make_programme, notifications, reset, self_assess,
                         setup_competencies, this_year)


@pytest.fixture
def plan(server, db):
    """Ahmad's draft for this year with a self-assessment (A: gap -2, B: -1, C: 0) and three
    programmes of the test's own: PA (experiential 30 JP, addresses A), PB (social 6 JP, B),
    PC (formal 8 JP, C). Yields (rpi JSON, {name: programme id})."""
    reset(db, AHMAD, EKO)
    setup_competencies(db)
    self_assess(db, AHMAD, scores={COMP_A: 1, COMP_B: 2, COMP_C: 3})
    progs = {
        "PA": make_programme(server, "Uji RPI penugasan A", method="on_the_job", category="experiential", jp=30,
                             competencies=[COMP_A])["id"],
        "PB": make_programme(server, "Uji RPI coaching B", method="coaching", category="social", jp=6,
                             competencies=[COMP_B])["id"],
        "PC": make_programme(server, "Uji RPI kursus C", method="pelatihan", category="formal", jp=8,
                             competencies=[COMP_C])["id"],
    }
    r = call(server, "POST", "/api/v1/me/rpi", AHMAD, {"year": this_year()})
    assert r.status_code == 201, r.text
    yield r.json(), progs
    for pid in progs.values():
        archive(server, pid)
    reset(db, AHMAD, EKO)


def add(server, rid, pid, nip=AHMAD):
    return call(server, "POST", f"/api/v1/rpi/{rid}/items", nip, {"programme_id": pid})


def step(server, rid, action, nip, note=None):
    return call(server, "POST", f"/api/v1/rpi/{rid}/{action}", nip, {"note": note} if note is not None else None)


def items_by_id(rpi):
    return {i["programme_id"]: i for i in rpi["items"]}


def test_builder_recommends_by_gap_and_summarises(server, db, plan):
    rpi, p = plan
    assert rpi["status"] == "draft" and rpi["revision"] == 1 and rpi["year"] == this_year()
    assert rpi["self_assessed"] is True
    # every item the plan was born with is mandatory for Ahmad
    assert all(i["kind"] == "mandatory" for i in rpi["items"])
    born_jp = sum(i["jp"] for i in rpi["items"])
    rec = call(server, "GET", "/api/v1/me/rpi/recommendations", AHMAD)
    assert rec.status_code == 200, rec.text
    ids = [x["id"] for x in rec.json()["items"]]
    assert p["PA"] in ids and p["PB"] in ids and p["PC"] not in ids  # C meets the standard
    assert ids.index(p["PA"]) < ids.index(p["PB"])                   # the larger gap first
    first = next(x for x in rec.json()["items"] if x["id"] == p["PA"])
    assert first["gap"] == -2 and first["gap_competencies"][0]["code"] == COMP_A

    for pid in p.values():
        r = add(server, rpi["id"], pid)
        assert r.status_code == 200, r.text
    got = r.json()
    kinds = {k: items_by_id(got)[pid]["kind"] for k, pid in p.items()}
    assert kinds == {"PA": "recommended", "PB": "recommended", "PC": "additional"}
    s = got["summary"]
    assert s["total_jp"] == born_jp + 44
    assert s["jp_per_category"]["experiential"] >= 30 and s["jp_per_category"]["social"] >= 6
    assert s["target_split"] == {"formal": 10, "social": 20, "experiential": 70}
    assert sum(s["jp_per_category"].values()) == s["total_jp"]

    # removing a recommended item works; the summary follows
    r = call(server, "DELETE", f"/api/v1/rpi/{rpi['id']}/items/{p['PC']}", AHMAD)
    assert r.status_code == 200 and r.json()["summary"]["total_jp"] == born_jp + 36


def test_split_far_from_10_20_70_is_a_warning_not_a_refusal(server, db, plan):
    rpi, p = plan
    # a big formal course outweighs whatever is mandatory: formal far above, experiential far below
    big = make_programme(server, "Uji RPI kursus besar", jp=500, category="formal")["id"]
    try:
        r = add(server, rpi["id"], big)
        assert r.status_code == 200, r.text
        warns = {(w["code"], w.get("category"), w.get("direction")) for w in r.json()["summary"]["warnings"]}
        assert ("split_far", "formal", "above") in warns
        assert ("split_far", "experiential", "below") in warns
        assert r.json()["summary"]["submittable"] is True
        r = step(server, rpi["id"], "submit", AHMAD)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "submitted"
    finally:
        archive(server, big)


def test_whole_workflow_notifies_and_audits(server, db, plan):
    rpi, p = plan
    rid = rpi["id"]
    add(server, rid, p["PA"])
    r = step(server, rid, "submit", AHMAD)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted" and r.json()["submitted_at"]
    assert rid in notifications(db, EKO, "rpi.submitted")
    assert rid not in notifications(db, AHMAD, "rpi.submitted")   # the actor is never told

    q = call(server, "GET", "/api/v1/rpi", EKO, status="submitted")
    assert q.status_code == 200 and rid in [x["id"] for x in q.json()["items"]]
    assert rid not in [x["id"] for x in call(server, "GET", "/api/v1/rpi", RAHMAT, status="submitted").json()["items"]]

    r = step(server, rid, "verify", EKO, "Sudah sesuai")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "verified" and r.json()["verified_by"]["nip"] == EKO
    assert rid in notifications(db, NURHASANAH, "rpi.verified")
    q = call(server, "GET", "/api/v1/rpi", NURHASANAH, status="verified")
    assert rid in [x["id"] for x in q.json()["items"]]
    assert rid not in [x["id"] for x in call(server, "GET", "/api/v1/rpi", EKO, status="submitted").json()["items"]]

    r = step(server, rid, "approve", NURHASANAH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "approved" and body["approved_by"]["nip"] == NURHASANAH
    assert rid in notifications(db, AHMAD, "rpi.approved")
    assert [h["action"] for h in body["history"]] == ["create", "submit", "verify", "approve"]
    assert audit(db, rid) == [("rpi.create", AHMAD), ("rpi.item_add", AHMAD), ("rpi.submit", AHMAD), ("rpi.verify", EKO),
                              ("rpi.approve", NURHASANAH)]
    # approved is final: nothing moves it, nothing edits it
    for action, nip in (("return", NURHASANAH), ("return", EKO), ("approve", NURHASANAH), ("verify", EKO)):
        assert_problem(step(server, rid, action, nip, "x"), 409, "rpi_final")
    assert_problem(step(server, rid, "submit", AHMAD), 409, "rpi_final")
    assert_problem(add(server, rid, p["PB"]), 409, "rpi_not_editable")
    # the app's compact view
    m = requests_get_mobile(server, AHMAD)
    assert m.status_code == 200, m.text
    assert m.json()["status"] == "approved" and m.json()["total_jp"] == body["summary"]["total_jp"]
    assert set(m.json()) == {"id", "year", "status", "total_jp", "items", "approved_at", "last_note", "realisation"}


def requests_get_mobile(server, nip, **params):
    import requests
    return requests.get(server.url + "/mobile/v1/me/rpi", headers=app(server, nip), params=params or None, timeout=30)


def test_return_needs_a_note_and_keeps_history(server, db, plan):
    rpi, p = plan
    rid = rpi["id"]
    add(server, rid, p["PA"])
    assert step(server, rid, "submit", AHMAD).status_code == 200
    for note in (None, "", "  \n\t"):
        b = assert_problem(step(server, rid, "return", EKO, note), 422, "validation_failed")
        assert [(e["field"], e["code"]) for e in b["errors"]] == [("note", "rpi_note_required")]
    assert_problem(step(server, rid, "return", EKO, "x" * 1001), 422)
    assert_problem(step(server, rid, "return", EKO, 42), 422)
    r = step(server, rid, "return", EKO, "Tambahkan coaching")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "draft" and r.json()["revision"] == 2
    assert rid in notifications(db, AHMAD, "rpi.returned")
    # the author fixes it and submits revision 2; the atasan returns it too
    assert add(server, rid, p["PB"]).status_code == 200
    assert step(server, rid, "submit", AHMAD).status_code == 200
    # the atasan cannot return what the anpeg has not verified
    assert_problem(step(server, rid, "return", NURHASANAH, "Belum"), 409, "rpi_transition_invalid")
    assert step(server, rid, "verify", EKO).status_code == 200
    r = step(server, rid, "return", NURHASANAH, "Kurangi pelatihan klasikal")
    assert r.status_code == 200 and r.json()["status"] == "draft" and r.json()["revision"] == 3
    assert r.json()["verified_by"] is None
    hist = [(h["revision"], h["action"], h["to"], h["note"]) for h in r.json()["history"]]
    assert hist == [(1, "create", "draft", None), (1, "submit", "submitted", None),
                    (1, "return", "draft", "Tambahkan coaching"), (2, "submit", "submitted", None),
                    (2, "verify", "verified", None), (2, "return", "draft", "Kurangi pelatihan klasikal")]
    with db.cursor() as cur:  # the submitted revisions keep what was sent
        cur.execute("select revision, jsonb_array_length(snapshot) from rpi_events where rpi_id = %s"
                    " and action = 'submit' order by id", (rid,))
        (r1, n1), (r2, n2) = cur.fetchall()
        assert (r1, r2) == (1, 2) and n2 == n1 + 1


def test_withdraw_while_submitted_only(server, db, plan):
    rpi, p = plan
    rid = rpi["id"]
    add(server, rid, p["PA"])
    assert_problem(step(server, rid, "withdraw", AHMAD), 409, "rpi_transition_invalid")
    assert step(server, rid, "submit", AHMAD).status_code == 200
    assert_problem(step(server, rid, "withdraw", EKO), 403, "rpi_not_author")
    assert_problem(call(server, "POST", f"/api/v1/rpi/{rid}/withdraw", AHMAD, {"note": "x"}), 422)
    r = step(server, rid, "withdraw", AHMAD)
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert step(server, rid, "submit", AHMAD).status_code == 200
    assert step(server, rid, "verify", EKO).status_code == 200
    assert_problem(step(server, rid, "withdraw", AHMAD), 409, "rpi_transition_invalid")


def test_submit_refusals(server, db, plan):
    rpi, p = plan
    rid = rpi["id"]
    # under 20 JP (only what the plan was born with, plus 6)
    with db.cursor() as cur:
        cur.execute("delete from rpi_items where rpi_id = %s and kind <> 'mandatory'", (rid,))
        cur.execute("select coalesce(sum(p.jp), 0) from rpi_items i join dev_programmes p on p.id = i.programme_id"
                    " where i.rpi_id = %s", (rid,))
        born = cur.fetchone()[0]
    if born + 6 < 20:
        add(server, rid, p["PB"])
        b = assert_problem(step(server, rid, "submit", AHMAD), 422, "rpi_jp_below_minimum")
        assert b["total_jp"] == born + 6 and [e["code"] for e in b["errors"]] == ["rpi_jp_below_minimum"]
    add(server, rid, p["PA"])
    # a programme made mandatory for Ahmad's position after the plan was drafted
    with db.cursor() as cur:
        cur.execute("select x.name from employees e join positions x on x.id = e.position_id where e.nip = %s",
                    (AHMAD,))
        position = cur.fetchone()[0]
    must = make_programme(server, "Uji RPI mandatori jabatan", jp=2,
                          mandatory_for={"everyone": False, "positions": [position], "ranks": []})["id"]
    try:
        b = assert_problem(step(server, rid, "submit", AHMAD), 422, "rpi_mandatory_missing")
        assert [m["programme_id"] for m in b["missing_mandatory"]] == [must]
        r = call(server, "GET", f"/api/v1/rpi/{rid}", AHMAD)
        assert {"code": "mandatory_missing", "count": 1} in r.json()["summary"]["warnings"]
        r = add(server, rid, must)
        assert r.status_code == 200 and items_by_id(r.json())[must]["kind"] == "mandatory"
        assert_problem(call(server, "DELETE", f"/api/v1/rpi/{rid}/items/{must}", AHMAD), 409, "rpi_item_mandatory")
        assert step(server, rid, "submit", AHMAD).status_code == 200
    finally:
        archive(server, must)


def test_submit_needs_a_self_assessment_of_that_year(server, db, plan):
    rpi, p = plan
    next_year = this_year() + 1
    r = call(server, "POST", "/api/v1/me/rpi", AHMAD, {"year": next_year})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert r.json()["self_assessed"] is False
    add(server, rid, p["PA"])
    assert_problem(step(server, rid, "submit", AHMAD), 422, "rpi_self_assessment_missing")
    with db.cursor() as cur:
        cur.execute("delete from rpi_items where rpi_id = %s and kind <> 'mandatory'", (rid,))
    b = assert_problem(step(server, rid, "submit", AHMAD), 422)
    if b["total_jp"] < 20:  # only the mandatory items left: two rules fail, each named
        assert b["code"] == "rpi_not_submittable"
        assert sorted(e["code"] for e in b["errors"]) == ["rpi_jp_below_minimum", "rpi_self_assessment_missing"]
    add(server, rid, p["PA"])
    self_assess(db, AHMAD, year=next_year)
    assert step(server, rid, "submit", AHMAD).status_code == 200


def test_nobody_decides_their_own_plan(server, db, plan):
    """Eko is the anpeg of his own unit's tree: he may not verify his own plan."""
    _, p = plan
    self_assess(db, EKO)
    r = call(server, "POST", "/api/v1/me/rpi", EKO, {})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    add(server, rid, p["PA"], EKO)
    assert step(server, rid, "submit", EKO).status_code == 200
    assert_problem(step(server, rid, "verify", EKO), 403, "rpi_own_record")
    assert_problem(step(server, rid, "return", EKO, "x"), 403, "rpi_own_record")
    # his own submitted plan is not in his queue
    assert rid not in [x["id"] for x in call(server, "GET", "/api/v1/rpi", EKO, status="submitted").json()["items"]]


def test_who_may_see_and_decide(server, db, plan):
    rpi, p = plan
    rid = rpi["id"]
    add(server, rid, p["PA"])
    assert step(server, rid, "submit", AHMAD).status_code == 200
    for nip in (AHMAD, EKO, NURHASANAH, ADMIN):
        assert call(server, "GET", f"/api/v1/rpi/{rid}", nip).status_code == 200, nip
    # strangers: another employee, an anpeg of another tree, an atasan of others, the atasan's atasan
    for nip in (DEWI, RAHMAT, HENDRA, SUKARDI):
        assert_problem(call(server, "GET", f"/api/v1/rpi/{rid}", nip), 404, "rpi_not_found")
        for action in ("verify", "approve", "return", "withdraw", "submit"):
            assert_problem(step(server, rid, action, nip, "x" if action == "return" else None), 404, "rpi_not_found")
        assert_problem(add(server, rid, p["PB"], nip), 404, "rpi_not_found")
    # those with a part, at the wrong step
    assert_problem(step(server, rid, "approve", EKO), 403, "rpi_not_approver")
    assert_problem(step(server, rid, "verify", NURHASANAH), 403, "rpi_not_verifier")
    assert_problem(step(server, rid, "verify", ADMIN), 403, "rpi_not_verifier")
    assert_problem(step(server, rid, "approve", AHMAD), 403, "rpi_own_record")
    assert_problem(add(server, rid, p["PB"], EKO), 403, "rpi_not_author")
    assert_problem(step(server, rid, "submit", AHMAD), 409, "rpi_transition_invalid")
    assert_problem(step(server, rid, "approve", NURHASANAH), 409, "rpi_transition_invalid")
    # ids that cannot exist
    for path in ("/api/v1/rpi/0", "/api/v1/rpi/abc", "/api/v1/rpi/99999999999"):
        assert_problem(call(server, "GET", path, AHMAD), 404)
    assert_problem(call(server, "DELETE", f"/api/v1/rpi/{rid}/items/x", AHMAD), 404)
    assert_problem(call(server, "GET", f"/api/v1/rpi/{rid}"), 401)
    assert_problem(step(server, rid, "verify", None), 401)


def test_item_rules(server, db, plan):
    rpi, p = plan
    rid = rpi["id"]
    assert add(server, rid, p["PA"]).status_code == 200
    assert_problem(add(server, rid, p["PA"]), 409, "rpi_item_exists")
    b = assert_problem(add(server, rid, 99999999999), 422)
    assert b["errors"][0] == {**b["errors"][0], "field": "programme_id", "code": "programme_not_found"}
    gone = make_programme(server, "Uji RPI diarsipkan")["id"]
    archive(server, gone)
    assert_problem(add(server, rid, gone), 422)
    assert_problem(call(server, "DELETE", f"/api/v1/rpi/{rid}/items/{p['PB']}", AHMAD), 404, "rpi_item_not_found")
    mandatory = [i["programme_id"] for i in rpi["items"] if i["kind"] == "mandatory"]
    for pid in mandatory:
        assert_problem(call(server, "DELETE", f"/api/v1/rpi/{rid}/items/{pid}", AHMAD), 409, "rpi_item_mandatory")
    for bad in ({"programme_id": "1"}, {"programme_id": 0}, {"programme_id": None}, {}, {"programme_id": 1, "x": 1},
                {"programme_id": 1.5}):
        assert_problem(call(server, "POST", f"/api/v1/rpi/{rid}/items", AHMAD, bad), 422)
    assert_problem(call(server, "POST", f"/api/v1/rpi/{rid}/items", AHMAD, raw="{"), 400)
    assert_problem(call(server, "POST", f"/api/v1/rpi/{rid}/items", AHMAD, raw="[1]"), 400)
    assert_problem(call(server, "POST", f"/api/v1/rpi/{rid}/items", AHMAD, raw='{"programme_id": 1}',
                        headers={"Content-Type": "text/plain"}), 415)
    assert_problem(call(server, "POST", f"/api/v1/rpi/{rid}/items", AHMAD,
                        raw='{"programme_id": 1, "pad": "' + "x" * 70000 + '"}'), 413)


def test_create_and_read_mine(server, db, plan):
    rpi, _ = plan
    assert_problem(call(server, "POST", "/api/v1/me/rpi", AHMAD, {"year": this_year()}), 409, "rpi_exists")
    for bad in ({"year": "2026"}, {"year": 1999}, {"year": this_year() + 2}, {"year": this_year() - 2},
                {"year": 2026, "status": "approved"}, {"year": True}):
        assert_problem(call(server, "POST", "/api/v1/me/rpi", AHMAD, bad), 422)
    assert_problem(call(server, "POST", "/api/v1/me/rpi", AHMAD, raw="nope"), 400)
    assert_problem(call(server, "POST", "/api/v1/me/rpi"), 401)
    r = call(server, "GET", "/api/v1/me/rpi", AHMAD)
    assert r.status_code == 200 and r.json()["id"] == rpi["id"]
    assert call(server, "GET", "/api/v1/me/rpi", AHMAD, year=str(this_year())).json()["id"] == rpi["id"]
    assert_problem(call(server, "GET", "/api/v1/me/rpi", AHMAD, year=str(this_year() - 1)), 404, "rpi_not_found")
    assert_problem(call(server, "GET", "/api/v1/me/rpi", AHMAD, year="20x6"), 422)
    assert_problem(call(server, "GET", "/api/v1/me/rpi", DEWI, year="2001"), 404, "rpi_not_found")
    assert_problem(call(server, "GET", "/api/v1/me/rpi/recommendations"), 401)


def test_mobile_view_is_compact_and_app_only(server, db, plan):
    rpi, _ = plan
    r = requests_get_mobile(server, AHMAD)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == rpi["id"] and r.json()["status"] == "draft"
    assert "history" not in r.json() and "employee" not in r.json()
    assert_problem(requests_get_mobile(server, AHMAD, year="2001"), 404, "rpi_not_found")
    assert_problem(requests_get_mobile(server, AHMAD, year="x"), 422)
    assert_problem(call(server, "GET", "/mobile/v1/me/rpi", AHMAD), 403, "mobile_session_required")
    import requests
    # the app may read its own plan on /api/v1/me/..., not the reviewers' routes
    h = app(server, AHMAD)
    assert requests.get(server.url + "/api/v1/me/rpi", headers=h, timeout=30).status_code == 200
    assert_problem(requests.get(server.url + f"/api/v1/rpi/{rpi['id']}", headers=h, timeout=30), 403,
                   "web_session_required")


def test_queues_are_scoped_and_paged(server, db, plan):
    """Eko's queue: submitted plans of the MUBA-DISDIK tree; Nurhasanah's: verified plans of her direct reports."""
    rpi, p = plan
    year = this_year()
    with db.cursor() as cur:
        cur.execute("select e.id from employees e join org_units u on u.id = e.unit_id"
                    " join org_units s on s.code = 'MUBA-DISDIK' where s.id = any(u.path) and e.nip <> %s"
                    " and e.nip <> %s order by e.id", (EKO, AHMAD))
        others = [r[0] for r in cur.fetchall()]
        assert len(others) >= 3
        cur.execute("delete from rpis where employee_id = any(%s) and year = %s", (others, year))
        for i, eid in enumerate(others):
            cur.execute("insert into rpis (employee_id, year, status, submitted_at) values (%s, %s, 'submitted',"
                        " now() - %s * interval '1 minute')", (eid, year, i))
    try:
        add(server, rpi["id"], p["PA"])
        assert step(server, rpi["id"], "submit", AHMAD).status_code == 200
        seen, cursor = [], None
        for _ in range(20):
            params = {"status": "submitted", "limit": "2"}
            if cursor:
                params["cursor"] = cursor
            r = call(server, "GET", "/api/v1/rpi", EKO, **params)
            assert r.status_code == 200, r.text
            assert len(r.json()["items"]) <= 2
            seen += [x["id"] for x in r.json()["items"]]
            cursor = r.json()["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen))
        with db.cursor() as cur:
            cur.execute("select id from rpis where status = 'submitted' and (employee_id = any(%s) or id = %s)",
                        (others, rpi["id"]))
            expected = {r[0] for r in cur.fetchall()}
        assert set(seen) == expected
        # a cursor of this list is no good for the other status, another caller or garbage
        first = call(server, "GET", "/api/v1/rpi", EKO, status="submitted", limit="1").json()["next_cursor"]
        assert_problem(call(server, "GET", "/api/v1/rpi", EKO, status="verified", cursor=first), 422)
        assert_problem(call(server, "GET", "/api/v1/rpi", NURHASANAH, status="submitted", cursor=first), 422)
        assert_problem(call(server, "GET", "/api/v1/rpi", EKO, status="submitted", cursor="garbage"), 422)
        for params in ({}, {"status": "draft"}, {"status": "approved"}, {"status": "submitted", "limit": "0"},
                       {"status": "submitted", "limit": "101"}, {"status": "submitted", "limit": "x"}):
            assert_problem(call(server, "GET", "/api/v1/rpi", EKO, **params), 422)
        # Nurhasanah is an atasan, not an anpeg: nothing submitted is hers to verify
        assert call(server, "GET", "/api/v1/rpi", NURHASANAH, status="submitted").json()["items"] == []
        assert_problem(call(server, "GET", "/api/v1/rpi", status="submitted"), 401)
    finally:
        with db.cursor() as cur:
            cur.execute("delete from rpis where employee_id = any(%s) and year = %s", (others, year))
