"""TPP rule versions: validation refusals, versions per unit and month, who may
write and read them, and imported kinerja scores."""
import copy

import pytest

from conftest import assert_problem
from tpp_support import ADMIN, AHMAD, DEWI, EKO, RAHMAT, RULES, SDN2, call, clear, ensure_rule, fill_month

PATH = "/api/v1/tpp/rules"


def create(server, rules, unit="MUBA-KORWIL-SEKAYU", month="2024-01", nip=ADMIN, **extra):
    return call(server, "POST", PATH, nip, json={"unit_code": unit, "effective_from": month, "rules": rules, **extra})


def changed(path, value):
    r = copy.deepcopy(RULES)
    node = r
    for k in path[:-1]:
        node = node[k]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return r


REFUSALS = [
    (("weights", "kinerja"), 50, "rules.weights", "weights_sum_invalid"),
    (("weights", "kinerja"), "60", "rules.weights.kinerja", "invalid_type"),
    (("weights", "kehadiran"), KeyError, "rules.weights.kehadiran", "missing_field"),
    (("caps", "max_deduction_pct"), -1, "rules.caps.max_deduction_pct", "out_of_range"),
    (("caps", "min_total_pct"), 100.5, "rules.caps.min_total_pct", "out_of_range"),
    (("deductions", "TL"), [0.5, 1, 1.5], "rules.deductions.TL", "invalid_value"),
    (("deductions", "PSW"), [0.5, 1, 1.5, 101], "rules.deductions.PSW", "out_of_range"),
    (("deductions", "absent_day"), 4.125, "rules.deductions.absent_day", "out_of_range"),
    (("exempt_absence_kinds",), ["libur"], "rules.exempt_absence_kinds", "invalid_value"),
    (("kinerja_source",), "skp", "rules.kinerja_source", "invalid_value"),
    (("base_amounts",), {"18": 1}, "rules.base_amounts", "invalid_value"),
    (("base_amounts",), {"9": -1}, "rules.base_amounts", "out_of_range"),
    (("base_amounts",), {"9": "1000"}, "rules.base_amounts", "invalid_type"),
    (("bonus",), 1, "rules.bonus", "unknown_field"),
]


@pytest.mark.parametrize("path,value,field,code", REFUSALS)
def test_refused_rules(server, path, value, field, code):
    body = assert_problem(create(server, changed(path, value)), 422, "validation_failed")
    assert {"field": field, "code": code} in [{"field": e["field"], "code": e["code"]} for e in body["errors"]], body


def test_refused_requests(server):
    assert_problem(create(server, "not an object"), 422)
    assert_problem(create(server, RULES, month="2024-1"), 422)
    assert_problem(create(server, RULES, month="2024-13"), 422)
    assert_problem(create(server, RULES, unit="NO-SUCH-UNIT"), 404, "unit_not_found")
    assert_problem(create(server, RULES, unknown=1), 422)
    assert_problem(create(server, RULES, note="x" * 501), 422)
    assert_problem(call(server, "POST", PATH, ADMIN, json={"unit_code": "MUBA", "rules": RULES}), 422)
    assert_problem(call(server, "POST", PATH, ADMIN, data=b"[1,2", headers={"Content-Type": "application/json"}), 400)
    assert_problem(call(server, "POST", PATH, ADMIN, json={"rules": {"base_amounts": {"1": "x" * 70000}}}), 413)
    # Only an admin writes rules; anpeg and staff read-only / nothing.
    assert_problem(create(server, RULES, nip=EKO), 403, "forbidden")
    assert_problem(create(server, RULES, nip=DEWI), 403, "forbidden")
    assert_problem(create(server, RULES, nip=None), 401)


def test_versions(server, db):
    with db.cursor() as cur:
        cur.execute("delete from tpp_rule_versions v using org_units u where u.id = v.unit_id"
                    " and u.code = 'MUBA-KORWIL-SEKAYU' and v.effective_from = '2024-02-01' and v.locked_at is null"
                    " and not exists (select 1 from tpp_results t where t.rule_version_id = v.id)")
    r = create(server, RULES, month="2024-02", note="versi pertama")
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["effective_from"] == "2024-02" and v["unit_code"] == "MUBA-KORWIL-SEKAYU" and not v["locked"]
    assert v["rules"]["weights"] == {"kinerja": 60, "kehadiran": 40} and v["rules"]["deductions"]["TL"][0] == 0.5
    assert_problem(create(server, RULES, month="2024-02"), 409, "tpp_rule_exists")
    # Update an unlocked version: validated the same way; the note is kept when not given.
    upd = call(server, "PUT", f"{PATH}/{v['id']}", json={"rules": changed(("deductions", "absent_day"), 3)})
    assert upd.status_code == 200 and upd.json()["rules"]["deductions"]["absent_day"] == 3
    assert upd.json()["note"] == "versi pertama"
    bad = call(server, "PUT", f"{PATH}/{v['id']}", json={"rules": changed(("weights", "kehadiran"), 41)})
    assert_problem(bad, 422)
    assert_problem(call(server, "PUT", f"{PATH}/{v['id']}", EKO, json={"rules": RULES}), 403)
    assert_problem(call(server, "PUT", f"{PATH}/999999999", json={"rules": RULES}), 404, "tpp_rule_not_found")
    assert_problem(call(server, "PUT", f"{PATH}/abc", json={"rules": RULES}), 404, "tpp_rule_not_found")
    # Readers: admin and anpeg; staff not.
    got = call(server, "GET", f"{PATH}/{v['id']}", EKO)
    assert got.status_code == 200 and got.json() == upd.json()
    assert_problem(call(server, "GET", f"{PATH}/{v['id']}", DEWI), 403)
    assert_problem(call(server, "GET", f"{PATH}/0", ADMIN), 404, "tpp_rule_not_found")
    listed = call(server, "GET", PATH, RAHMAT, params={"unit_code": "MUBA-KORWIL-SEKAYU", "limit": 100})
    assert listed.status_code == 200 and v["id"] in [i["id"] for i in listed.json()["items"]]
    assert_problem(call(server, "GET", PATH, RAHMAT, params={"limit": 0}), 422)
    assert_problem(call(server, "GET", PATH, DEWI), 403)
    audit = [a for a in ("tpp.rule.create", "tpp.rule.update")]
    with db.cursor() as cur:
        cur.execute("select action from audit_log where target_type = 'tpp_rule_version' and target_id = %s",
                    (str(v["id"]),))
        assert sorted(r[0] for r in cur.fetchall()) == sorted(audit)


