"""Settings that carry money (docs/settings.md): an employee's own change of
office location, work schedule or atasan waits for its confirmer; until then
the old values apply (the check-in geofence too); an anpeg of the unit or an
admin sets them directly; every value in force is kept in
employee_settings_history and read back by eo_settings_in_force.

DEWI -> HENDRA (her atasan); RAHMAT anpeg of KEMENKES-ROSDM (covers DEWI);
FITRI a "friend" in another chain; ISKANDAR has no atasan; EKO anpeg of
MUBA-DISDIK (covers ISKANDAR); BAMBANG top of the Kemenkes chains."""
import datetime

import pytest

from absence_support import SC, call, employee_id, notices
from conftest import assert_problem
from presensi_support import (ADMIN, AHMAD, BAMBANG, DEWI, EKO, FITRI, HENDRA, ISKANDAR, RAHMAT, form, location,
                              punch, reset)

ME = "/api/v1/me/settings"


def settings_row(db, nip):
    with db.cursor() as cur:
        cur.execute("select l.code, s.nip, w.code from employees e left join office_locations l"
                    " on l.id = e.office_location_id left join employees s on s.id = e.supervisor_id"
                    " left join work_schedules w on w.id = e.work_schedule_id where e.nip = %s", (nip,))
        return cur.fetchone()


@pytest.fixture
def restore(db):
    """Puts DEWI's and ISKANDAR's values back and closes their pending changes."""
    saved = {nip: settings_row(db, nip) for nip in (DEWI, ISKANDAR)}
    yield
    with db.cursor() as cur:
        for nip, (loc, sup, sch) in saved.items():
            cur.execute("update settings_changes set status = 'withdrawn' where status = 'pending'"
                        " and employee_id = (select id from employees where nip = %s)", (nip,))
            cur.execute("update employees set office_location_id = (select id from office_locations where code = %s),"
                        " supervisor_id = (select id from employees where nip = %s),"
                        " work_schedule_id = (select id from work_schedules where code = %s) where nip = %s",
                        (loc, sup, sch, nip))
    reset(db, DEWI)


