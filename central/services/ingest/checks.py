"""Checks that need the database: what a record is answered when the wire schema alone cannot
tell (a folio's check digit or owner, the case a kiosk event names, an id already stored)."""

import uuid

from sqlalchemy import select
from sqlmodel import Session

from central.models import Case, IngestedRecord, Kiosk
from central.services.ingest.parse import ParsedRecord
from trato.domain.folio import FolioError, parse_folio
from trato.protocol.wire import CaseBody, CaseEventBody, RecordResult, RecordStatus

FOLIO_TAKEN = "folio already used by another record"


def check_semantics(session: Session, kiosk: Kiosk, items: list[ParsedRecord]) -> None:
    """Rejections that need more than the wire schema: folio check digit, folio already used
    by another record, a case event for a case this kiosk's unit does not hold."""
    new_case_ids = _check_folios(session, items)
    _check_event_cases(session, kiosk, items, new_case_ids)


def _check_folios(session: Session, items: list[ParsedRecord]) -> set[uuid.UUID]:
    """Sets each case's compact folio; answers the ids of the batch's cases."""
    folios: dict[str, ParsedRecord] = {}
    new_case_ids: set[uuid.UUID] = set()
    for item in items:
        body = item.record.body if item.record else None
        if not isinstance(body, CaseBody):
            continue
        try:
            compact = item.folio = parse_folio(body.folio).compact
        except FolioError as exc:
            item.reject(f"body.folio: {exc}")
            continue
        if compact in folios:
            item.reject("folio repeated in the batch", RecordStatus.CONFLICT)
            continue
        folios[compact] = item
        new_case_ids.add(item.id)
    if folios:
        taken = session.execute(
            select(Case.folio, Case.id).where(Case.folio.in_(list(folios)))  # type: ignore[attr-defined]
        ).all()
        for folio, case_id in taken:
            item = folios[folio]
            if case_id != item.id:
                item.reject(FOLIO_TAKEN, RecordStatus.CONFLICT)
    return new_case_ids


def _check_event_cases(session: Session, kiosk: Kiosk, items: list[ParsedRecord],
                       new_case_ids: set[uuid.UUID]) -> None:
    events = [item for item in items if item.result is None and item.record
              and isinstance(item.record.body, CaseEventBody)]
    if not events:
        return
    wanted = {item.record.body.case_id for item in events}  # type: ignore[union-attr]
    known = {
        cid for cid, unit_id in session.execute(
            select(Case.id, Case.unit_id).where(Case.id.in_(list(wanted)))  # type: ignore[attr-defined]
        ).all() if unit_id == kiosk.unit_id
    }
    for item in events:
        cid = item.record.body.case_id  # type: ignore[union-attr]
        if cid not in known and cid not in new_case_ids:
            item.reject("body.case_id: no such case in this kiosk's unit")


def answer_existing(session: Session, items: list[ParsedRecord], *, folio_clash: bool = False
                    ) -> None:
    """Duplicate or conflict for records whose id the database already holds."""
    if not items:
        return
    stored = dict(session.execute(
        select(IngestedRecord.id, IngestedRecord.content_hash)
        .where(IngestedRecord.id.in_([i.id for i in items]))  # type: ignore[attr-defined]
    ).all())
    for item in items:
        existing = stored.get(item.id)
        if existing is None:
            item.reject(FOLIO_TAKEN if folio_clash else "record could not be stored",
                        RecordStatus.CONFLICT)
        elif existing == item.hash:
            item.result = RecordResult(id=item.id, status=RecordStatus.DUPLICATE)
        else:
            item.reject("a record with this id and other content is stored; the original is kept",
                        RecordStatus.CONFLICT)
