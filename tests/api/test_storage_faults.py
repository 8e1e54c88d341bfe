"""Storage under faults: the S3 back-end against a fake that verifies SigV4 as AWS does
(tests/api/fake_s3.py), and the file-system back-end's temp files after a crash.

The fake is only worth something if it can fail: the first tests show it refuses
requests signed by an independent client (botocore, the curl CLI) with another
secret, a tampered header, body or path, an unsigned x-amz-* header, and the
request curl 7.88 signs when told to drop Expect (the defect the back-end had).
The S3 flavour of the check-in and sweep tests (test_presensi_faults.py,
test_attachments.py) runs against the same fake and asserts it rejected nothing."""
import hashlib
import os
import pathlib
import shutil
import signal
import subprocess
import threading
import time
import uuid

import pytest
import requests

from conftest import assert_problem
from fake_s3 import ACCESS_KEY, REGION, SECRET_KEY, fake_s3, sign  # noqa: F401  (fake_s3: pytest fixture)
from presensi_support import AGUSTINA, HENDRA, employee, form, punch, reset, unique_jpeg

KEY = "ab" * 32 + ".jpg"
EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def signed_put(fake, body, key=KEY, **kw):
    url = f"{fake.url}/photos/{key}"
    headers = {"Content-Type": "image/jpeg", "x-amz-content-sha256": hashlib.sha256(body).hexdigest()}
    return url, sign("PUT", url, body, headers, **kw)


def code(r):
    return r.text.split("<Code>")[1].split("</Code>")[0] if "<Code>" in r.text else None


# ------------------------------------------------------------------ the fake can fail

def test_fake_accepts_a_correct_signature_and_refuses_every_wrong_one(fake_s3):  # noqa: F811
    body = b"\xff\xd8 a photo \xff\xd9"
    url, h = signed_put(fake_s3, body)
    ok = requests.put(url, data=body, headers=h, timeout=10)
    assert ok.status_code == 200, ok.text
    assert fake_s3.get_object(KEY) == body

    other = "cd" * 32 + ".jpg"
    cases = []
    url, h = signed_put(fake_s3, body, key=other, secret="another-secret")
    cases.append(("another secret", requests.put(url, data=body, headers=h, timeout=10), "SignatureDoesNotMatch"))
    url, h = signed_put(fake_s3, body, key=other)
    cases.append(("tampered Content-Type", requests.put(url, data=body, headers=dict(h, **{"Content-Type": "image/png"}),
                                                        timeout=10), "SignatureDoesNotMatch"))
    cases.append(("tampered x-amz-date", requests.put(url, data=body, headers=dict(
        h, **{"X-Amz-Date": h["X-Amz-Date"][:-3] + ("00" if h["X-Amz-Date"][-3:-1] != "00" else "01") + "Z"}),
        timeout=10), "SignatureDoesNotMatch"))
    cases.append(("another key, same signature", requests.put(f"{fake_s3.url}/photos/{'ef' * 32}.jpg", data=body,
                                                             headers=h, timeout=10), "SignatureDoesNotMatch"))
    cases.append(("tampered body", requests.put(url, data=body + b"!", headers=h, timeout=10),
                  "XAmzContentSHA256Mismatch"))
    cases.append(("unsigned x-amz header", requests.put(url, data=body, headers=dict(h, **{"x-amz-meta-who": "x"}),
                                                        timeout=10), "AccessDenied"))
    url, h = signed_put(fake_s3, body, key=other, access_key="SOMEONEELSE")
    cases.append(("unknown access key", requests.put(url, data=body, headers=h, timeout=10), "InvalidAccessKeyId"))
    cases.append(("no signature", requests.put(url, data=body, headers={"Content-Type": "image/jpeg"}, timeout=10),
                  "AccessDenied"))
    lurl = f"{fake_s3.url}/photos?list-type=2&max-keys=1"
    lh = sign("GET", lurl, b"", {"x-amz-content-sha256": EMPTY_SHA})
    cases.append(("tampered query", requests.get(lurl.replace("max-keys=1", "max-keys=2"), headers=lh, timeout=10),
                  "SignatureDoesNotMatch"))
    for what, r, want in cases:
        assert r.status_code in (400, 403) and code(r) == want, (what, r.status_code, r.text)
    assert fake_s3.get_object(other) is None and fake_s3.keys() == [KEY]
    assert requests.get(lurl, headers=lh, timeout=10).status_code == 200


