"""The development programme catalogue (docs/rpi.md): admin CRUD, the list
with its filters and keyset paging (readable by every signed-in employee), and
the input rules."""
import pytest

from conftest import assert_problem, walk_pages
from rpi_support import (ADMIN, AHMAD, COMP_A, COMP_B, DEWI, archive, call, make_programme, programme_body,
                         setup_competencies)

P = "/api/v1/programmes"


@pytest.fixture
def comps(db):
    setup_competencies(db)


def test_admin_crud(server, db, comps):
    body = programme_body("Uji katalog CRUD", method="mentoring", category="social", jp=12,
                          competencies=[COMP_A, COMP_B],
                          mandatory_for={"everyone": False, "positions": ["Kepala Sekolah"], "ranks": ["III/a"]})
    r = call(server, "POST", P, ADMIN, body)
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["title"] == "Uji katalog CRUD" and p["method"] == "mentoring" and p["category"] == "social"
    assert p["jp"] == 12 and p["organiser"]["code"] == "MUBA-DISDIK" and p["source"] == "manual"
    assert [c["code"] for c in p["competencies"]] == [COMP_A, COMP_B]
    assert p["mandatory_for"] == {"everyone": False, "positions": ["Kepala Sekolah"], "ranks": ["III/a"]}
    assert p["external_id"] is None
    # any employee reads it
    g = call(server, "GET", f"{P}/{p['id']}", AHMAD)
    assert g.status_code == 200 and g.json() == p
    # replace
    body.update(title="Uji katalog CRUD 2", competencies=[COMP_B], organiser=None,
                mandatory_for={"everyone": True})
    r = call(server, "PUT", f"{P}/{p['id']}", ADMIN, body)
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Uji katalog CRUD 2" and r.json()["organiser"] is None
    assert [c["code"] for c in r.json()["competencies"]] == [COMP_B]
    assert r.json()["mandatory_for"] == {"everyone": True, "positions": [], "ranks": []}
    # archive: gone from reads and the list, a second delete is 404
    assert call(server, "DELETE", f"{P}/{p['id']}", ADMIN).status_code == 204
    assert_problem(call(server, "GET", f"{P}/{p['id']}", AHMAD), 404, "programme_not_found")
    assert_problem(call(server, "DELETE", f"{P}/{p['id']}", ADMIN), 404, "programme_not_found")
    assert_problem(call(server, "PUT", f"{P}/{p['id']}", ADMIN, body), 404, "programme_not_found")
    with db.cursor() as cur:
        cur.execute("select action from audit_log where target_type = 'dev_programme' and target_id = %s"
                    " order by id", (str(p["id"]),))
        assert [r[0] for r in cur.fetchall()] == ["programme.create", "programme.update", "programme.archive"]


def test_only_admin_writes(server, comps):
    body = programme_body("Uji katalog bukan admin")
    for nip in (AHMAD, DEWI):
        assert_problem(call(server, "POST", P, nip, body), 403, "forbidden")
    assert_problem(call(server, "POST", P, None, body), 401)
    p = make_programme(server, "Uji katalog milik admin")
    try:
        assert_problem(call(server, "PUT", f"{P}/{p['id']}", AHMAD, body), 403, "forbidden")
        assert_problem(call(server, "DELETE", f"{P}/{p['id']}", AHMAD), 403, "forbidden")
        assert call(server, "GET", f"{P}/{p['id']}", AHMAD).status_code == 200
        assert_problem(call(server, "GET", f"{P}/{p['id']}"), 401)
    finally:
        archive(server, p["id"])


