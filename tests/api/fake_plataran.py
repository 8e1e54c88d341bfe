"""A fake Plataran Sehat on loopback, for the client's tests (docs/integrations.md
has the contract it plays).

    GET /v1/programmes                     -> {"programmes": [...]}, ETag
    GET /v1/programmes/{id}/schedules      -> {"programme_id": id, "sessions": [...]}, ETag; 404 unknown id

Both answer 304 when If-None-Match carries the current ETag. The ETag is a
digest of the document, so changing the catalogue (`set_catalogue`) or a
schedule changes it. Faults, set per test with `mode`:
    "ok"       answers as above
    "slow"     sleeps `delay` seconds before answering (longer than the client's timeout)
    "error"    answers 500 every time
    "garbage"  answers 200 with a body that is not the contract's JSON
    "reset"    closes the connection without an answer
`stop()` makes it truly down (connection refused). Every request is logged
in `arrivals` (its path, when it arrives) and, once answered, in `requests` as
(path, If-None-Match or None, status answered)."""
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakePlataran:
    def __init__(self):
        self.catalogue = []
        self.schedules = {}
        self.mode = "ok"
        self.delay = 2.0
        self.garbage = b'{"programmes": "not a list"}'
        self.requests = []
        self.arrivals = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._answer(self)

        self._srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._srv.daemon_threads = True
        self.port = self._srv.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._srv.serve_forever, daemon=True)

    # ---- control
    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._srv.shutdown()
        self._srv.server_close()

    def set_catalogue(self, programmes):
        with self._lock:
            self.catalogue = list(programmes)

    def set_schedule(self, programme_id, sessions):
        with self._lock:
            self.schedules[programme_id] = list(sessions)

    def count(self, path):
        """Requests for exactly this path that arrived (answered or not yet)."""
        with self._lock:
            return sum(1 for p in self.arrivals if p == path)

    def log(self, path):
        """(path, If-None-Match, status) of the answered requests for exactly this path."""
        with self._lock:
            return [r for r in self.requests if r[0] == path]

    # ---- serving
    @staticmethod
    def etag_of(doc):
        return '"' + hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:32] + '"'

    def _document(self, path):
        with self._lock:
            if path == "/v1/programmes":
                return {"programmes": self.catalogue}
            parts = path.split("/")
            if len(parts) == 5 and parts[1] == "v1" and parts[2] == "programmes" and parts[4] == "schedules":
                pid = parts[3]
                if pid in self.schedules:
                    return {"programme_id": pid, "sessions": self.schedules[pid]}
            return None

    def _send(self, h, status, body=b"", etag=None):
        h.send_response(status)
        if etag:
            h.send_header("ETag", etag)
        if status != 304:
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if status != 304:
            h.wfile.write(body)

    def _answer(self, h):
        inm = h.headers.get("If-None-Match")
        mode = self.mode
        with self._lock:
            self.arrivals.append(h.path)
        status = None
        try:
            if mode == "slow":
                time.sleep(self.delay)
            if mode == "reset":
                status = 0
                h.close_connection = True
                h.connection.shutdown(2)
                return
            if mode == "error":
                status = 500
                self._send(h, 500, b'{"error": "internal"}')
                return
            if mode == "garbage":
                status = 200
                self._send(h, 200, self.garbage, etag='"garbage"')
                return
            doc = self._document(h.path)
            if doc is None:
                status = 404
                self._send(h, 404, b'{"error": "not_found"}')
                return
            etag = self.etag_of(doc)
            if inm == etag:
                status = 304
                self._send(h, 304, etag=etag)
                return
            status = 200
            self._send(h, 200, json.dumps(doc).encode(), etag=etag)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            with self._lock:
                self.requests.append((h.path, inm, status))
