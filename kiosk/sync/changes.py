"""Applying the central server's change feed to the kiosk's store (architecture principle 7).

One applier per :class:`~trato.protocol.wire.ChangeKind`. Each runs inside the caller's write
transaction, which also advances the pull cursor, so a crash either applies a change and its
cursor together or neither. Appliers are idempotent and versioned: a change older than what
the kiosk holds is skipped, so replaying a page after a crash is harmless.

Accepted shapes of ``Change.data``:

* ``instrument`` - the instrument document, bare or as ``{"definition": {...}, "title",
  "active"}`` (key = instrument id);
* ``catalogue`` - the catalogue document, bare or as ``{"name", "data": {...}}``;
* ``case_status`` - :class:`~trato.protocol.wire.CaseStatusData`;
* ``staff`` - the unit's roster :class:`~trato.protocol.wire.StaffRosterData` (``{"staff":
  [{"staff_id", "name", "role", "pin_hash", ...}, ...]}``, or ``"members"``, ``"id"`` as a
  previous server sent it), which replaces what the kiosk holds; or one member (key = staff
  id);
* ``campaign`` - :class:`~trato.protocol.wire.CampaignData`, kept as the catalogue row
  ``campaign:<id>`` (:mod:`kiosk.services.campaigns` reads them);
* ``settings`` - ``{"key": k, "value": v}`` for the setting named by the key, or several
  ``{"name": value, ...}`` when the key is ``*`` / ``settings``.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from kiosk.storage.identity import get_sync_state
from kiosk.storage.models import (
    CaseStatus,
    CaseStatusChange,
    Catalogue,
    Instrument,
    KioskSetting,
    StaffMember,
)
from trato.domain.enums import StaffRole
from trato.protocol import pins
from trato.protocol.wire import (
    CampaignData,
    CaseStatusData,
    Change,
    ChangeFeed,
    ChangeKind,
    StaffEntry,
)

log = logging.getLogger(__name__)


class BadChange(ValueError):  # noqa: N818 - reads better at the raise sites
    """A change whose data does not fit its kind; skipped (logged without its content)."""


def _newer(existing_version: int | None, version: int) -> bool:
    return existing_version is None or version >= existing_version


def _document(data: dict[str, Any], inner: str) -> dict[str, Any]:
    """The document inside a change: the central server wraps it as ``{..., inner: {...}}``
    (``definition`` of an instrument, ``data`` of a catalogue); a bare document is kept."""
    value = data.get(inner)
    if isinstance(value, dict):
        out = dict(value)
        for meta in ("title", "active"):
            if meta in data and meta not in out:
                out[meta] = data[meta]
        return out
    return dict(data)


def _keep_document(
    session: Session, table: type[Instrument] | type[Catalogue], key: str, change: Change,
    document: dict[str, Any], now: datetime,
) -> None:
    """Insert the document under ``change.key``, or replace the stored one unless it is newer."""
    row = session.get(table, change.key)
    if row is None:
        session.add(table(**{key: change.key}, version=change.version, data=document,
                          updated_at=now))
    elif _newer(row.version, change.version):
        row.version, row.data, row.updated_at = change.version, document, now
        session.add(row)


def apply_instrument(session: Session, change: Change, now: datetime) -> None:
    _keep_document(session, Instrument, "id", change, _document(change.data, "definition"), now)


def apply_catalogue(session: Session, change: Change, now: datetime) -> None:
    _keep_document(session, Catalogue, "name", change, _document(change.data, "data"), now)


def apply_case_status(session: Session, change: Change, now: datetime) -> None:
    try:
        data = CaseStatusData.model_validate(change.data)
    except ValidationError:
        raise BadChange("case_status data does not validate") from None
    row = session.get(CaseStatus, data.case_id)
    values: dict[str, Any] = {
        "folio": data.folio,
        "stage": data.stage.value,
        "impacto_institucional": data.impacto_institucional,
        "completion_due": data.completion_due,
        "resolution_due": data.resolution_due,
        "version": change.version,
        "updated_at": data.updated_at if data.updated_at.tzinfo else now,
    }
    if row is None:
        session.add(CaseStatus(case_id=data.case_id, **values))
    elif _newer(row.version, change.version):
        moved = row.stage != values["stage"]
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        if not moved:
            return
    else:
        return
    # A new stage: one more step in the case's timeline (the module's case detail).
    session.add(CaseStatusChange(case_id=data.case_id, stage=values["stage"],
                                 changed_at=values["updated_at"], version=change.version))


def staff_entry(member: dict[str, Any]) -> StaffEntry:
    """One roster member as :class:`~trato.protocol.wire.StaffEntry`, also from a server of
    the previous release (``id``, ``display_name``, a job title as ``role``,
    ``certified_buen_trato``/``certified_at``). A PIN hash of a cost this kiosk does not
    accept is dropped: that member cannot sign in until a usable one arrives."""
    values = dict(member)
    values.setdefault("staff_id", values.get("id"))
    values.setdefault("name", values.get("display_name") or "")
    if values.get("role") not in {r.value for r in StaffRole}:
        values.setdefault("title", str(values.get("role") or "")[:64])
        values["role"] = StaffRole.AGENT.value
    if "certified_on" not in values and values.get("certified_buen_trato"):
        values["certified_on"] = values.get("certified_at")
    if not pins.is_pin_hash(values.get("pin_hash")):
        values["pin_hash"] = None
    try:
        return StaffEntry.model_validate(values)
    except ValidationError:
        raise BadChange("staff member does not validate") from None


def _upsert_staff(session: Session, entry: StaffEntry, member: dict[str, Any], version: int,
                  now: datetime) -> None:
    row = session.get(StaffMember, entry.staff_id)
    values = {
        "display_name": entry.name,
        "role": entry.role.value,
        "active": entry.active,
        "version": version,
        "data": {k: v for k, v in member.items() if k not in ("pin", "pin_hash")},
        "updated_at": now,
        "pin_hash": entry.pin_hash,
        "can_read_sensitive": entry.can_read_sensitive,
        "certified_on": entry.certified_on,
        "certified_until": entry.certified_until,
    }
    if row is None:
        session.add(StaffMember(id=entry.staff_id, **values))
    elif _newer(row.version, version):
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)


def apply_staff(session: Session, change: Change, now: datetime) -> None:
    members = change.data.get("members", change.data.get("staff"))
    if isinstance(members, list):
        seen: set[str] = set()
        for member in members:
            if not isinstance(member, dict) or not (member.get("staff_id") or member.get("id")):
                raise BadChange("staff member without id")
            entry = staff_entry(member)
            seen.add(entry.staff_id)
            _upsert_staff(session, entry, member, change.version, now)
        for row in session.exec(select(StaffMember)).all():
            if row.id not in seen and row.active:
                row.active, row.version, row.updated_at = False, change.version, now
                row.pin_hash = None  # a member who left the roster cannot sign in
                session.add(row)
        return
    member = {"staff_id": change.key, **change.data}
    _upsert_staff(session, staff_entry(member), member, change.version, now)


def _upsert_setting(session: Session, key: str, value: Any, version: int, now: datetime) -> None:
    row = session.get(KioskSetting, key)
    if row is None:
        session.add(KioskSetting(key=key, value=value, version=version, updated_at=now))
    elif _newer(row.version, version):
        row.value, row.version, row.updated_at = value, version, now
        session.add(row)


def apply_settings(session: Session, change: Change, now: datetime) -> None:
    if change.key in ("*", "settings"):
        for key, value in change.data.items():
            _upsert_setting(session, str(key)[:128], value, change.version, now)
    else:
        value = change.data["value"] if "value" in change.data else dict(change.data)
        _upsert_setting(session, change.key, value, change.version, now)


#: The catalogue rows holding received campaigns: ``campaign:<campaign id>``.
CAMPAIGN_PREFIX = "campaign:"


def apply_campaign(session: Session, change: Change, now: datetime) -> None:
    try:
        data = CampaignData.model_validate(change.data)
    except ValidationError:
        raise BadChange("campaign data does not validate") from None
    row = Change(cursor=change.cursor, kind=change.kind, version=change.version,
                 key=f"{CAMPAIGN_PREFIX}{data.campaign_id}", data=change.data)
    _keep_document(session, Catalogue, "name", row, data.model_dump(mode="json"), now)


APPLIERS: dict[ChangeKind, Callable[[Session, Change, datetime], None]] = {
    ChangeKind.INSTRUMENT: apply_instrument,
    ChangeKind.CATALOGUE: apply_catalogue,
    ChangeKind.CASE_STATUS: apply_case_status,
    ChangeKind.STAFF: apply_staff,
    ChangeKind.SETTINGS: apply_settings,
    ChangeKind.CAMPAIGN: apply_campaign,
}


def apply_feed(session: Session, feed: ChangeFeed, *, since: int, now: datetime) -> int | None:
    """Apply a page of the feed fetched from cursor ``since`` and advance the pull cursor, in
    the caller's write transaction. Changes at or below the cursor are skipped (already
    applied). Returns how many changes were applied, or ``None`` (nothing done) when the
    stored cursor is no longer ``since``: someone else pulled meanwhile."""
    state = get_sync_state(session)
    if state.pull_cursor != since:
        return None
    applied = 0
    for change in sorted(feed.changes, key=lambda c: c.cursor):
        if change.cursor <= state.pull_cursor:
            continue
        if apply_change(session, change, now):
            applied += 1
        state.pull_cursor = change.cursor
    if feed.next_cursor > state.pull_cursor:
        state.pull_cursor = feed.next_cursor
    session.add(state)
    return applied


def apply_change(session: Session, change: Change, now: datetime) -> bool:
    """Apply one change; False (logged, no content) when it was malformed and skipped."""
    applier = APPLIERS.get(change.kind)
    if applier is None:  # pragma: no cover - ChangeKind is closed
        log.warning("unknown change kind %s at cursor %d skipped", change.kind, change.cursor)
        return False
    try:
        with session.begin_nested():
            applier(session, change, now)
    except (BadChange, ValueError, TypeError, KeyError) as exc:
        log.warning("change %s at cursor %d skipped: %s", change.kind.value, change.cursor,
                    type(exc).__name__)
        return False
    return True
