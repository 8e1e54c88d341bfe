"""GET /api/v1/employees?q=: name search that ignores titles (gelar), tolerates
typos and accents, NIP prefixes, ranking, keyset paging, the public card only,
and bad or unauthorised requests. Runs against the real PostgreSQL (pg_trgm,
unaccent)."""
import pytest

from conftest import assert_problem
from directory_support import FORBIDDEN, ISKANDAR, AGUSTINA, add_employee, app, get, walk, web

SEARCH = "/api/v1/employees"


def nips(resp):
    assert resp.status_code == 200, resp.text
    return [c["nip"] for c in resp.json()["items"]]


@pytest.fixture(scope="module")
def people(server):
    """Employees whose names test titles against names (module-wide, idempotent)."""
    import psycopg2
    import os
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    conn.autocommit = True
    made = {
        "profi": add_employee(conn, 901, "Profi Ramadhani"),
        "prof": add_employee(conn, 902, "Prof. Dr. Ir. Hadi Santoso, M.Sc."),
        "irwan": add_employee(conn, 903, "Irwan Setiadi"),
        "ir": add_employee(conn, 904, "Ir. Bambang Sutejo, M.T."),
        "helene": add_employee(conn, 905, "Hélène Sitompul, S.Si."),
        "gone": add_employee(conn, 906, "Zakaria Tirtayasa", status="inactive"),
        "putra": add_employee(conn, 907, "Putra Wijaya Kusuma"),
    }
    for i in range(12):  # a family name many share, for paging
        made[f"santika{i}"] = add_employee(conn, 910 + i, f"Drs. Budi Santika {chr(65 + i)}., M.Si.")
    conn.close()
    return made


@pytest.mark.parametrize("q", ["iskandar", "syahputra", "iskandar syahputra", "iskandr", "ISKANDAR",
                               "Syahputra Iskandar", "syahputra, iskandar", "Drs. H. Iskandar Syahputra, M.Pd.",
                               "iskan", "syahpura"])
def test_search_finds_iskandar_by_any_part_or_typo(server, q):
    found = nips(get(server, SEARCH, web(server, AGUSTINA), q=q))
    assert ISKANDAR in found, (q, found)


def test_search_full_name_ranks_the_person_first(server):
    found = nips(get(server, SEARCH, web(server, AGUSTINA), q="iskandar syahputra"))
    assert found[0] == ISKANDAR


def test_titles_do_not_match_or_dominate(server, people):
    h = web(server, AGUSTINA)
    # "prof": the person whose name holds the word comes first; the professor's title is no match
    found = nips(get(server, SEARCH, h, q="prof"))
    assert found and found[0] == people["profi"], found
    assert people["prof"] not in found
    found = nips(get(server, SEARCH, h, q="ir"))
    assert people["irwan"] in found and people["ir"] not in found, found
    # a degree is no name: "santoso" finds the professor, "m.sc" finds nobody by title
    assert people["prof"] in nips(get(server, SEARCH, h, q="hadi santoso"))
    assert people["prof"] not in nips(get(server, SEARCH, h, q="m.sc."))
    # "Drs." on a dozen names does not make "drs" find them
    assert not set(nips(get(server, SEARCH, h, q="drs"))) & {v for k, v in people.items() if k.startswith("santika")}


def test_whole_word_beats_part_of_a_word(server, people):
    found = nips(get(server, SEARCH, web(server, AGUSTINA), q="putra"))
    assert people["putra"] in found and ISKANDAR in found
    assert found.index(people["putra"]) < found.index(ISKANDAR)


def test_accents_and_case_do_not_matter(server, people):
    h = web(server, AGUSTINA)
    assert people["helene"] in nips(get(server, SEARCH, h, q="helene"))
    assert people["helene"] in nips(get(server, SEARCH, h, q="HÉLÈNE sitompul"))


def test_inactive_employees_are_not_found(server, people):
    assert people["gone"] not in nips(get(server, SEARCH, web(server, AGUSTINA), q="zakaria tirtayasa"))
    r = get(server, f"{SEARCH}/{people['gone']}", web(server, AGUSTINA))
    assert_problem(r, 404, "employee_not_found")


def test_nip_prefix(server, people):
    h = web(server, AGUSTINA)
    assert nips(get(server, SEARCH, h, q=ISKANDAR)) == [ISKANDAR]
    found = nips(get(server, SEARCH, h, q="19690505", limit=100))
    assert ISKANDAR in found and all(n.startswith("19690505") for n in found)
    found = nips(get(server, SEARCH, h, q="2001010120250119", limit=100))  # sequences 9xx
    assert set(found) == {nip for key, nip in people.items() if key != "gone"}
    assert found == sorted(found)  # in NIP order
    # a NIK is not searchable
    assert nips(get(server, SEARCH, h, q="1671020505690778")) == []


