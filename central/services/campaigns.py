"""Perception campaigns: the form's checks, the campaign and its units stored, and the change
that tells the covered units' kiosks about it (``ChangeKind.CAMPAIGN``, one per unit).

Checked before anything is written (each problem a catalogue key, ``campaign.error.*``): a
name; an instrument id and version published and switched on; dates, the end not before the
start; a target of at least one response per unit; at least one channel; units inside the
user's branch (a branch node or a list of units). A campaign that fails stores nothing.

Afterwards (:func:`edit_campaign`, :func:`withdraw_campaign`), by a user of the branch it was
made in or above it (:func:`manageable`): a campaign that has not opened may be changed
whole, by the same checks (its start not before today); once open, its questions and its
start stay and only its end moves (not before today); a scheduled or open campaign may be
withdrawn, with a reason. Each change is sent to the covered units' kiosks as a newer
version of the ``campaign`` change (switched off for a withdrawn campaign and for a unit no
longer covered); the responses received are kept.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlmodel import Session

from central.models import (
    Campaign,
    CampaignUnit,
    CampaignUnitRollup,
    Instrument,
    OrgLevel,
    OrgNode,
)
from central.models.campaigns import WHOLE_RESPONSE
from central.services.changes import next_version, record_changes
from trato.domain.campaigns import CampaignChannel, CampaignState, campaign_state
from trato.protocol.wire import CampaignData, CampaignQuestion, ChangeKind

#: The largest target per unit the form accepts.
MAX_TARGET = 100_000
#: The longest withdrawal reason.
REASON_MAX = 500
#: Levels a campaign may cover as a branch.
COVER_LEVELS = (OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value, OrgLevel.UMAE.value,
                OrgLevel.UNIT.value)


class Scope(Protocol):
    """The user's branch (:class:`central.web.scope.Scope`)."""

    column: str | None
    node_id: uuid.UUID | None

    def contains_node(self, node: OrgNode) -> bool: ...


@dataclass(frozen=True)
class OwnerScope:
    """The branch a campaign was made in, as a scope (its edits stay inside it)."""

    column: str | None
    node_id: uuid.UUID | None

    def contains_node(self, node: OrgNode) -> bool:
        if self.column is None:
            return True
        return node.id == self.node_id or getattr(node, self.column, None) == self.node_id