@pytest.mark.skipif(not shutil.which("curl"), reason="curl CLI not installed")
def test_fake_refuses_what_curl_7_88_signs_with_expect_suppressed(fake_s3):  # noqa: F811
    """The defect as shipped: CURLOPT_AWS_SIGV4 with the header line "Expect:" lists
    expect in SignedHeaders but sends no Expect header. Without that line curl's own
    signature verifies, so the fake and curl agree on SigV4 everywhere else — and a
    query curl signs as written (unsorted) is refused, as AWS refuses it."""
    body = b"selfie"
    sha = hashlib.sha256(body).hexdigest()

    def curl(url, *extra, method="PUT"):
        args = ["curl", "-s", "-o", "/dev/stderr", "-w", "%{http_code}", "--aws-sigv4", f"aws:amz:{REGION}:s3",
                "--user", f"{ACCESS_KEY}:{SECRET_KEY}", "-H", f"x-amz-content-sha256: {sha if method == 'PUT' else EMPTY_SHA}",
                "-X", method, *extra, url]
        if method == "PUT":
            args[-1:-1] = ["-H", "Content-Type: image/jpeg", "--data-binary", body.decode()]
        p = subprocess.run(args, capture_output=True, text=True, timeout=30)
        return int(p.stdout or 0), p.stderr

    st, text = curl(f"{fake_s3.url}/photos/{KEY}", "-H", "Expect:")
    assert st == 403 and "<Code>SignatureDoesNotMatch</Code>" in text, text
    assert "expect" in fake_s3.signed_headers[-1], fake_s3.signed_headers   # signed, yet not sent
    assert fake_s3.get_object(KEY) is None
    st, text = curl(f"{fake_s3.url}/photos/{KEY}")
    assert st == 200, text
    assert fake_s3.get_object(KEY) == body
    st, text = curl(f"{fake_s3.url}/photos?list-type=2&max-keys=5", method="GET")
    assert st == 200, text
    st, text = curl(f"{fake_s3.url}/photos?max-keys=5&list-type=2", method="GET")
    assert st == 403 and "<Code>SignatureDoesNotMatch</Code>" in text, text


def test_server_with_a_wrong_secret_is_refused_by_the_fake(start_server, db, fake_s3):  # noqa: F811
    """End to end: the fake refuses the server itself when its signature is wrong, so the
    S3 check-in tests that pass against it are evidence the back-end signs correctly."""
    reset(db, AGUSTINA)
    srv = start_server(**fake_s3.server_env(EOFFICE_S3_SECRET_KEY="not-the-secret"))
    r = punch(srv, AGUSTINA, data=form(db, AGUSTINA), files={"photo": ("a.jpg", unique_jpeg("s3-wrong"), "image/jpeg")})
    assert_problem(r, 503, "storage_unavailable")
    assert [x[3] for x in fake_s3.rejected] and {x[3] for x in fake_s3.rejected} == {"SignatureDoesNotMatch"}
    assert fake_s3.keys() == []
    eid = employee(db, AGUSTINA)[0]
    with db.cursor() as cur:
        cur.execute("select count(*) from attendance where employee_id = %s", (eid,))
        assert cur.fetchone()[0] == 0
    srv.stop()
    reset(db, AGUSTINA)


# ------------------------------------------------------------------ temp files a crash leaves

HANG_FSYNC = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* fsync of a storage temp file (".tmp-<key>-XXXXXX") hangs after marking a file, so a
 * test can SIGKILL the server in the middle of a photo write. */