def test_office_change_waits_for_the_atasan_and_geofence_keeps_the_old_office(server, db, restore):
    old_loc, old_sup, old_sch = settings_row(db, DEWI)
    assert old_loc != "LOC-BBPK-MKS"
    # The test database's history starts with today's seed: date it ten days back, so that
    # "a past day" has a history of its own.
    with db.cursor() as cur:
        cur.execute("update employee_settings_history set effective_from = effective_from - interval '10 days'"
                    " where employee_id = %s and effective_from > now() - interval '1 day'", (employee_id(db, DEWI),))
    before = notices(db, HENDRA, "settings.change_requested")
    r = call(server, "PUT", ME, DEWI, {"office_location_code": "LOC-BBPK-MKS"})
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["office_location_code"] == old_loc  # the old value is in force
    (change,) = body["pending"]
    assert change["kind"] == "placement" and change["changes"] == {"office_location_code": "LOC-BBPK-MKS"}
    assert notices(db, HENDRA, "settings.change_requested") == before + 1
    assert call(server, "GET", ME, DEWI).json()["pending"][0]["id"] == change["id"]
    assert settings_row(db, DEWI)[0] == old_loc

    # Check-in at the new office is outside the geofence; at the old one it is accepted.
    reset(db, DEWI)
    lat, lon, _, _ = location(db, "LOC-BBPK-MKS")
    r = punch(server, DEWI, data=form(db, DEWI, at=(lat, lon)), files={"photo": ("s.jpg", _jpeg(), "image/jpeg")})
    assert_problem(r, 422, "outside_geofence")
    r = punch(server, DEWI, data=form(db, DEWI), files={"photo": ("s.jpg", _jpeg(), "image/jpeg")})
    assert r.status_code == 201, r.text
    reset(db, DEWI)

    # Nobody but the atasan in force, the unit's anpeg or an admin confirms.
    path = f"{SC}/{change['id']}"
    assert_problem(call(server, "POST", f"{path}/confirm", DEWI), 403, "settings_confirm_own")
    assert_problem(call(server, "POST", f"{path}/confirm", FITRI), 404, "settings_change_not_found")
    assert_problem(call(server, "POST", f"{path}/confirm", AHMAD), 404, "settings_change_not_found")
    queue = call(server, "GET", SC, HENDRA).json()["items"]
    assert change["id"] in [c["id"] for c in queue]
    assert change["id"] not in [c["id"] for c in call(server, "GET", SC, FITRI).json()["items"]]
    assert change["id"] in [c["id"] for c in call(server, "GET", SC, RAHMAT).json()["items"]]

    r = call(server, "POST", f"{path}/confirm", HENDRA)
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
    assert r.json()["decided_by"]["nip"] == HENDRA
    assert settings_row(db, DEWI)[0] == "LOC-BBPK-MKS"
    assert call(server, "GET", ME, DEWI).json()["pending"] == []
    assert notices(db, DEWI, "settings.change_confirmed") >= 1
    assert_problem(call(server, "POST", f"{path}/confirm", HENDRA), 409, "settings_change_closed")

    # Now the new office's geofence applies.
    r = punch(server, DEWI, data=form(db, DEWI, at=(lat, lon)), files={"photo": ("s.jpg", _jpeg(), "image/jpeg")})
    assert r.status_code == 201, r.text
    reset(db, DEWI)

    # History: the confirmed row names the change and the actor; in force today = the new office.
    eid = employee_id(db, DEWI)
    with db.cursor() as cur:
        cur.execute("select h.source, h.change_id, a.nip from employee_settings_history h"
                    " left join employees a on a.id = h.actor_employee_id"
                    " where h.employee_id = %s order by h.id desc limit 1", (eid,))
        assert cur.fetchone() == ("confirmed", change["id"], HENDRA)
        cur.execute("select l.code from eo_settings_in_force(%s, current_date + 1, 'Asia/Jakarta') f"
                    " join office_locations l on l.id = f.office_location_id", (eid,))
        assert cur.fetchone()[0] == "LOC-BBPK-MKS"
        cur.execute("select l.code from eo_settings_in_force(%s, current_date - 2, 'Asia/Jakarta') f"
                    " join office_locations l on l.id = f.office_location_id", (eid,))
        assert cur.fetchone()[0] == old_loc
        # The set-based range function agrees with the per-day one on every day around the change.
        cur.execute("select count(*) from generate_series(current_date - 3, current_date + 2, interval '1 day') d"
                    " cross join lateral eo_settings_in_force(%s, d::date) f"
                    " full join eo_settings_in_force_range(current_date - 3, current_date + 2, 'Asia/Jakarta', %s) r"
                    "  on r.day = d::date"
                    " where r.day is null or d is null or (f.office_location_id, f.supervisor_id, f.work_schedule_id)"
                    "  is distinct from (r.office_location_id, r.supervisor_id, r.work_schedule_id)", (eid, eid))
        assert cur.fetchone()[0] == 0
        cur.execute("select l.code from eo_settings_in_force_range((now() at time zone 'Asia/Jakarta')::date, (now() at time zone 'Asia/Jakarta')::date, 'Asia/Jakarta', %s) r"
                    " join office_locations l on l.id = r.office_location_id", (eid,))
        assert cur.fetchone()[0] == "LOC-BBPK-MKS"
    actions = _audit(db, change["id"])
    assert actions == ["settings.change_request", "settings.change_confirm"]

    # The anpeg sets it back directly (history source 'direct').
    r = call(server, "PUT", f"/api/v1/employees/{DEWI}/settings", RAHMAT, {"office_location_code": old_loc})
    assert r.status_code == 200 and r.json()["office_location_code"] == old_loc, r.text
    with db.cursor() as cur:
        cur.execute("select source from employee_settings_history where employee_id = %s order by id desc limit 1",
                    (eid,))
        assert cur.fetchone()[0] == "direct"
        cur.execute("select count(*) from audit_log where action = 'settings.direct_set' and target_id = %s", (DEWI,))
        assert cur.fetchone()[0] >= 1