class CampaignProblems(ValueError):  # noqa: N818 - reads better at the raise sites
    """The form's problems: field name -> catalogue key."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass
class CampaignForm:
    """What the form sent, as text (kept to show the form again with its problems)."""

    name: str = ""
    instrument: str = ""  # "<id>@<version>"
    starts_on: str = ""
    ends_on: str = ""
    target: str = ""
    channels: list[str] = field(default_factory=list)
    node: str = ""  # a branch node's id, or "" with ``units``
    units: list[str] = field(default_factory=list)

    @classmethod
    def from_form(cls, form: Any) -> "CampaignForm":
        def many(name: str) -> list[str]:
            getter = getattr(form, "getlist", None)
            values = getter(name) if getter else form.get(name, [])
            return [str(v) for v in (values if isinstance(values, list) else [values]) if v]

        return cls(name=str(form.get("nombre", "")).strip()[:200],
                   instrument=str(form.get("instrumento", "")),
                   starts_on=str(form.get("inicio", "")),
                   ends_on=str(form.get("fin", "")), target=str(form.get("meta", "")).strip(),
                   channels=many("canal"), node=str(form.get("cobertura", "")),
                   units=many("unidad"))


def _instrument(session: Session, text: str) -> Instrument | None:
    ident, _, version = text.rpartition("@")
    if not ident or not version.isdigit():
        return None
    row = session.get(Instrument, (ident, int(version)))
    if row is None or not row.active or not isinstance(row.definition.get("questions"), list):
        return None
    return row


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _units_of(session: Session, scope: Scope, form: CampaignForm,
              problems: dict[str, str]) -> tuple[OrgNode | None, list[OrgNode]]:
    """The covered node (or None for a list) and the active units, inside ``scope``."""
    if form.node:
        node_id = _uuid(form.node)
        node = session.get(OrgNode, node_id) if node_id else None
        if node is None or node.level not in COVER_LEVELS or not scope.contains_node(node):
            problems["cobertura"] = "campaign.error.out_of_scope"
            return None, []
        query = select(OrgNode).where(OrgNode.level == OrgLevel.UNIT.value, OrgNode.active)
        if node.level == OrgLevel.UNIT.value:
            query = query.where(OrgNode.id == node.id)
        elif node.level != OrgLevel.NIVEL_CENTRAL.value:
            column = "ooad_id" if node.level == OrgLevel.OOAD.value else "umae_id"
            query = query.where(getattr(OrgNode, column) == node.id)
        units = [u for u in session.execute(query).scalars() if scope.contains_node(u)]
        if not units:
            problems["cobertura"] = "campaign.error.no_units"
        return node, units
    ids = [_uuid(u) for u in form.units]
    if not ids:
        problems["cobertura"] = "campaign.error.no_units"
        return None, []
    found = {u.id: u for u in session.execute(
        select(OrgNode).where(OrgNode.id.in_([i for i in ids if i]))).scalars()}  # type: ignore[attr-defined]
    units = [found.get(i) for i in ids if i]
    if None in ids or any(u is None or u.level != OrgLevel.UNIT.value
                          or not scope.contains_node(u) for u in units):
        problems["cobertura"] = "campaign.error.out_of_scope"
        return None, []
    return None, [u for u in units if u is not None]


def check_campaign(session: Session, scope: Scope, form: CampaignForm
                   ) -> tuple[dict[str, Any], dict[str, str]]:
    """The campaign's values and the form's problems (empty when it may be stored)."""
    problems: dict[str, str] = {}
    if not form.name:
        problems["nombre"] = "campaign.error.name"
    instrument = _instrument(session, form.instrument)
    if instrument is None:
        problems["instrumento"] = "campaign.error.instrument"
    starts, ends = _date(form.starts_on), _date(form.ends_on)
    if starts is None:
        problems["inicio"] = "campaign.error.date"
    if ends is None:
        problems["fin"] = "campaign.error.date"
    elif starts is not None and ends < starts:
        problems["fin"] = "campaign.error.ends_before_start"
    target = int(form.target) if form.target.isdigit() else None
    if target is None or not 1 <= target <= MAX_TARGET:
        problems["meta"] = "campaign.error.target"
    channels = [c for c in CampaignChannel if c.value in form.channels]
    if not channels or len(channels) != len(set(form.channels)):
        problems["canal"] = "campaign.error.channels"
    node, units = _units_of(session, scope, form, problems)
    values = {"instrument": instrument, "starts_on": starts, "ends_on": ends, "target": target,
              "channels": [c.value for c in channels], "node": node, "units": units}
    return values, problems


def campaign_data(campaign: Campaign, definition: dict[str, Any], *, active: bool = True
                  ) -> dict[str, Any]:
    """What the covered kiosks receive (:class:`~trato.protocol.wire.CampaignData`)."""
    questions = [CampaignQuestion(code=q["code"], text=q["text"],
                                  scale=[p["label"] for p in q["scale"]])
                 for q in definition.get("questions", [])]
    return CampaignData(
        campaign_id=campaign.id, name=campaign.name, instrument_id=campaign.instrument_id,
        instrument_version=campaign.instrument_version, starts_on=campaign.starts_on,
        ends_on=campaign.ends_on, channels=list(campaign.channels),
        intro=str(definition.get("intro", ""))[:500],
        not_applicable_label=str(definition.get("not_applicable_label", "No aplica"))[:64],
        questions=questions, active=active,
    ).model_dump(mode="json")


def create_campaign(session: Session, scope: Scope, form: CampaignForm, *, created_by: str
                    ) -> Campaign:
    """Store the campaign and its units and publish it to their kiosks, in the caller's
    transaction (commit is the caller's); :class:`CampaignProblems` and nothing written
    when the form has problems."""
    values, problems = check_campaign(session, scope, form)
    if problems:
        raise CampaignProblems(problems)
    instrument: Instrument = values["instrument"]
    node: OrgNode | None = values["node"]
    campaign = Campaign(
        name=form.name, instrument_id=instrument.instrument_id,
        instrument_version=instrument.version, starts_on=values["starts_on"],
        ends_on=values["ends_on"], channels=values["channels"],
        target_per_unit=values["target"], coverage_node_id=node.id if node else None,
        owner_column=scope.column, owner_node_id=scope.node_id, created_by=created_by,
    )
    session.add(campaign)
    session.flush()
    units: list[OrgNode] = values["units"]
    session.add_all([CampaignUnit(campaign_id=campaign.id, unit_id=u.id, ooad_id=u.ooad_id,
                                  umae_id=u.umae_id) for u in units])
    session.flush()
    data = campaign_data(campaign, instrument.definition)
    record_changes(session, [{"kind": ChangeKind.CAMPAIGN.value, "key": str(campaign.id),
                              "data": data, "unit_id": u.id, "version": 1} for u in units])
    return campaign


def campaign_instruments(session: Session) -> list[Instrument]:
    """The published, active instruments a campaign may use (those with questions)."""
    rows = session.execute(select(Instrument).where(Instrument.active)
                           .order_by(Instrument.instrument_id, Instrument.version)).scalars()
    return [r for r in rows if isinstance(r.definition.get("questions"), list)]


# ---------------------------------------------------------------------------- afterwards


def state_of(campaign: Campaign, today: date) -> str:
    """The campaign's state on the local day ``today``, withdrawn first."""
    if campaign.withdrawn_at is not None:
        return CampaignState.WITHDRAWN.value
    return campaign_state(campaign.starts_on, campaign.ends_on, today).value


def manageable(session: Session, scope: Scope, campaign: Campaign) -> bool:
    """Whether a user of ``scope`` may edit or withdraw the campaign: it was made in their
    branch or below it (one made at Nivel Central, by Nivel Central only)."""
    if scope.column is None:
        return True
    if campaign.owner_node_id is None:
        return False
    node = session.get(OrgNode, campaign.owner_node_id)
    return node is not None and scope.contains_node(node)


def _units_of_campaign(session: Session, campaign: Campaign) -> list[uuid.UUID]:
    return list(session.execute(select(CampaignUnit.unit_id).where(
        CampaignUnit.campaign_id == campaign.id)).scalars())


def _publish(session: Session, campaign: Campaign, units: list[uuid.UUID],
             removed: list[uuid.UUID] | None = None) -> None:
    """A newer version of the campaign's change for each covered unit (switched off when it
    is withdrawn) and, switched off, for each unit it no longer covers."""
    instrument = session.get(Instrument, (campaign.instrument_id, campaign.instrument_version))
    definition = instrument.definition if instrument is not None else {}
    version = next_version(session, ChangeKind.CAMPAIGN, str(campaign.id))
    live = campaign_data(campaign, definition, active=campaign.withdrawn_at is None)
    gone = campaign_data(campaign, definition, active=False)
    record_changes(session, [
        *({"kind": ChangeKind.CAMPAIGN.value, "key": str(campaign.id), "data": live,
           "unit_id": u, "version": version} for u in units),
        *({"kind": ChangeKind.CAMPAIGN.value, "key": str(campaign.id), "data": gone,
           "unit_id": u, "version": version} for u in removed or ())])


def withdraw_campaign(session: Session, campaign: Campaign, *, reason: str, by: str,
                      today: date, now: datetime) -> None:
    """Withdraw a scheduled or open campaign (caller commits; :class:`CampaignProblems` and
    nothing written otherwise): its kiosks receive it switched off, its responses stay."""
    reason = " ".join(reason.split())
    state = state_of(campaign, today)
    problems: dict[str, str] = {}
    if state == CampaignState.WITHDRAWN.value:
        problems["motivo"] = "campaign.error.already_withdrawn"
    elif state == CampaignState.CLOSED.value:
        problems["motivo"] = "campaign.error.closed"
    elif not reason:
        problems["motivo"] = "campaign.error.reason"
    elif len(reason) > REASON_MAX:
        problems["motivo"] = "campaign.error.reason_long"
    if problems:
        raise CampaignProblems(problems)
    campaign.withdrawn_at = campaign.updated_at = now
    campaign.withdrawn_by = by[:150]
    campaign.withdrawn_reason = reason
    session.add(campaign)
    session.flush()
    _publish(session, campaign, _units_of_campaign(session, campaign))


def edit_form(campaign: Campaign, units: list[uuid.UUID]) -> CampaignForm:
    """The edit form filled with the campaign as it is."""
    return CampaignForm(
        name=campaign.name, instrument=f"{campaign.instrument_id}@{campaign.instrument_version}",
        starts_on=campaign.starts_on.isoformat(), ends_on=campaign.ends_on.isoformat(),
        target=str(campaign.target_per_unit), channels=list(campaign.channels),
        node=str(campaign.coverage_node_id) if campaign.coverage_node_id else "",
        units=[] if campaign.coverage_node_id else [str(u) for u in units])


def _answered(session: Session, campaign: Campaign, units: set[uuid.UUID]) -> bool:
    """Whether any of ``units`` already has a response to the campaign."""
    if not units:
        return False
    r = CampaignUnitRollup
    return session.execute(select(r.unit_id).where(
        r.campaign_id == campaign.id, r.question == WHOLE_RESPONSE, r.answers > 0,
        r.unit_id.in_(list(units))).limit(1)).first() is not None  # type: ignore[attr-defined]


def edit_campaign(session: Session, campaign: Campaign, form: CampaignForm, *,
                  today: date, now: datetime) -> dict[str, Any]:
    """Change the campaign as the form says (caller commits) and tell its kiosks; answers
    what changed (field -> [before, after], for the audit). :class:`CampaignProblems` and
    nothing written when the form has problems or the campaign may no longer change."""
    state = state_of(campaign, today)
    if state not in (CampaignState.SCHEDULED.value, CampaignState.OPEN.value):
        raise CampaignProblems({"estado": "campaign.error.not_editable"})
    before = edit_form(campaign, units := _units_of_campaign(session, campaign))
    if state == CampaignState.OPEN.value:
        problems: dict[str, str] = {}
        if form.starts_on and form.starts_on != before.starts_on:
            problems["inicio"] = "campaign.error.started"
        if form.instrument and form.instrument != before.instrument:
            problems["instrumento"] = "campaign.error.started"
        ends = _date(form.ends_on)
        if ends is None:
            problems["fin"] = "campaign.error.date"
        elif ends < today:
            problems["fin"] = "campaign.error.end_past"
        if problems:
            raise CampaignProblems(problems)
        assert ends is not None
        changes = {"ends_on": [before.ends_on, ends.isoformat()]} \
            if ends != campaign.ends_on else {}
        campaign.ends_on = ends
        new_units, removed = units, []
    else:
        values, problems = check_campaign(
            session, OwnerScope(campaign.owner_column, campaign.owner_node_id), form)
        starts: date | None = values["starts_on"]
        if starts is not None and starts < today and "inicio" not in problems:
            problems["inicio"] = "campaign.error.start_past"
        chosen: list[OrgNode] = values["units"]
        kept = {u.id for u in chosen}
        removed = [u for u in units if u not in kept]
        if "cobertura" not in problems and _answered(session, campaign, set(removed)):
            problems["cobertura"] = "campaign.error.unit_answered"
        if problems:
            raise CampaignProblems(problems)
        instrument: Instrument = values["instrument"]
        node: OrgNode | None = values["node"]
        after = CampaignForm(
            name=form.name, instrument=f"{instrument.instrument_id}@{instrument.version}",
            starts_on=values["starts_on"].isoformat(), ends_on=values["ends_on"].isoformat(),
            target=str(values["target"]), channels=values["channels"],
            node=str(node.id) if node else "", units=[] if node else [str(u) for u in kept])
        changes = {name: [getattr(before, name), getattr(after, name)]
                   for name in ("name", "instrument", "starts_on", "ends_on", "target",
                                "channels", "node", "units")
                   if getattr(before, name) != getattr(after, name)}
        campaign.name = form.name
        campaign.instrument_id, campaign.instrument_version = (instrument.instrument_id,
                                                               instrument.version)
        campaign.starts_on, campaign.ends_on = values["starts_on"], values["ends_on"]
        campaign.target_per_unit, campaign.channels = values["target"], values["channels"]
        campaign.coverage_node_id = node.id if node else None
        if removed:
            session.execute(delete(CampaignUnit).where(
                CampaignUnit.campaign_id == campaign.id,
                CampaignUnit.unit_id.in_(removed)))  # type: ignore[attr-defined]
        session.add_all([CampaignUnit(campaign_id=campaign.id, unit_id=u.id, ooad_id=u.ooad_id,
                                      umae_id=u.umae_id) for u in chosen if u.id not in units])
        new_units = [u.id for u in chosen]
    if not changes:
        return {}
    campaign.updated_at = now
    session.add(campaign)
    session.flush()
    _publish(session, campaign, new_units, removed)
    return changes