def test_card_is_public_fields_only(server):
    r = get(server, SEARCH, web(server, AGUSTINA), q="iskandar syahputra")
    assert r.headers.get("Cache-Control") == "no-store"
    card = r.json()["items"][0]
    assert set(card) == {"nip", "name", "position", "unit", "office_location"}
    assert not FORBIDDEN & set(card)
    assert card["name"] == "Drs. H. Iskandar Syahputra, M.Pd."  # titles are shown
    assert card["position"] == "Kepala Dinas Pendidikan"
    assert card["unit"]["code"] == "MUBA-DISDIK" and set(card["unit"]) == {"code", "name"}
    assert set(card["office_location"]) == {"code", "name"}
    text = r.text
    for secret in ("1671020505690778", "1969-05-05", "iskandar.syahputra@", "search_name"):
        assert secret not in text


def test_paging_walks_every_match_once_in_rank_order(server, people):
    h = web(server, AGUSTINA)
    whole = get(server, SEARCH, h, q="budi santika", limit=100).json()
    assert whole["next_cursor"] is None
    expected = [c["nip"] for c in whole["items"]]
    assert {people[f"santika{i}"] for i in range(12)} <= set(expected)
    items, pages = walk(server, SEARCH, h, 5, q="budi santika")
    assert [c["nip"] for c in items] == expected
    assert pages == -(-len(expected) // 5)
    # one word: the pages come per expansion straight from the word index
    for q in ("santika", "santik", "budi"):
        whole = get(server, SEARCH, h, q=q, limit=100).json()
        assert whole["next_cursor"] is None
        items, _ = walk(server, SEARCH, h, 4, q=q)
        assert [c["nip"] for c in items] == [c["nip"] for c in whole["items"]], q
    whole = get(server, SEARCH, h, q="2001010120250119", limit=100).json()["items"]
    items, pages = walk(server, SEARCH, h, 3, q="2001010120250119")
    assert [c["nip"] for c in items] == [c["nip"] for c in whole] == sorted(c["nip"] for c in whole)
    assert pages == -(-len(whole) // 3) and len(whole) > 3


def test_cursor_is_bound_to_the_query(server, people):
    h = web(server, AGUSTINA)
    cursor = get(server, SEARCH, h, q="budi santika", limit=2).json()["next_cursor"]
    assert cursor
    assert get(server, SEARCH, h, q="budi santika", limit=2, cursor=cursor).status_code == 200
    assert_problem(get(server, SEARCH, h, q="santika budi", limit=2, cursor=cursor), 422)
    assert_problem(get(server, SEARCH, h, q="budi santika", cursor=cursor[:-3] + "AAA"), 422)
    assert_problem(get(server, SEARCH, h, q="budi santika", cursor="garbage"), 422)


@pytest.mark.parametrize("params,field,code", [
    ({}, "q", "missing_field"),
    ({"q": ""}, "q", "missing_field"),
    ({"q": "   "}, "q", "missing_field"),
    ({"q": "a"}, "q", "too_short"),
    ({"q": "x" * 101}, "q", "too_long"),
    ({"q": "é" * 101}, "q", "too_long"),
    ({"q": "1" * 19}, "q", "too_long"),
    ({"q": "ab\x01c"}, "q", "invalid_value"),
    ({"q": "iskandar", "limit": "0"}, "limit", None),
    ({"q": "iskandar", "limit": "101"}, "limit", None),
    ({"q": "iskandar", "limit": "x"}, "limit", None),
])
def test_bad_queries_are_422(server, params, field, code):
    body = assert_problem(get(server, SEARCH, web(server, AGUSTINA), **params), 422)
    assert any(e["field"] == field and (code is None or e["code"] == code) for e in body["errors"]), body


def test_invalid_utf8_query_is_422(server):
    import requests
    r = requests.get(server.url + SEARCH + "?q=ab%FF%FE", headers=web(server, AGUSTINA), timeout=30)
    assert_problem(r, 422)


def test_exactly_100_characters_is_accepted(server):
    assert get(server, SEARCH, web(server, AGUSTINA), q="é" * 100).status_code == 200


def test_search_needs_a_web_session(server):
    assert_problem(get(server, SEARCH, {}, q="iskandar"), 401)
    assert_problem(get(server, SEARCH, {"Authorization": "Bearer nonsense"}, q="iskandar"), 401)
    assert_problem(get(server, SEARCH, app(server, AGUSTINA), q="iskandar"), 403, "web_session_required")
    assert_problem(get(server, f"{SEARCH}/{ISKANDAR}", app(server, AGUSTINA)), 403, "web_session_required")
