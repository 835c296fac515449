"""Small-number tables kept between pages: a parent's children's rated responses per period
(its *grid*) and the rule's decisions over it, reused while the parent has no news.

A node's own figures are decided in its parent's table, from the viewer's root down
(:mod:`central.web.protection`), so every page reads the tables of all its ancestors. The
board hub (:mod:`central.web.live`) counts a *generation* per node, moved by every event under
it; a grid read when its parent had generation ``g`` stays right while the parent's generation
is ``g`` (the generation is read before the query: an event meanwhile makes the grid look
stale, never the reverse). The decisions over a grid depend on the grid and on the parent's
own hidden figures (its *row*, decided above) alone, so they are kept per row beside the grid
and dropped with it. A grid handed in (a board's own query) replaces the kept one unless both
are equal, so a decision is never reused over other numbers.

Entries also expire after ``max_age_seconds`` (``TD_CENTRAL_DECISION_CACHE_SECONDS``, default
:data:`MAX_AGE_SECONDS`: a missed event cannot keep a table for long; 0: nothing kept), and at
most :data:`ENTRIES` are kept. Without a running hub nothing is kept.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from central.web.nodes import BoardNode
from central.web.scope import Scope

Grid = dict[Any, dict[str, int]]
Decided = dict[Any, frozenset[str]]
ENTRIES = 2048
MAX_AGE_SECONDS = 300.0


@dataclass
class _Table:
    generation: int
    built: float
    grid: Grid
    decided: dict[frozenset[str], Decided] = field(default_factory=dict)


class DecisionCache:
    def __init__(self, generation: Callable[[BoardNode], int], *, entries: int = ENTRIES,
                 max_age_seconds: float = MAX_AGE_SECONDS) -> None:
        self._generation = generation
        self._entries = entries
        self._max_age = max_age_seconds
        self._tables: OrderedDict[Hashable, _Table] = OrderedDict()
        self._lock = threading.Lock()
        self.decided = 0  # tables the rule ran over (tests)
        self.queried = 0  # grids read from the database (tests)

    @property
    def enabled(self) -> bool:
        return self._max_age > 0

    @staticmethod
    def key(scope: Scope, node: BoardNode, periods: Mapping[str, Any],
            late: tuple[str, ...]) -> Hashable:
        return (scope.column, scope.node_id, node.id, tuple(periods.items()), late)

    def stamp(self, node: BoardNode) -> int:
        """The node's generation now: read it before reading the node's grid."""
        return self._generation(node)

    def _current(self, key: Hashable, generation: int) -> _Table | None:
        entry = self._tables.get(key)
        if entry is None or entry.generation != generation or \
                time.monotonic() - entry.built >= self._max_age:
            return None
        self._tables.move_to_end(key)
        return entry

    def grid(self, key: Hashable, generation: int) -> Grid | None:
        """The kept grid of ``key`` if its parent has no news since it was read."""
        with self._lock:
            entry = self._current(key, generation)
            return entry.grid if entry is not None else None

    def decide(self, key: Hashable, generation: int, grid: Grid, row: frozenset[str],
               compute: Callable[[], Decided]) -> Decided:
        """The decisions over ``grid`` under ``row``: kept ones if the grid is the kept one,
        else ``compute()`` (and ``grid`` kept, read at ``generation``)."""
        with self._lock:
            entry = self._current(key, generation)
            if entry is not None and (entry.grid is grid or entry.grid == grid):
                found = entry.decided.get(row)
                if found is not None:
                    return found
            else:
                entry = None
        decided = compute()
        with self._lock:
            self.decided += 1
            if entry is None:
                entry = _Table(generation, time.monotonic(), grid)
                self._tables[key] = entry
                while len(self._tables) > self._entries:
                    self._tables.popitem(last=False)
            entry.decided[row] = decided
        return decided
