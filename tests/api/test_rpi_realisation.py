"""Partner trainings wired into the profile and the RPI realisation (docs/rpi.md
"Realisation", docs/integration-api.md "Where a training goes"): a pushed
training becomes a competency-development record in the profile (source
integration, not editable through PDM), counts toward the item of the plan of
its year that it names (Plataran id or programme reference) or else toward
"other realised JP", tells the employee, and an approved plan whose items are
all realised tells the atasan once. Pre/post assessments referencing the
programme show as the item's effect.

Ahmad (author) -> Nurhasanah (atasan); Eko is the anpeg of his unit; Dewi,
Hendra and Rahmat are strangers to his plan."""
import datetime
import json
import uuid

import pytest
import requests

from conftest import assert_problem
from rpi_support import (ADMIN, AHMAD, COMP_A, COMP_B, DEWI, EKO, HENDRA, NURHASANAH, RAHMAT, archive, call, emp_id,
                         make_programme, reset, self_assess, setup_competencies, this_year, app)

TRAIN = "/integration/v1/trainings"
PARTNER_PREFIX = "wiring-"


def today_wib():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date().isoformat()


def push(server, key, items, expect=200):
    r = requests.post(server.url + TRAIN, headers={"X-API-Key": key, "Content-Type": "application/json"},
                      data=json.dumps({"items": items}), timeout=30)
    assert r.status_code == expect, r.text
    return r


def training(tid, nip=AHMAD, **over):
    day = today_wib()
    t = {"partner_training_id": tid, "nip": nip, "title": "Pelatihan " + tid, "organiser": "BBPK Jakarta",
         "jp_hours": 8, "started_on": day, "finished_on": day}
    t.update(over)
    return t


def clean_trainings(db, *nips):
    with db.cursor() as cur:
        for nip in nips:
            eid = emp_id(db, nip)
            cur.execute("delete from profile_records where training_id in (select id from training_completions"
                        " where employee_id = %s and partner like %s)", (eid, PARTNER_PREFIX + "%"))
            cur.execute("delete from training_completions where employee_id = %s and partner like %s",
                        (eid, PARTNER_PREFIX + "%"))
        cur.execute("delete from notifications where kind in ('training.recorded', 'rpi.realised')"
                    " and employee_id = any(%s)", ([emp_id(db, n) for n in nips + (NURHASANAH,)],))


def counts(db, nip):
    """(trainings, profile records from trainings, training.recorded notices) of nip."""
    eid = emp_id(db, nip)
    with db.cursor() as cur:
        cur.execute("select (select count(*) from training_completions where employee_id = %s),"
                    " (select count(*) from profile_records where employee_id = %s and training_id is not null),"
                    " (select count(*) from notifications where employee_id = %s and kind = 'training.recorded')",
                    (eid, eid, eid))
        return cur.fetchone()


@pytest.fixture
def key(server):
    r = call(server, "POST", "/api/v1/admin/api-keys", ADMIN,
             {"partner": PARTNER_PREFIX + uuid.uuid4().hex[:8], "scopes": ["training:write"]})
    assert r.status_code == 201, r.text
    return r.json()["key"]


@pytest.fixture
def plan(server, db):
    """Ahmad's approved plan of this year with a catalogue programme (COMP_A, 16 JP formal) and a Plataran
    programme (COMP_B, 8 JP social), besides the programmes mandatory for everyone."""
    reset(db, AHMAD)
    clean_trainings(db, AHMAD, DEWI)
    setup_competencies(db)
    self_assess(db, AHMAD)
    tag = uuid.uuid4().hex[:8]
    pm = make_programme(server, "Realisasi Katalog " + tag, jp=16, category="formal", competencies=[COMP_A])["id"]
    ext = "PS-WIRING-" + tag
    with db.cursor() as cur:
        cur.execute("insert into dev_programmes (title, method, category, jp, source, external_id)"
                    " values (%s, 'seminar', 'social', 8, 'plataran', %s) returning id", ("Realisasi Plataran " + tag, ext))
        pp = cur.fetchone()[0]
        cur.execute("insert into dev_programme_competencies (programme_id, competency_id)"
                    " select %s, id from competencies where code = %s", (pp, COMP_B))
    r = call(server, "POST", "/api/v1/me/rpi", AHMAD, {})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    for p in (pm, pp):
        assert call(server, "POST", f"/api/v1/rpi/{rid}/items", AHMAD, {"programme_id": p}).status_code == 200
    for step, nip in (("submit", AHMAD), ("verify", EKO), ("approve", NURHASANAH)):
        r = call(server, "POST", f"/api/v1/rpi/{rid}/{step}", nip, {})
        assert r.status_code == 200, r.text
    yield {"id": rid, "pm": pm, "pp": pp, "ext": ext}
    reset(db, AHMAD)
    clean_trainings(db, AHMAD, DEWI)
    archive(server, pm)
    with db.cursor() as cur:
        cur.execute("update dev_programmes set active = false where id = %s", (pp,))


