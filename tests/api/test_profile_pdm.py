"""PDM (Pemutakhiran Data Mandiri): the employee proposes add / edit / delete of a record of
any section; an anpeg whose unit subtree holds the employee's unit approves (the change is
applied in the same transaction) or rejects with a reason; the employee may withdraw a
pending one. Every step is audited with before/after and notifies the other side."""
import json

import pytest

from conftest import assert_problem
from profile_support import (ADMIN, AHMAD, DEWI, EKO, FITRI, HENDRA, MINE, NURHASANAH, QUEUE, RAHMAT, SAMPLES,
                             SECTIONS, add_approved, approve, audit_rows, employee_id, get, pdf_bytes, post, propose,
                             record_of, reset)


@pytest.fixture(autouse=True)
def clean(db):
    reset(db, DEWI, AHMAD, RAHMAT)
    yield
    reset(db, DEWI, AHMAD, RAHMAT)


@pytest.mark.parametrize("section", SECTIONS)
def test_add_approve_edit_delete_every_section(server, db, section):
    c = propose(server, DEWI, section, data=SAMPLES[section], note="SK terlampir")
    assert (c["status"], c["op"], c["section"], c["record_id"]) == ("pending", "add", section, None)
    assert c["employee"]["nip"] == DEWI
    # shown as being verified, not yet a record
    prof = get(server, "/api/v1/me/profile", DEWI).json()
    assert prof["sections"][section]["records"] == []
    assert [a["id"] for a in prof["sections"][section]["pending_additions"]] == [c["id"]]
    done = approve(server, c["id"])
    assert done["status"] == "approved" and done["decided_by"]["nip"] == RAHMAT and done["record_id"]
    rec = record_of(server, DEWI, section)
    assert rec["id"] == done["record_id"] and rec["data"] == SAMPLES[section] and rec["pending_change"] is None
    # edit: pending shows on the record, approval applies it and bumps the version
    changed = dict(SAMPLES[section])
    key = next(k for k, v in changed.items() if isinstance(v, str) and k not in ("religion", "marital_status",
                                                                                 "blood_type", "relation", "golongan",
                                                                                 "level", "kind") and "date" not in k
               and "tmt" not in k and "phone" not in k and "email" not in k)
    changed[key] = changed[key] + " (ralat)"
    e = propose(server, DEWI, section, "edit", data=changed, record_id=rec["id"])
    assert e["current"] == SAMPLES[section] and e["base_version"] == 1
    rec = record_of(server, DEWI, section)
    assert rec["pending_change"]["id"] == e["id"] and rec["pending_change"]["op"] == "edit"
    approve(server, e["id"])
    rec = record_of(server, DEWI, section)
    assert rec["data"][key].endswith("(ralat)") and rec["version"] == 2
    rows = audit_rows(db, "pdm.approve", e["id"])
    assert len(rows) == 1 and rows[0][0] == employee_id(db, RAHMAT)
    assert rows[0][1]["before"]["data"] == SAMPLES[section] and rows[0][1]["after"]["data"] == changed
    if section == "identity":  # a single-record section is never deleted
        r = post(server, MINE, DEWI, {"section": "identity", "op": "delete", "record_id": rec["id"]})
        assert_problem(r, 422)
        return
    d = propose(server, DEWI, section, "delete", record_id=rec["id"])
    approve(server, d["id"])
    assert record_of(server, DEWI, section) is None
    assert audit_rows(db, "pdm.approve", d["id"])[0][1]["before"]["data"] == changed


def test_second_proposal_on_the_same_record_is_409_and_withdraw_frees_it(server, db):
    rid = add_approved(server, DEWI, "award")
    first = propose(server, DEWI, "award", "delete", record_id=rid)
    r = post(server, MINE, DEWI, {"section": "award", "op": "edit", "record_id": rid,
                                  "data": dict(SAMPLES["award"], year=2021)})
    assert_problem(r, 409, "pdm_pending_exists")
    # a second identity addition while one is pending is the same conflict
    propose(server, DEWI, "identity", data=SAMPLES["identity"])
    assert_problem(post(server, MINE, DEWI, {"section": "identity", "op": "add", "data": SAMPLES["identity"]}), 409,
                   "pdm_pending_exists")
    w = post(server, f"{MINE}/{first['id']}/withdraw", DEWI)
    assert w.status_code == 200 and w.json()["status"] == "withdrawn"
    assert audit_rows(db, "pdm.withdraw", first["id"])
    assert_problem(post(server, f"{MINE}/{first['id']}/withdraw", DEWI), 409, "pdm_not_pending")
    assert_problem(post(server, f"{QUEUE}/{first['id']}/approve", RAHMAT), 409, "pdm_not_pending")
    propose(server, DEWI, "award", "edit", record_id=rid, data=dict(SAMPLES["award"], year=2021))


