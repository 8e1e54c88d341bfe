"""`eoffice import` and `eoffice seed-demo` against a real, fresh database."""
import re

import psycopg2
import pytest

from conftest import ROOT, base_env, run_cli

DATA = ROOT / "tests" / "data"


@pytest.fixture
def seeded(fresh_database):
    env = base_env(DATABASE_URL=fresh_database)
    run_cli("migrate", env=env, check=True)
    run_cli("seed-demo", env=env, check=True)
    return fresh_database, env


def query(url, sql, *params):
    with psycopg2.connect(url) as c, c.cursor() as cur:
        cur.execute(sql, params or None)
        return cur.fetchall()


def count(url, sql="SELECT count(*) FROM employees", *params):
    return query(url, sql, *params)[0][0]


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_seed_demo_is_idempotent(seeded):
    url, env = seeded
    tables = ("org_units", "office_locations", "employees", "role_grants", "public_holidays", "work_schedules")
    before = {t: count(url, f"SELECT count(*) FROM {t}") for t in tables}
    assert before["employees"] >= 40
    run_cli("seed-demo", env=env, check=True)
    after = {t: count(url, f"SELECT count(*) FROM {t}") for t in tables}
    assert before == after
    zones = {z for (z,) in query(url, "SELECT DISTINCT time_zone FROM office_locations")}
    assert {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} <= zones
    # both kinds of civil servant and a four-level school chain exist
    kinds = {k for (k,) in query(url, "SELECT DISTINCT employee_type FROM employees")}
    assert kinds == {"PNS", "PPPK"}
    depth = query(url, """WITH RECURSIVE up(id, sup, d) AS (
                             SELECT id, supervisor_id, 1 FROM employees
                             UNION ALL SELECT up.id, e.supervisor_id, d + 1 FROM up JOIN employees e ON e.id = up.sup)
                          SELECT max(d) FROM up""")[0][0]
    assert depth >= 4


def test_valid_employee_file_imports_and_reimport_updates(seeded):
    url, env = seeded
    n0 = count(url)
    p = run_cli("import", "employees", str(DATA / "employees_valid.csv"), env=env)
    assert p.returncode == 0, p.stderr
    rows = len((DATA / "employees_valid.csv").read_text().strip().splitlines()) - 1
    n1 = count(url)
    inserted = int(re.search(r"(\d+) inserted", p.stdout).group(1))
    assert n1 - n0 == inserted and inserted >= 1
    t = query(url, "SELECT e.employee_type, s.nip FROM employees e LEFT JOIN employees s ON s.id = e.supervisor_id "
                   "WHERE e.nip = '199806152024231001'")
    assert t == [("PPPK", "198311052008011001")]
    # The same file again: updates, never duplicates.
    p = run_cli("import", "employees", str(DATA / "employees_valid.csv"), env=env)
    assert p.returncode == 0, p.stderr
    assert count(url) == n1
    assert int(re.search(r"(\d+) updated", p.stdout).group(1)) == rows
    audit = count(url, "SELECT count(*) FROM audit_log WHERE action = 'import'")
    assert audit == 2


def test_invalid_file_reports_every_bad_line_and_changes_nothing(seeded):
    url, env = seeded
    n0 = count(url)
    src = DATA / "employees_invalid.csv"
    p = run_cli("import", "employees", str(src), env=env)
    assert p.returncode == 1
    bad_lines = {int(m) for m in re.findall(r"employees_invalid\.csv:(\d+):", p.stderr)}
    data_lines = len(src.read_text().strip().splitlines())
    # Every data line is bad, except line 9: the first of a duplicated NIP (line 10 repeats it).
    assert bad_lines == set(range(2, data_lines + 1)) - {9}, p.stderr
    assert "duplicate_in_file" in p.stderr and "first on line 9" in p.stderr
    assert count(url) == n0


def test_one_bad_line_rolls_back_the_whole_file(seeded, tmp_path):
    url, env = seeded
    good = (DATA / "employees_valid.csv").read_text().strip().splitlines()
    header, first = good[0], good[1]
    bad = first.replace("MUBA-SDN2-SEKAYU", "NO-SUCH-UNIT").replace("199402102020032001", "199402102020032009")
    f = write(tmp_path, "mixed.csv", "\n".join([header, first, bad]) + "\n")
    n0 = count(url)
    p = run_cli("import", "employees", f, env=env)
    assert p.returncode == 1
    assert re.search(r"mixed\.csv:3: unit_code", p.stderr), p.stderr
    assert count(url) == n0


def test_dry_run_validates_references_but_applies_nothing(seeded):
    url, env = seeded
    n0 = count(url)
    p = run_cli("import", "employees", str(DATA / "employees_valid.csv"), "--dry-run", env=env)
    assert p.returncode == 0, p.stderr
    assert count(url) == n0


def test_units_and_locations(seeded, tmp_path):
    url, env = seeded
    units = write(tmp_path, "units.csv", "code,name,parent_code\nT-CHILD,Seksi Uji,T-ROOT\nT-ROOT,Dinas Uji,\n")
    p = run_cli("import", "units", units, env=env)
    assert p.returncode == 0, p.stderr
    path = query(url, "SELECT array_length(path, 1) FROM org_units WHERE code = 'T-CHILD'")[0][0]
    assert path == 2
    cycle = write(tmp_path, "cycle.csv", "code,name,parent_code\nT-ROOT,Dinas Uji,T-CHILD\n")
    p = run_cli("import", "units", cycle, env=env)
    assert p.returncode == 1 and "cycle" in p.stderr.lower()
    locs = write(tmp_path, "locs.csv",
                 "code,name,latitude,longitude,radius_m,time_zone\n"
                 "T-LOC,Kantor Uji,-2.88,103.85,150,Asia/Jakarta\n"
                 "T-BAD,Kantor Salah,95,103.85,150,Mars/Olympus\n")
    p = run_cli("import", "locations", locs, env=env)
    assert p.returncode == 1
    assert "locs.csv:3:" in p.stderr and "locs.csv:2:" not in p.stderr
    assert count(url, "SELECT count(*) FROM office_locations WHERE code LIKE 'T-%'") == 0


@pytest.mark.parametrize("content,needle", [
    ("nip,name\n1,x\n", "header"),                                    # required columns missing
    ("code,name,parent_code,colour\nA,B,,red\n", "colour"),           # unknown column
    ("code,name,parent_code\n\"A,B,\n", "quote"),                      # unterminated quote
    ("code,name,parent_code\nA,B\n", "field"),                         # wrong field count
    ("code,name,parent_code\n" + "A" * 20000 + ",B,\n", "long"),        # over the line limit
])
def test_malformed_files_are_refused(seeded, tmp_path, content, needle):
    url, env = seeded
    n0 = count(url, "SELECT count(*) FROM org_units")
    f = write(tmp_path, "bad.csv", content)
    p = run_cli("import", "units", f, env=env)
    assert p.returncode in (1, 2)
    assert needle in p.stderr.lower(), p.stderr
    assert count(url, "SELECT count(*) FROM org_units") == n0


def test_import_usage_errors(seeded, tmp_path):
    _, env = seeded
    assert run_cli("import", env=env).returncode == 2
    assert run_cli("import", "planets", str(DATA / "employees_valid.csv"), env=env).returncode == 2
    assert run_cli("import", "units", str(tmp_path / "missing.csv"), env=env).returncode != 0
