"""Which branch of the tree a page shows: the node asked for inside the viewer's scope, its
breadcrumbs, and the filter that narrows a table to it (board, reports, case list)."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import OrgLevel, OrgNode
from central.web.i18n import t
from central.web.scope import Scope

#: The branch column of every scoped table for a node of each level.
LEVEL_COLUMN = {
    OrgLevel.OOAD.value: "ooad_id",
    OrgLevel.UMAE.value: "umae_id",
    OrgLevel.UNIT.value: "unit_id",
    OrgLevel.MODULE.value: "module_id",
}
#: The level a node's drill-down lists (Nivel Central lists OOADs and UMAEs together).
CHILD_LEVEL = {
    OrgLevel.NIVEL_CENTRAL.value: "ooad_umae",
    OrgLevel.OOAD.value: OrgLevel.UNIT.value,
    OrgLevel.UMAE.value: OrgLevel.UNIT.value,
    OrgLevel.UNIT.value: OrgLevel.MODULE.value,
}


@dataclass
class BoardNode:
    id: str
    name: str
    kind: str
    row: OrgNode | None = None


def _node(row: OrgNode) -> BoardNode:
    return BoardNode(str(row.id), row.name, row.level, row)


def node_filter(model: Any, node: BoardNode) -> Any:
    """The rows of ``model`` under ``node`` (everything for Nivel Central)."""
    column = LEVEL_COLUMN.get(node.kind)
    if column is None or not hasattr(model, column):
        return sa.true()
    return getattr(model, column) == uuid.UUID(node.id)


def root_node(session: Session, scope: Scope) -> BoardNode:
    if scope.node_id is not None:
        row = session.get(OrgNode, scope.node_id)
        if row is not None:
            return _node(row)
    row = session.exec(
        select(OrgNode).where(OrgNode.level == OrgLevel.NIVEL_CENTRAL.value)
    ).first()
    if row is not None:
        return _node(row)
    return BoardNode("", t("scope.nivel_central"), OrgLevel.NIVEL_CENTRAL.value)


def resolve_node(session: Session, scope: Scope, node_id: str | None) -> BoardNode | None:
    """The board node the viewer asked for; None when it is outside the scope (404)."""
    if not node_id:
        return root_node(session, scope)
    try:
        key = uuid.UUID(node_id)
    except ValueError:
        return None
    row = session.get(OrgNode, key)
    if row is None or not scope.contains_node(row):
        return None
    return _node(row)


def crumbs_for(session: Session, node: BoardNode, scope: Scope) -> list[BoardNode]:
    """The node's ancestors inside the viewer's scope, from the top."""
    out: list[BoardNode] = []
    row = node.row
    seen = 0
    while row is not None and row.parent_id is not None and seen < 6:
        seen += 1
        parent = session.get(OrgNode, row.parent_id)
        if parent is None or not scope.contains_node(parent):
            break
        out.append(_node(parent))
        row = parent
    return list(reversed(out))


def node_names(session: Session, ids: Iterable[Any]) -> dict[Any, str]:
    """Names of the given nodes by id (None ignored)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(OrgNode.id, OrgNode.name).where(OrgNode.id.in_(wanted))).all()
    return {i: n for i, n in rows}


def branch_options(session: Session, scope: Scope) -> list[tuple[str, str]]:
    """The branches of the scope a page can be narrowed to: its root, its OOADs and UMAEs,
    its units (value: the node id, label: CLUES and name)."""
    root = root_node(session, scope)
    rows = session.exec(select(OrgNode).where(
        scope.where_node(), OrgNode.level.in_(  # type: ignore[attr-defined]
            [OrgLevel.OOAD.value, OrgLevel.UMAE.value, OrgLevel.UNIT.value]))
        .order_by(OrgNode.level, OrgNode.code)).all()
    out = [(root.id, root.name)]
    for n in rows:
        if str(n.id) != root.id:
            label = f"{n.clues} · {n.name}" if n.clues else n.name
            out.append((str(n.id), label))
    return out