def test_identity_is_single(server, db):
    add_approved(server, DEWI, "identity")
    assert_problem(post(server, MINE, DEWI, {"section": "identity", "op": "add", "data": SAMPLES["identity"]}), 409,
                   "profile_identity_exists")


def test_stale_approval_is_409_and_changes_nothing(server, db):
    rid = add_approved(server, DEWI, "rank")
    a = propose(server, DEWI, "rank", "edit", record_id=rid, data=dict(SAMPLES["rank"], sk_number="SK-A"))
    # the record moves under the proposal (another path: a direct fix by the database owner)
    with db.cursor() as cur:
        cur.execute("update profile_records set data = data || '{\"sk_number\":\"SK-X\"}', version = version + 1"
                    " where id = %s", (rid,))
    r = post(server, f"{QUEUE}/{a['id']}/approve", RAHMAT)
    assert_problem(r, 409, "pdm_stale")
    assert get(server, f"{QUEUE}/{a['id']}", RAHMAT).json()["status"] == "pending"
    assert record_of(server, DEWI, "rank")["data"]["sk_number"] == "SK-X"
    assert audit_rows(db, "pdm.approve", a["id"]) == []
    # rejecting it still works (with a reason)
    assert post(server, f"{QUEUE}/{a['id']}/reject", RAHMAT, {"reason": "Data sudah berubah"}).status_code == 200


