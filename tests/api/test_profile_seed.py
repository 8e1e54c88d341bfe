"""db/seed/demo_profile.sql: the demo employees get realistic sections (every section for Dewi)
and a few pending PDM proposals, so each demo anpeg's queue has work; running seed-demo again
adds nothing."""
from profile_support import AHMAD, DEWI, EKO, QUEUE, RAHMAT, SECTIONS, employee_id, get, reset


def counts(db):
    with db.cursor() as cur:
        cur.execute("select (select count(*) from profile_records), (select count(*) from pdm_changes)")
        return cur.fetchone()


def test_seed_gives_sections_and_a_queue(server, db, cli):
    reset(db, DEWI, AHMAD)
    cli("seed-demo", check=True)
    try:
        p = get(server, "/api/v1/me/profile", DEWI).json()
        assert all(p["sections"][s]["records"] for s in SECTIONS), p
        rahmat = get(server, QUEUE + "?status=pending", RAHMAT).json()["items"]
        assert any(i["employee"]["nip"] == DEWI for i in rahmat)
        eko = get(server, QUEUE + "?status=pending", EKO).json()["items"]
        ops = {(i["section"], i["op"]) for i in eko if i["employee"]["nip"] == AHMAD}
        assert ("education", "edit") in ops and ("family", "add") in ops
        edit = next(i for i in eko if i["op"] == "edit")
        assert edit["current"] and edit["data"]["certificate_number"]
        before = counts(db)
        cli("seed-demo", check=True)
        assert counts(db) == before
        assert employee_id(db, DEWI)
    finally:
        reset(db, DEWI, AHMAD)
