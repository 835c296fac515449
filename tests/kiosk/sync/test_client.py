"""The sync client against a tiny real HTTP server on 127.0.0.1.

The server verifies signatures with the shared signing module, so these tests prove the
request shape (signature over the gzip body as sent, timestamp in server time) and the mapping
of every outcome to TransientError / AuthError / PermanentError.
"""

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from uuid import uuid4

import pytest

from kiosk.sync.client import (
    AuthError,
    CentralClient,
    PermanentError,
    ServerHolds,
    TransientError,
    parse_holds,
    parse_retry_after,
    parse_server_time,
)
from trato.domain.enums import Channel
from trato.protocol import signing
from trato.protocol.wire import (
    CHANGES_PATH,
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SERVER_TIME,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    PUSH_PATH,
    PushBatch,
    PushResult,
    RecordResult,
    RecordStatus,
    SurveyResponseBody,
    WireRecord,
)

Handler = Callable[[BaseHTTPRequestHandler, bytes], tuple[int, dict[str, str], bytes]]


class TinyServer:
    def __init__(self) -> None:
        self.handler: Handler = lambda req, body: (200, {}, b"{}")
        self.requests: list[dict] = []
        self.server_time = datetime.now(UTC)
        outer = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append({"method": self.command, "path": self.path,
                                       "headers": dict(self.headers), "body": body})
                status, headers, payload = outer.handler(self, body)
                self.send_response(status)
                self.send_header(HEADER_SERVER_TIME, outer.server_time.isoformat())
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _handle  # noqa: N815 - http.server API
            do_POST = _handle  # noqa: N815

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (timeout tests) is expected

        self.httpd = Quiet(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[TinyServer]:
    s = TinyServer()
    yield s
    s.close()


def _batch(kiosk_id, n: int = 3) -> PushBatch:
    records = [
        WireRecord(
            id=uuid4(), seq=i + 1, created_at=datetime.now(UTC),
            body=SurveyResponseBody(instrument_id="std", instrument_version=1, language="es",
                                    channel=Channel.KIOSK, service_code=None, rating=4,
                                    comment="x" * 300, duration_ms=1000),
        )
        for i in range(n)
    ]
    return PushBatch(schema_version=1, kiosk_id=kiosk_id, batch_id=uuid4(),
                     sent_at=datetime.now(UTC), app_version="0.1.0", records=records)


def _client(server: TinyServer, **kw) -> CentralClient:
    key = signing.new_signing_key()
    c = CentralClient(server.url, kiosk_id=uuid4(), signing_key=key, connect_timeout=1,
                      read_timeout=1, **kw)
    c._test_public = signing.public_key_b64(key)  # type: ignore[attr-defined]
    return c


def _ok_push(req: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict, bytes]:
    raw = gzip.decompress(body) if req.headers.get("Content-Encoding") == "gzip" else body
    batch = PushBatch.model_validate_json(raw)
    result = PushResult(
        received_at=datetime.now(UTC), clock_offset_seconds=0.0,
        results=[RecordResult(id=r.id, status=RecordStatus.STORED) for r in batch.records],
    )
    return 200, {}, result.model_dump_json().encode()


def test_push_is_gzip_signed_and_parsed(server: TinyServer) -> None:
    server.handler = _ok_push
    with _client(server) as client:
        batch = _batch(client.kiosk_id)
        result = client.push(batch)
    assert [r.id for r in result.results] == [r.id for r in batch.records]
    req = server.requests[0]
    h = req["headers"]
    assert h["Content-Encoding"] == "gzip"
    assert h[HEADER_KIOSK] == str(client.kiosk_id)
    message = signing.canonical_request("POST", PUSH_PATH, int(h[HEADER_TIMESTAMP]),
                                        h[HEADER_NONCE], req["body"])
    assert signing.verify(client._test_public, message, h[HEADER_SIGNATURE])  # type: ignore[attr-defined]


def test_changes_signs_path_with_query(server: TinyServer) -> None:
    server.handler = lambda req, body: (
        200, {}, json.dumps({"changes": [], "next_cursor": 7, "has_more": False}).encode())
    with _client(server) as client:
        feed = client.changes(7, limit=50)
    assert feed.next_cursor == 7
    req = server.requests[0]
    assert req["path"] == f"{CHANGES_PATH}?cursor=7&limit=50"
    h = req["headers"]
    message = signing.canonical_request("GET", req["path"], int(h[HEADER_TIMESTAMP]),
                                        h[HEADER_NONCE], b"")
    assert signing.verify(client._test_public, message, h[HEADER_SIGNATURE])  # type: ignore[attr-defined]


@pytest.mark.parametrize("kiosk_clock", [datetime(1970, 1, 1, tzinfo=UTC),
                                         datetime.now(UTC) + timedelta(days=5 * 365)])
def test_expired_learns_offset_and_retries_once(server: TinyServer, kiosk_clock) -> None:
    def handler(req, body):
        ts = int(req.headers[HEADER_TIMESTAMP])
        if abs(ts - server.server_time.timestamp()) > signing.TIMESTAMP_WINDOW_SECONDS:
            return 401, {}, json.dumps({"code": "expired", "detail": "clock"}).encode()
        return _ok_push(req, body)

    server.handler = handler
    with _client(server, clock=lambda: kiosk_clock) as client:
        result = client.push(_batch(client.kiosk_id, 1))
        assert len(result.results) == 1
        assert len(server.requests) == 2
        assert abs(client.offset_seconds - (server.server_time - kiosk_clock).total_seconds()) < 5
        client.push(_batch(client.kiosk_id, 1))  # offset known: no more retries
        assert len(server.requests) == 3


def test_expired_twice_is_transient(server: TinyServer) -> None:
    server.handler = lambda req, body: (401, {}, b'{"code":"expired","detail":"x"}')
    with _client(server) as client, pytest.raises(TransientError) as info:
        client.push(_batch(client.kiosk_id, 1))
    assert info.value.code == "expired"
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("status", "headers", "body", "kind", "code"),
    [
        (500, {}, b"boom", TransientError, "server_error"),
        (502, {}, b"<html>bad gateway</html>", TransientError, "server_error"),
        (429, {"Retry-After": "7"}, b"", TransientError, "rate_limited"),
        (401, {}, b'{"code":"revoked","detail":"revocado"}', AuthError, "revoked"),
        (401, {}, b'{"code":"bad_signature","detail":"x"}', AuthError, "bad_signature"),
        (403, {}, b'{"detail":{"code":"unknown_kiosk","detail":"x"}}', AuthError, "unknown_kiosk"),
        (422, {}, b'{"code":"invalid","detail":"bad field"}', PermanentError, "invalid"),
        (413, {}, b"", PermanentError, "http_413"),
        (200, {}, b"not json", TransientError, "bad_response"),
    ],
)
def test_outcomes_are_mapped(server, status, headers, body, kind, code) -> None:
    server.handler = lambda req, b: (status, headers, body)
    with _client(server) as client, pytest.raises(kind) as info:
        client.push(_batch(client.kiosk_id, 1))
    assert info.value.code == code
    if status == 429:
        assert info.value.retry_after == 7