def item(rpi, pid):
    return next(i for i in rpi["items"] if i["programme_id"] == pid)


def notices(db, kind, nip):
    with db.cursor() as cur:
        cur.execute("select target_id, data from notifications where kind = %s and employee_id = %s order by id",
                    (kind, emp_id(db, nip)))
        return cur.fetchall()


def test_push_feeds_profile_and_realisation_idempotently(server, db, key, plan):
    before = counts(db, AHMAD)
    r = push(server, key, [training("T-PLAT", jp_hours=8, programme_external_id=plan["ext"]),
                           training("T-KAT", jp_hours=7.5, programme_ref=f"programme:{plan['pm']}"),
                           training("T-LAIN", jp_hours=3)]).json()
    assert r["created"] == 3
    assert counts(db, AHMAD) == (before[0] + 3, before[1] + 3, before[2] + 3)

    # the profile's competency-development history, marked as the partner's
    recs = call(server, "GET", "/api/v1/me/profile", AHMAD).json()["sections"]["competency"]["records"]
    mine = {x["training"]["partner_training_id"]: x for x in recs if x["source"] == "integration"}
    assert set(mine) == {"T-PLAT", "T-KAT", "T-LAIN"}
    assert mine["T-KAT"]["data"] == {"activity": "Pelatihan T-KAT", "organiser": "BBPK Jakarta", "jp": 7.5,
                                     "start_date": today_wib(), "end_date": today_wib()}
    assert mine["T-PLAT"]["data"]["jp"] == 8 and isinstance(mine["T-PLAT"]["data"]["jp"], int)
    assert all(x["source"] == "employee" for x in recs if x["training"] is None)

    # the realisation in the plan: per item, per category, other
    rpi = call(server, "GET", "/api/v1/me/rpi", AHMAD).json()
    plat, kat = item(rpi, plan["pp"])["realisation"], item(rpi, plan["pm"])["realisation"]
    assert plat["realised"] is True and plat["jp_realised"] == 8 and plat["completed_on"] == today_wib()
    assert [t["partner_training_id"] for t in plat["trainings"]] == ["T-PLAT"]
    assert kat["realised"] is True and kat["jp_realised"] == 7.5
    real = rpi["realisation"]
    assert real["jp_realised"] == 15.5 and real["other_realised_jp"] == 3
    assert [t["partner_training_id"] for t in real["other_trainings"]] == ["T-LAIN"]
    assert real["per_category"]["social"]["realised"] >= 8 and real["per_category"]["formal"]["realised"] >= 7.5
    assert real["jp_planned"] == rpi["summary"]["total_jp"]
    assert real["items_realised"] == 2 and real["items_total"] == len(rpi["items"])
    # the app's compact view carries the same realisation, without the training lists
    m = requests.get(server.url + "/mobile/v1/me/rpi", headers=app(server, AHMAD), timeout=30).json()
    assert m["realisation"] == {k: real[k] for k in ("jp_planned", "jp_realised", "items_total", "items_realised",
                                                      "all_realised")}
    by_pid = {x["programme_id"]: x["realisation"] for x in m["items"]}
    assert by_pid[plan["pp"]] == {k: plat[k] for k in ("realised", "jp_realised", "completed_on")}
    assert by_pid[plan["pm"]]["realised"] is True and by_pid[plan["pm"]]["jp_realised"] == 7.5
    assert sum(1 for x in by_pid.values() if x["realised"]) == 2

    # a re-push (a retry) writes nothing and changes nothing
    again = push(server, key, [training("T-PLAT", jp_hours=8, programme_external_id=plan["ext"]),
                               training("T-LAIN", jp_hours=3)]).json()
    assert again["created"] == 0 and again["existing"] == 2
    assert counts(db, AHMAD) == (before[0] + 3, before[1] + 3, before[2] + 3)
    assert call(server, "GET", "/api/v1/me/rpi", AHMAD).json()["realisation"] == real

    # the employee was told of each training once
    assert len(notices(db, "training.recorded", AHMAD)) == before[2] + 3


