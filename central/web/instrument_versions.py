"""Which survey instrument versions reach the kiosks under a board node, and whether they ask
the same headline question on the same scale (:func:`trato.protocol.instrument.fingerprint`).
The board says so when they do not: satisfaction figures of versions with different
fingerprints are not comparable. Reads the instrument table only (a handful of rows)."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from central.models import Instrument, InstrumentStatus, OrgLevel, OrgNode
from central.web.nodes import BoardNode


@dataclass(frozen=True)
class MixedVersions:
    instrument_id: str
    title: str
    #: (version, fingerprint), oldest first.
    versions: tuple[tuple[int, str], ...]

    @property
    def labels(self) -> str:
        return ", ".join(f"v{v}" for v, _ in self.versions)


def _reaches(node: BoardNode, scope: OrgNode | None) -> bool:
    """A version published to ``scope`` reaches some kiosk under ``node``."""
    if scope is None or node.kind == OrgLevel.NIVEL_CENTRAL.value or node.row is None:
        return True
    row = node.row
    published_above = scope.id in {row.id, row.ooad_id, row.umae_id, row.unit_id}
    published_below = row.id in {scope.ooad_id, scope.umae_id, scope.unit_id}
    return published_above or published_below


def mixed_versions(session: Session, node: BoardNode) -> list[MixedVersions]:
    """Instruments whose published versions reaching ``node`` differ in fingerprint."""
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
    return [MixedVersions(iid, versions[-1][2], tuple((v, f) for v, f, _ in versions))
            for iid, versions in by_id.items() if len({f for _, f, _ in versions}) > 1]
