#!/usr/bin/python3
"""Has the check-in's SQL changed since bench/pgbench_insert.sql copied it?

bench/pgbench_insert.sql replays the database writes of a check-in. This script
hashes the source it was copied from (the check-in's context query and its one
write statement in db/presensi.c, and the order of the calls of check_in in
svc/presensi.c) and
compares the hash with the "-- source-sha256:" line of the .sql file.

usage: sql_drift.py [--update]      (run from anywhere; exit 0 = same, 1 = changed)
  --update   write the current hash into bench/pgbench_insert.sql (after you have
             brought the pgbench statements up to date by hand)
"""
import hashlib
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SQL = ROOT / "bench" / "pgbench_insert.sql"


def between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    j = text.index(end, i + len(start))
    return text[i : j + len(end)]


def function(text: str, signature: str) -> str:
    """The body of a C function from its signature to the closing brace in column 0."""
    i = text.index(signature)
    j = text.index("\n}\n", i)
    return text[i : j + 3]


def snippets() -> list:
    presensi = (ROOT / "db" / "presensi.c").read_text()
    svc = (ROOT / "svc" / "presensi.c").read_text()
    out = [
        between(presensi, "#define UTC_FMT", "static void copy"),
        between(presensi, "#define CTX_SQL", "// clang-format on"),
        between(function(presensi, "eo_status eo_db_presensi_checkin_context("), "static const char sql[] =", ";"),
        between(function(presensi, "eo_status eo_db_presensi_checkin("), "static const char sql[] =", ";"),
    ]
    # The order of the database / storage calls of a check-in.
    body = function(svc, "static eo_status check_in(")
    out.append("\n".join(re.findall(r"\b(eo_(?:db|svc|uow)_[a-z_]+)\(", body)))
    return out


def digest() -> str:
    h = hashlib.sha256()
    for s in snippets():
        h.update(re.sub(r"\s+", " ", s).strip().encode())
        h.update(b"\0")
    return h.hexdigest()


def main() -> int:
    try:
        now = digest()
    except (OSError, ValueError) as e:
        print(f"sql_drift: cannot find the check-in statements in the source ({e})")
        return 1
    text = SQL.read_text()
    m = re.search(r"^-- source-sha256: (\S+)$", text, re.M)
    if "--update" in sys.argv[1:]:
        new = re.sub(r"^-- source-sha256: \S+$", f"-- source-sha256: {now}", text, flags=re.M)
        SQL.write_text(new)
        print(f"sql_drift: {SQL.name} now records {now[:12]}")
        return 0
    if m and m.group(1) == now:
        print("sql_drift: pgbench_insert.sql matches the server's check-in SQL")
        return 0
    print("sql_drift: WARNING: the check-in SQL in db/presensi.c or the calls in svc/presensi.c changed "
          "since bench/pgbench_insert.sql was written: compare and update it (then bench/sql_drift.py --update)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
