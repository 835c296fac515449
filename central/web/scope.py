"""The one scoping function of the web side: what a user may see.

Every list, detail, export and board query goes through :class:`Scope`: Nivel Central
(admin, nacional) sees the whole tree; an OOAD user its OOAD's branch; a UMAE user its UMAE;
a unit user its unit. Records carry denormalised ``ooad_id``/``umae_id``/``unit_id`` so the
filter is one equality test. An id outside the scope is answered like an unknown id (404).
"""

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import OrgLevel, OrgNode, Role, User

_ROLE_COLUMN = {
    Role.OOAD.value: "ooad_id", Role.UMAE.value: "umae_id", Role.UNIDAD.value: "unit_id",
}


class OutOfScopeError(LookupError):
    """The id does not exist for this user (never say whether it exists at all)."""


@dataclass(frozen=True)
class Scope:
    """``column`` is None for the whole tree; else records with ``column == node_id``."""

    column: str | None
    node_id: uuid.UUID | None

    @property
    def everything(self) -> bool:
        return self.column is None

    def where(self, model: Any) -> Any:
        """A WHERE clause for a table with ooad_id/umae_id/unit_id (records, kiosks)."""
        if self.column is None:
            return sa.true()
        return getattr(model, self.column) == self.node_id

    def where_node(self) -> Any:
        """A WHERE clause for :class:`OrgNode` rows inside the branch (the root included)."""
        if self.column is None:
            return sa.true()
        return sa.or_(OrgNode.id == self.node_id, getattr(OrgNode, self.column) == self.node_id)

    def where_unit_id(self, column: Any) -> Any:
        """A WHERE clause for tables that only carry a unit id (staff)."""
        if self.column is None:
            return sa.true()
        units = select(OrgNode.id).where(self.where_node(), OrgNode.level == OrgLevel.UNIT.value)
        return column.in_(units)

    def contains_row(self, row: Any) -> bool:
        if self.column is None:
            return True
        return bool(getattr(row, self.column, None) == self.node_id)

    def contains_node(self, node: OrgNode) -> bool:
        if self.column is None:
            return True
        return node.id == self.node_id or getattr(node, self.column, None) == self.node_id


#: The column of an agent's branch by the level of its scope node (an agent may be placed at
#: any level: the 800 line of an OOAD, a unit's desk).
_LEVEL_COLUMN = {
    OrgLevel.OOAD.value: "ooad_id", OrgLevel.UMAE.value: "umae_id", OrgLevel.UNIT.value: "unit_id",
}


def scope_for(user: User, scope_level: str | None = None) -> Scope:
    """The scope of ``user``. A branch role without a branch sees nothing. An agent's branch
    is given by ``scope_level``, the level of its scope node (an agent without one works for
    the whole country: the national 800 line); so is a branch administrator's (an
    administrator without one is the national administrator)."""
    placed_anywhere = user.role in (Role.AGENTE.value, Role.ADMIN.value)
    if user.role == Role.NACIONAL.value or (placed_anywhere and user.scope_id is None):
        return Scope(None, None)
    # An agent, and a branch administrator, take the branch of the level they are placed at.
    column = (_LEVEL_COLUMN.get(scope_level or "") if placed_anywhere
              else _ROLE_COLUMN.get(user.role))
    if column is None or user.scope_id is None:
        return Scope("unit_id", uuid.UUID(int=0))  # matches nothing
    return Scope(column, user.scope_id)


def get_scoped(session: Session, model: Any, ident: Any, scope: Scope) -> Any:
    """The row of ``model`` with primary key ``ident`` inside ``scope``, else OutOfScopeError."""
    try:
        key = ident if isinstance(ident, uuid.UUID) else uuid.UUID(str(ident))
    except ValueError as exc:
        raise OutOfScopeError(str(ident)) from exc
    row = session.get(model, key)
    if row is None:
        raise OutOfScopeError(str(ident))
    ok = scope.contains_node(row) if model is OrgNode else scope.contains_row(row)
    if not ok:
        raise OutOfScopeError(str(ident))
    return row
