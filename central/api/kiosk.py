"""Kiosk API: enrolment, signed push and pull, status, revocation, health.

Every request but enrolment, health and revocation is signed by the kiosk
(:mod:`trato.protocol.signing`) over the raw body bytes as received (before gzip decoding):

=====================================  ======  ============
unsigned / unknown kiosk / bad sig.    401     ``unsigned`` / ``unknown_kiosk`` / ``bad_signature``
timestamp outside the window           401     ``expired``
nonce already seen                     409     ``replayed``
revoked kiosk                          403     ``revoked``
body too large (after decompression)   413     ``too_large``
malformed JSON / gzip                  400     ``malformed_json`` / ``bad_encoding``
wrong shape                            422     ``invalid`` (+ the field and the reason)
=====================================  ======  ============

Every response carries ``X-TD-Server-Time`` (unix seconds).
"""

import hmac
import json
import logging
import random
import time
import uuid
import zlib
from datetime import timedelta
from functools import cache
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ValidationError
from sqlalchemy import bindparam, delete, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from central.api.errors import ApiError
from central.db import utcnow, write_session
from central.models import Kiosk, KioskStatus, SeenNonce
from central.services.changes import changes_for_kiosk
from central.services.enrolment import EnrolmentContext, EnrolmentError, enrol, revoke_kiosk
from central.services.ingest import BadBatch, ingest
from central.services.validation import MAX_BIGINT, describe_validation
from central.settings import CentralSettings
from trato.protocol import signing
from trato.protocol.wire import (
    API_PREFIX,
    CHANGES_PATH,
    ENROL_PATH,
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    MAX_BATCH_RECORDS,
    PUSH_PATH,
    SCHEMA_VERSION,
    STATUS_PATH,
    ChangeFeed,
    EnrolmentRequest,
    EnrolmentResponse,
    ErrorBody,
    PushBatch,
    PushResult,
)

log = logging.getLogger(__name__)
router = APIRouter()

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 409, 413, 415, 422)
}


class KioskStatusOut(BaseModel):
    kiosk_id: uuid.UUID
    status: str
    reason: str = ""
    server_time: int
    last_sync_at: str | None = None


class RevokeRequest(BaseModel):
    reason: str = ""


class Health(BaseModel):
    status: str
    database: str
    version: str


# ---------------------------------------------------------------------------- body handling