@pytest.mark.parametrize("change, field", [
    ({"title": None}, "title"),
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": 5}, "title"),
    ({"method": "kuliah"}, "method"),
    ({"method": None}, "method"),
    ({"category": "informal"}, "category"),
    ({"jp": 0}, "jp"),
    ({"jp": 1001}, "jp"),
    ({"jp": "8"}, "jp"),
    ({"jp": 2.5}, "jp"),
    ({"organiser": "NO-SUCH-UNIT"}, "organiser"),
    ({"organiser": 7}, "organiser"),
    ({"competencies": "M.01"}, "competencies"),
    ({"competencies": [1]}, "competencies"),
    ({"competencies": ["T.NO-SUCH"]}, "competencies"),
    ({"competencies": ["x"] * 51}, "competencies"),
    ({"mandatory_for": []}, "mandatory_for"),
    ({"mandatory_for": {"everyone": "yes"}}, "everyone"),
    ({"mandatory_for": {"positions": ["Jabatan Tidak Ada"]}}, "mandatory_for.positions"),
    ({"mandatory_for": {"ranks": ["Z/z"]}}, "mandatory_for.ranks"),
    ({"mandatory_for": {"admins": True}}, "mandatory_for"),
    ({"source": "plataran"}, "source"),
    ({"description": "x" * 4001}, "description"),
])
def test_bad_programmes(server, comps, change, field):
    body = programme_body("Uji katalog salah")
    for k, v in change.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    b = assert_problem(call(server, "POST", P, ADMIN, body), 422)
    assert field in [e["field"] for e in b.get("errors", [])], b


def test_bad_bodies(server):
    assert_problem(call(server, "POST", P, ADMIN, raw="{"), 400)
    assert_problem(call(server, "POST", P, ADMIN, raw='"x"'), 400)
    assert_problem(call(server, "POST", P, ADMIN, raw="{}", headers={"Content-Type": "text/plain"}), 415)
    assert_problem(call(server, "POST", P, ADMIN, raw='{"title": "' + "x" * 70000 + '"}'), 413)
    assert_problem(call(server, "GET", f"{P}/0", AHMAD), 404)
    assert_problem(call(server, "GET", f"{P}/abc", AHMAD), 404)


def test_list_filters_and_paging(server, db, comps):
    made = [
        make_programme(server, "Uji daftar 1", method="seminar", competencies=[COMP_A], organiser="MUBA-DISDIK"),
        make_programme(server, "Uji daftar 2", method="seminar", competencies=[COMP_B], organiser="KEMENKES-ROSDM"),
        make_programme(server, "Uji daftar 3", method="magang", category="experiential", competencies=[COMP_A],
                       organiser="MUBA-DISDIK"),
        make_programme(server, "Uji daftar 4", method="seminar", competencies=[COMP_A], organiser="MUBA-DISDIK"),
    ]
    ids = [m["id"] for m in made]
    try:
        def walk(**params):
            items, _ = walk_pages(lambda q: call(server, "GET", P, DEWI, params=q), 2, params, max_pages=200)
            return [x["id"] for x in items]

        every = walk()
        assert len(every) == len(set(every)) and set(ids) <= set(every)
        assert every.index(ids[3]) < every.index(ids[0])  # newest first
        got = walk(method="seminar", organiser="MUBA-DISDIK", competency=COMP_A)
        assert [i for i in got if i in ids] == [ids[3], ids[0]]
        assert [i for i in walk(method="magang") if i in ids] == [ids[2]]
        assert [i for i in walk(competency=COMP_B) if i in ids] == [ids[1]]
        assert walk(organiser="NO-SUCH-UNIT") == []
        first = call(server, "GET", P, DEWI, params={"method": "seminar", "limit": "1"}).json()["next_cursor"]
        assert_problem(call(server, "GET", P, DEWI, params={"method": "magang", "cursor": first}), 422)
        assert_problem(call(server, "GET", P, DEWI, params={"method": "kuliah"}), 422)
        assert_problem(call(server, "GET", P, DEWI, limit="0"), 422)
        assert_problem(call(server, "GET", P, DEWI, limit="101"), 422)
        assert_problem(call(server, "GET", P, DEWI, organiser="x" * 65), 422)
        assert_problem(call(server, "GET", P, DEWI, cursor="x"), 422)
        assert_problem(call(server, "GET", P), 401)
    finally:
        for i in ids:
            archive(server, i)
