"""A fake S3 that checks every request's AWS Signature Version 4 as AWS does.

Enough of the S3 API for core/storage_s3.c: path-style PUT/GET/DELETE of an
object and ListObjectsV2 (list-type=2, max-keys, continuation-token) on one
bucket, kept in memory. Anything unsigned, or signed wrongly, is answered 403
with AWS's error code (SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied,
RequestTimeTooSkewed) and never touches the objects.

The signature is recomputed with botocore's own signer (Debian's
python3-botocore, the code every AWS SDK for Python signs with), fed the
request as the server sees it, the way AWS canonicalises it:
  - the path and every query parameter are decoded and re-encoded once
    (RFC 3986, unreserved characters kept), the parameters sorted, so a client
    that signs a query other than canonically (unsorted, unencoded) fails;
  - the canonical headers are exactly the headers named in SignedHeaders, with
    the values the request carries: a name listed there but not sent (curl
    7.88's "expect") changes the canonical request, so the signature fails;
  - host must be signed and so must every x-amz-* header sent;
  - x-amz-content-sha256 must be the body's digest (XAmzContentSHA256Mismatch),
    the credential scope's date must be x-amz-date's, and x-amz-date within
    15 minutes of now.

`FakeS3` runs in the test process (a thread), so tests reach the objects
directly (put_object, get_object, keys) and read the log of requests it
answered (`requests`, `rejected`). `sign()` signs a request with botocore for
tests that play an independent client (another secret, a tampered header)."""
import base64
import datetime
import hashlib
import hmac
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

ACCESS_KEY = "EOFFICETESTKEY"
SECRET_KEY = "eoffice/test+secret=key"   # '/', '+', '=': nothing in it may be mangled on the way
REGION = "ap-southeast-3"
BUCKET = "photos"
MAX_SKEW = datetime.timedelta(minutes=15)
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


class _Verifier(S3SigV4Auth):
    """botocore's S3 signer with the header set the client declared, instead of
    the one botocore would pick for its own requests (it leaves out expect and
    user-agent)."""

    def __init__(self, credentials, region, signed):
        super().__init__(credentials, "s3", region)
        self._signed = signed

    def headers_to_sign(self, request):
        out = HTTPHeaders()
        for name, value in request.headers.items():
            if name.lower() in self._signed:
                out[name.lower()] = value
        return out


def _quote(s):
    return urllib.parse.quote(s, safe="-_.~")


def parse_query(raw):
    """[(name, value)] decoded once; '+' stays '+', as in SigV4."""
    pairs = []
    for part in raw.split("&") if raw else []:
        name, _, value = part.partition("=")
        pairs.append((urllib.parse.unquote(name), urllib.parse.unquote(value)))
    return pairs


def parse_authorization(value):
    """(access_key, scope list, signed header names, signature) or None."""
    algo, _, rest = (value or "").partition(" ")
    if algo != "AWS4-HMAC-SHA256":
        return None
    fields = {}
    for item in rest.split(","):
        k, sep, v = item.strip().partition("=")
        if not sep or k in fields:
            return None
        fields[k] = v
    if set(fields) != {"Credential", "SignedHeaders", "Signature"}:
        return None
    cred = fields["Credential"].split("/")
    if len(cred) != 5:
        return None
    return cred[0], cred[1:], fields["SignedHeaders"].split(";"), fields["Signature"]


def expected_signature(method, raw_path, raw_query, headers, body, secret, region, amz_date, signed):
    """What AWS computes for this request; also returns the canonical request."""
    canon_path = urllib.parse.quote(urllib.parse.unquote(raw_path), safe="/-_.~")
    req = AWSRequest(method=method, url="http://fake-s3" + canon_path, data=body)
    req.headers = HTTPHeaders()
    for name, value in headers:
        req.headers[name] = value
    req.params = parse_query(raw_query)
    req.context["timestamp"] = amz_date
    v = _Verifier(Credentials(ACCESS_KEY, secret), region, set(signed))
    canonical = v.canonical_request(req)
    return v.signature(v.string_to_sign(req, canonical), req), canonical


