"""The kiosk's HTTP client for the central server: the ONLY module that imports requests.

Every call goes through one :class:`requests.Session` with explicit ``(connect, read)``
timeouts, TLS verification always on (optionally against a hospital's private CA bundle),
gzip-compressed request bodies, and an Ed25519 signature (see :mod:`trato.protocol.signing`).

The timestamp a request is signed with is the kiosk's clock corrected by the offset learned
from the server's ``X-TD-Server-Time`` header (architecture principle 6): a kiosk with its
clock at 1970 still signs in server time. When the server answers ``expired`` the client
learns the offset from that very answer and retries once.

Every outcome is mapped at this boundary to a :class:`SyncError` subclass; nothing above this
module ever sees a requests exception:

* :class:`TransientError` - network failures, timeouts, 5xx, 429 (``retry_after`` from
  ``Retry-After``), unreadable answers: try again later, with backoff.
* :class:`AuthError` - the server does not accept this kiosk (revoked, unknown, bad
  signature): stop sending, keep the data, tell the staff.
* :class:`PermanentError` - any other 4xx: the request itself is wrong; retrying will not help.
"""

import email.utils
import gzip
import json
import logging
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

import requests
from nacl.signing import SigningKey
from pydantic import BaseModel, ValidationError

from kiosk import __version__
from kiosk.clock import now_callable
from trato.protocol import signing
from trato.protocol.wire import (
    CHANGES_PATH,
    ENROL_PATH,
    HEADER_CHANGES_TOP,
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_RECORDS_HELD,
    HEADER_SERVER_TIME,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    PUSH_PATH,
    REPORT_PATH,
    STATUS_PATH,
    ChangeFeed,
    EnrolmentRequest,
    EnrolmentResponse,
    ErrorBody,
    KioskReport,
    KioskReportResult,
    PushBatch,
    PushResult,
)

log = logging.getLogger(__name__)

#: Error codes (ErrorBody.code) that mean the server will not talk to this kiosk.
AUTH_CODES = frozenset(
    {"revoked", "unknown_kiosk", "bad_signature", "unauthorized", "forbidden", "not_enrolled",
     "kiosk_revoked", "invalid_signature"}
)
#: Error codes that are worth retrying later even though they came as a 4xx.
TRANSIENT_CODES = frozenset({"expired", "replayed", "rate_limited", "busy"})

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0
#: Cap on a server's Retry-After, so a misconfigured proxy cannot silence a kiosk for days.
MAX_RETRY_AFTER_SECONDS = 3600.0

M = TypeVar("M", bound=BaseModel)


