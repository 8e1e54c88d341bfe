"""Mail retry with backoff (issue 8, section 4).

The sender delivers the outbox (mail_outbox) and, after a temporary failure,
tries again after EOFFICE_MAIL_RETRY_BASE_MS doubling per attempt; after
EOFFICE_MAIL_MAX_ATTEMPTS failures the mail is marked failed and never tried
again. A fake SMTP refuses the first N deliveries to a recipient (451).

The server runs on a database of its own: every server on the shared test
database runs a sender, and another one would deliver the test's mail.
"""
import time

import psycopg2
import pytest

from conftest import base_env, run_cli
from fake_smtp import FakeSMTP

BASE_MS = 400


@pytest.fixture
def mail_server(fresh_database, start_server):
    run_cli("migrate", env=base_env(DATABASE_URL=fresh_database), check=True)
    smtp = FakeSMTP().start()
    srv = start_server(DATABASE_URL=fresh_database, EOFFICE_MAIL_MODE="smtp",
                       EOFFICE_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}", EOFFICE_MAIL_RETRY_BASE_MS=BASE_MS,
                       EOFFICE_MAIL_MAX_ATTEMPTS=3)
    conn = psycopg2.connect(fresh_database)
    conn.autocommit = True
    yield srv, smtp, conn
    conn.close()
    srv.stop()
    smtp.stop()


def enqueue(conn, to):
    with conn.cursor() as cur:
        cur.execute("insert into mail_outbox (to_addr, subject, body) values (%s, 'Uji', 'Isi surat') returning id",
                    (to,))
        return cur.fetchone()[0]


def row(conn, mail_id):
    with conn.cursor() as cur:
        cur.execute("select status, attempts, last_error from mail_outbox where id = %s", (mail_id,))
        return cur.fetchone()


def wait_row(conn, mail_id, status, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = row(conn, mail_id)
        if r[0] == status:
            return r
        time.sleep(0.05)
    raise AssertionError(f"mail {mail_id} not {status}: {row(conn, mail_id)}")


def test_retries_with_backoff_then_delivers(mail_server):
    srv, smtp, conn = mail_server
    to = "retry@example.go.id"
    smtp.fail_next(to, 2)
    mail_id = enqueue(conn, to)
    msg = smtp.wait_for(to, timeout=20)
    assert msg.subject == "Uji" and "Isi surat" in msg.body
    status, attempts, _ = wait_row(conn, mail_id, "sent")
    assert attempts == 3
    tries = smtp.attempts_to(to)
    assert [ok for _, ok in tries] == [False, False, True]
    gap1, gap2 = tries[1][0] - tries[0][0], tries[2][0] - tries[1][0]
    # The first retry waits the base delay, the second twice that (a little clock slack).
    assert gap1 >= BASE_MS / 1000 * 0.9, (gap1, gap2)
    assert gap2 >= 2 * BASE_MS / 1000 * 0.9, (gap1, gap2)
    assert '"msg":"mail delivery failed"' in srv.wait_log('"msg":"mail delivery failed"')


def test_gives_up_after_the_maximum_and_marks_failed(mail_server):
    srv, smtp, conn = mail_server
    to = "never@example.go.id"
    smtp.fail_next(to, 100)
    mail_id = enqueue(conn, to)
    status, attempts, last_error = wait_row(conn, mail_id, "failed")
    assert attempts == 3 and last_error
    assert len(smtp.attempts_to(to)) == 3
    # Failed is final: well past the next backoff, no fourth try.
    time.sleep(8 * BASE_MS / 1000 + 1)
    assert len(smtp.attempts_to(to)) == 3 and row(conn, mail_id)[0] == "failed"
    assert '"gave_up":true' in srv.wait_log('"gave_up":true')
