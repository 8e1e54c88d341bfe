"""`eoffice import competencies|standards` (docs/import.md): the same
all-or-nothing, every-bad-line-reported rules as the master-data importer,
on a fresh database; and the demo seed's competency data stays idempotent."""
import json

import pytest

from conftest import base_env, run_cli
from test_import import count, query, write


@pytest.fixture
def seeded(fresh_database):
    env = base_env(DATABASE_URL=fresh_database)
    run_cli("migrate", env=env, check=True)
    run_cli("seed-demo", env=env, check=True)
    return fresh_database, env


GOOD_COMPETENCIES = """code,name,category,description,level_1,level_2,indicators_2,level_3,level_4,level_5
T.PBJ-01,Pengadaan Barang/Jasa,technical,"Merencanakan dan melaksanakan pengadaan, sesuai Perpres 16/2018",Memahami,Melaksanakan,"Menyusun HPS|Menyusun spesifikasi",Mengevaluasi,Mengembangkan,Menetapkan kebijakan
T.ARS-01,Kearsipan,technical,,Memahami tata naskah,,,,,
"""


def test_import_competencies_then_standards(seeded, tmp_path):
    url, env = seeded
    f = write(tmp_path, "comp.csv", GOOD_COMPETENCIES)
    p = run_cli("import", "competencies", f, env=env)
    assert p.returncode == 0, p.stderr
    assert "2 competencies rows imported: 2 inserted, 0 updated" in p.stdout
    levels = query(url, "select l.level, l.description, l.indicators from competency_levels l join competencies c "
                        "on c.id = l.competency_id where c.code = 'T.PBJ-01' order by 1")
    assert [lv[0] for lv in levels] == [1, 2, 3, 4, 5]
    assert levels[1][2] == ["Menyusun HPS", "Menyusun spesifikasi"]
    assert query(url, "select description from competencies where code = 'T.PBJ-01'")[0][0].startswith("Merencanakan")
    # re-import updates, never duplicates; a level cell left empty keeps the level
    p = run_cli("import", "competencies", f, env=env)
    assert "0 inserted, 2 updated" in p.stdout
    assert count(url, "select count(*) from competencies where code like 'T.PBJ%%' or code like 'T.ARS%%'") == 2

    std = write(tmp_path, "std.csv", "position,competency_code,required_level\n"
                "Pengadministrasi Perkantoran,T.ARS-01,2\n"
                "Pengadministrasi Perkantoran,M.01,2\n"
                "\"Pranata Komputer Ahli Muda\",T.PBJ-01,3\n")
    p = run_cli("import", "standards", std, "--dry-run", env=env)
    assert p.returncode == 0 and "dry run" in p.stdout, p.stderr
    assert count(url, "select count(*) from position_standards s join positions p on p.id = s.position_id "
                      "where p.name = 'Pengadministrasi Perkantoran'") == 0
    p = run_cli("import", "standards", std, env=env)
    assert p.returncode == 0, p.stderr
    assert count(url, "select count(*) from position_standards s join positions p on p.id = s.position_id "
                      "where p.name = 'Pengadministrasi Perkantoran'") == 2
    audit = query(url, "select details from audit_log where action = 'import' and target_type = 'standards'")
    assert audit and audit[-1][0]["rows"] == 3


def test_bad_competency_file_reports_every_line_and_changes_nothing(seeded, tmp_path):
    url, env = seeded
    before = count(url, "select count(*) from competencies")
    f = write(tmp_path, "bad.csv", "code,name,category,active,level_1,indicators_1,indicators_2\n"
              "T.OK-01,Baik,technical,true,x,,\n"
              "t.lower,Huruf kecil,technical,,,,\n"
              "T.CAT-01,Kategori,cultural,,,,\n"
              "T.ACT-01,Aktif,technical,yes,,,\n"
              "T.IND-01,Indikator,technical,,desc,a||,\n"
              "T.LVL-01,Tanpa level,technical,,,,tanpa level 2\n"
              "T.OK-01,Duplikat,technical,,,,\n"
              ",,,,,,\n")
    p = run_cli("import", "competencies", f, env=env)
    assert p.returncode == 1
    err = p.stderr
    for line, code in ((3, "competency_code_format"), (4, "category_invalid"), (5, "boolean_invalid"),
                       (7, "level_required"), (8, "duplicate_in_file"), (9, "required")):
        assert f"bad.csv:{line}:" in err and code in err, (line, code, err)
    assert "nothing was imported" in err
    assert count(url, "select count(*) from competencies") == before


def test_bad_standards_file_reports_references_and_changes_nothing(seeded, tmp_path):
    url, env = seeded
    before = count(url, "select count(*) from position_standards")
    f = write(tmp_path, "std.csv", "position,competency_code,required_level\n"
              "Pengadministrasi Perkantoran,M.01,2\n"
              "Jabatan Tidak Ada,M.01,2\n"
              "Pengadministrasi Perkantoran,T.NOPE-1,2\n"
              "Pengadministrasi Perkantoran,M.02,6\n"
              "Pengadministrasi Perkantoran,M.03,dua\n"
              "Pengadministrasi Perkantoran,M.01,3\n")
    p = run_cli("import", "standards", f, env=env)
    assert p.returncode == 1
    assert "std.csv:5: required_level" in p.stderr and "out_of_range" in p.stderr
    assert "std.csv:6: required_level" in p.stderr and "number_format" in p.stderr
    assert "std.csv:7: competency_code" in p.stderr and "duplicate_in_file" in p.stderr
    # validation errors stop before the database; fix them and the references are checked
    f = write(tmp_path, "std2.csv", "position,competency_code,required_level\n"
              "Pengadministrasi Perkantoran,M.01,2\n"
              "Jabatan Tidak Ada,M.01,2\n"
              "Pengadministrasi Perkantoran,T.NOPE-1,2\n")
    p = run_cli("import", "standards", f, env=env)
    assert p.returncode == 1
    assert "std2.csv:3: position" in p.stderr and "unknown_position" in p.stderr
    assert "std2.csv:4: competency_code" in p.stderr and "unknown_competency" in p.stderr
    assert count(url, "select count(*) from position_standards") == before


def test_header_errors_and_usage(seeded, tmp_path):
    url, env = seeded
    f = write(tmp_path, "h.csv", "code,name,level_9\nT.X-1,X,\n")
    p = run_cli("import", "competencies", f, env=env)
    assert p.returncode == 1 and "unknown_column" in p.stderr and "missing_column" in p.stderr
    assert run_cli("import", "skills", f, env=env).returncode == 2


def test_demo_competency_seed_is_idempotent(seeded):
    url, env = seeded
    tables = ("competencies", "competency_levels", "position_standards", "assessments", "assessment_scores")
    before = {t: count(url, f"select count(*) from {t}") for t in tables}
    assert before["competencies"] >= 18 and before["assessments"] >= 10
    run_cli("seed-demo", env=env, check=True)
    assert before == {t: count(url, f"select count(*) from {t}") for t in tables}
    # every self-assessment of the demo answers its owner's whole standard
    bad = query(url, """select a.id from assessments a join employees e on e.id = a.employee_id
                        where a.type = 'self' and (select count(*) from assessment_scores s where s.assessment_id = a.id)
                          <> (select count(*) from position_standards p where p.position_id = e.position_id)""")
    assert bad == []
    assert count(url, "select count(*) from api_keys") == 0