def test_refused_connection_is_transient() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = CentralClient(f"http://127.0.0.1:{port}", kiosk_id=uuid4(),
                           signing_key=signing.new_signing_key(), connect_timeout=0.5)
    with client, pytest.raises(TransientError) as info:
        client.changes(0)
    assert info.value.code == "network"


def test_read_timeout_is_transient(server: TinyServer) -> None:
    def slow(req, body):
        time.sleep(1.5)
        return 200, {}, b"{}"

    server.handler = slow
    client = CentralClient(server.url, kiosk_id=uuid4(), signing_key=signing.new_signing_key(),
                           connect_timeout=0.5, read_timeout=0.3)
    with client, pytest.raises(TransientError) as info:
        client.changes(0)
    assert info.value.code == "timeout"


def test_tls_verification_is_on_and_takes_a_bundle(tmp_path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    assert CentralClient("https://x.invalid").session.verify is True
    assert CentralClient("https://x.invalid", ca_bundle=str(bundle)).session.verify == str(bundle)


def test_header_parsers() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_server_time("2026-01-02T03:04:05+00:00") == when
    assert parse_server_time("Fri, 02 Jan 2026 03:04:05 GMT") == when
    assert parse_server_time("1767323045").year == 2026  # type: ignore[union-attr]
    assert parse_server_time("garbage") is None
    assert parse_retry_after("12") == 12
    assert parse_retry_after("-3") == 0
    assert parse_retry_after("99999999") == 3600
    assert parse_retry_after(None) is None


def test_what_the_server_holds_is_read_only_when_it_says_so_plainly() -> None:
    assert parse_holds({"X-TD-Records-Held": "12", "X-TD-Changes-Top": "40"}) == ServerHolds(
        records_seq=12, changes_top=40)
    assert parse_holds({}) is None  # an older server: nothing is resent, nothing rewound
    for held, top in (("12", "x"), ("-1", "40"), ("", "40"), ("1.5", "40")):
        assert parse_holds({"X-TD-Records-Held": held, "X-TD-Changes-Top": top}) is None
