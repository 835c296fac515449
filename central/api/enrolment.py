"""Joining and leaving: a kiosk enrols with a one-time token (unsigned: it has no identity
yet), an administrator revokes it; and the health check."""

import hmac
import logging
import time
import uuid
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
from central.services.enrolment import EnrolmentContext, EnrolmentError, enrol, revoke_kiosk
from central.settings import CentralSettings
from trato.protocol.wire import API_PREFIX, ENROL_PATH, EnrolmentRequest, EnrolmentResponse

log = logging.getLogger(__name__)
router = APIRouter()


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
             responses=errors(400, 401, 409, 413, 422),
             openapi_extra=request_body(EnrolmentRequest))
async def enrol_kiosk(request: Request) -> Any:
    """Enrol a kiosk with a one-time token (not signed: the kiosk has no identity yet)."""
    settings: CentralSettings = request.app.state.settings
    raw = await read_raw_body(request, 64 * 1024)
    data = parse_json(raw)
    check_schema_version(data)
    req = parse_model(EnrolmentRequest, data)
    check_storable_text(req.token, req.hostname, req.app_version)
    ctx = EnrolmentContext(tracking_base_url=settings.public_base_url,
                           sealing_public_key=request.app.state.sealing_public_key,
                           timezone=settings.timezone)

    def work() -> EnrolmentResponse:
        with write_session(request.app.state.engine) as session:
            try:
                return enrol(session, req, ctx)
            except EnrolmentError as exc:
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
