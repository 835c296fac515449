"""A campaign's results as the page shows them: per unit of the viewer's branch and
dimension, the index (share of good answers, "no aplica" left out) with its rated answers,
its 95 % Wilson interval, and the same unit's index in the previous campaign of the same
instrument; per unit, its responses against the target.

Everything is read from ``rollup_campaign_unit`` (a few rows per unit, by its primary key),
never from the raw responses. Small-number rule (``docs/small-numbers.md``): an index over
fewer than :data:`~trato.domain.satisfaction.MIN_GROUP` rated answers is not shown, and no
total across units is shown, so no hidden index can be worked out by difference; response
counts are always shown (like complaint counts, they are what the committee acts on).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from central.models import Campaign, CampaignUnit, CampaignUnitRollup, Instrument, OrgNode
from central.models.campaigns import WHOLE_RESPONSE
from central.services.campaigns import state_of
from central.web.scope import Scope
from trato.domain.campaigns import wilson_interval
from trato.domain.satisfaction import RatingGroup

#: Units on one page of the results (a national campaign covers about 800).
UNITS_PER_PAGE = 50


@dataclass
class Cell(RatingGroup):
    """One unit × dimension: rated answers, good ones (the index and the small-number rule
    of :class:`~trato.domain.satisfaction.RatingGroup`), and the previous campaign's."""

    previous: "Cell | None" = None

    @property
    def interval(self) -> tuple[float, float] | None:
        return None if self.suppressed else wilson_interval(self.good, self.n)

    @property
    def change(self) -> float | None:
        """Points against the previous campaign (None when either is not shown)."""
        if self.previous is None or self.index is None or self.previous.index is None:
            return None
        return self.index - self.previous.index


@dataclass
class UnitResult:
    unit_id: uuid.UUID
    name: str
    responses: int = 0
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class CampaignResults:
    campaign: Campaign
    state: str
    dimensions: list[tuple[str, str]]  # (code, label)
    units: list[UnitResult]
    previous: Campaign | None = None
    page: int = 1
    pages: int = 1
    unit_count: int = 0
    reached: int = 0


def dimensions_of(session: Session, campaign: Campaign) -> list[tuple[str, str]]:
    row = session.get(Instrument, (campaign.instrument_id, campaign.instrument_version))
    questions = row.definition.get("questions", []) if row else []
    return [(str(q["code"]), str(q.get("dimension") or q["code"])) for q in questions
            if isinstance(q, dict) and "code" in q]


def scoped_units(scope: Scope, campaign_id: uuid.UUID) -> Any:
    """SELECT of the campaign's unit ids inside the viewer's branch."""
    return sa.select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == campaign_id,
                                                 scope.where(CampaignUnit))


def visible_campaign(session: Session, scope: Scope, campaign_id: str) -> Campaign | None:
    """The campaign if it covers at least one unit of the viewer's branch (else None: 404)."""
    try:
        key = uuid.UUID(campaign_id)
    except ValueError:
        return None
    campaign = session.get(Campaign, key)
    if campaign is None:
        return None
    any_unit = session.execute(scoped_units(scope, key).limit(1)).first()
    return campaign if any_unit is not None else None


def _previous(session: Session, scope: Scope, campaign: Campaign) -> Campaign | None:
    """The latest campaign of the same instrument that ended before this one started,
    covered one of its units in the viewer's branch and was not withdrawn."""
    shared = sa.select(CampaignUnit.campaign_id).where(
        CampaignUnit.unit_id.in_(scoped_units(scope, campaign.id)))  # type: ignore[attr-defined]
    return session.execute(
        sa.select(Campaign).where(Campaign.instrument_id == campaign.instrument_id,
                                  Campaign.ends_on < campaign.starts_on,
                                  Campaign.withdrawn_at.is_(None),  # type: ignore[union-attr]
                                  Campaign.id.in_(shared))  # type: ignore[attr-defined]
        .order_by(Campaign.ends_on.desc()).limit(1)  # type: ignore[attr-defined]
    ).scalars().first()


def _cells(session: Session, scope: Scope, campaign_id: uuid.UUID, units: Any
           ) -> dict[tuple[uuid.UUID, str], tuple[int, int, int]]:
    """(unit, question) -> (answers, rated, good) from the rollup."""
    r = CampaignUnitRollup.__table__.c
    rows = session.execute(
        sa.select(r.unit_id, r.question, r.answers, r.not_applicable, r.rating_4, r.rating_5)
        .where(r.campaign_id == campaign_id, r.unit_id.in_(units)))
    return {(u, q): (a, a - na, g4 + g5) for u, q, a, na, g4, g5 in rows}


def _responses(session: Session, campaign_id: uuid.UUID, units: Any) -> dict[Any, int]:
    r = CampaignUnitRollup.__table__.c
    return dict(session.execute(sa.select(r.unit_id, r.answers).where(
        r.campaign_id == campaign_id, r.question == WHOLE_RESPONSE,
        r.unit_id.in_(units))).all())


def build_results(session: Session, scope: Scope, campaign: Campaign, today: date, *,
                  page: int = 1) -> CampaignResults:
    """The results of the page ``page`` of the viewer's units (by name,
    :data:`UNITS_PER_PAGE` a page); every unit counts towards the target summary."""
    dims = dimensions_of(session, campaign)
    units_in_scope = scoped_units(scope, campaign.id)
    names = sorted(session.execute(sa.select(OrgNode.id, OrgNode.name).where(
        OrgNode.id.in_(units_in_scope))).all(), key=lambda row: (row[1], str(row[0])))  # type: ignore[attr-defined]
    responses = _responses(session, campaign.id, units_in_scope)
    pages = max(1, -(-len(names) // UNITS_PER_PAGE))
    page = min(max(1, page), pages)
    shown = names[(page - 1) * UNITS_PER_PAGE:page * UNITS_PER_PAGE]
    ids = [unit_id for unit_id, _ in shown]
    now = _cells(session, scope, campaign.id, ids)
    previous = _previous(session, scope, campaign)
    before = _cells(session, scope, previous.id, ids) if previous else {}
    units = []
    for unit_id, name in shown:
        result = UnitResult(unit_id, name, responses=responses.get(unit_id, 0))
        for code, _label in dims:
            _, n, good = now.get((unit_id, code), (0, 0, 0))
            cell = Cell(n=n, good=good)
            if previous is not None:
                _, pn, pgood = before.get((unit_id, code), (0, 0, 0))
                cell.previous = Cell(n=pn, good=pgood)
            result.cells[code] = cell
        units.append(result)
    reached = sum(1 for n in responses.values() if n >= campaign.target_per_unit)
    state = state_of(campaign, today)
    return CampaignResults(campaign, state, dims, units, previous, page=page, pages=pages,
                           unit_count=len(names), reached=reached)


def list_campaigns(session: Session, scope: Scope, today: date) -> list[dict[str, Any]]:
    """The campaigns covering a unit of the viewer's branch, newest window first, with the
    number of those units."""
    cu = CampaignUnit.__table__.c
    counts = (sa.select(cu.campaign_id, sa.func.count().label("units"))
              .where(scope.where(CampaignUnit)).group_by(cu.campaign_id).subquery())
    rows = session.execute(
        sa.select(Campaign, counts.c.units).join(counts, counts.c.campaign_id == Campaign.id)
        .order_by(Campaign.starts_on.desc(), Campaign.name)).all()  # type: ignore[attr-defined]
    return [{"campaign": c, "units": n,
             "state": state_of(c, today)} for c, n in rows]
