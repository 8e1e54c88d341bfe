"""The attachments module (svc/attachments.h) through presensi photos: the row is born
referenced in the record's transaction (no pending state), kinds and content checks at the
database, and the orphan sweep by listing an S3 store past its first ListObjectsV2 page."""
import hashlib
import time

import psycopg2
import pytest

from conftest import assert_problem
from presensi_support import HENDRA, employee, form, punch, reset, unique_jpeg
from fake_s3 import fake_s3  # noqa: F401  (pytest fixture: S3 that verifies SigV4)


def test_check_in_writes_one_referenced_row_of_kind_presensi_photo(server, db):
    reset(db, HENDRA)
    body = unique_jpeg("attachments-kind")
    r = punch(server, HENDRA, data=form(db, HENDRA), files={"photo": ("x.png", body, "image/png")})
    assert r.status_code == 201, r.text
    pid = r.json()["record"]["check_in"]["photo_id"]
    with db.cursor() as cur:
        cur.execute("select kind, status, pending_since, storage_key, sha256, content_type, size_bytes"
                    " from attachments where id = %s", (pid,))
        kind, status, pending_since, key, sha, ctype, size = cur.fetchone()
    sha_hex = hashlib.sha256(body).hexdigest()
    assert (kind, status, pending_since) == ("presensi.photo", "referenced", None)
    assert (key, sha, ctype, size) == (sha_hex + ".jpg", sha_hex, "image/jpeg", len(body))
    reset(db, HENDRA)


def test_table_refuses_what_the_sniffer_would(db):
    eid = employee(db, HENDRA)[0]
    bad = [("presensi.photo", "ab" * 32 + ".exe", "image/jpeg"),
           ("presensi.photo", "ab" * 32 + ".jpg", "text/html"),
           ("Presensi Photo", "ab" * 32 + ".jpg", "image/jpeg")]
    for kind, key, ctype in bad:
        with pytest.raises(psycopg2.errors.CheckViolation):
            with db.cursor() as cur:
                cur.execute("insert into attachments (kind, employee_id, storage_key, sha256, content_type,"
                            " size_bytes) values (%s, %s, %s, %s, %s, 10)", (kind, eid, key, "ab" * 32, ctype))
    # Documents are welcome in the shared table; the photos view shows only selfies.
    with db.cursor() as cur:
        cur.execute("insert into attachments (kind, employee_id, storage_key, sha256, content_type, size_bytes,"
                    " status, pending_since) values ('lkh.evidence', %s, %s, %s, 'application/pdf', 10,"
                    " 'referenced', null) returning id", (eid, "cd" * 32 + ".pdf", "cd" * 32))
        aid = cur.fetchone()[0]
        cur.execute("select count(*) from photos where id = %s", (aid,))
        assert cur.fetchone()[0] == 0
        cur.execute("delete from attachments where id = %s", (aid,))


