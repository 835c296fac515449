"""Rollouts: the kiosk version an administrator allows under a branch of the tree.

A kiosk is offered the version of the deepest node above it that has a rollout (its module,
then its unit, its OOAD or UMAE, then Nivel Central); none means it stays on what it runs.
The offer goes to the kiosk signed with the repository's targets key
(:func:`trato.protocol.updates.sign_offer`)."""

import uuid

from sqlmodel import Session, col, select

from central.db import utcnow
from central.models import Kiosk, OrgLevel, OrgNode, UpdateRollout


def _branch(session: Session, kiosk: Kiosk) -> list[uuid.UUID]:
    """The nodes above a kiosk, deepest first."""
    nodes = [kiosk.module_id, kiosk.unit_id, kiosk.ooad_id, kiosk.umae_id]
    national = session.exec(select(OrgNode.id).where(
        OrgNode.level == OrgLevel.NIVEL_CENTRAL.value)).first()
    return [n for n in [*nodes, national] if n is not None]


def offered_version(session: Session, kiosk: Kiosk) -> str | None:
    branch = _branch(session, kiosk)
    rows = {r.node_id: r.version for r in session.exec(
        select(UpdateRollout).where(col(UpdateRollout.node_id).in_(branch))).all()}
    return next((rows[n] for n in branch if n in rows), None)


def stage(session: Session, node_id: uuid.UUID, version: str | None, by: str) -> None:
    """Allow ``version`` under the node (None: take the node's rollout away). Not committed."""
    row = session.get(UpdateRollout, node_id)
    if version is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = UpdateRollout(node_id=node_id, version=version)
    row.version, row.staged_by, row.staged_at = version, by, utcnow()
    session.add(row)


def rollouts(session: Session, node_ids: set[uuid.UUID] | None) -> list[UpdateRollout]:
    """The rollouts of these nodes (None: every one)."""
    query = select(UpdateRollout)
    if node_ids is not None:
        query = query.where(col(UpdateRollout.node_id).in_(node_ids))
    return list(session.exec(query.order_by(col(UpdateRollout.staged_at).desc())).all())
