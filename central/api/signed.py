"""Signed requests (:mod:`trato.protocol.signing`): the kiosk, its signature over the raw body,
the timestamp window and the nonce, checked in the caller's transaction."""

import random
import time
import uuid
from datetime import timedelta
from functools import cache
from typing import Any

from fastapi import Request
from sqlalchemy import bindparam, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from central.api.errors import ApiError
from central.db import utcnow
from central.models import Kiosk, KioskStatus, SeenNonce
from central.settings import CentralSettings
from trato.protocol import signing
from trato.protocol.wire import HEADER_KIOSK, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP


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
    if kiosk is None or kiosk.status == KioskStatus.DESK.value:  # the server's desk signs nothing
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
    if random.random() < 0.01:  # when to sweep old nonces, not a secret  # nosec B311
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
