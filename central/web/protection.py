"""The small-number rule of :mod:`central.web.suppression` applied to the board and the report:
a node's own figures (its window and each of its periods) are decided in its parent's table,
from the viewer's root down, so every page of one scope agrees on what is hidden (a unit's page
never shows the index its OOAD's page withheld to protect a sibling, nor a week its OOAD's week
and its sibling units' weeks would give away).

The board decides over its index window and its trend's weeks, the report over its quarter and
its months. Each ancestor's children are read from the rollups by their numbers of responses
only (the decision never depends on the answers): one query for every level above the node,
none for a level whose table the hub's cache holds (:mod:`central.web.decisions`).
"""

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session

from central.models import OrgLevel
from central.models.rollups import NO_NODE
from central.web.decisions import DecisionCache, Grid
from central.web.nodes import CHILD_LEVEL, BoardNode
from central.web.scope import Scope
from central.web.suppression import WINDOW, protect_grid, protect_row, root_hidden
from central.web.tallies import Group, Period, rated_sizes

#: The rollup columns a node's children are counted by.
CHILD_KEYS = {"ooad_umae": ("ooad_id", "umae_id"), OrgLevel.UNIT.value: ("unit_id",),
              OrgLevel.MODULE.value: ("module_id",)}

def child_keys(node: BoardNode) -> tuple[str, ...]:
    return CHILD_KEYS.get(CHILD_LEVEL.get(node.kind) or "", ())


def grid_of(groups: Mapping[tuple[Any, ...], Mapping[str, Group]]) -> Grid:
    """Rated responses per node id and period, from groups keyed by branch columns (a row
    keyed by OOAD and UMAE counts for the one that is set); periods without any are left out,
    as :func:`central.web.tallies.rated_sizes` does (the cache compares the two)."""
    out: Grid = {}
    for key, periods in groups.items():
        for node_id in key:
            if node_id != NO_NODE:
                row = out.setdefault(node_id, {})
                for name, g in periods.items():
                    if g.n:
                        row[name] = row.get(name, 0) + g.n
    return out


def node_row(session: Session, scope: Scope, node: BoardNode, crumbs: list[BoardNode],
             periods: Mapping[str, Period], unpublished: Iterable[str],
             own: Mapping[str, int], cache: DecisionCache | None = None) -> frozenset[str]:
    """``node``'s hidden figures: the names of its hidden periods, and :data:`WINDOW` when
    its whole window is hidden (``crumbs``: its ancestors inside the scope, from the top;
    ``own``: its rated responses per period). The ancestors' grids the cache does not hold
    are read in one query."""
    names, late = list(periods), tuple(unpublished)
    chain = [*crumbs, node]
    parents = chain[:-1]
    if not parents:
        return protect_row(root_hidden(sum(own.values())), dict(own), late)
    # The generations are read before the grids (central.web.decisions).
    stamps = [cache.stamp(p) if cache else -1 for p in parents]
    keys = [DecisionCache.key(scope, p, periods, late) for p in parents]
    grids: list[Grid | None] = [cache.grid(k, g) if cache else None
                                for k, g in zip(keys, stamps, strict=True)]
    missing = [i for i, g in enumerate(grids) if g is None]
    if missing:
        fetched = rated_sizes(session, scope, [(parents[i], child_keys(parents[i]))
                                               for i in missing], periods)
        for i, grid in zip(missing, fetched, strict=True):
            grids[i] = grid
        if cache:
            cache.queried += len(missing)
    row: frozenset[str] | None = None
    for i, child in enumerate(chain[1:]):
        grid = grids[i] or {}
        if row is None:
            sizes = {p: sum(r.get(p, 0) for r in grid.values()) for p in names}
            row = protect_row(root_hidden(sum(sizes.values())), sizes, late)
        row = decide_table(cache, keys[i], stamps[i], row, grid, names, late).get(
            uuid.UUID(child.id), frozenset((*names, WINDOW)))
    assert row is not None
    return row


def decide_table(cache: DecisionCache | None, key: Any, stamp: int, row: frozenset[str],
                 grid: Grid, names: list[str], late: tuple[str, ...]
                 ) -> dict[Any, frozenset[str]]:
    """The rule over one parent's table (:func:`protect_grid`), kept by the cache."""
    if cache is None:
        return protect_grid(row, grid, names, late)
    return cache.decide(key, stamp, grid, row, lambda: protect_grid(row, grid, names, late))


def children_rows(row: frozenset[str], grid: Grid, periods: Mapping[str, Period],
                  unpublished: Iterable[str] = (), *, cache: DecisionCache | None = None,
                  scope: Scope | None = None, node: BoardNode | None = None,
                  stamp: int = -1) -> dict[Any, frozenset[str]]:
    """The hidden figures of each child of a node whose own ``row`` is decided (``grid``:
    read at the node's generation ``stamp``, kept by ``cache`` for its children's pages)."""
    late = tuple(unpublished)
    if cache is None or scope is None or node is None:
        return protect_grid(row, grid, list(periods), late)
    return decide_table(cache, DecisionCache.key(scope, node, periods, late), stamp, row, grid,
                        list(periods), late)


def withhold(groups: Mapping[Any, Group], hidden: Iterable[Any]) -> None:
    """Mark the named groups hidden under the rule."""
    for key in hidden:
        if key in groups:
            groups[key].withheld = True