int fsync(int fd)
{
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    char link[64], path[4096];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof(path) - 1);
    const char *marker = getenv("EO_TEST_FSYNC_MARKER");
    if (n > 0 && marker) {
        path[n] = '\0';
        if (strstr(path, "/.tmp-")) {
            int m = open(marker, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
            if (m >= 0) close(m);
            for (;;) pause();
        }
    }
    return real(fd);
}
"""


def temp_files(store):
    return sorted(p for p in pathlib.Path(store).glob("??/.tmp-*"))


@pytest.mark.skipif(not shutil.which("cc"), reason="no C compiler for the fsync shim")
def test_sweeper_removes_temp_files_a_kill_during_a_photo_write_left(start_server, db, tmp_path):
    """SIGKILL while a check-in's photo is being written (held inside fsync of the temp
    file): the temp file stays, nothing is recorded, and the client's retry with the same
    key records exactly one check-in. The next server's sweeper removes the stale temp
    file (older than the upload limit plus the grace) and leaves a fresh one — a write
    still in progress — and files that are not the back-end's alone."""
    shim = tmp_path / "hang_fsync.so"
    (tmp_path / "hang_fsync.c").write_text(HANG_FSYNC)
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(shim), str(tmp_path / "hang_fsync.c"), "-ldl"], check=True)
    store, marker = tmp_path / "photos", tmp_path / "fsync-reached"
    reset(db, HENDRA)
    eid = employee(db, HENDRA)[0]
    body = unique_jpeg("killed-mid-write-" + uuid.uuid4().hex)
    key = hashlib.sha256(body).hexdigest() + ".jpg"
    idem = str(uuid.uuid4())
    data = form(db, HENDRA)
    try:
        asan = os.environ.get("ASAN_OPTIONS", "")
        srv = start_server(EOFFICE_STORAGE_DIR=store, LD_PRELOAD=shim, EO_TEST_FSYNC_MARKER=marker,
                           ASAN_OPTIONS=(asan + ":" if asan else "") + "verify_asan_link_order=0")
        outcome = {}

        def check_in():
            try:
                outcome["r"] = punch(srv, HENDRA, data=data, files={"photo": ("a.jpg", body, "image/jpeg")}, key=idem)
            except requests.RequestException as e:
                outcome["error"] = e

        t = threading.Thread(target=check_in)
        t.start()
        deadline = time.time() + 30
        while time.time() < deadline and not marker.exists():
            time.sleep(0.05)
        assert marker.exists(), "the photo write never reached fsync:\n" + srv.log_text()[-3000:]
        srv.signal(signal.SIGKILL)
        srv.proc.wait(timeout=10)
        t.join(timeout=30)
        assert "r" not in outcome, "the killed server answered the check-in"

        left = temp_files(store)
        assert [p.name[5:5 + len(key)] for p in left] == [key], left
        assert not (store / key[:2] / key).exists()
        with db.cursor() as cur:
            cur.execute("select count(*) from attendance where employee_id = %s", (eid,))
            assert cur.fetchone()[0] == 0
        # The crash was an hour ago; a write of another photo is in progress right now;
        # an aged file the back-end did not name is not the sweeper's business.
        crashed = left[0]
        old = time.time() - 3600
        os.utime(crashed, (old, old))
        live_key = "0" * 63 + "1.png"
        (store / live_key[:2]).mkdir(exist_ok=True)
        live = store / live_key[:2] / f".tmp-{live_key}-Ab12Cd"
        live.write_bytes(b"half a png")
        stray = store / key[:2] / ".tmp-notakey-XXXXXX"
        stray.write_bytes(b"?")
        os.utime(stray, (old, old))

        srv2 = start_server(EOFFICE_STORAGE_DIR=store)
        deadline = time.time() + 30
        while time.time() < deadline and crashed.exists():
            time.sleep(0.1)
        assert not crashed.exists(), srv2.log_text()[-3000:]
        assert live.exists() and stray.exists()
        assert "attachment sweeper removed stale temp files" in srv2.wait_log("removed stale temp files")

        # The client retries with its key: exactly one check-in, its photo stored whole.
        again = punch(srv2, HENDRA, data=data, files={"photo": ("a.jpg", body, "image/jpeg")}, key=idem)
        assert again.status_code == 201, again.text
        assert (store / key[:2] / key).read_bytes() == body
        with db.cursor() as cur:
            cur.execute("select count(*) from attendance where employee_id = %s", (eid,))
            assert cur.fetchone()[0] == 1
        srv2.stop()
    finally:
        reset(db, HENDRA)