def test_all_items_realised_tells_the_atasan_once(server, db, key, plan):
    rpi = call(server, "GET", "/api/v1/me/rpi", AHMAD).json()
    assert rpi["realisation"]["all_realised"] is False and rpi["realisation"]["realised_at"] is None
    items = [training(f"T-ALL-{i['programme_id']}", programme_ref=f"programme:{i['programme_id']}")
             for i in rpi["items"][1:]]
    push(server, key, items)
    assert notices(db, "rpi.realised", NURHASANAH) == []  # one item still open
    push(server, key, [training("T-ALL-FIRST", programme_ref=f"programme:{rpi['items'][0]['programme_id']}")])
    got = notices(db, "rpi.realised", NURHASANAH)
    assert [(t, d["rpi_id"]) for t, d in got] == [(str(plan["id"]), plan["id"])]
    assert notices(db, "rpi.realised", AHMAD) == []
    after = call(server, "GET", f"/api/v1/rpi/{plan['id']}", NURHASANAH).json()["realisation"]
    assert after["all_realised"] is True and after["realised_at"]
    # more trainings later: nobody is told again
    push(server, key, [training("T-ALL-MORE", programme_ref=f"programme:{plan['pm']}")])
    assert len(notices(db, "rpi.realised", NURHASANAH)) == 1


def test_partner_record_is_not_editable_through_pdm(server, db, key, plan):
    push(server, key, [training("T-PDM")])
    recs = call(server, "GET", "/api/v1/me/profile", AHMAD).json()["sections"]["competency"]["records"]
    rec = next(x for x in recs if x["source"] == "integration")
    data = dict(rec["data"], jp=1)
    for body in ({"section": "competency", "op": "edit", "record_id": rec["id"], "data": data},
                 {"section": "competency", "op": "delete", "record_id": rec["id"]}):
        assert_problem(call(server, "POST", "/api/v1/me/pdm/changes", AHMAD, body), 409, "profile_record_managed")
    with db.cursor() as cur:
        cur.execute("select count(*) from pdm_changes where record_id = %s", (rec["id"],))
        assert cur.fetchone()[0] == 0


def test_another_employee_cannot_see_the_realisation(server, db, key, plan):
    push(server, key, [training("T-BOLA", programme_ref=f"programme:{plan['pm']}")])
    for stranger in (DEWI, HENDRA, RAHMAT):
        assert_problem(call(server, "GET", f"/api/v1/rpi/{plan['id']}", stranger), 404, "rpi_not_found")
    for viewer in (EKO, NURHASANAH, ADMIN):
        r = call(server, "GET", f"/api/v1/rpi/{plan['id']}", viewer)
        assert r.status_code == 200 and item(r.json(), plan["pm"])["realisation"]["realised"] is True
    # Dewi's own plan never counts Ahmad's trainings
    d = call(server, "GET", "/api/v1/me/rpi", DEWI)
    if d.status_code == 200:
        ids = [t["partner_training_id"] for t in d.json()["realisation"]["other_trainings"]]
        ids += [t["partner_training_id"] for i in d.json()["items"] for t in i["realisation"]["trainings"]]
        assert "T-BOLA" not in ids
    # a training of another year counts in no plan of this year
    last = f"{this_year() - 1}-12-31"
    push(server, key, [training("T-OLD", programme_ref=f"programme:{plan['pm']}", started_on=last, finished_on=last)])
    kat = item(call(server, "GET", "/api/v1/me/rpi", AHMAD).json(), plan["pm"])["realisation"]
    assert [t["partner_training_id"] for t in kat["trainings"]] == ["T-BOLA"]


