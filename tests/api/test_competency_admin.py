"""The dictionary and position standards through the admin API: create,
change, levels, retire; standards per position; reads for every signed-in
employee; writes for admin only."""
import uuid

import pytest

from conftest import assert_problem
from competency_support import ADMIN, DEWI, RAHMAT, get, send, walk


def code():
    return "T.TST-" + uuid.uuid4().hex[:8].upper()


def create(server, c, **over):
    body = {"code": c, "name": "Uji Kompetensi", "category": "technical", "description": "untuk pengujian"}
    body.update(over)
    return send(server, "POST", "/api/v1/admin/competencies", ADMIN, body)


def position_id(db, name):
    with db.cursor() as cur:
        cur.execute("select id from positions where name = %s", (name,))
        return cur.fetchone()[0]


def test_dictionary_has_the_permenpanrb_competencies(server):
    items = walk(server, "/api/v1/competencies", DEWI, limit=20)
    by = {c["code"]: c for c in items}
    assert [by[f"M.0{i}"]["name"] for i in range(1, 9)] == [
        "Integritas", "Kerja Sama", "Komunikasi", "Orientasi pada Hasil", "Pelayanan Publik",
        "Pengembangan Diri dan Orang Lain", "Mengelola Perubahan", "Pengambilan Keputusan"]
    assert by["SK.01"]["name"] == "Perekat Bangsa" and by["SK.01"]["category"] == "sociocultural"
    for c in [by[f"M.0{i}"] for i in range(1, 9)] + [by["SK.01"]]:
        assert [lv["level"] for lv in c["levels"]] == [1, 2, 3, 4, 5]
        assert all(lv["indicators"] for lv in c["levels"])
    r = get(server, "/api/v1/competencies/M.05", DEWI)
    assert r.status_code == 200 and r.json()["levels"][0]["description"].startswith("Menjalankan tugas")
    assert_problem(get(server, "/api/v1/competencies/X.NONE", DEWI), 404, "competency_not_found")
    assert_problem(get(server, "/api/v1/competencies", DEWI, limit=101), 422)


def test_create_change_levels_retire(server, db):
    c = code()
    r = create(server, c)
    assert r.status_code == 201, r.text
    assert r.json()["levels"] == [] and r.json()["active"] is True
    assert_problem(create(server, c), 409, "competency_exists")
    r = send(server, "PUT", f"/api/v1/admin/competencies/{c}/levels/3", ADMIN,
             {"description": "Menerapkan", "indicators": ["Menangani kasus", "Membimbing"]})
    assert r.status_code == 200 and r.json()["levels"] == [
        {"level": 3, "description": "Menerapkan", "indicators": ["Menangani kasus", "Membimbing"]}]
    r = send(server, "PATCH", f"/api/v1/admin/competencies/{c}", ADMIN, {"name": "Nama Baru", "active": False})
    assert r.status_code == 200 and r.json()["name"] == "Nama Baru" and r.json()["active"] is False
    assert c not in [x["code"] for x in walk(server, "/api/v1/competencies", DEWI, limit=50)]
    assert c in [x["code"] for x in walk(server, "/api/v1/competencies", DEWI, limit=50, include_inactive="true")]
    with db.cursor() as cur:
        cur.execute("select action from audit_log where target_type in ('competency', 'competency_level') "
                    "and target_id like %s order by id", (c + "%",))
        assert [a for (a,) in cur.fetchall()] == ["competency.create", "competency.level_put", "competency.update"]


@pytest.mark.parametrize("body,field", [
    ({"code": "bad code", "name": "x", "category": "technical"}, "code"),
    ({"code": "T.OK-1", "name": "x", "category": "cultural"}, "category"),
    ({"code": "T.OK-1", "name": "  ", "category": "technical"}, "name"),
    ({"code": "T.OK-1", "category": "technical"}, "name"),
    ({"code": "T.OK-1", "name": "x" * 201, "category": "technical"}, "name"),
    ({"code": "T.OK-1", "name": "x", "category": "technical", "active": "yes"}, "active"),
    ({"code": "T.OK-1", "name": "x", "category": "technical", "id": 5}, "id"),
])
def test_create_validation(server, body, field):
    p = assert_problem(send(server, "POST", "/api/v1/admin/competencies", ADMIN, body), 422)
    assert field in [e["field"] for e in p["errors"]]