def test_reject_needs_a_reason_and_notifies_the_employee(server, db):
    c = propose(server, DEWI, "education", data=SAMPLES["education"])
    with db.cursor() as cur:  # submitted -> the anpeg of the unit is told
        cur.execute("select employee_id from notifications where kind = 'pdm.submitted' and target_id = %s",
                    (str(c["id"]),))
        assert employee_id(db, RAHMAT) in [r[0] for r in cur.fetchall()]
    url = f"{QUEUE}/{c['id']}/reject"
    assert_problem(post(server, url, RAHMAT), 422)
    assert_problem(post(server, url, RAHMAT, {"reason": "   "}), 422)
    assert_problem(post(server, url, RAHMAT, {"reason": "x" * 1001}), 422)
    assert_problem(post(server, url, RAHMAT, {"reason": 5}), 422)
    assert_problem(post(server, url, RAHMAT, {"reason": "ok", "status": "approved"}), 422)
    assert_problem(post(server, url, RAHMAT, raw="{nope"), 400)
    r = post(server, url, RAHMAT, {"reason": "Ijazah tidak terbaca, unggah ulang"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["reason"] == "Ijazah tidak terbaca, unggah ulang"
    assert record_of(server, DEWI, "education") is None
    with db.cursor() as cur:
        cur.execute("select employee_id, title from notifications where kind = 'pdm.rejected' and target_id = %s",
                    (str(c["id"]),))
        assert cur.fetchall() == [(employee_id(db, DEWI), "Usulan PDM ditolak")]
    rows = audit_rows(db, "pdm.reject", c["id"])
    assert rows[0][1]["from"] == "pending" and rows[0][1]["to"] == "rejected"
    assert audit_rows(db, "pdm.submit", c["id"])[0][1]["after"] == SAMPLES["education"]


def test_nobody_decides_their_own_and_bystanders_learn_nothing(server, db):
    own = propose(server, RAHMAT, "award", data=SAMPLES["award"])  # RAHMAT is anpeg of his own unit's tree
    assert_problem(post(server, f"{QUEUE}/{own['id']}/approve", RAHMAT), 403, "pdm_own_change")
    assert_problem(post(server, f"{QUEUE}/{own['id']}/reject", RAHMAT, {"reason": "x"}), 403, "pdm_own_change")
    assert own["id"] not in [i["id"] for i in get(server, QUEUE, RAHMAT).json()["items"]]
    c = propose(server, DEWI, "award", data=SAMPLES["award"])
    # an anpeg outside the subtree, a bystander, the atasan: 404 (or 403 for the admin, who may see it)
    for nip in (EKO, FITRI):
        assert_problem(post(server, f"{QUEUE}/{c['id']}/approve", nip), 404, "pdm_change_not_found")
        assert_problem(get(server, f"{QUEUE}/{c['id']}", nip), 404, "pdm_change_not_found")
        assert_problem(post(server, f"{MINE}/{c['id']}/withdraw", nip), 404, "pdm_change_not_found")
    assert_problem(post(server, f"{QUEUE}/{c['id']}/approve", HENDRA), 404, "pdm_change_not_found")
    assert_problem(post(server, f"{QUEUE}/{c['id']}/approve", ADMIN), 403, "pdm_not_decider")
    assert_problem(post(server, f"{MINE}/{c['id']}/withdraw", RAHMAT), 403, "pdm_not_author")
    assert_problem(post(server, f"{QUEUE}/{c['id']}/approve", DEWI), 403, "pdm_own_change")
    assert get(server, f"{QUEUE}/{c['id']}", DEWI).status_code == 200
    assert get(server, f"{QUEUE}/{c['id']}", ADMIN).status_code == 200
    assert get(server, f"{QUEUE}/{c['id']}", RAHMAT).status_code == 200
    # another employee's record cannot be the target of my proposal
    rid = add_approved(server, AHMAD, "award", anpeg=EKO)
    for op, data in (("edit", SAMPLES["award"]), ("delete", None)):
        body = {"section": "award", "op": op, "record_id": rid}
        if data:
            body["data"] = data
        assert_problem(post(server, MINE, DEWI, body), 404, "profile_record_not_found")
    assert_problem(post(server, MINE, DEWI, {"section": "family", "op": "delete", "record_id": rid}), 404,
                   "profile_record_not_found")
    # ids that cannot exist, and no token
    assert_problem(get(server, f"{QUEUE}/abc", RAHMAT), 404)
    assert_problem(get(server, f"{QUEUE}/99999999999", RAHMAT), 404, "pdm_change_not_found")
    assert_problem(post(server, f"{QUEUE}/{c['id']}/approve"), 401)
    assert_problem(get(server, QUEUE), 401)
    assert_problem(post(server, MINE, body=SAMPLES["award"]), 401)


def test_queue_is_scoped_filtered_and_paged(server, db):
    ids = [propose(server, DEWI, s, data=SAMPLES[s])["id"] for s in ("family", "award", "team")]
    ahmad = propose(server, AHMAD, "award", data=SAMPLES["award"])["id"]
    mine = [i["id"] for i in get(server, QUEUE + "?limit=100&status=pending", RAHMAT).json()["items"]]
    assert set(ids) <= set(mine) and ahmad not in mine
    eko = [i["id"] for i in get(server, QUEUE + "?limit=100", EKO).json()["items"]]
    assert ahmad in eko and not set(ids) & set(eko)
    only = get(server, QUEUE + "?section=award&status=pending&limit=100", RAHMAT).json()["items"]
    assert ids[1] in [i["id"] for i in only] and all(i["section"] == "award" for i in only)
    unit = get(server, QUEUE + "?unit=KEMENKES-ROSDM-RENSDM&limit=100", RAHMAT).json()["items"]
    assert set(ids) <= {i["id"] for i in unit}
    assert get(server, QUEUE + "?unit=MUBA-DISDIK", RAHMAT).json()["items"] == []
    # paging: every item once
    seen, cursor = [], None
    while True:
        r = get(server, QUEUE + "?limit=1&status=pending" + (f"&cursor={cursor}" if cursor else ""), RAHMAT)
        assert r.status_code == 200, r.text
        seen += [i["id"] for i in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and set(ids) <= set(seen)
    assert_problem(get(server, QUEUE + "?status=maybe", RAHMAT), 422)
    assert_problem(get(server, QUEUE + "?section=skills", RAHMAT), 422)
    assert_problem(get(server, QUEUE + "?limit=0", RAHMAT), 422)
    assert_problem(get(server, QUEUE + "?limit=1&status=pending&cursor=" + "A" * 40, RAHMAT), 422)
    first = get(server, QUEUE + "?limit=1&status=pending", RAHMAT).json()["next_cursor"]
    assert_problem(get(server, QUEUE + "?limit=1&status=rejected&cursor=" + first, RAHMAT), 422)
    # not an anpeg: no queue at all
    assert_problem(get(server, QUEUE, DEWI), 403, "forbidden")
    # admin oversees every unit's queue (reading only: deciding is the anpeg's, see above)
    everyone = {i["id"] for i in get(server, QUEUE + "?limit=100&status=pending", ADMIN).json()["items"]}
    assert set(ids) | {ahmad} <= everyone
    # the employee's own list holds only their own proposals
    own = get(server, MINE + "?limit=100", DEWI).json()["items"]
    assert {i["id"] for i in own} == set(ids)
    assert get(server, MINE + "?limit=100", AHMAD).json()["items"][0]["id"] == ahmad
    assert_problem(get(server, MINE + "?status=nope", DEWI), 422)


@pytest.mark.parametrize("body,field", [
    ({"op": "add", "data": {}}, "section"),
    ({"section": "award", "data": SAMPLES["award"]}, "op"),
    ({"section": "skills", "op": "add", "data": {}}, "section"),
    ({"section": "award", "op": "replace", "data": SAMPLES["award"]}, "op"),
    ({"section": "award", "op": "add"}, "data"),
    ({"section": "award", "op": "add", "data": "x"}, "data"),
    ({"section": "award", "op": "add", "data": [1]}, "data"),
    ({"section": "award", "op": "edit", "data": SAMPLES["award"]}, "record_id"),
    ({"section": "award", "op": "add", "record_id": 5, "data": SAMPLES["award"]}, "record_id"),
    ({"section": "award", "op": "edit", "record_id": "5", "data": SAMPLES["award"]}, "record_id"),
    ({"section": "award", "op": "delete", "record_id": 5, "data": SAMPLES["award"]}, "data"),
    ({"section": "award", "op": "add", "data": dict(SAMPLES["award"], year=2099)}, "data.year"),
    ({"section": "award", "op": "add", "data": dict(SAMPLES["award"], name="x" * 201)}, "data.name"),
    ({"section": "award", "op": "add", "data": dict(SAMPLES["award"], evil=1)}, "data.evil"),
    ({"section": "rank", "op": "add", "data": dict(SAMPLES["rank"], golongan="V/a")}, "data.golongan"),
    ({"section": "identity", "op": "add", "data": dict(SAMPLES["identity"], tmt_pns="2018-01-01")}, "data.tmt_pns"),
    ({"section": "family", "op": "add", "data": dict(SAMPLES["family"], birth_date="2999-01-01")},
     "data.birth_date"),
    ({"section": "education", "op": "add", "data": dict(SAMPLES["education"], level="S4")}, "data.level"),
    ({"section": "position", "op": "add", "data": dict(SAMPLES["position"], sk_date="2020-07-01")},
     "data.sk_date"),
    ({"section": "award", "op": "add", "data": SAMPLES["award"], "note": "n" * 1001}, "note"),
    ({"section": "award", "op": "add", "data": SAMPLES["award"], "status": "approved"}, "status"),
])
def test_bad_proposals_are_422_and_store_nothing(server, db, body, field):
    r = post(server, MINE, DEWI, body)
    p = assert_problem(r, 422)
    assert field in [e["field"] for e in p.get("errors", [])], p
    with db.cursor() as cur:
        cur.execute("select count(*) from pdm_changes where employee_id = %s", (employee_id(db, DEWI),))
        assert cur.fetchone()[0] == 0


def test_malformed_wrong_type_and_oversized_bodies(server, db):
    assert_problem(post(server, MINE, DEWI, raw="{not json"), 400)
    assert_problem(post(server, MINE, DEWI, raw="[1,2]"), 400)
    assert_problem(post(server, MINE, DEWI, raw="section=award", content_type="text/plain"), 415)
    big = {"section": "assignment", "op": "add", "data": dict(SAMPLES["assignment"], description="x" * 7_000_000)}
    r = post(server, MINE, DEWI, body=big)
    assert_problem(r, 413)
    r = post(server, MINE, DEWI, {"section": "assignment", "op": "add",
                                  "data": dict(SAMPLES["assignment"], description="é" * 1001)})
    assert_problem(r, 422)


def test_multipart_with_a_document(server, db):
    change = json.dumps({"section": "award", "op": "add", "data": SAMPLES["award"]})
    r = post(server, MINE, DEWI, files={"change": (None, change, "application/json"),
                                        "document": ("piagam.pdf", pdf_bytes(), "application/pdf")})
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["document"]["content_type"] == "application/pdf"
    url = f"{QUEUE}/{c['id']}/document"
    for nip in (DEWI, RAHMAT, ADMIN):
        d = get(server, url, nip)
        assert d.status_code == 200 and d.content == pdf_bytes() and d.headers["Content-Type"] == "application/pdf"
    for nip in (FITRI, EKO, HENDRA):
        assert_problem(get(server, url, nip), 404, "document_not_found")
    # once approved, the record carries it, readable under the profile's rule
    rid = approve(server, c["id"])["record_id"]
    rec = record_of(server, DEWI, "award")
    assert rec["document"]["id"] == c["document"]["id"]
    doc = f"/api/v1/profile/records/{rid}/document"
    assert get(server, doc, DEWI).content == pdf_bytes()
    assert get(server, doc, HENDRA).status_code == 200  # awards are a career section: the atasan sees it
    for nip in (FITRI, EKO):
        assert_problem(get(server, doc, nip), 404, "document_not_found")
    assert_problem(get(server, "/api/v1/profile/records/0/document", DEWI), 404)
    # a private section's document is not the atasan's
    fam = json.dumps({"section": "family", "op": "add", "data": SAMPLES["family"]})
    r = post(server, MINE, DEWI, files={"change": (None, fam), "document": ("kk.pdf", pdf_bytes(), "application/pdf")})
    frid = approve(server, r.json()["id"])["record_id"]
    assert_problem(get(server, f"/api/v1/profile/records/{frid}/document", HENDRA), 404, "document_not_found")
    assert get(server, f"/api/v1/profile/records/{frid}/document", RAHMAT).status_code == 200


@pytest.mark.parametrize("name,content,code,status", [
    ("lampiran.pdf", b"<!doctype html><html><body>PDF</body></html>" * 3, "attachment_unsupported_type", 422),
    ("lampiran.pdf", None, "attachment_corrupt", 422),  # a truncated PDF
    ("lampiran.pdf", b"%PDF-1.4\n" + b"x" * (2 * 1024 * 1024 + 10) + b"\n%%EOF\n", "attachment_too_large", 413),
    ("lampiran.pdf", b"%PDF", "attachment_too_small", 422),
])
def test_document_not_what_it_claims_stores_nothing(server, db, name, content, code, status):
    if content is None:
        content = pdf_bytes()[:200]
    with db.cursor() as cur:
        cur.execute("select count(*) from attachments where kind = 'pdm.document'")
        before = cur.fetchone()[0]
    change = json.dumps({"section": "award", "op": "add", "data": SAMPLES["award"]})
    r = post(server, MINE, DEWI, files={"change": (None, change), "document": (name, content, "application/pdf")})
    assert_problem(r, status, code)
    with db.cursor() as cur:
        cur.execute("select count(*) from attachments where kind = 'pdm.document'")
        assert cur.fetchone()[0] == before
        cur.execute("select count(*) from pdm_changes where employee_id = %s", (employee_id(db, DEWI),))
        assert cur.fetchone()[0] == 0


def test_multipart_malformed(server, db):
    r = post(server, MINE, DEWI, files={"document": ("a.pdf", pdf_bytes(), "application/pdf")})
    assert_problem(r, 422)
    r = post(server, MINE, DEWI, files={"change": (None, "{nope"), "document": ("a.pdf", pdf_bytes())})
    assert_problem(r, 400, "malformed_json")
    r = post(server, MINE, DEWI, files={"change": (None, json.dumps({"section": "award", "op": "add",
                                                                       "data": SAMPLES["award"]})),
                                        "photo": ("a.pdf", pdf_bytes())})
    assert_problem(r, 422)
    # a repeated part is refused, not joined
    r = post(server, MINE, DEWI, files=[("change", (None, "{}")), ("change", (None, "{}"))])
    assert_problem(r, 400, "multipart_field_repeated")
