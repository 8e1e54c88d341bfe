"""TPP recap exports: CSV and XLSX (opened as the ZIP it is, sheets parsed with
the standard library) carry the same numbers as the results and breakdowns."""
import csv
import io
import re
import zipfile
import xml.etree.ElementTree as ET

import pytest

from conftest import assert_problem
from tpp_support import AHMAD, DEWI, EKO, RAHMAT, SDN1, call, clear, ensure_rule, fill_month, late, put_day

MONTH = "2025-04"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture(scope="module")
def computed(server):
    import psycopg2
    from conftest import DATABASE_URL
    db = psycopg2.connect(DATABASE_URL)
    db.autocommit = True
    ensure_rule(server, db, SDN1, "2025-02")
    with db.cursor() as cur:
        cur.execute("delete from tpp_results where month = %s", (MONTH + "-01",))
    days = fill_month(db, AHMAD, MONTH)
    work = sorted(days)
    put_day(db, AHMAD, work[2], late(days[work[2]][0], 45), days[work[2]][1] + ":00")  # TL2
    put_day(db, AHMAD, work[5], days[work[5]][0] + ":00", None)  # no check-out: PSW4
    r = call(server, "POST", f"/api/v1/tpp/months/{MONTH}/compute", EKO, json={"unit_code": "MUBA-DISDIK"})
    assert r.status_code == 200, r.text
    mine = call(server, "GET", f"/api/v1/me/tpp/{MONTH}", AHMAD).json()
    yield mine, work
    clear(db, AHMAD, MONTH)
    db.close()


def test_csv(server, computed):
    mine, work = computed
    r = call(server, "GET", f"/api/v1/tpp/months/{MONTH}/export.csv", EKO, params={"unit_code": SDN1})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    assert f'tpp-{MONTH}-{SDN1}.csv' in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert rows and all(row["unit_kode"] == SDN1 for row in rows)
    me = next(row for row in rows if row["nip"] == AHMAD)
    assert int(me["total"]) == mine["total_amount"] and int(me["potongan"]) == mine["deduction_amount"]
    assert int(me["kinerja"]) == mine["kinerja_amount"] and int(me["tpp_dasar"]) == 3500000
    assert me["fingerprint"] == mine["fingerprint"] and me["kelas_jabatan"] == "9" and me["status"] == "open"
    # the anpeg of the whole dinas sees every school in it
    whole = call(server, "GET", f"/api/v1/tpp/months/{MONTH}/export.csv", EKO, params={"unit_code": "MUBA-DISDIK"})
    assert len(list(csv.DictReader(io.StringIO(whole.text)))) > len(rows)


def _sheet_rows(z, n):
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)]
    root = ET.fromstring(z.read(f"xl/worksheets/sheet{n}.xml"))
    rows = []
    for row in root.iter(f"{{{NS['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", NS):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            if c.get("t") == "inlineStr":  # constant-memory workbooks write strings inline
                cells[col] = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                continue
            v = c.find("m:v", NS)
            if v is None:
                continue
            cells[col] = shared[int(v.text)] if c.get("t") == "s" else float(v.text)
        rows.append(cells)
    return rows


def test_xlsx(server, computed):
    mine, work = computed
    r = call(server, "GET", f"/api/v1/tpp/months/{MONTH}/export.xlsx", EKO, params={"unit_code": SDN1})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert z.testzip() is None
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    assert [s.get("name") for s in wb.iter(f"{{{NS['m']}}}sheet")] == ["Rekap", "Potongan"]
    rekap = _sheet_rows(z, 1)
    assert rekap[0]["A"] == "nip" and rekap[0]["J"] == "total"
    me = next(row for row in rekap[1:] if row["A"] == AHMAD)
    assert me["J"] == mine["total_amount"] and me["F"] == 3500000 and me["I"] == mine["deduction_amount"]
    assert me["M"] == mine["fingerprint"]
    lines = [row for row in _sheet_rows(z, 2)[1:] if row["A"] == AHMAD]
    expected = [(d["date"], d["code"], d["pct"], d["amount"]) for d in mine["breakdown"]["kehadiran"]["deductions"]]
    assert [(row["C"], row["D"], row["E"], row["F"]) for row in lines] == expected
    assert expected == [(work[2].isoformat(), "TL2", 1, 14000), (work[5].isoformat(), "PSW4", 2, 28000)]


def test_export_refusals(server, computed):
    for fmt in ("csv", "xlsx"):
        path = f"/api/v1/tpp/months/{MONTH}/export.{fmt}"
        assert_problem(call(server, "GET", path, RAHMAT, params={"unit_code": SDN1}), 404, "unit_not_found")
        assert_problem(call(server, "GET", path, DEWI, params={"unit_code": SDN1}), 403, "forbidden")
        assert_problem(call(server, "GET", path, AHMAD, params={"unit_code": SDN1}), 403, "forbidden")
        assert_problem(call(server, "GET", path, None, params={"unit_code": SDN1}), 401)
        assert_problem(call(server, "GET", path, EKO), 422)
        assert_problem(call(server, "GET", path, EKO, params={"unit_code": "x" * 65}), 422)
        assert_problem(call(server, "GET", f"/api/v1/tpp/months/2025-4/export.{fmt}", EKO,
                            params={"unit_code": SDN1}), 422)