def sign(method, url, body=b"", headers=None, access_key=ACCESS_KEY, secret=SECRET_KEY, region=REGION):
    """Headers for a request signed by botocore (an independent client)."""
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    S3SigV4Auth(Credentials(access_key, secret), "s3", region).add_auth(req)
    return dict(req.headers.items())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeS3"

    def log_message(self, *args):
        pass

    def _reply(self, status, body=b"", ctype="application/xml", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status, code, message, **detail):
        self.server.fake._note(self.command, self.path, status, code)
        extra = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in detail.items())
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                f"<Message>{escape(message)}</Message>{extra}</Error>").encode()
        self._reply(status, body)

    def _verify(self, body):
        """None when the signature holds, else (status, code, message, detail)."""
        fake = self.server.fake
        parsed = parse_authorization(self.headers.get("Authorization"))
        if parsed is None:
            return 403, "AccessDenied", "Access Denied (no or malformed SigV4 Authorization)", {}
        access_key, scope, signed, signature = parsed
        with fake.lock:
            fake.signed_headers.append(signed)
        if access_key != ACCESS_KEY:
            return 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist", {}
        amz_date = self.headers.get("x-amz-date", "")
        try:
            when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
        except ValueError:
            return 403, "AccessDenied", "x-amz-date missing or malformed", {}
        if abs(datetime.datetime.utcnow() - when) > MAX_SKEW:
            return 403, "RequestTimeTooSkewed", "The difference between the request time and now is too large", {}
        if scope[0] != amz_date[:8] or scope[1] != fake.region or scope[2] != "s3" or scope[3] != "aws4_request":
            return 400, "AuthorizationHeaderMalformed", f"bad credential scope {'/'.join(scope)}", {}
        names = [n.lower() for n in self.headers.keys()]
        if signed != sorted(set(signed)) or "host" not in signed:
            return 403, "AccessDenied", "SignedHeaders must be sorted, unique and include host", {}
        unsigned_amz = sorted({n for n in names if n.startswith("x-amz-")} - set(signed))
        if unsigned_amz:
            return 403, "AccessDenied", "There were headers present in the request which were not signed", \
                {"HeadersNotSigned": ", ".join(unsigned_amz)}
        content_sha = self.headers.get("x-amz-content-sha256")
        if content_sha is None:
            return 400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256", {}
        if content_sha != "UNSIGNED-PAYLOAD" and content_sha != hashlib.sha256(body).hexdigest():
            return 400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match", {}
        raw_path, _, raw_query = self.path.partition("?")
        want, canonical = expected_signature(self.command, raw_path, raw_query, list(self.headers.items()), body,
                                             fake.secret, fake.region, amz_date, signed)
        if not hmac.compare_digest(want, signature):
            return 403, "SignatureDoesNotMatch", ("The request signature we calculated does not match the signature"
                                                  " you provided. Check your key and signing method."), \
                {"CanonicalRequest": canonical, "SignatureProvided": signature}
        return None

    def _handle(self):
        fake = self.server.fake
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding"):
            return self._error(501, "NotImplemented", "Transfer-Encoding is not supported here")
        body = self.rfile.read(int(length)) if length else b""
        bad = self._verify(body)
        if bad:
            status, code, message, detail = bad
            return self._error(status, code, message, **detail)
        raw_path, _, raw_query = self.path.partition("?")
        parts = urllib.parse.unquote(raw_path).split("/", 2)
        if len(parts) < 2 or parts[1] != fake.bucket:
            return self._error(404, "NoSuchBucket", "The specified bucket does not exist")
        query = dict(parse_query(raw_query))
        if len(parts) == 2 or parts[2] == "":
            if self.command == "GET" and query.get("list-type") == "2":
                return self._list(query)
            return self._error(400, "InvalidRequest", "only ListObjectsV2 on the bucket")
        key = parts[2]
        if query:
            return self._error(400, "InvalidArgument", "no sub-resources on objects here")
        if self.command == "PUT":
            fake.put_object(key, body, self.headers.get("Content-Type", "binary/octet-stream"))
            fake._note("PUT", self.path, 200, None)
            etag = '"%s"' % hashlib.md5(body).hexdigest()
            return self._reply(200, extra={"ETag": etag})
        if self.command in ("GET", "HEAD"):
            with fake.lock:
                obj = fake.objects.get(key)
            if obj is None:
                return self._error(404, "NoSuchKey", "The specified key does not exist.", Key=key)
            fake._note(self.command, self.path, 200, None)
            modified = datetime.datetime.utcfromtimestamp(obj[2]).strftime("%a, %d %b %Y %H:%M:%S GMT")
            return self._reply(200, obj[0], obj[1], {"Last-Modified": modified})
        if self.command == "DELETE":
            with fake.lock:
                fake.objects.pop(key, None)
            fake._note("DELETE", self.path, 204, None)
            return self._reply(204)
        return self._error(405, "MethodNotAllowed", "The specified method is not allowed")

    def _list(self, query):
        fake = self.server.fake
        unknown = set(query) - {"list-type", "max-keys", "continuation-token", "prefix", "start-after"}
        if unknown:
            return self._error(400, "InvalidArgument", "unsupported parameter " + ", ".join(sorted(unknown)))
        try:
            max_keys = min(int(query.get("max-keys", "1000")), 1000)
        except ValueError:
            return self._error(400, "InvalidArgument", "max-keys is not a number")
        if max_keys < 0:
            return self._error(400, "InvalidArgument", "max-keys is negative")
        after = query.get("start-after", "")
        token = query.get("continuation-token")
        if token is not None:
            with fake.lock:
                after = fake.tokens.get(token)
            if after is None:
                return self._error(400, "InvalidArgument", "The continuation token provided is incorrect")
        prefix = query.get("prefix", "")
        with fake.lock:
            keys = sorted(k for k in fake.objects if k > after and k.startswith(prefix))
            page = [(k, fake.objects[k]) for k in keys[:max_keys]]
            truncated = len(keys) > max_keys
            next_token = None
            if truncated and page:
                # Opaque, and full of what must be escaped in XML and in a query: '/', '+', '=', '&'.
                next_token = "v1/" + base64.b64encode(page[-1][0].encode()).decode() + "+&=" + str(len(fake.tokens))
                fake.tokens[next_token] = page[-1][0]
        items = "".join(
            f"<Contents><Key>{escape(k)}</Key><LastModified>"
            f"{datetime.datetime.utcfromtimestamp(o[2]).strftime('%Y-%m-%dT%H:%M:%S.000Z')}</LastModified>"
            f"<ETag>&quot;{hashlib.md5(o[0]).hexdigest()}&quot;</ETag><Size>{len(o[0])}</Size>"
            f"<StorageClass>STANDARD</StorageClass></Contents>" for k, o in page)
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="{S3_NS}"><Name>{fake.bucket}</Name>'
               f"<Prefix>{escape(prefix)}</Prefix><KeyCount>{len(page)}</KeyCount><MaxKeys>{max_keys}</MaxKeys>"
               f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"
               + (f"<ContinuationToken>{escape(token)}</ContinuationToken>" if token else "")
               + (f"<NextContinuationToken>{escape(next_token)}</NextContinuationToken>" if next_token else "")
               + items + "</ListBucketResult>")
        fake._note("LIST", self.path, 200, None)
        return self._reply(200, xml.encode())

    do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = _handle