def test_new_atasan_needs_that_atasan(server, db, restore):
    r = call(server, "PUT", ME, DEWI, {"supervisor_nip": FITRI, "work_schedule_code": "5HKS"})
    assert r.status_code == 202, r.text
    kinds = {c["kind"]: c for c in r.json()["pending"]}
    assert set(kinds) == {"supervisor", "placement"}
    link = kinds["supervisor"]
    assert link["changes"] == {"supervisor_nip": FITRI}
    assert kinds["placement"]["changes"] == {"work_schedule_code": "5HKS"}
    assert notices(db, FITRI, "settings.change_requested") >= 1
    path = f"{SC}/{link['id']}"
    # The current atasan may see it but does not confirm a new link; neither does the employee.
    assert_problem(call(server, "POST", f"{path}/confirm", HENDRA), 403, "settings_confirm_forbidden")
    assert_problem(call(server, "POST", f"{path}/confirm", DEWI), 403, "settings_confirm_own")
    assert_problem(call(server, "POST", f"{path}/withdraw", HENDRA), 403, "review_not_author")
    assert_problem(call(server, "POST", f"{path}/withdraw", AHMAD), 404, "settings_change_not_found")
    # A second request of the same kind supersedes the first.
    r = call(server, "PUT", ME, DEWI, {"supervisor_nip": BAMBANG})
    assert r.status_code == 202
    again = [c for c in r.json()["pending"] if c["kind"] == "supervisor"][0]
    assert again["id"] != link["id"] and again["changes"] == {"supervisor_nip": BAMBANG}
    assert_problem(call(server, "POST", f"{path}/confirm", FITRI), 409, "settings_change_closed")
    # The proposed atasan refuses (a note is required), the employee withdraws the other.
    assert_problem(call(server, "POST", f"{SC}/{again['id']}/refuse", BAMBANG), 422)
    r = call(server, "POST", f"{SC}/{again['id']}/refuse", BAMBANG, {"note": "Bukan bawahan saya"})
    assert r.status_code == 200 and r.json()["status"] == "refused" and r.json()["note"]
    assert notices(db, DEWI, "settings.change_refused") >= 1
    r = call(server, "POST", f"{SC}/{kinds['placement']['id']}/withdraw", DEWI)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert settings_row(db, DEWI)[1] == HENDRA
    # Asked again, confirmed by the proposed atasan: applied.
    r = call(server, "PUT", ME, DEWI, {"supervisor_nip": FITRI})
    cid = r.json()["pending"][0]["id"]
    linked = notices(db, RAHMAT, "settings.supervisor_linked")
    assert call(server, "POST", f"{SC}/{cid}/confirm", FITRI).status_code == 200
    assert settings_row(db, DEWI)[1] == FITRI
    assert notices(db, RAHMAT, "settings.supervisor_linked") == linked + 1  # the unit's anpeg sees it
    assert call(server, "GET", ME, DEWI).json()["supervisor_nip"] == FITRI


def test_first_atasan_needs_confirmation_too(server, db, restore):
    assert settings_row(db, ISKANDAR)[1] is None
    r = call(server, "PUT", ME, ISKANDAR, {"supervisor_nip": BAMBANG})
    assert r.status_code == 202 and r.json()["supervisor_nip"] is None
    cid = r.json()["pending"][0]["id"]
    assert cid in [c["id"] for c in call(server, "GET", SC, BAMBANG).json()["items"]]
    # The unit's anpeg may confirm it as well; the admin too. Here the anpeg does.
    r = call(server, "POST", f"{SC}/{cid}/confirm", EKO)
    assert r.status_code == 200, r.text
    assert settings_row(db, ISKANDAR)[1] == BAMBANG


def test_unchanged_values_file_nothing(server, db, restore):
    loc, sup, sch = settings_row(db, DEWI)
    r = call(server, "PUT", ME, DEWI, {"office_location_code": loc, "supervisor_nip": sup, "work_schedule_code": sch})
    assert r.status_code == 200 and r.json()["pending"] == []


