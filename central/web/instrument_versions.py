"""Which survey instrument versions reach the kiosks under a board node, and whether they ask
the same headline question on the same scale (:func:`trato.protocol.instrument.fingerprint`).
The board says so when they do not: satisfaction figures of versions with different
fingerprints are not comparable, so the board counts one fingerprint only
(:func:`board_fingerprint`, the same for every node so that every page and every
small-number decision counts the same responses) and says how many it left out. Reads the
instrument table (a handful of rows) and, for the warning, the survey rollup of the node."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from central.models import Instrument, InstrumentStatus, OrgLevel, OrgNode
from central.web.nodes import BoardNode, node_filter
from central.web.scope import Scope
from trato.domain.satisfaction import INDEX_DAYS

#: The instrument whose headline question the board's satisfaction index is.
GENERAL_INSTRUMENT = "trato-general"


@dataclass(frozen=True)
class MixedVersions:
    instrument_id: str
    title: str
    #: (version, fingerprint), oldest first.
    versions: tuple[tuple[int, str], ...]
    #: The versions whose responses the board leaves out (another fingerprint than
    #: :func:`board_fingerprint`'s), and how many responses to them the node received in
    #: the index window.
    left_out: tuple[int, ...] = ()
    left_out_responses: int = 0

    @property
    def labels(self) -> str:
        return ", ".join(f"v{v}" for v, _ in self.versions)

    @property
    def days(self) -> int:
        return INDEX_DAYS

    @property
    def left_out_labels(self) -> str:
        return ", ".join(f"v{v}" for v in self.left_out)


def board_fingerprint(session: Session) -> str | None:
    """The fingerprint whose responses the board counts: that of the newest version of the
    general instrument published to the whole institution that has one (None: none has,
    every response counts). Kept in ``session.info`` (one lookup per page)."""
    if "board_fingerprint" not in session.info:
        session.info["board_fingerprint"] = session.execute(
            sa.select(Instrument.fingerprint)
            .where(Instrument.instrument_id == GENERAL_INSTRUMENT,
                   Instrument.status == InstrumentStatus.PUBLISHED.value,
                   Instrument.fingerprint != "",
                   Instrument.scope_node_id.is_(None))  # type: ignore[union-attr]
            .order_by(Instrument.version.desc()).limit(1)).scalar()  # type: ignore[attr-defined]
    return session.info["board_fingerprint"]


def comparable(session: Session, table: Any) -> list[Any]:
    """The WHERE clauses that keep a survey rollup's rows to :func:`board_fingerprint`."""
    chosen = board_fingerprint(session)
    return [] if chosen is None else [table.fingerprint == chosen]


def _left_out_responses(session: Session, scope: Scope, node: BoardNode, model: Any,
                        chosen: str, today: date) -> int:
    t = model.__table__.c
    start = today - timedelta(days=INDEX_DAYS - 1)
    return int(session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(t.responses), 0))
        .where(scope.where(model), node_filter(model, node), t.fingerprint != chosen,
               t.day >= start, t.day <= today)).scalar_one())


def _reaches(node: BoardNode, scope: OrgNode | None) -> bool:
    """A version published to ``scope`` reaches some kiosk under ``node``."""
    if scope is None or node.kind == OrgLevel.NIVEL_CENTRAL.value or node.row is None:
        return True
    row = node.row
    published_above = scope.id in {row.id, row.ooad_id, row.umae_id, row.unit_id}
    published_below = row.id in {scope.ooad_id, scope.umae_id, scope.unit_id}
    return published_above or published_below


def mixed_versions(session: Session, node: BoardNode, scope: Scope | None = None,
                   model: Any = None, today: date | None = None) -> list[MixedVersions]:
    """Instruments whose published versions reaching ``node`` differ in fingerprint; with
    ``scope``, ``model`` (the node's survey rollup) and ``today``, the versions the board leaves
    out and how many responses to them ``node`` received in the index window."""
    rows = session.execute(
        sa.select(Instrument.instrument_id, Instrument.version, Instrument.title,
                  Instrument.fingerprint, Instrument.scope_node_id)
        .where(Instrument.status == InstrumentStatus.PUBLISHED.value)
        .order_by(Instrument.instrument_id, Instrument.version)).all()
    scopes = {n.id: n for n in session.execute(sa.select(OrgNode).where(OrgNode.id.in_(
        {r.scope_node_id for r in rows if r.scope_node_id}))).scalars()}  # type: ignore[union-attr]
    by_id: dict[str, list[tuple[int, str, str]]] = {}
    for r in rows:
        if _reaches(node, scopes.get(r.scope_node_id) if r.scope_node_id else None):
            by_id.setdefault(r.instrument_id, []).append((r.version, r.fingerprint, r.title))
    chosen = board_fingerprint(session)
    out = []
    for iid, versions in by_id.items():
        if len({f for _, f, _ in versions}) < 2:
            continue
        left = tuple(v for v, f, _ in versions if chosen is not None and f != chosen)
        n = (_left_out_responses(session, scope, node, model, chosen, today)
             if left and chosen is not None and scope is not None and today is not None
             else 0)
        out.append(MixedVersions(iid, versions[-1][2], tuple((v, f) for v, f, _ in versions),
                                 left, n))
    return out