class SyncError(Exception):
    """Base of every failure the client reports. ``code`` is stable and machine-readable."""

    def __init__(self, code: str, detail: str = "", *, status: int | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.status = status


class TransientError(SyncError):
    """Try again later. ``retry_after`` (seconds) when the server asked for a delay."""

    def __init__(
        self,
        code: str,
        detail: str = "",
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(code, detail, status=status)
        self.retry_after = retry_after


class AuthError(SyncError):
    """The server refuses this kiosk (revoked, unknown kiosk, bad signature)."""


class PermanentError(SyncError):
    """The server refused the request itself (a protocol error); retrying will not help."""


def parse_server_time(value: str | None) -> datetime | None:
    """The ``X-TD-Server-Time`` header: ISO 8601, an HTTP date or epoch seconds."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (ValueError, OverflowError, OSError):
            pass
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), capped; None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, min(seconds, MAX_RETRY_AFTER_SECONDS))


@dataclass(frozen=True)
class ServerHolds:
    """What the server said it holds, with the last changes page (``X-TD-Records-Held``,
    ``X-TD-Changes-Top``): the highest record seq of this kiosk and its highest cursor."""

    records_seq: int
    changes_top: int


def parse_holds(headers: Mapping[str, str]) -> ServerHolds | None:
    """None when the server did not say (an older server) or said something malformed."""
    try:
        held, top = int(headers[HEADER_RECORDS_HELD]), int(headers[HEADER_CHANGES_TOP])
    except (KeyError, TypeError, ValueError):
        return None
    if held < 0 or top < 0:
        return None
    return ServerHolds(records_seq=held, changes_top=top)


class CentralClient:
    """Signed, timed, gzip-compressing HTTP calls to the central server's kiosk API.

    ``clock`` is a callable returning an aware datetime (or an object with ``now()``); tests
    inject a wrong clock to prove the offset handling. Not thread-safe: one worker owns it.
    """

    def __init__(
        self,
        server_url: str,
        *,
        kiosk_id: UUID | None = None,
        signing_key: SigningKey | None = None,
        ca_bundle: str | None = None,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        clock: Any = None,
        offset_seconds: float = 0.0,
        compress_min_bytes: int = 512,
        app_version: str = __version__,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.signing_key = signing_key
        self.timeout = (connect_timeout, read_timeout)
        self._now = now_callable(clock)
        #: server time minus kiosk time, learned from every answer.
        self.offset_seconds = float(offset_seconds)
        self.offset_learned = False
        self.holds: ServerHolds | None = None
        self.compress_min_bytes = compress_min_bytes
        self.app_version = app_version
        self.session = requests.Session()
        # TLS verification is always on; a path adds a private CA bundle.
        self.session.verify = ca_bundle if ca_bundle else True
        self.session.headers.update(
            {"User-Agent": f"trato-kiosk/{app_version}", "Accept": "application/json",
             "Accept-Encoding": "gzip"}
        )

    # ------------------------------------------------------------------ public API

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "CentralClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def server_now(self) -> datetime:
        """The kiosk clock corrected by the learned offset (best guess of server time)."""
        from datetime import timedelta

        return self._now() + timedelta(seconds=self.offset_seconds)

    def enrol(self, request: EnrolmentRequest) -> EnrolmentResponse:
        """Enrol with a one-time token. Not signed (the kiosk has no identity yet)."""
        body = request.model_dump_json().encode("utf-8")
        response = self._send("POST", ENROL_PATH, body, signed=False)
        result = self._parse(response, EnrolmentResponse)
        return result

    def push(self, batch: PushBatch) -> PushResult:
        body = batch.model_dump_json().encode("utf-8")
        return self.push_raw(body)

    def push_raw(self, body: bytes) -> PushResult:
        """Push an already serialised :class:`PushBatch` (saves one copy on big batches)."""
        response = self._send("POST", PUSH_PATH, body, signed=True)
        return self._parse(response, PushResult)

    def changes(self, since: int, limit: int = 500) -> ChangeFeed:
        """One page of changes after ``since``; what the server said it holds is left in
        :attr:`holds` (None from a server that does not say)."""
        path = f"{CHANGES_PATH}?cursor={int(since)}&limit={int(limit)}"
        response = self._send("GET", path, b"", signed=True)
        feed = self._parse(response, ChangeFeed)
        self.holds = parse_holds(response.headers)
        return feed

    def report(self, report: KioskReport) -> KioskReportResult:
        """Send the kiosk's version and last self-test (signed)."""
        response = self._send("POST", REPORT_PATH, report.model_dump_json().encode("utf-8"),
                              signed=True)
        return self._parse(response, KioskReportResult)

    def kiosk_status(self) -> dict[str, Any]:
        """A signed check of this kiosk's standing (``trato-kiosk self-test``): raises
        :class:`AuthError` when the server does not know it or revoked it."""
        response = self._send("GET", STATUS_PATH, b"", signed=True)
        try:
            payload = json.loads(response.content)
        except ValueError:
            raise TransientError("bad_response", f"status {response.status_code}") from None
        return payload if isinstance(payload, dict) else {}

    # ------------------------------------------------------------------ signed updates
    def update_offer(self, platform: str) -> Any:
        """The version this kiosk may install, built for ``platform`` (linux, windows): an
        :class:`~trato.protocol.updates.UpdateOffer` signed by the server's targets key
        (imported here: TUF's libraries load only when the updater runs)."""
        from trato.protocol.updates import OFFER_PATH, UpdateOffer

        path = f"{OFFER_PATH}?platform={platform}"
        return self._parse(self._send("GET", path, b"", signed=True), UpdateOffer)

    def download(self, url: str, chunk_bytes: int = 256 * 1024) -> Iterator[bytes]:
        """Stream a file of the update repository (unsigned GET, TLS as every call); the
        TUF client checks length and hashes. Raises :class:`SyncError` (``http_404`` …)."""
        if not url.startswith(self.server_url + "/"):
            raise PermanentError("bad_url", "not on the enrolled server")
        try:
            response = self.session.get(url, stream=True, timeout=self.timeout,
                                        allow_redirects=False, headers={"Accept": "*/*"})
        except requests.exceptions.RequestException as exc:
            raise TransientError("network", type(exc).__name__) from None
        with response:
            if response.status_code != 200:
                raise self._error(response)
            try:
                yield from response.iter_content(chunk_bytes)
            except (requests.exceptions.RequestException, OSError) as exc:
                raise TransientError("network", type(exc).__name__) from None

    # ------------------------------------------------------------------ internals

    def _headers(self, method: str, path: str, body: bytes, signed: bool) -> dict[str, str]:
        headers: dict[str, str] = {}
        if body:
            headers["Content-Type"] = "application/json"
        if signed:
            if self.signing_key is None or self.kiosk_id is None:
                raise AuthError("not_enrolled", "this kiosk has no credentials")
            timestamp = int(self.server_now().timestamp())
            nonce = secrets.token_urlsafe(18)
            message = signing.canonical_request(method, path, timestamp, nonce, body)
            headers[HEADER_KIOSK] = str(self.kiosk_id)
            headers[HEADER_TIMESTAMP] = str(timestamp)
            headers[HEADER_NONCE] = nonce
            headers[HEADER_SIGNATURE] = signing.sign(self.signing_key, message)
        return headers

    def _send(self, method: str, path: str, body: bytes, *, signed: bool) -> requests.Response:
        wire_body = body
        encoding: str | None = None
        if body and len(body) >= self.compress_min_bytes:
            wire_body = gzip.compress(body, compresslevel=5, mtime=0)
            encoding = "gzip"
        for attempt in (1, 2):
            headers = self._headers(method, path, wire_body, signed)
            if encoding:
                headers["Content-Encoding"] = encoding
            response = self._request(method, path, wire_body, headers)
            self._learn_offset(response)
            if response.status_code < 400:
                return response
            error = self._error(response)
            if attempt == 1 and response.status_code in (400, 401, 403) and error.code == "expired":
                log.info("request refused as expired; clock offset now %.0f s, retrying once",
                         self.offset_seconds)
                continue
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> requests.Response:
        url = self.server_url + path
        try:
            response = self.session.request(
                method, url, data=body or None, headers=headers, timeout=self.timeout,
                allow_redirects=False,
            )
            # Read the whole body here, inside the try, so a connection that dies mid-answer
            # is a transient network error and not an exception somewhere above.
            _ = response.content
        except requests.exceptions.SSLError as exc:
            raise TransientError("tls", type(exc).__name__) from None
        except requests.exceptions.Timeout as exc:
            raise TransientError("timeout", type(exc).__name__) from None
        except requests.exceptions.InvalidURL as exc:
            raise PermanentError("bad_url", type(exc).__name__) from None
        except (requests.exceptions.RequestException, OSError, ValueError) as exc:
            # ConnectionError, ChunkedEncodingError, ContentDecodingError, ...
            raise TransientError("network", type(exc).__name__) from None
        return response

    def _learn_offset(self, response: requests.Response) -> None:
        server_time = parse_server_time(response.headers.get(HEADER_SERVER_TIME))
        if server_time is None:
            return
        self.offset_seconds = (server_time - self._now()).total_seconds()
        self.offset_learned = True

    def _error(self, response: requests.Response) -> SyncError:
        status = response.status_code
        code, detail = f"http_{status}", ""
        try:
            payload = json.loads(response.content)
            if isinstance(payload, dict) and isinstance(payload.get("detail"), dict):
                payload = payload["detail"]  # FastAPI HTTPException(detail={...})
            err = ErrorBody.model_validate(payload)
            code, detail = err.code, err.detail
        except (ValueError, ValidationError, TypeError):
            pass
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            name = "rate_limited" if status == 429 else "server_error"
            return TransientError(name if code.startswith("http_") else code, detail,
                                  status=status, retry_after=retry_after)
        if status in (408, 425):
            return TransientError("timeout", detail, status=status)
        if code in TRANSIENT_CODES:
            return TransientError(code, detail, status=status,
                                  retry_after=parse_retry_after(response.headers.get("Retry-After")))
        if code in AUTH_CODES or status in (401, 403):
            return AuthError(code, detail, status=status)
        return PermanentError(code, detail, status=status)

    def _parse(self, response: requests.Response, model: type[M]) -> M:
        try:
            return model.model_validate_json(response.content)
        except (ValidationError, ValueError):
            # A proxy that mangled the answer; the request is idempotent, so retry later.
            raise TransientError("bad_response", f"status {response.status_code}") from None