def test_direct_set_rules(server, db, restore):
    url = f"/api/v1/employees/{DEWI}/settings"
    assert_problem(call(server, "PUT", url, HENDRA, {"work_schedule_code": "5HKS"}), 403, "forbidden")
    assert_problem(call(server, "PUT", url, FITRI, {"work_schedule_code": "5HKS"}), 404, "employee_not_found")
    assert_problem(call(server, "PUT", url, EKO, {"work_schedule_code": "5HKS"}), 404, "employee_not_found")
    assert_problem(call(server, "PUT", url, DEWI, {"work_schedule_code": "5HKS"}), 403, "settings_confirm_own")
    assert_problem(call(server, "PUT", f"/api/v1/employees/{RAHMAT}/settings", RAHMAT, {"work_schedule_code": "5HK"}),
                   403, "settings_confirm_own")
    assert_problem(call(server, "PUT", "/api/v1/employees/199001012015011999/settings", ADMIN,
                        {"work_schedule_code": "5HK"}), 404, "employee_not_found")
    assert_problem(call(server, "PUT", url, ADMIN, {"work_schedule_code": "NOPE"}), 422)
    assert_problem(call(server, "PUT", url, ADMIN, {"supervisor_nip": DEWI}), 422)
    assert_problem(call(server, "PUT", url, ADMIN, {"role": "admin"}), 422)
    assert_problem(call(server, "PUT", url, ADMIN, {"work_schedule_code": 5}), 422)
    assert_problem(call(server, "PUT", url, ADMIN, raw="{"), 400)
    assert_problem(call(server, "PUT", url, None, {"work_schedule_code": "5HK"}), 401)
    r = call(server, "PUT", url, ADMIN, {"work_schedule_code": "5HKS"})
    assert r.status_code == 200 and r.json()["work_schedule_code"] == "5HKS"


def test_bad_input_on_changes(server, db, restore):
    r = call(server, "PUT", ME, DEWI, {"work_schedule_code": "5HKS"})
    cid = r.json()["pending"][0]["id"]
    path = f"{SC}/{cid}"
    assert_problem(call(server, "POST", f"{path}/refuse", HENDRA, raw="{"), 400)
    assert_problem(call(server, "POST", f"{path}/refuse", HENDRA, {"note": "x", "extra": 1}), 422)
    assert_problem(call(server, "POST", f"{path}/refuse", HENDRA, {"note": 5}), 422)
    assert_problem(call(server, "POST", f"{path}/refuse", HENDRA, {"note": "x" * 1001}), 422)
    assert_problem(call(server, "POST", f"{path}/refuse", HENDRA, {"note": "   "}), 422)
    assert_problem(call(server, "POST", f"{path}/withdraw", DEWI, {"note": "x"}), 422)
    assert_problem(call(server, "POST", f"{SC}/999999999/confirm", HENDRA), 404, "settings_change_not_found")
    assert_problem(call(server, "POST", f"{SC}/abc/confirm", HENDRA), 404)
    assert_problem(call(server, "POST", f"{path}/confirm", None), 401)
    assert_problem(call(server, "GET", SC, None), 401)
    for params in ({"limit": "0"}, {"limit": "x"}, {"cursor": "garbage"}):
        assert_problem(call(server, "GET", SC, HENDRA, params=params), 422)
    assert_problem(call(server, "PUT", ME, DEWI, {"office_location_code": "NOPE"}), 422)
    # Mobile sessions do not use the confirmation routes.
    assert_problem(call(server, "GET", SC, HENDRA, mobile=True), 403, "web_session_required")
    assert call(server, "POST", f"{path}/withdraw", DEWI).status_code == 200


def test_queue_paging(server, db, restore):
    """RAHMAT (anpeg) pages through pending changes two at a time; each comes once."""
    r = call(server, "PUT", ME, DEWI, {"supervisor_nip": FITRI, "work_schedule_code": "5HKS"})
    ids = {c["id"] for c in r.json()["pending"]}
    assert len(ids) == 2
    seen, cursor = [], None
    while True:
        params = {"limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = call(server, "GET", SC, RAHMAT, params=params).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert ids <= set(seen) and len(seen) == len(set(seen))


def _jpeg():
    from presensi_support import unique_jpeg
    return unique_jpeg()


def _audit(db, cid):
    with db.cursor() as cur:
        cur.execute("select action from audit_log where target_type = 'settings_change' and target_id = %s"
                    " order by id", (str(cid),))
        return [r[0] for r in cur.fetchall()]


def test_in_force_function_for_unknown_employee(db):
    with db.cursor() as cur:
        cur.execute("select count(*) from eo_settings_in_force(-1, %s)", (datetime.date(2026, 1, 1),))
        assert cur.fetchone()[0] == 0