@pytest.mark.parametrize("over, field, code", [
    ({"programme_ref": "PLT-2026-ANJAB"}, "programme_ref", "invalid_value"),
    ({"programme_ref": "programme:0"}, "programme_ref", "invalid_value"),
    ({"programme_ref": "programme:999999999999"}, "programme_ref", "programme_not_found"),
    ({"programme_ref": 12}, "programme_ref", "invalid_type"),
    ({"programme_ref": "plataran:" + "x" * 200}, "programme_ref", "too_long"),
    ({"programme_external_id": "has space"}, "programme_external_id", "invalid_value"),
    ({"programme_external_id": "x" * 101}, "programme_external_id", "too_long"),
    ({"programme_external_id": ["PS-1"]}, "programme_external_id", "invalid_type"),
    ({"finished_on": "2999-01-01", "started_on": "2999-01-01"}, "finished_on", "date_in_future"),
])
def test_bad_items_write_nothing(server, db, key, plan, over, field, code):
    before = counts(db, AHMAD)
    r = push(server, key, [training("T-OK"), training("T-BAD", **over)], expect=422)
    p = assert_problem(r, 422, "batch_invalid")
    assert p["items"] == [{"index": 1, "errors": [{"field": field, "code": code}]}], p
    assert counts(db, AHMAD) == before


def test_pre_post_effect_per_item(server, db, key, plan):
    day = today_wib()

    def record(kind, ref, code, score):
        body = {"type": kind, "assessed_on": day, "assessor": "rpi-test", "programme_ref": ref,
                "scores": [{"code": code, "score": score}]}
        r = call(server, "POST", f"/api/v1/employees/{AHMAD}/assessments", EKO, body)
        assert r.status_code == 201, r.text

    record("pre", f"programme:{plan['pm']}", COMP_A, 1)
    record("post", f"programme:{plan['pm']}", COMP_A, 2.5)
    record("pre", f"plataran:{plan['ext']}", COMP_B, 2)
    record("pre", f"programme:{plan['pm']}", COMP_B, 1)  # COMP_B is not what the catalogue programme addresses
    rpi = call(server, "GET", f"/api/v1/rpi/{plan['id']}", NURHASANAH).json()
    eff = item(rpi, plan["pm"])["effects"]
    assert [e["code"] for e in eff] == [COMP_A]
    assert eff[0]["gap_before"] == -2 and eff[0]["gap_after"] == -0.5 and eff[0]["change"] == 1.5
    plat = item(rpi, plan["pp"])["effects"]
    assert [(e["code"], e["gap_before"], e["gap_after"]) for e in plat] == [(COMP_B, -1, None)]
    # the same numbers as the competency module's own effects view
    mine = call(server, "GET", "/api/v1/me/competencies/effects", AHMAD).json()["programmes"]
    own = next(p for p in mine if p["programme_ref"] == f"programme:{plan['pm']}")
    assert next(c for c in own["competencies"] if c["code"] == COMP_A) == eff[0]


def test_key_from_the_command_line_and_scope(server, db, cli, plan):
    out = cli("apikey", "create", "--partner", PARTNER_PREFIX + "cli" + uuid.uuid4().hex[:6], "--scope",
              "training:write", check=True).stdout.strip().splitlines()[-1]
    assert out.startswith("eok_")
    push(server, out, [training("T-CLI", programme_external_id=plan["ext"])])
    assert item(call(server, "GET", "/api/v1/me/rpi", AHMAD).json(), plan["pp"])["realisation"]["realised"] is True
    r = call(server, "POST", "/api/v1/admin/api-keys", ADMIN,
             {"partner": PARTNER_PREFIX + uuid.uuid4().hex[:8], "scopes": ["assessment:write"]})
    before = counts(db, AHMAD)
    assert_problem(push(server, r.json()["key"], [training("T-SCOPE")], expect=403), 403, "api_key_scope_missing")
    assert counts(db, AHMAD) == before
