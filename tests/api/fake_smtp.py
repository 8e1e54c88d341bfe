"""A tiny threaded SMTP server on 127.0.0.1 for the API tests.

It speaks just enough SMTP (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP,
QUIT) for libcurl, records every message and lets a test wait for one:

    smtp = FakeSMTP(); smtp.start()
    msg = smtp.wait_for("someone@example.go.id", timeout=10)
    msg.mail_from, msg.rcpt_to, msg.data, msg.body

smtp.fail_next(rcpt, n) refuses the next n deliveries to rcpt with 451 (a
temporary failure), and smtp.attempts_to(rcpt) lists every try with its time.
"""
import email
import email.policy
import socketserver
import threading
import time


class Message:
    def __init__(self, mail_from, rcpt_to, data):
        self.mail_from = mail_from
        self.rcpt_to = list(rcpt_to)
        self.data = data
        parsed = email.message_from_bytes(data.encode("utf-8", "replace"), policy=email.policy.default)
        self.subject = str(parsed.get("Subject", ""))
        try:
            self.body = parsed.get_content()
        except Exception:  # noqa: BLE001 - a malformed message still gets recorded
            self.body = data

    def __repr__(self):
        return f"Message(from={self.mail_from!r}, to={self.rcpt_to!r}, subject={self.subject!r})"


def _addr(arg):
    arg = arg.strip()
    if "<" in arg and ">" in arg:
        return arg[arg.index("<") + 1 : arg.index(">")]
    return arg.split()[0] if arg else ""


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def send(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        fake = self.server.fake
        self.send("220 fake-smtp ready")
        mail_from, rcpts = None, []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                if verb == "EHLO":
                    self.send("250-fake-smtp")
                    self.send("250-8BITMIME")
                    self.send("250 SIZE 10485760")
                else:
                    self.send("250 fake-smtp")
            elif line.upper().startswith("MAIL FROM:"):
                mail_from, rcpts = _addr(line[10:]), []
                self.send("250 OK")
            elif line.upper().startswith("RCPT TO:"):
                rcpt = _addr(line[8:])
                if fake._attempt(rcpt):
                    rcpts.append(rcpt)
                    self.send("250 OK")
                else:
                    self.send("451 4.3.0 try again later")
            elif verb == "DATA":
                self.send("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    raw = self.rfile.readline(1 << 20)
                    if not raw:
                        return
                    text = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if text == ".":
                        break
                    lines.append(text[1:] if text.startswith("..") else text)
                fake._record(Message(mail_from, rcpts, "\r\n".join(lines) + "\r\n"))
                self.send("250 OK queued")
                mail_from, rcpts = None, []
            elif verb == "RSET":
                mail_from, rcpts = None, []
                self.send("250 OK")
            elif verb == "NOOP":
                self.send("250 OK")
            elif verb == "QUIT":
                self.send("221 bye")
                return
            else:
                self.send("502 command not implemented")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeSMTP:
    def __init__(self, host="127.0.0.1", port=0):
        self._server = _Server((host, port), _Handler)
        self._server.fake = self
        self.host, self.port = self._server.server_address
        self.messages = []
        self.attempts = []  # (time.monotonic(), rcpt, accepted) for every RCPT TO
        self._failures = {}  # rcpt (lower case) -> how many more RCPT TO to refuse with 451
        self._cond = threading.Condition()
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-smtp", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, rcpt, times):
        """Refuses the next `times` deliveries to rcpt with a temporary error (451)."""
        with self._cond:
            self._failures[rcpt.lower()] = times

    def _attempt(self, rcpt):
        with self._cond:
            left = self._failures.get(rcpt.lower(), 0)
            if left > 0:
                self._failures[rcpt.lower()] = left - 1
            self.attempts.append((time.monotonic(), rcpt, left <= 0))
            self._cond.notify_all()
            return left <= 0

    def attempts_to(self, rcpt):
        with self._cond:
            return [(t, ok) for t, r, ok in self.attempts if r.lower() == rcpt.lower()]

    def _record(self, msg):
        with self._cond:
            self.messages.append(msg)
            self._cond.notify_all()

    def wait_for(self, rcpt, timeout=10.0, since=0, predicate=None):
        """The first message to rcpt (case-insensitive) recorded at index >= since
        that satisfies predicate; raises TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for m in self.messages[since:]:
                    if any(r.lower() == rcpt.lower() for r in m.rcpt_to) and (predicate is None or predicate(m)):
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no mail to {rcpt} within {timeout} s")
                self._cond.wait(left)

    def count(self):
        with self._cond:
            return len(self.messages)