class FakeS3:
    def __init__(self, secret=SECRET_KEY, region=REGION, bucket=BUCKET):
        self.secret, self.region, self.bucket = secret, region, bucket
        self.objects = {}          # key -> (bytes, content type, mtime)
        self.tokens = {}           # continuation token -> last key of its page
        self.requests = []         # (method, path, status, error code or None)
        self.signed_headers = []   # SignedHeaders of each signed request, as the client declared them
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def server_env(self, **extra):
        """EOFFICE_* settings that point a server at this fake."""
        env = dict(EOFFICE_STORAGE="s3", EOFFICE_S3_ENDPOINT=self.url, EOFFICE_S3_BUCKET=self.bucket,
                   EOFFICE_S3_REGION=self.region, EOFFICE_S3_ACCESS_KEY=ACCESS_KEY, EOFFICE_S3_SECRET_KEY=SECRET_KEY)
        env.update(extra)
        return env

    def _note(self, method, path, status, code):
        with self.lock:
            self.requests.append((method, path, status, code))

    @property
    def rejected(self):
        with self.lock:
            return [r for r in self.requests if r[2] in (400, 403)]

    def served(self, method):
        with self.lock:
            return [r for r in self.requests if r[0] == method and r[3] is None]

    def put_object(self, key, data, ctype="binary/octet-stream", mtime=None):
        with self.lock:
            self.objects[key] = (bytes(data), ctype, time.time() if mtime is None else mtime)

    def get_object(self, key):
        with self.lock:
            obj = self.objects.get(key)
        return obj[0] if obj else None

    def keys(self):
        with self.lock:
            return sorted(self.objects)

    def stop(self):
        """The service goes away: the port refuses connections."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


try:
    import pytest

    @pytest.fixture
    def fake_s3():
        s3 = FakeS3()
        yield s3
        s3.stop()
except ImportError:   # used outside pytest
    pass
