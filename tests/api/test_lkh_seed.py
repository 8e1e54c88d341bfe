"""The demo LKH (db/seed/demo_lkh.sql): every state, on working days only, with
activities that keep the rules. Read from the employees the other LKH tests
leave alone (they reset Ahmad and Dewi)."""

from lkh_support import working
from presensi_support import NURHASANAH, NURHAYATI, RAHMAT


def test_demo_reports(db):
    for nip in (RAHMAT, NURHASANAH, NURHAYATI):
        with db.cursor() as cur:
            cur.execute("select r.work_date, r.status, r.reviewer_id = e.supervisor_id, r.review_note,"
                        " (select count(*) from lkh_activities a where a.report_id = r.id),"
                        " (select sum(duration_min) from lkh_activities a where a.report_id = r.id)"
                        " from lkh_reports r join employees e on e.id = r.employee_id where e.nip = %s", (nip,))
            rows = cur.fetchall()
            assert {r[1] for r in rows} == {"draft", "submitted", "returned", "approved"}, nip
            for day, status, by_atasan, note, n, minutes in rows:
                assert working(db, nip, day), (nip, day)
                assert n == 3 and 0 < minutes <= 1440
                assert status == "draft" or by_atasan
                assert (note is not None) == (status == "returned")
            cur.execute("select count(*) from lkh_activities a1 join lkh_activities a2"
                        " on a1.report_id = a2.report_id and a1.id < a2.id"
                        " and a1.start_time < a2.end_time and a2.start_time < a1.end_time")
            assert cur.fetchone()[0] == 0
            cur.execute("select count(*) from skp_targets s join employees e on e.id = s.employee_id"
                        " where e.nip = %s and s.year = extract(year from current_date)", (nip,))
            assert cur.fetchone()[0] == 2
