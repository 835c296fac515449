"""Cases registered on the web by an agent (the 800 line, a module without a kiosk), stored
through the same ingest as a kiosk's records.

Each unit has one *desk*: a :class:`~central.models.Kiosk` row with status ``desk`` and kiosk
number 0 (:data:`trato.domain.folio.SERVER_KIOSK_NUMBER`, which enrolment never gives), on a
module node of its own ("Registro por teléfono y en línea"). A case registered on the web is a
:class:`~trato.protocol.wire.WireRecord` of that desk: its folio is the unit's code, ``00`` and
the desk's next sequence number, its personal data sealed for the server's own public key
exactly as a kiosk seals it, and :func:`central.services.ingest.ingest` stores it (the same
checks, deadlines, rollups, timeline and case_status change as a kiosk's case). The sequence
is taken with one ``UPDATE … RETURNING`` on the desk's row, so two agents never get one folio.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from central.models import (
    AuditLog,
    CaseEvent,
    CaseEventType,
    Catalogue,
    Kiosk,
    KioskStatus,
    OrgLevel,
    OrgNode,
    User,
)
from central.services.desk_form import CONTACT_FIELDS, CheckedEntry, DeskEntry
from central.services.ingest import ingest
from trato.domain.enums import CaseType
from trato.domain.folio import SERVER_KIOSK_NUMBER, Folio, make_folio
from trato.domain.ids import new_record_id
from trato.protocol.sealing import seal_json
from trato.protocol.wire import RecordStatus, WireRecord

AUDIT_REGISTER_CASE = "register_case"
#: The desk module's code under its unit (org_node codes are unique per level).
DESK_MODULE_SUFFIX = "-WEB"
DESK_MODULE_NAME = "Registro por teléfono y en línea"
#: The catalogues bundled with the server (what the kiosks get when none was published).
BUNDLED_CATALOGUES = Path(__file__).resolve().parents[2] / "assets" / "catalogues"


class DeskError(ValueError):
    """The case cannot be registered (the unit has no folio code, or the store refused it)."""


@dataclass(frozen=True)
class Registered:
    case_id: uuid.UUID
    folio: Folio


def catalogue_data(session: Session, name: str) -> dict[str, Any]:
    """The newest published catalogue ``name`` (services, case_categories), else the bundled."""
    row = session.exec(select(Catalogue).where(Catalogue.name == name)
                       .order_by(Catalogue.version.desc())).first()  # type: ignore[attr-defined]
    if row is not None:
        return dict(row.data)
    path = BUNDLED_CATALOGUES / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def desk_kiosk(session: Session, unit: OrgNode) -> Kiosk:
    """The unit's desk, made the first time a case is registered there."""
    found = _find_desk(session, unit)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            code = f"{unit.code}{DESK_MODULE_SUFFIX}"
            module = session.exec(select(OrgNode).where(
                OrgNode.level == OrgLevel.MODULE.value, OrgNode.code == code)).first()
            if module is None:
                module = OrgNode(level=OrgLevel.MODULE.value, code=code, name=DESK_MODULE_NAME,
                                 parent_id=unit.id, ooad_id=unit.ooad_id, umae_id=unit.umae_id,
                                 unit_id=unit.id)
                session.add(module)
                session.flush()
            session.add(Kiosk(module_id=module.id, unit_id=unit.id, ooad_id=unit.ooad_id,
                              umae_id=unit.umae_id, kiosk_number=SERVER_KIOSK_NUMBER,
                              signing_public_key="", status=KioskStatus.DESK.value,
                              hostname=DESK_MODULE_NAME))
            session.flush()
    except IntegrityError:
        pass  # another agent made it at the same moment: use theirs
    found = _find_desk(session, unit)
    if found is None:
        raise DeskError("the unit's desk could not be made")
    return found


def _find_desk(session: Session, unit: OrgNode) -> Kiosk | None:
    return session.exec(select(Kiosk).where(
        Kiosk.unit_id == unit.id, Kiosk.kiosk_number == SERVER_KIOSK_NUMBER)).first()