def test_imported_scores(server, db):
    month = "2025-03"
    rules = changed(("kinerja_source",), "imported")
    ensure_rule(server, db, SDN2, month, rules)
    with db.cursor() as cur:
        cur.execute("select e.nip from employees e join org_units u on u.id = e.unit_id where u.code = %s"
                    " and e.status = 'active' order by e.nip limit 2", (SDN2,))
        a, b = [r[0] for r in cur.fetchall()]
        cur.execute("delete from tpp_results where month = %s", (month + "-01",))
        cur.execute("delete from tpp_kinerja_scores where month = %s", (month + "-01",))
    path = f"/api/v1/tpp/months/{month}/kinerja-scores"
    r = call(server, "PUT", path, EKO, json={"unit_code": SDN2, "items": [
        {"nip": a, "score": 87.5}, {"nip": AHMAD, "score": 90}, {"nip": "199901012020011999", "score": 50}]})
    assert r.status_code == 200, r.text
    # AHMAD is in SDN1, outside the scope given: reported with the unknown NIPs, never stored.
    assert r.json()["stored"] == 1 and r.json()["unknown_nips"] == sorted([AHMAD, "199901012020011999"])
    for bad in ([], [{"nip": a, "score": 101}], [{"nip": a, "score": 90.125}], [{"nip": "123", "score": 1}],
                [{"nip": a, "score": 1}, {"nip": a, "score": 2}], [{"nip": a}], "x"):
        assert_problem(call(server, "PUT", path, EKO, json={"unit_code": SDN2, "items": bad}), 422)
    assert_problem(call(server, "PUT", path, EKO, json={"unit_code": SDN2}), 422)
    assert_problem(call(server, "PUT", path, RAHMAT, json={"unit_code": SDN2, "items": [{"nip": a, "score": 1}]}),
                   404, "unit_not_found")
    assert_problem(call(server, "PUT", path, DEWI, json={"unit_code": SDN2, "items": [{"nip": a, "score": 1}]}), 403)
    fill_month(db, a, month)
    r = call(server, "POST", f"/api/v1/tpp/months/{month}/compute", EKO, json={"unit_code": SDN2})
    assert r.status_code == 200 and r.json()["with_issues"] >= 1
    items = {i["nip"]: i for i in call(server, "GET", f"/api/v1/tpp/months/{month}/results", EKO,
                                        params={"unit_code": SDN2, "limit": 100}).json()["items"]}
    with db.cursor() as cur:
        cur.execute("select p.class_grade from employees e join positions p on p.id = e.position_id where e.nip = %s",
                    (a,))
        grade = cur.fetchone()[0]
    base = RULES["base_amounts"][str(grade)]
    assert items[a]["kinerja_amount"] == (base * 60 // 100 * 8750 + 5000) // 10000
    assert items[a]["issues"] == []
    assert "kinerja_score_missing" in items[b]["issues"] and items[b]["kinerja_amount"] == 0
    clear(db, a, month)


def test_scores_cli(server, db, cli, tmp_path):
    month = "2025-05"
    with db.cursor() as cur:
        cur.execute("select e.nip from employees e join org_units u on u.id = e.unit_id where u.code = %s"
                    " and e.status = 'active' order by e.nip limit 2", (SDN2,))
        a, b = [r[0] for r in cur.fetchall()]
        cur.execute("delete from tpp_kinerja_scores where month = %s", (month + "-01",))
    good = tmp_path / "scores.csv"
    good.write_text(f"nip,score\r\n{a},91.25\r\n{b},80\r\n{AHMAD},70\r\n")
    p = cli("tpp-scores", month, SDN2, str(good))
    assert p.returncode == 0, p.stderr
    assert "2 kinerja scores stored" in p.stdout and AHMAD in p.stderr  # AHMAD is outside SDN2
    with db.cursor() as cur:
        cur.execute("select e.nip, s.score_bp from tpp_kinerja_scores s join employees e on e.id = s.employee_id"
                    " where s.month = %s order by e.nip", (month + "-01",))
        assert cur.fetchall() == sorted([(a, 9125), (b, 8000)])
        cur.execute("select count(*) from audit_log where action = 'tpp.scores.import' and actor_employee_id is null"
                    " and target_id = %s", (month,))
        assert cur.fetchone()[0] == 1
    for text in ("nip;score\n1;2\n", f"nip,score\n{a},abc\n", f"nip,score\n{a},101\n", "nip,score\n\"x\n"):
        good.write_text(text)
        p = cli("tpp-scores", month, SDN2, str(good))
        assert p.returncode != 0, text
    assert cli("tpp-scores", month, SDN2).returncode == 2
    good.write_text(f"nip,score\n{a},50\n")
    p = cli("tpp-scores", month, "NO-SUCH-UNIT", str(good))
    assert p.returncode != 0 and "unit_not_found" in p.stderr
