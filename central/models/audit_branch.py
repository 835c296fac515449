"""The branch of an audit entry, filled as it is inserted, so that whoever writes one (the
case pages, the desk, the roster import, the users page) need not know about branches.

An entry belongs to the branch of its target (a case, a kiosk, a user's scope), else to the
branch of the user who acted; an entry whose columns are already set is left as it is.
"""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from central.models.organisation import Kiosk, OrgNode
from central.models.people import AuditLog, User
from central.models.records import Case

BRANCH_COLUMNS = ("ooad_id", "umae_id", "unit_id")


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except (ValueError, TypeError):
        return None


def _node_of_user(user_id: Any) -> Any:
    return sa.select(User.scope_id).where(User.id == user_id).scalar_subquery()


def branch_query(entry: AuditLog) -> Any:
    """A SELECT of (ooad_id, umae_id, unit_id) for ``entry``, or None (Nivel Central)."""
    target = _as_uuid(entry.target_id)
    if target is not None and entry.target_type == "case":
        return sa.select(Case.ooad_id, Case.umae_id, Case.unit_id).where(Case.id == target)
    if target is not None and entry.target_type == "kiosk":
        return sa.select(Kiosk.ooad_id, Kiosk.umae_id, Kiosk.unit_id).where(Kiosk.id == target)
    if target is not None and entry.target_type == "org_node":
        return sa.select(OrgNode.ooad_id, OrgNode.umae_id, OrgNode.unit_id).where(
            OrgNode.id == target)
    if target is not None and entry.target_type == "user":
        return sa.select(OrgNode.ooad_id, OrgNode.umae_id, OrgNode.unit_id).where(
            OrgNode.id == _node_of_user(target))
    if entry.user_id is not None:
        return sa.select(OrgNode.ooad_id, OrgNode.umae_id, OrgNode.unit_id).where(
            OrgNode.id == _node_of_user(entry.user_id))
    return None


@event.listens_for(AuditLog, "before_insert")
def _fill_branch(_mapper: Any, connection: Any, entry: AuditLog) -> None:
    if any(getattr(entry, c) is not None for c in BRANCH_COLUMNS):
        return
    query = branch_query(entry)
    row = connection.execute(query).first() if query is not None else None
    if row is not None:
        entry.ooad_id, entry.umae_id, entry.unit_id = row