def next_sequence(session: Session, kiosk: Kiosk) -> int:
    """The desk's next sequence number, taken under the row's write lock."""
    table = Kiosk.__table__
    seq = session.execute(sa.update(table).where(table.c.id == kiosk.id)
                          .values(last_seq=table.c.last_seq + 1)
                          .returning(table.c.last_seq)).scalar_one()
    session.expire(kiosk, ["last_seq"])
    return int(seq)


def register_case(session: Session, entry: DeskEntry, checked: CheckedEntry, *, unit: OrgNode,
                  user: User, sealing_public_key: str, privacy_notice_version: str,
                  now: datetime, timezone: str) -> Registered:
    """Store a checked entry as a case of ``unit``'s desk and audit who registered it. Runs
    in the caller's transaction (no commit)."""
    if not checked.ok:
        raise DeskError("the entry has problems")
    if unit.unit_number is None or unit.level != OrgLevel.UNIT.value:
        raise DeskError("the unit has no folio code")
    kiosk = desk_kiosk(session, unit)
    seq = next_sequence(session, kiosk)
    folio = make_folio(unit_number=unit.unit_number, kiosk_number=SERVER_KIOSK_NUMBER,
                       sequence=seq)
    personal = checked.personal
    record = WireRecord.model_validate({
        "id": entry.record_id or new_record_id(), "seq": seq, "created_at": now,
        "body": _body(entry, checked, folio, user, privacy_notice_version,
                      catalogue_version=int(catalogue_data(session, "case_categories")
                                            .get("version", 1))),
        "sealed": seal_json(sealing_public_key, personal) if personal else None,
    })
    outcome = ingest(session, kiosk, [record], batch_id=uuid.uuid4(), received_at=now,
                     timezone=timezone)
    result = outcome.results[0]
    if result.status != RecordStatus.STORED:
        raise DeskError(result.reason or result.status.value)
    # The timeline says who registered it, on the web (the ingest writes it as received).
    session.execute(sa.update(CaseEvent.__table__).where(
        CaseEvent.__table__.c.case_id == record.id,
        CaseEvent.__table__.c.event_type == CaseEventType.RECEIVED.value,
    ).values(by_user_id=user.id, by_name=user.display_name or user.username, source="web"))
    session.add(AuditLog(user_id=user.id, username=user.username, action=AUDIT_REGISTER_CASE,
                         target_type="case", target_id=str(record.id),
                         detail={"folio": folio.compact, "case_type": entry.case_type.value,
                                 "channel": checked.channel.value}))
    session.flush()
    return Registered(case_id=record.id, folio=folio)


def _body(entry: DeskEntry, checked: CheckedEntry, folio: Folio, user: User,
          privacy_notice_version: str, *, catalogue_version: int) -> dict[str, Any]:
    queja = entry.case_type == CaseType.QUEJA
    recognition = entry.case_type == CaseType.RECONOCIMIENTO
    personal = checked.personal
    consent = personal is not None or (recognition and entry.publish and entry.consent)
    body: dict[str, Any] = {
        "kind": "case", "folio": str(folio), "case_type": entry.case_type.value,
        "channel": checked.channel.value, "language": "es-MX",
        "service_code": entry.service_code or None,
        "categories": [entry.category] if entry.category else [],
        "narrative": (entry.note if entry.quick else entry.narrative).strip(),
        "request": entry.request.strip() if queja else "",
        "staff_involved": entry.staff_involved.strip() if queja else "",
        "recognised_person": entry.recognised_person.strip() if recognition else "",
        "publish_recognition": recognition and entry.publish and entry.consent,
        "has_contact": personal is not None and any(personal.get(n) for n in CONTACT_FIELDS),
        "privacy_notice_version": privacy_notice_version if consent else None,
        "consent_given": bool(consent and entry.consent),
        "catalogue_version": max(1, catalogue_version),
        "registered_by": user.username[:128],
    }
    if entry.quick:
        body["outcome"] = entry.outcome
        body["service_code"] = None
    if queja and checked.event_at is not None:
        body["event_at"] = checked.event_at
    if personal is not None and personal.get("cannot_sign"):
        body["cannot_sign_confirmed_by"] = user.username[:128]
    return body