def test_s3_sweep_follows_continuation_tokens(start_server, db, fake_s3):  # noqa: F811
    """1001 objects in use sort before an orphan: the sweeper has to read a second
    ListObjectsV2 page to find it, and must leave every object in use alone. The fake's
    continuation tokens hold '/', '+', '=' and '&' (XML-escaped in the listing): the
    back-end must unescape, percent-encode and sign the query canonically, or the fake
    refuses the second page."""
    reset(db, HENDRA)
    eid = employee(db, HENDRA)[0]
    live = [f"{i:064x}.jpg" for i in range(1, 1002)]
    orphan = "f" * 64 + ".pdf"
    old = time.time() - 3600
    for key in live + [orphan]:
        fake_s3.put_object(key, b"x" * 16, mtime=old)
    with db.cursor() as cur:
        cur.executemany("insert into attachments (kind, employee_id, storage_key, sha256, content_type, size_bytes,"
                        " status, pending_since) values ('presensi.photo', %s, %s, %s, 'image/jpeg', 16,"
                        " 'referenced', null)", [(eid, k, k[:64]) for k in live])
    try:
        srv = start_server(**fake_s3.server_env(EOFFICE_PHOTO_GRACE_S=1))
        deadline = time.time() + 30
        while time.time() < deadline and fake_s3.get_object(orphan) is not None:
            time.sleep(0.3)
        assert fake_s3.get_object(orphan) is None
        for key in (live[0], live[999], live[1000]):
            assert fake_s3.get_object(key) is not None, key
        # The sweeper logs once the whole pass has returned, a moment after the
        # object went: wait for the line rather than racing it.
        assert "attachment sweeper removed unreferenced objects" in srv.wait_log("attachment sweeper removed")
        srv.stop()
        assert fake_s3.rejected == []
        pages = fake_s3.served("LIST")
        assert any("continuation-token=" in path for _, path, _, _ in pages), pages
        assert [path for _, path, _, _ in fake_s3.served("DELETE")] == [f"/photos/{orphan}"]
    finally:
        reset(db, HENDRA)


def test_s3_failed_punch_leaves_only_an_object_the_sweeper_removes(start_server, db, fake_s3):  # noqa: F811
    reset(db, HENDRA)
    srv = start_server(**fake_s3.server_env(EOFFICE_PHOTO_GRACE_S=1))
    kept = unique_jpeg("s3-kept")
    assert punch(srv, HENDRA, data=form(db, HENDRA), files={"photo": ("a.jpg", kept, "image/jpeg")}).status_code == 201
    lost = unique_jpeg("s3-lost")
    assert_problem(punch(srv, HENDRA, data=form(db, HENDRA), files={"photo": ("b.jpg", lost, "image/jpeg")}),
                   409, "already_checked_in")
    lost_key = f"{hashlib.sha256(lost).hexdigest()}.jpg"
    kept_key = f"{hashlib.sha256(kept).hexdigest()}.jpg"
    deadline = time.time() + 20
    while time.time() < deadline and fake_s3.get_object(lost_key) is not None:
        time.sleep(0.3)
    assert fake_s3.get_object(lost_key) is None
    assert fake_s3.get_object(kept_key) == kept
    srv.stop()
    assert fake_s3.rejected == []
    reset(db, HENDRA)


def test_object_swept_during_its_upload_is_not_referenced(server, db):
    """The sweeper deleted this very key (identical bytes of an old orphan) while the
    check-in was writing it: the row insert sees the tombstone, nothing is recorded, and
    the client's retry stores the object anew."""
    reset(db, HENDRA)
    body = unique_jpeg("swept-mid-upload")
    key = hashlib.sha256(body).hexdigest() + ".jpg"
    eid = employee(db, HENDRA)[0]
    with db.cursor() as cur:   # as the sweeper writes it, a moment after the upload began
        cur.execute("insert into attachment_sweeps values (%s, now() + interval '2 seconds')", (key,))
    try:
        r = punch(server, HENDRA, data=form(db, HENDRA), files={"photo": ("a.jpg", body, "image/jpeg")})
        assert_problem(r, 503, "storage_unavailable")
        assert r.headers.get("Retry-After")
        with db.cursor() as cur:
            cur.execute("select count(*) from attendance where employee_id = %s", (eid,))
            assert cur.fetchone()[0] == 0
            cur.execute("select count(*) from attachments where storage_key = %s", (key,))
            assert cur.fetchone()[0] == 0
            cur.execute("update attachment_sweeps set swept_at = now() - interval '1 minute' where storage_key = %s",
                        (key,))
        again = punch(server, HENDRA, data=form(db, HENDRA), files={"photo": ("a.jpg", body, "image/jpeg")})
        assert again.status_code == 201, again.text
    finally:
        with db.cursor() as cur:
            cur.execute("delete from attachment_sweeps where storage_key = %s", (key,))
        reset(db, HENDRA)
