"""The demo data (db/seed/demo_rpi.sql) shows something in every RPI queue and
state, and running the seed again changes nothing."""
from rpi_support import ADMIN, DEWI, HENDRA, RAHMAT, call, this_year


def plan_of(db, nip):
    with db.cursor() as cur:
        cur.execute("select r.id, r.status, r.revision from rpis r join employees e on e.id = r.employee_id"
                    " where e.nip = %s and r.year = %s", (nip, this_year()))
        return cur.fetchone()


def counts(db):
    with db.cursor() as cur:
        cur.execute("select (select count(*) from rpis), (select count(*) from rpi_items),"
                    " (select count(*) from rpi_events), (select count(*) from dev_programmes),"
                    " (select count(*) from assessments)")
        return cur.fetchone()


def test_every_queue_shows_something(server, db, cli):
    dewi, andi = plan_of(db, DEWI), plan_of(db, ADMIN)
    assert dewi[1] == "submitted" and andi[1] == "verified"
    assert dewi[0] in [x["id"] for x in call(server, "GET", "/api/v1/rpi", RAHMAT, status="submitted").json()["items"]]
    assert andi[0] in [x["id"] for x in call(server, "GET", "/api/v1/rpi", HENDRA, status="verified").json()["items"]]
    hendra = call(server, "GET", "/api/v1/me/rpi", HENDRA).json()
    assert hendra["status"] == "draft" and hendra["revision"] == 2
    assert any(h["action"] == "return" and h["note"] for h in hendra["history"])
    with db.cursor() as cur:
        cur.execute("select count(*) from rpis where status = 'approved' and year = %s", (this_year(),))
        assert cur.fetchone()[0] >= 1
    # the demo plans are consistent with the rules: a self-assessment this year and at least 20 JP
    d = call(server, "GET", f"/api/v1/rpi/{dewi[0]}", RAHMAT).json()
    assert d["self_assessed"] is True and d["summary"]["total_jp"] >= 20 and d["missing_mandatory"] == []
    before = counts(db)
    cli("seed-demo", check=True)
    assert counts(db) == before
