"""The change feed: what flows down to kiosks through the pull cursor.

Every change is a :class:`ChangeLog` row with a monotonic ``cursor``. On PostgreSQL a sequence
can hand out cursor 11 to a transaction that commits before the one holding cursor 10, and a
kiosk that already read 11 would never see 10; so writers of the change log take a
transaction-scoped advisory lock first (cursors then commit in order). SQLite serialises writers
by itself.

A change is visible to every kiosk (``scope=all``), to the kiosks of one unit, to those of
every unit under an OOAD or UMAE (``scope=branch``: ``scope_unit_id`` holds the branch node, so
a kiosk enrolled later receives it too), or to one kiosk.
"""

import uuid
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, or_, select, text
from sqlmodel import Session

from central.db import utcnow
from central.models import (
    Case,
    Catalogue,
    ChangeLog,
    ChangeScope,
    Instrument,
    InstrumentStatus,
    Kiosk,
    OrgLevel,
    OrgNode,
    Setting,
    StaffMember,
)
from trato.domain.enums import StaffRole
from trato.protocol.instrument import fingerprint
from trato.protocol.wire import CaseStatusData, Change, ChangeFeed, ChangeKind, StaffEntry

_CHANGELOG_LOCK_KEY = 0x7D_C4_A1


def lock_change_log(session: Session) -> None:
    """Serialise change-log writers until this transaction ends (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHANGELOG_LOCK_KEY})


def _scope(unit_id: uuid.UUID | None, kiosk_id: uuid.UUID | None,
           branch_id: uuid.UUID | None = None) -> str:
    if kiosk_id is not None:
        return ChangeScope.KIOSK.value
    if branch_id is not None:
        return ChangeScope.BRANCH.value
    if unit_id is not None:
        return ChangeScope.UNIT.value
    return ChangeScope.ALL.value


def next_version(session: Session, kind: ChangeKind | str, key: str) -> int:
    current = session.execute(
        select(func.max(ChangeLog.version)).where(
            ChangeLog.kind == str(kind), ChangeLog.key == key
        )
    ).scalar_one()
    return int(current or 0) + 1


def record_change(
    session: Session,
    *,
    kind: ChangeKind | str,
    key: str,
    data: dict[str, Any],
    unit_id: uuid.UUID | None = None,
    kiosk_id: uuid.UUID | None = None,
    version: int | None = None,
) -> None:
    """Append one change (in the caller's transaction; commit is the caller's)."""
    record_changes(session, [
        {"kind": str(kind), "key": key, "data": data, "unit_id": unit_id,
         "kiosk_id": kiosk_id, "version": version}
    ])


def record_changes(session: Session, changes: Iterable[dict[str, Any]], *,
                   write: Callable[[Session, Any, list[dict[str, Any]]], None] | None = None,
                   ) -> int:
    """Append several changes at once; each dict has kind, key, data and optionally unit_id,
    branch_id (an OOAD or UMAE), kiosk_id, version. ``write(session, table, rows)`` replaces
    the plain multi-row INSERT (ingest passes its COPY writer). Returns how many were
    written."""
    rows = []
    now = utcnow()
    for ch in changes:
        version = ch.get("version") or next_version(session, ch["kind"], ch["key"])
        rows.append({
            "kind": str(ch["kind"]),
            "key": ch["key"],
            "version": int(version),
            "data": ch["data"],
            "scope": _scope(ch.get("unit_id"), ch.get("kiosk_id"), ch.get("branch_id")),
            "scope_unit_id": ch.get("branch_id") or ch.get("unit_id"),
            "scope_kiosk_id": ch.get("kiosk_id"),
            "created_at": now,
        })
    if not rows:
        return 0
    lock_change_log(session)
    if write is None:
        session.execute(insert(ChangeLog.__table__), rows)
    else:
        write(session, ChangeLog.__table__, rows)
    return len(rows)


def case_status_data(case: Case | SimpleNamespace) -> dict[str, Any]:
    """What a kiosk learns of a case (a :class:`Case`, or a new case's row as attributes)."""
    return CaseStatusData(
        case_id=case.id,
        folio=case.folio,
        stage=case.stage,
        impacto_institucional=case.impacto_institucional,
        updated_at=case.updated_at,
        completion_due=case.completion_due.isoformat() if case.completion_due else None,
        resolution_due=case.resolution_due.isoformat() if case.resolution_due else None,
    ).model_dump(mode="json")


def case_status_change_row(case: Case | SimpleNamespace) -> dict[str, Any]:
    """The change-log entry telling the case's unit about its status (version =
    ``case.status_version``)."""
    return {"kind": ChangeKind.CASE_STATUS.value, "key": str(case.id),
            "data": case_status_data(case), "unit_id": case.unit_id,
            "version": case.status_version}


def publish_case_status(session: Session, case: Case) -> None:
    """Call after changing a case's stage, deadlines or flag: bumps ``status_version``,
    ``updated_at`` and appends a case_status change for the kiosks of its unit."""
    case.status_version = (case.status_version or 0) + 1
    case.updated_at = utcnow()
    session.add(case)
    session.flush()
    record_changes(session, [case_status_change_row(case)])


def publish_setting(session: Session, key: str, value: Any) -> None:
    setting = session.get(Setting, key)
    if setting is None:
        setting = Setting(key=key, value=value, version=1)
    else:
        setting.value = value
        setting.version += 1
        setting.updated_at = utcnow()
    session.add(setting)
    session.flush()
    record_change(session, kind=ChangeKind.SETTINGS, key=key,
                  data={"key": key, "value": value}, version=setting.version)


def publish_instrument(session: Session, instrument: Instrument,
                       node: OrgNode | None = None) -> None:
    """Mark the version published and send it to the kiosks under ``node`` (a unit, an OOAD
    or a UMAE; None or Nivel Central: every kiosk)."""
    instrument.status = InstrumentStatus.PUBLISHED.value
    instrument.fingerprint = fingerprint(instrument.definition)
    instrument.published_at = utcnow()
    level = node.level if node is not None else OrgLevel.NIVEL_CENTRAL.value
    instrument.scope_node_id = None if level == OrgLevel.NIVEL_CENTRAL.value else node.id
    session.add(instrument)
    session.flush()
    target: dict[str, Any] = {}
    if level == OrgLevel.UNIT.value:
        target["unit_id"] = node.id  # type: ignore[union-attr]
    elif level != OrgLevel.NIVEL_CENTRAL.value:
        target["branch_id"] = node.id  # type: ignore[union-attr]
    record_changes(session, [{
        "kind": ChangeKind.INSTRUMENT.value, "key": instrument.instrument_id,
        "version": instrument.version, **target,
        "data": {"instrument_id": instrument.instrument_id,
                 "version": instrument.version, "title": instrument.title,
                 "active": instrument.active, "definition": instrument.definition}}])


def publish_catalogue(session: Session, catalogue: Catalogue) -> None:
    session.add(catalogue)
    session.flush()
    record_change(session, kind=ChangeKind.CATALOGUE, key=catalogue.name,
                  version=catalogue.version,
                  data={"name": catalogue.name, "version": catalogue.version,
                        "data": catalogue.data})


def staff_entry(member: StaffMember) -> dict[str, Any]:
    """One member as the kiosks receive it (:class:`~trato.protocol.wire.StaffEntry`), with
    the keys kiosks of the previous release read (``id``, ``certified_buen_trato``,
    ``certified_at``) beside it."""
    staff_id = member.employee_number or str(member.id)
    certified_on = member.certified_at if member.certified_buen_trato else None
    entry = StaffEntry(
        staff_id=staff_id, name=member.name, role=StaffRole(member.kiosk_role),
        title=member.role, pin_hash=member.pin_hash,
        can_read_sensitive=member.can_read_sensitive, certified_on=certified_on,
        certified_until=member.certified_until if certified_on else None,
        active=member.active,
    ).model_dump(mode="json")
    return {**entry, "id": staff_id, "certified_buen_trato": member.certified_buen_trato,
            "certified_at": member.certified_at.isoformat() if member.certified_at else None}


def publish_staff(session: Session, unit_id: uuid.UUID) -> None:
    """Send the unit's current roster (names, roles, certification, PIN hashes) to its
    kiosks; the list replaces what they hold, so a member left out can no longer sign in."""
    staff = session.execute(
        select(StaffMember).where(StaffMember.unit_id == unit_id, StaffMember.active)
        .order_by(StaffMember.name)
    ).scalars().all()
    record_change(
        session, kind=ChangeKind.STAFF, key=str(unit_id), unit_id=unit_id,
        data={"unit_id": str(unit_id), "staff": [staff_entry(m) for m in staff]},
    )


def changes_for_kiosk(session: Session, kiosk: Kiosk, *, cursor: int, limit: int) -> ChangeFeed:
    """Changes after ``cursor`` visible to ``kiosk`` (global, its unit or its unit's OOAD or
    UMAE, itself), in order."""
    places = [n for n in (kiosk.unit_id, kiosk.ooad_id, kiosk.umae_id) if n is not None]
    rows = session.execute(
        select(ChangeLog)
        .where(
            ChangeLog.cursor > cursor,  # type: ignore[operator]
            or_(
                ChangeLog.scope == ChangeScope.ALL.value,
                ChangeLog.scope_unit_id.in_(places),  # type: ignore[union-attr]
                ChangeLog.scope_kiosk_id == kiosk.id,
            ),
        )
        .order_by(ChangeLog.cursor)  # type: ignore[arg-type]
        .limit(limit + 1)
    ).scalars().all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        Change(cursor=r.cursor, kind=r.kind, key=r.key, version=r.version, data=r.data)
        for r in rows
    ]
    next_cursor = rows[-1].cursor if rows else cursor
    return ChangeFeed(changes=changes, next_cursor=int(next_cursor or 0), has_more=has_more)
