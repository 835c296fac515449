"""Checks that need the database: what a record is answered when the wire schema alone cannot
tell (a folio's check digit or owner, the case a kiosk event names and whether its stage may
follow the case's, an id already stored)."""

import uuid

from sqlalchemy import select
from sqlmodel import Session

from central.models import Case, IngestedRecord, Kiosk, KioskStatus
from central.services.ingest.parse import ParsedRecord
from central.services.instruments import known_instruments
from trato.domain.enums import CaseStage
from trato.domain.folio import FolioError, is_server_folio, parse_folio
from trato.domain.stages import StageEvent, transition_problem
from trato.protocol.wire import (
    CaseBody,
    CaseEventBody,
    RecordResult,
    RecordStatus,
    SurveyResponseBody,
)

FOLIO_TAKEN = "folio already used by another record"
SERVER_NAMESPACE = "body.folio: kiosk number 00 is the server's own (web and 800 line folios)"


def check_semantics(session: Session, kiosk: Kiosk, items: list[ParsedRecord]) -> None:
    """Rejections that need more than the wire schema: folio check digit, folio already used
    by another record, a case event for a case this kiosk's unit does not hold, a stage the
    case's stage does not allow (:mod:`trato.domain.stages`), a survey response to an
    instrument version the server never published."""
    _check_instruments(session, items)
    new_case_ids = _check_folios(session, items, server=kiosk.status == KioskStatus.DESK.value)
    _check_event_cases(session, kiosk, items, new_case_ids)
    _check_event_stages(session, items)


def _check_instruments(session: Session, items: list[ParsedRecord]) -> None:
    surveys = [(item, item.record.body) for item in items if item.record
               and isinstance(item.record.body, SurveyResponseBody)]
    if not surveys:
        return
    known = known_instruments(session, {(b.instrument_id, b.instrument_version)
                                        for _, b in surveys})
    for item, body in surveys:
        if (body.instrument_id, body.instrument_version) not in known:
            item.reject(f"body.instrument_version: instrument {body.instrument_id} "
                        f"v{body.instrument_version} is not published on this server")


def _check_folios(session: Session, items: list[ParsedRecord], *, server: bool = False
                  ) -> set[uuid.UUID]:
    """Sets each case's compact folio; answers the ids of the batch's cases. A kiosk's folio
    in the server's own namespace (kiosk number 0, :mod:`trato.domain.folio`) is refused, so
    a folio the server gives on the web can never have been taken by a kiosk."""
    folios: dict[str, ParsedRecord] = {}
    new_case_ids: set[uuid.UUID] = set()
    for item in items:
        body = item.record.body if item.record else None
        if not isinstance(body, CaseBody):
            continue
        try:
            folio = parse_folio(body.folio)
        except FolioError as exc:
            item.reject(f"body.folio: {exc}")
            continue
        if is_server_folio(folio) and not server:
            item.reject(SERVER_NAMESPACE)
            continue
        compact = item.folio = folio.compact
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


def _check_event_stages(session: Session, items: list[ParsedRecord]) -> None:
    """Each stage change, in the kiosk's order, must follow the stage its case has by then
    (a case filed in the same batch starts at recepción). An event already stored is left to
    :func:`answer_existing` (a repeat is a duplicate, whatever the case did since)."""
    events = sorted((item for item in items if item.result is None and item.record
                     and isinstance(item.record.body, CaseEventBody)
                     and item.record.body.stage is not None),
                    key=lambda item: item.record.seq)  # type: ignore[union-attr]
    if not events:
        return
    stored = set(session.execute(
        select(IngestedRecord.id).where(
            IngestedRecord.id.in_([item.id for item in events]))  # type: ignore[attr-defined]
    ).scalars())
    wanted = {item.record.body.case_id for item in events}  # type: ignore[union-attr]
    stages: dict[uuid.UUID, CaseStage] = {
        cid: CaseStage(stage) for cid, stage in session.execute(
            select(Case.id, Case.stage).where(Case.id.in_(list(wanted)))  # type: ignore[attr-defined]
        ).all()
    }
    for item in events:
        if item.id in stored:
            continue
        body = item.record.body  # type: ignore[union-attr]
        assert isinstance(body, CaseEventBody) and body.stage is not None
        current = stages.get(body.case_id, CaseStage.RECEPCION)
        problem = transition_problem(current, body.stage,
                                     reopen=body.event_type == StageEvent.REOPEN)
        if problem is not None:
            item.reject(f"body.stage: {problem.value} ({current.value} -> {body.stage.value})")
        else:
            stages[body.case_id] = body.stage


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
