"""The small-number rule of :mod:`central.web.suppression` applied to the board and the report:
a node's own figures (its window and each of its periods) are decided in its parent's table,
from the viewer's root down, so every page of one scope agrees on what is hidden (a unit's page
never shows the index its OOAD's page withheld to protect a sibling, nor a week its OOAD's week
and its sibling units' weeks would give away).

The board decides over its index window and its trend's weeks, the report over its quarter and
its months. Each ancestor's children are read from the rollups by their numbers of responses
only (the decision never depends on the answers): one grouped query per level above the node.
"""

import itertools
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session

from central.models import OrgLevel
from central.models.rollups import NO_NODE
from central.web.nodes import CHILD_LEVEL, BoardNode
from central.web.scope import Scope
from central.web.suppression import WINDOW, protect_grid, protect_row, root_hidden
from central.web.tallies import Group, Period, rated_groups

#: The rollup columns a node's children are counted by.
CHILD_KEYS = {"ooad_umae": ("ooad_id", "umae_id"), OrgLevel.UNIT.value: ("unit_id",),
              OrgLevel.MODULE.value: ("module_id",)}

Grid = dict[Any, dict[str, int]]


def child_keys(node: BoardNode) -> tuple[str, ...]:
    return CHILD_KEYS.get(CHILD_LEVEL.get(node.kind) or "", ())


def grid_of(groups: Mapping[tuple[Any, ...], Mapping[str, Group]]) -> Grid:
    """Rated responses per node id and period, from groups keyed by branch columns (a row
    keyed by OOAD and UMAE counts for the one that is set)."""
    out: Grid = {}
    for key, periods in groups.items():
        for node_id in key:
            if node_id != NO_NODE:
                row = out.setdefault(node_id, {})
                for name, g in periods.items():
                    row[name] = row.get(name, 0) + g.n
    return out


def node_row(session: Session, scope: Scope, node: BoardNode, crumbs: list[BoardNode],
             periods: Mapping[str, Period], unpublished: Iterable[str],
             own: Mapping[str, int]) -> frozenset[str]:
    """``node``'s hidden figures: the names of its hidden periods, and :data:`WINDOW` when
    its whole window is hidden (``crumbs``: its ancestors inside the scope, from the top;
    ``own``: its rated responses per period)."""
    names, late = list(periods), tuple(unpublished)
    chain = [*crumbs, node]
    row: frozenset[str] | None = None
    for parent, child in itertools.pairwise(chain):
        keys = child_keys(parent)
        grid = grid_of(rated_groups(session, scope, parent, keys, periods)) if keys else {}
        if row is None:
            sizes = {p: sum(r.get(p, 0) for r in grid.values()) for p in names}
            row = protect_row(root_hidden(sum(sizes.values())), sizes, late)
        row = protect_grid(row, grid, names, late).get(uuid.UUID(child.id),
                                                       frozenset((*names, WINDOW)))
    if row is None:
        row = protect_row(root_hidden(sum(own.values())), dict(own), late)
    return row


def children_rows(row: frozenset[str], grid: Grid, periods: Iterable[str],
                  unpublished: Iterable[str] = ()) -> dict[Any, frozenset[str]]:
    """The hidden figures of each child of a node whose own ``row`` is decided."""
    return protect_grid(row, grid, list(periods), tuple(unpublished))


def withhold(groups: Mapping[Any, Group], hidden: Iterable[Any]) -> None:
    """Mark the named groups hidden under the rule."""
    for key in hidden:
        if key in groups:
            groups[key].withheld = True
