"""What an enrolled kiosk does, signed: push a batch of records (one answer per record), pull
the changes after its cursor, check its own standing."""

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from central.api.admission import IngestGate
from central.api.bodies import (
    KioskStatusOut,
    check_schema_version,
    check_storable_text,
    decode_body,
    errors,
    json_response,
    parse_json,
    parse_model,
    read_raw_body,
)
from central.api.errors import ApiError
from central.api.openapi import SIGNED, request_body
from central.api.signed import authenticate, signed_path
from central.db import server_now, utcnow, write_session
from central.models import ChangeLog, Kiosk
from central.services.changes import changes_for_kiosk
from central.services.ingest import BadBatch, ingest
from central.services.validation import MAX_BIGINT
from central.settings import CentralSettings
from trato.protocol.wire import (
    CHANGES_PATH,
    HEADER_CHANGES_TOP,
    HEADER_RECORDS_HELD,
    MAX_BATCH_RECORDS,
    PUSH_PATH,
    STATUS_PATH,
    ChangeFeed,
    PushBatch,
    PushResult,
)

log = logging.getLogger(__name__)
router = APIRouter()
T = TypeVar("T")


@router.post(PUSH_PATH, response_model=PushResult, tags=["kiosk"],
             responses=errors(400, 401, 403, 409, 413, 415, 422),
             openapi_extra={**request_body(PushBatch), "security": SIGNED})
async def push(request: Request) -> Any:
    """Push a signed batch; one result per record (stored/duplicate/conflict/rejected)."""
    app = request.app
    gate: IngestGate = app.state.ingest_gate
    with gate.admitted():  # 429 before the body is read when the process has enough to do
        raw = await read_raw_body(request, app.state.settings.max_body_bytes)
        async with gate.storing():
            return await _push(request, raw)


async def _push(request: Request, raw: bytes) -> Any:
    app = request.app
    settings: CentralSettings = app.state.settings
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
    app.state.metrics.observe_push(result)  # /metrics (central/metrics.py)
    if event is not None:
        await app.state.events.apublish(event)
    return json_response(result)


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
        received_at = server_now(app.state)  # the campaign pages' clock too
        offset = (received_at - envelope.sent_at).total_seconds()
        check_storable_text(envelope.app_version)
        if envelope.backlog > MAX_BIGINT:
            raise ApiError(422, "invalid", "backlog: number too large")
        health = {"last_sync_at": received_at, "app_version": envelope.app_version,
                  "backlog": envelope.backlog, "clock_offset_seconds": round(offset, 3)}
        try:
            outcome = ingest(session, kiosk, records, batch_id=envelope.batch_id,
                             received_at=received_at, clock_offset=offset,
                             timezone=settings.timezone,
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
    check_schema_version(data)
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


async def _signed_get(request: Request, work: Callable[[Session, Kiosk], T]) -> T:
    """Check a signed GET (no body) and run ``work(session, kiosk)`` in the same write
    transaction, committed: the nonce is recorded even when the work only reads."""
    app = request.app
    settings: CentralSettings = app.state.settings
    raw = await read_raw_body(request, 1024)
    path = signed_path(request)
    headers = request.headers

    def run() -> T:
        with write_session(app.state.engine) as session:
            kiosk = authenticate(session, settings, method="GET", path=path, headers=headers,
                                 raw_body=raw)
            result = work(session, kiosk)
            session.commit()
            return result

    return await run_in_threadpool(run)


_HELD_HEADERS = {
    HEADER_RECORDS_HELD: {"description": "Highest record seq this server holds from the kiosk",
                          "schema": {"type": "integer", "minimum": 0}},
    HEADER_CHANGES_TOP: {"description": "Highest change cursor this server has",
                         "schema": {"type": "integer", "minimum": 0}},
}


@router.get(CHANGES_PATH, response_model=ChangeFeed, tags=["kiosk"],
            responses={**errors(400, 401, 403, 409, 413, 422), 200: {"headers": _HELD_HEADERS}},
            openapi_extra={"security": SIGNED})
async def changes(
    request: Request,
    response: Response,
    cursor: int = Query(0, ge=0, le=2**62),
    limit: int = Query(500, ge=1, le=1000),
) -> Any:
    """Changes after ``cursor`` visible to the signing kiosk, in cursor order. The headers
    ``X-TD-Records-Held`` and ``X-TD-Changes-Top`` tell the kiosk what this server holds, so
    it can tell a database restored from a backup (it then sends again what was lost)."""
    page = min(limit, request.app.state.settings.changes_page_max)

    def work(session: Session, kiosk: Kiosk) -> tuple[ChangeFeed, int, int]:
        feed = changes_for_kiosk(session, kiosk, cursor=cursor, limit=page)
        top = session.execute(select(func.max(ChangeLog.cursor))).scalar()  # type: ignore[arg-type]
        # A kiosk with nothing to send still syncs: its health shows the last contact.
        session.execute(update(Kiosk).where(Kiosk.id == kiosk.id)  # type: ignore[arg-type]
                        .values(last_sync_at=utcnow()))
        return feed, int(kiosk.last_seq or 0), int(top or 0)

    feed, held, top = await _signed_get(request, work)
    response.headers[HEADER_RECORDS_HELD] = str(held)
    response.headers[HEADER_CHANGES_TOP] = str(top)
    return feed


@router.get(STATUS_PATH, response_model=KioskStatusOut, tags=["kiosk"],
            responses=errors(400, 401, 403, 409, 413), openapi_extra={"security": SIGNED})
async def kiosk_status(request: Request) -> Any:
    """A signed check of the kiosk's own standing (a revoked kiosk gets 403 ``revoked``)."""

    def work(_session: Session, kiosk: Kiosk) -> KioskStatusOut:
        return KioskStatusOut(
            kiosk_id=kiosk.id, status=kiosk.status, reason=kiosk.revoke_reason,
            server_time=int(time.time()),
            last_sync_at=kiosk.last_sync_at.isoformat() if kiosk.last_sync_at else None,
        )

    return await _signed_get(request, work)