async def read_raw_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise ApiError(413, "too_large", f"body larger than {limit} bytes")
        except ValueError:
            raise ApiError(400, "bad_request", "invalid Content-Length") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "too_large", f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(raw: bytes, encoding: str | None, limit: int) -> bytes:
    """Undo gzip (if declared) with a hard limit on the decompressed size."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "x-gzip"):
        raise ApiError(415, "unsupported_encoding", f"Content-Encoding {encoding} not accepted")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, limit + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise ApiError(413, "too_large",
                           f"body larger than {limit} bytes after decompression")
        out += inflater.flush()
    except zlib.error:
        raise ApiError(400, "bad_encoding", "body is not valid gzip") from None
    if not inflater.eof:
        raise ApiError(400, "bad_encoding", "gzip body is truncated")
    if len(out) > limit:
        raise ApiError(413, "too_large", f"body larger than {limit} bytes after decompression")
    return out


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "malformed_json", "body is nested too deeply") from None


def check_storable_text(*values: str) -> None:
    """Text columns cannot hold NUL characters."""
    if any("\x00" in v for v in values):
        raise ApiError(422, "invalid", "text must not contain NUL characters")


def parse_model(model: type[BaseModel], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise ApiError(422, "invalid", describe_validation(exc.errors())) from None


# ---------------------------------------------------------------------------- authentication


def signed_path(request: Request) -> str:
    query = request.scope.get("query_string", b"").decode("latin-1")
    return request.url.path + (f"?{query}" if query else "")


def authenticate(session: Session, settings: CentralSettings, *, method: str, path: str,
                 headers: Any, raw_body: bytes) -> Kiosk:
    """Verify the signed request and record its nonce (in the session's transaction)."""
    kiosk_header = headers.get(HEADER_KIOSK)
    ts_header = headers.get(HEADER_TIMESTAMP)
    nonce = headers.get(HEADER_NONCE)
    signature = headers.get(HEADER_SIGNATURE)
    if not (kiosk_header and ts_header and nonce and signature):
        raise ApiError(401, "unsigned", "request is not signed")
    try:
        kiosk_id = uuid.UUID(kiosk_header)
    except ValueError:
        raise ApiError(401, "unknown_kiosk", "unknown kiosk") from None
    try:
        timestamp = int(ts_header)
    except ValueError:
        raise ApiError(401, "bad_signature", "timestamp is not an integer") from None
    if not 8 <= len(nonce) <= 64:
        raise ApiError(401, "bad_signature", "nonce must have 8 to 64 characters")
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise ApiError(401, "unknown_kiosk", "unknown kiosk")
    message = signing.canonical_request(method, path, timestamp, nonce, raw_body)
    if not signing.verify(kiosk.signing_public_key, message, signature):
        raise ApiError(401, "bad_signature", "signature does not verify")
    if kiosk.status == KioskStatus.REVOKED.value:
        raise ApiError(403, "revoked",
                       "this kiosk was revoked" + (f": {kiosk.revoke_reason}"
                                                   if kiosk.revoke_reason else ""))
    now = time.time()
    if abs(now - timestamp) > settings.timestamp_window_seconds:
        raise ApiError(401, "expired",
                       f"timestamp outside the {settings.timestamp_window_seconds} s window; "
                       "sign with the server time in X-TD-Server-Time")
    if not _insert_nonce(session, kiosk.id, nonce):
        raise ApiError(409, "replayed", "this request was already received")
    if random.random() < 0.01:
        cutoff = utcnow() - timedelta(seconds=3 * settings.timestamp_window_seconds)
        session.execute(delete(SeenNonce).where(SeenNonce.seen_at < cutoff))  # type: ignore[arg-type]
    return kiosk


def _insert_nonce(session: Session, kiosk_id: uuid.UUID, nonce: str) -> bool:
    """Record the nonce; False if this kiosk already used it (one round trip, no savepoint)."""
    stmt = _nonce_statement(session.get_bind().dialect.name)
    params = {"kiosk_id": kiosk_id, "nonce": nonce, "seen_at": utcnow()}
    return session.execute(stmt, params).first() is not None


@cache
def _nonce_statement(dialect: str) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING nonce`` with bound parameters, built once
    per dialect (building it per request cost more than running it)."""
    table = SeenNonce.__table__
    ins = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    stmt = ins.values(kiosk_id=bindparam("kiosk_id"), nonce=bindparam("nonce"),
                      seen_at=bindparam("seen_at"))
    return stmt.on_conflict_do_nothing().returning(table.c.nonce)


def _json_response(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


# ---------------------------------------------------------------------------- endpoints


@router.get("/healthz", response_model=Health, tags=["health"])
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


@router.post(ENROL_PATH, response_model=EnrolmentResponse, responses=_ERRORS, tags=["kiosk"],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": EnrolmentRequest.model_json_schema()}}}})
async def enrol_kiosk(request: Request) -> Any:
    """Enrol a kiosk with a one-time token (not signed: the kiosk has no identity yet)."""
    settings: CentralSettings = request.app.state.settings
    raw = await read_raw_body(request, 64 * 1024)
    req = parse_model(EnrolmentRequest, parse_json(raw))
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


@router.post(PUSH_PATH, response_model=PushResult, responses=_ERRORS, tags=["kiosk"],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": PushBatch.model_json_schema()}}}})
async def push(request: Request) -> Any:
    """Push a signed batch; one result per record (stored/duplicate/conflict/rejected)."""
    app = request.app
    settings: CentralSettings = app.state.settings
    raw = await read_raw_body(request, settings.max_body_bytes)
    path = signed_path(request)
    headers = request.headers
    encoding = request.headers.get("content-encoding")

    def work() -> tuple[PushResult, dict[str, Any] | None]:
        for attempt in range(3):
            try:
                return _push_once(app, settings, path, headers, raw, encoding,
                                  one_by_one=attempt > 0)
            except IntegrityError:
                log.info("push: integrity race, retrying record by record")
            except OperationalError as exc:
                if "deadlock" not in str(exc).lower() or attempt == 2:
                    raise
                log.info("push: deadlock, retrying")
        raise ApiError(409, "busy", "the batch could not be stored; retry",
                       {"Retry-After": "1"})

    result, event = await run_in_threadpool(work)
    if event is not None:
        await app.state.events.apublish(event)
    return _json_response(result)


def _push_once(app: Any, settings: CentralSettings, path: str, headers: Any,
               raw: bytes, encoding: str | None, *, one_by_one: bool
               ) -> tuple[PushResult, dict[str, Any] | None]:
    with write_session(app.state.engine) as session:
        kiosk = authenticate(session, settings, method="POST", path=path, headers=headers,
                             raw_body=raw)
        decoded = decode_body(raw, encoding, settings.max_body_bytes)
        try:  # fast path: the whole batch is valid, validated from JSON in one go
            envelope = PushBatch.model_validate_json(decoded)
            records: list[Any] = list(envelope.records)
            if envelope.kiosk_id != kiosk.id:
                raise ApiError(422, "kiosk_mismatch",
                               "kiosk_id does not match the signing kiosk")
        except ValidationError:  # find out what is wrong: the batch, or some records
            data = parse_json(decoded)
            envelope = _envelope(data, kiosk)
            records = data["records"]
        received_at = utcnow()
        offset = (received_at - envelope.sent_at).total_seconds()
        check_storable_text(envelope.app_version)
        if envelope.backlog > MAX_BIGINT:
            raise ApiError(422, "invalid", "backlog: number too large")
        health = {"last_sync_at": received_at, "app_version": envelope.app_version,
                  "backlog": envelope.backlog, "clock_offset_seconds": round(offset, 3)}
        try:
            outcome = ingest(session, kiosk, records, batch_id=envelope.batch_id,
                             received_at=received_at, timezone=settings.timezone,
                             one_by_one=one_by_one, health=health,
                             # JSON can carry NUL only as this escape (raw control
                             # characters are invalid JSON and fail validation above).
                             nul_free=b"\\u0000" not in decoded)
        except BadBatch as exc:
            raise ApiError(422, "invalid", str(exc)) from None
        session.commit()
    event = None
    if outcome.stored_total:
        event = {
            "type": "batch", "kiosk_id": str(kiosk.id), "module_id": str(kiosk.module_id),
            "unit_id": str(kiosk.unit_id),
            "ooad_id": str(kiosk.ooad_id) if kiosk.ooad_id else None,
            "umae_id": str(kiosk.umae_id) if kiosk.umae_id else None,
            "stored": outcome.stored, "received_at": received_at.isoformat(),
            "case_ids": [str(c) for c in outcome.case_ids[:50]],
        }
    return PushResult(received_at=received_at, clock_offset_seconds=round(offset, 3),
                      results=outcome.results), event


def _envelope(data: Any, kiosk: Kiosk) -> Any:
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "body must be a JSON object (PushBatch)")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ApiError(422, "unsupported_schema",
                       f"schema_version {data.get('schema_version')!r} is not supported; "
                       f"this server speaks {SCHEMA_VERSION}")
    records = data.get("records")
    if not isinstance(records, list) or not 1 <= len(records) <= MAX_BATCH_RECORDS:
        raise ApiError(422, "invalid",
                       f"records: must be a list of 1 to {MAX_BATCH_RECORDS} records")
    head = {k: v for k, v in data.items() if k != "records"}
    shell = dict(head, records=[{"id": str(uuid.UUID(int=0)), "seq": 1,
                                 "created_at": "2000-01-01T00:00:00Z",
                                 "body": {"kind": "case_event", "case_id": str(uuid.UUID(int=0)),
                                          "event_type": "x"}}])
    envelope = parse_model(PushBatch, shell)
    if envelope.kiosk_id != kiosk.id:
        raise ApiError(422, "kiosk_mismatch", "kiosk_id does not match the signing kiosk")
    return envelope


@router.get(CHANGES_PATH, response_model=ChangeFeed, responses=_ERRORS, tags=["kiosk"])
async def changes(
    request: Request,
    cursor: int = Query(0, ge=0, le=2**62),
    limit: int = Query(500, ge=1, le=1000),
) -> Any:
    """Changes after ``cursor`` visible to the signing kiosk, in cursor order."""
    app = request.app
    settings: CentralSettings = app.state.settings
    raw = await read_raw_body(request, 1024)
    path = signed_path(request)
    headers = request.headers

    def work() -> ChangeFeed:
        with write_session(app.state.engine) as session:
            kiosk = authenticate(session, settings, method="GET", path=path, headers=headers,
                                 raw_body=raw)
            feed = changes_for_kiosk(session, kiosk, cursor=cursor,
                                     limit=min(limit, settings.changes_page_max))
            # A kiosk with nothing to send still syncs: its health shows the last contact.
            session.execute(update(Kiosk).where(Kiosk.id == kiosk.id)  # type: ignore[arg-type]
                            .values(last_sync_at=utcnow()))
            session.commit()
            return feed

    return await run_in_threadpool(work)


@router.get(STATUS_PATH, response_model=KioskStatusOut, responses=_ERRORS, tags=["kiosk"])
async def kiosk_status(request: Request) -> Any:
    """A signed check of the kiosk's own standing (a revoked kiosk gets 403 ``revoked``)."""
    app = request.app
    settings: CentralSettings = app.state.settings
    raw = await read_raw_body(request, 1024)
    path = signed_path(request)
    headers = request.headers

    def work() -> KioskStatusOut:
        with write_session(app.state.engine) as session:
            kiosk = authenticate(session, settings, method="GET", path=path, headers=headers,
                                 raw_body=raw)
            session.commit()
            return KioskStatusOut(
                kiosk_id=kiosk.id, status=kiosk.status, reason=kiosk.revoke_reason,
                server_time=int(time.time()),
                last_sync_at=kiosk.last_sync_at.isoformat() if kiosk.last_sync_at else None,
            )

    return await run_in_threadpool(work)


@router.post(f"{API_PREFIX}/kiosks/{{kiosk_id}}/revoke", response_model=KioskStatusOut,
             responses=_ERRORS, tags=["admin"])
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
