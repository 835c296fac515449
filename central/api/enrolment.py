"""Joining and leaving: a kiosk enrols with a one-time token (unsigned: it has no identity
yet), an administrator revokes it; and the health check."""

import hmac
import logging
import threading
import time
import uuid
from collections import deque
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from central.api.bodies import (
    Health,
    KioskStatusOut,
    RevokeRequest,
    check_schema_version,
    check_storable_text,
    errors,
    parse_json,
    parse_model,
    read_raw_body,
)
from central.api.errors import ApiError
from central.api.openapi import ADMIN, request_body
from central.db import write_session
from central.services.enrolment import (
    EnrolmentContext,
    EnrolmentError,
    enrol,
    normalise_code,
    revoke_kiosk,
)
from central.settings import CentralSettings
from trato.protocol.wire import API_PREFIX, ENROL_PATH, EnrolmentRequest, EnrolmentResponse

log = logging.getLogger(__name__)
router = APIRouter()

#: Wrong short codes tolerated per address, and from every address together, per window:
#: with a thousand live codes a guesser gets one in about 10^7 windows (docs/operations.md).
CODE_FAILURES_PER_ADDRESS = 10
CODE_FAILURES_ALL = 200
CODE_WINDOW_SECONDS = 15 * 60


class CodeAttempts:
    """Failed short-code enrolments in this process, per address and in all; a code tried
    while either is at its limit is answered 429 ``rate_limited`` without being looked up."""

    def __init__(self, per_address: int = CODE_FAILURES_PER_ADDRESS,
                 overall: int = CODE_FAILURES_ALL, window: float = CODE_WINDOW_SECONDS) -> None:
        self.limits = {"address": per_address, "all": overall}
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        queue = self._failures.setdefault(key, deque())
        while queue and queue[0] <= now - self.window:
            queue.popleft()
        return queue

    def wait(self, address: str) -> float | None:
        """Seconds until ``address`` may try a code again, or None."""
        now = time.monotonic()
        with self._lock:
            waits = [q[0] + self.window - now
                     for key, limit in ((f"a:{address}", self.limits["address"]),
                                        ("all", self.limits["all"]))
                     if len(q := self._recent(key, now)) >= limit]
        return max(1.0, max(waits)) if waits else None

    def failed(self, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"a:{address}", "all"):
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle addresses
                for key in [k for k, q in self._failures.items() if not q]:
                    del self._failures[key]


@router.get("/healthz", response_model=Health, responses=errors(503), tags=["health"])
async def healthz(request: Request) -> Any:
    engine = request.app.state.engine

    def ping() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await run_in_threadpool(ping)
    except OperationalError:
        raise ApiError(503, "database_unavailable", "the database does not answer") from None
    import central

    return Health(status="ok", database=engine.dialect.name, version=central.__version__)


@router.post(ENROL_PATH, response_model=EnrolmentResponse, tags=["kiosk"],
             responses=errors(400, 401, 409, 413, 422, 429),
             openapi_extra=request_body(EnrolmentRequest))
async def enrol_kiosk(request: Request) -> Any:
    """Enrol a kiosk with a one-time token or short code (not signed: the kiosk has no
    identity yet). Too many wrong codes: 429 ``rate_limited`` with ``Retry-After``."""
    settings: CentralSettings = request.app.state.settings
    raw = await read_raw_body(request, 64 * 1024)
    data = parse_json(raw)
    check_schema_version(data)
    req = parse_model(EnrolmentRequest, data)
    check_storable_text(req.token, req.hostname, req.app_version)
    attempts: CodeAttempts = request.app.state.code_attempts
    address = request.client.host if request.client else "unknown"
    is_code = normalise_code(req.token) is not None
    wait = attempts.wait(address) if is_code else None
    if wait is not None:
        raise ApiError(429, "rate_limited", "too many wrong enrolment codes; wait and retry",
                       {"Retry-After": str(int(wait))})
    ctx = EnrolmentContext(tracking_base_url=settings.public_base_url,
                           sealing_public_key=request.app.state.sealing_public_key,
                           timezone=settings.timezone)

    def work() -> EnrolmentResponse:
        with write_session(request.app.state.engine) as session:
            try:
                return enrol(session, req, ctx)
            except EnrolmentError as exc:
                if is_code and exc.code in ("invalid_token", "token_expired", "token_used"):
                    attempts.failed(address)
                raise ApiError(exc.status, exc.code, exc.detail) from None

    response = await run_in_threadpool(work)
    log.info("kiosk %s enrolled", response.kiosk_id)
    return response


@router.post(f"{API_PREFIX}/kiosks/{{kiosk_id}}/revoke", response_model=KioskStatusOut,
             responses=errors(400, 401, 403, 404, 413, 422), tags=["admin"],
             openapi_extra={**request_body(RevokeRequest, required=False), "security": ADMIN})
async def revoke(request: Request, kiosk_id: uuid.UUID) -> Any:
    """Revoke a kiosk (``Authorization: Bearer <TD_CENTRAL_ADMIN_TOKEN>``)."""
    app = request.app
    settings: CentralSettings = app.state.settings
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if not settings.admin_token:
        raise ApiError(403, "disabled", "administrative API is disabled (no admin token set)")
    if not token or not hmac.compare_digest(token, settings.admin_token):
        raise ApiError(401, "unauthorised", "a valid admin token is required")
    raw = await read_raw_body(request, 16 * 1024)
    body = parse_model(RevokeRequest, parse_json(raw)) if raw.strip() else RevokeRequest()

    def work() -> KioskStatusOut:
        with write_session(app.state.engine) as session:
            try:
                kiosk = revoke_kiosk(session, kiosk_id, body.reason)
            except LookupError:
                raise ApiError(404, "unknown_kiosk", "unknown kiosk") from None
            return KioskStatusOut(kiosk_id=kiosk.id, status=kiosk.status,
                                  reason=kiosk.revoke_reason, server_time=int(time.time()))

    return await run_in_threadpool(work)
