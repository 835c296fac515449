"""The small-number rule of :mod:`central.web.suppression` applied to the board and the report:
a node's own figures are decided in its parent's table, from the viewer's root down, so every
page of one scope agrees on what is hidden (a unit's page never shows the index its OOAD's
page withheld to protect a sibling).

One window at a time (the board's index window, the report's quarter): each ancestor's
children are read from the rollups by their numbers of responses only (the decision never
depends on the answers), one grouped query per level above the node.
"""

import itertools
import uuid
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from central.models import OrgLevel
from central.web.nodes import CHILD_LEVEL, BoardNode
from central.web.scope import Scope
from central.web.suppression import protect_parts, root_hidden
from central.web.tallies import Group, Period, by_node, rated_groups

#: The rollup columns a node's children are counted by.
CHILD_KEYS = {"ooad_umae": ("ooad_id", "umae_id"), OrgLevel.UNIT.value: ("unit_id",),
              OrgLevel.MODULE.value: ("module_id",)}


def child_keys(node: BoardNode) -> tuple[str, ...]:
    return CHILD_KEYS.get(CHILD_LEVEL.get(node.kind) or "", ())


def sizes_of(groups: Mapping[Any, Group]) -> dict[Any, int]:
    return {k: g.n for k, g in groups.items()}


def children_sizes(session: Session, scope: Scope, node: BoardNode, window: Period
                   ) -> dict[Any, int]:
    """Rated responses of each child of ``node`` in ``window``, by child id."""
    keys = child_keys(node)
    if not keys:
        return {}
    groups = rated_groups(session, scope, node, keys, {"window": window})
    return sizes_of(by_node(groups))


def node_hidden(session: Session, scope: Scope, node: BoardNode, crumbs: list[BoardNode],
                window: Period, size: int) -> bool:
    """Whether ``node``'s own figure over ``window`` is hidden (``crumbs``: its ancestors
    inside the scope from the top; ``size``: its rated responses): the decision of its
    parent's table, taken down from the root."""
    chain = [*crumbs, node]
    hidden: bool | None = None
    for parent, child in itertools.pairwise(chain):
        sizes = children_sizes(session, scope, parent, window)
        if hidden is None:
            hidden = root_hidden(sum(sizes.values()))
        key = uuid.UUID(child.id)
        hidden = key not in sizes or key in protect_parts(hidden, sizes)
    return root_hidden(size) if hidden is None else hidden


def withhold(groups: Mapping[Any, Group], total_hidden: bool,
             unpublished: tuple[Any, ...] = ()) -> None:
    """Mark the parts of a total (``groups``: a node's children or its periods) hidden under
    the rule, given the total's own decision."""
    for key in protect_parts(total_hidden, sizes_of(groups), unpublished):
        if key in groups:
            groups[key].withheld = True