def test_level_validation(server):
    c = code()
    create(server, c)
    base = f"/api/v1/admin/competencies/{c}/levels/"
    assert_problem(send(server, "PUT", base + "6", ADMIN, {"description": "x"}), 404, "level_not_found")
    assert_problem(send(server, "PUT", base + "0", ADMIN, {"description": "x"}), 404, "level_not_found")
    assert_problem(send(server, "PUT", "/api/v1/admin/competencies/T.NOPE-0/levels/1", ADMIN, {"description": "x"}),
                   404, "competency_not_found")
    for body in ({}, {"description": " "}, {"description": "x", "indicators": "a"},
                 {"description": "x", "indicators": [""]}, {"description": "x", "indicators": ["a"] * 11},
                 {"description": "x", "indicators": [1]}):
        assert_problem(send(server, "PUT", base + "1", ADMIN, body), 422)


def test_standards_set_and_remove(server, db):
    pid = position_id(db, "Pengelola Data Pendidikan")
    url = f"/api/v1/admin/positions/{pid}/standards"
    r = send(server, "PUT", url + "/M.01", ADMIN, {"required_level": 2})
    assert r.status_code == 200, r.text
    assert {"M.01": 2} == {i["code"]: i["required_level"] for i in r.json()["items"]}
    r = send(server, "PUT", url + "/M.01", ADMIN, {"required_level": 3})
    assert r.json()["items"][0]["required_level"] == 3
    assert get(server, url, ADMIN).json()["position"]["name"] == "Pengelola Data Pendidikan"
    assert send(server, "DELETE", url + "/M.01", ADMIN).status_code == 204
    assert_problem(send(server, "DELETE", url + "/M.01", ADMIN), 404, "standard_not_found")
    assert_problem(send(server, "PUT", url + "/T.NOPE-1", ADMIN, {"required_level": 2}), 404, "competency_not_found")
    assert_problem(send(server, "PUT", "/api/v1/admin/positions/999999/standards/M.01", ADMIN, {"required_level": 2}),
                   404, "position_not_found")
    assert_problem(get(server, "/api/v1/admin/positions/abc/standards", ADMIN), 404, "position_not_found")
    for level in (0, 6, "3", None):
        assert_problem(send(server, "PUT", url + "/M.01", ADMIN, {"required_level": level}), 422)
    assert_problem(send(server, "PUT", url + "/M.01", ADMIN, raw="{"), 400)


@pytest.mark.parametrize("nip", [DEWI, RAHMAT])
def test_writes_are_admin_only(server, db, nip):
    pid = position_id(db, "Pengelola Data Pendidikan")
    c = code()
    assert_problem(send(server, "POST", "/api/v1/admin/competencies", nip,
                        {"code": c, "name": "x", "category": "technical"}), 403)
    assert_problem(send(server, "PATCH", "/api/v1/admin/competencies/M.01", nip, {"name": "Diretas"}), 403)
    assert_problem(send(server, "PUT", "/api/v1/admin/competencies/M.01/levels/1", nip, {"description": "x"}), 403)
    assert_problem(get(server, f"/api/v1/admin/positions/{pid}/standards", nip), 403)
    assert_problem(send(server, "PUT", f"/api/v1/admin/positions/{pid}/standards/M.01", nip,
                        {"required_level": 5}), 403)
    assert_problem(send(server, "DELETE", f"/api/v1/admin/positions/{pid}/standards/M.01", nip), 403)
    assert get(server, "/api/v1/competencies/M.01", nip).json()["name"] == "Integritas"
    assert_problem(send(server, "POST", "/api/v1/admin/competencies", None, {"code": c}), 401)
