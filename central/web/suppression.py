"""Small numbers without leaks: which satisfaction figures a page, a CSV or the report may show.

The protected figures are what people answered: the satisfaction index and the mean rating of a
group of rated responses (equivalently its count of good ratings and its sum of ratings). How
many responses a group has is shown; it says nothing about what anyone answered and it is what
tells a committee why a figure is missing.

**The rule** (docs/small-numbers.md says it for people; the pages say it under each table):

1. *Primary*: a group of fewer than :data:`MIN_GROUP` rated responses shows no figure.
2. *Complementary*: wherever a figure is the sum of others (a node over its children, a
   node's week or month over its children's, a window over its weeks or months), the hidden
   parts must be none, or at least two cells holding :data:`MIN_GROUP` responses together; when
   the total is hidden too, the same or every part (else the total is the sum of the shown
   parts). While that is not so, the shown part with the fewest responses is hidden too (ties:
   the smaller key), and the sums it touches are looked at again until none needs more. A
   hidden part that a sum gives away anyway (the only unknown of a known total) protects
   nothing and is not counted. *Unpublished* cells (none on the pages today) count as hidden.
3. *Top-down*: a node's own figures are decided in its parent's table, from the viewer's root
   down (:mod:`central.web.protection`); a table only hides its children's figures, the
   node's stay as decided above, so its own page never shows what its parent's page hid.

The decisions depend on the numbers of responses alone, never on the answers.
tests/central/web/test_suppression.py checks, on random trees, that the shown windows stand
linear algebra and that differencing (with substitution) gives nothing away from the windows
and periods together; docs/small-numbers.md lists what is not covered.

The module is pure: cells are any hashable keys, sizes are rated responses.
"""

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trato.domain.satisfaction import MIN_GROUP

Cell = Hashable


@dataclass(frozen=True)
class Sum:
    """A published identity: the figure of ``total`` is the sum of its ``parts``' figures."""

    total: Cell
    parts: tuple[Cell, ...]


def _rank(cell: Cell) -> str:
    return repr(cell)


def protect(sizes: Mapping[Cell, int], sums: Sequence[Sum], *, hidden: Iterable[Cell] = (),
            fixed: Iterable[Cell] = (), rank: Callable[[Cell], Any] = _rank) -> set[Cell]:
    """The cells whose figures must not be shown.

    ``sizes``: the rated responses of every cell; ``hidden``: cells hidden whatever their size
    (unpublished, or hidden by a decision taken above); ``fixed``: cells whose decision was
    taken above and is not this table's to change (hidden if in ``hidden``, shown otherwise).
    """
    out = set(hidden) | {c for c, n in sizes.items() if n < MIN_GROUP}
    ranks: dict[Cell, Any] = {}

    def ranked(cell: Cell) -> Any:  # each cell's rank once (the sorts ask for it often)
        found = ranks.get(cell)
        if found is None:
            found = ranks[cell] = rank(cell)
        return found

    state = _State(sizes, out, set(fixed), set(), ranked)
    touching: dict[Cell, list[int]] = {}
    for i, s in enumerate(sums):
        for cell in (s.total, *s.parts):
            touching.setdefault(cell, []).append(i)
    # A work list: a sum is looked at again only when one of its cells changed.
    queue = deque(range(len(sums)))
    queued = set(queue)
    while queue:
        i = queue.popleft()
        queued.discard(i)
        state.touched.clear()
        state.settle(sums[i])
        for cell in state.touched:
            for j in touching.get(cell, ()):
                if j not in queued:
                    queued.add(j)
                    queue.append(j)
    return out


@dataclass
class _State:
    sizes: Mapping[Cell, int]
    out: set[Cell]
    fixed: set[Cell]
    #: Hidden cells that one sum gives away anyway (the only unknown part of a known total):
    #: they protect nothing, so no pool counts them.
    derived: set[Cell]
    rank: Callable[[Cell], Any]
    #: The cells the last :meth:`settle` hid or found given away.
    touched: list[Cell] = field(default_factory=list)

    def unknown(self, cell: Cell) -> bool:
        return cell in self.out and cell not in self.derived

    def settle(self, s: Sum) -> bool:
        """Hide parts of ``s`` until its unknown parts are none, or at least two pooling
        :data:`MIN_GROUP` responses (a hidden total: at least that, or every part); True if
        anything changed."""
        sizes = self.sizes
        total_unknown = self.unknown(s.total)
        held = [p for p in s.parts if self.unknown(p) and sizes.get(p, 0) > 0]
        pooled = sum(sizes[p] for p in held)
        if (pooled >= MIN_GROUP and len(held) >= 2) or (not held and not total_unknown):
            return False
        candidates = sorted((p for p in s.parts if p not in self.out and p not in self.fixed
                             and sizes.get(p, 0) > 0),
                            key=lambda p: (sizes.get(p, 0), self.rank(p)))
        if total_unknown and not candidates:
            if held:
                return False  # every part hidden: nothing the table above does not say
            self.derived.add(s.total)  # the sum of known parts: it protects nothing
            self.touched.append(s.total)
            return True
        changed = False
        for p in candidates:
            if pooled >= MIN_GROUP and len(held) >= 2:
                break
            self.out.add(p)
            self.touched.append(p)
            held.append(p)
            pooled += sizes[p]
            changed = True
        if total_unknown or (pooled >= MIN_GROUP and len(held) >= 2):
            return changed
        if s.total not in self.fixed and s.total not in self.out:
            self.out.add(s.total)  # the parts cannot protect each other: hide the total
            self.touched.append(s.total)
            return True
        if len(held) == 1 and held[0] not in self.derived:
            self.derived.add(held[0])  # given away by this sum: it protects nothing
            self.touched.append(held[0])
            return True
        return changed


# ---------------------------------------------------------------------------- the two tables


def protect_parts(total_hidden: bool, sizes: Mapping[Any, int],
                  unpublished: Iterable[Any] = ()) -> frozenset[Any]:
    """The hidden parts of a total whose own decision (``total_hidden``) was taken above:
    a node's children (``sizes``: their rated responses in the node's window), or a node's
    periods (the weeks of its trend, the months of its quarter; ``unpublished``: periods no
    page shows). The total's size is the sum of the parts'."""
    cells: dict[Cell, int] = {(k,): n for k, n in sizes.items()}
    cells[()] = sum(sizes.values())
    hidden = protect(cells, [Sum((), tuple((k,) for k in sizes))], fixed=[()],
                     hidden=[*([()] if total_hidden else []), *((k,) for k in unpublished)],
                     rank=lambda cell: str(cell[0]) if cell else "")
    return frozenset(c[0] for c in hidden if c)


def root_hidden(size: int) -> bool:
    """Whether the viewer's root shows no figure: only the primary rule decides it."""
    return size < MIN_GROUP


# ---------------------------------------------------------------------------- node × period

#: A row's figure over all its periods (a node's index window, a quarter).
WINDOW = "__window__"


def protect_row(total_hidden: bool, sizes: Mapping[Any, int],
                unpublished: Iterable[Any] = ()) -> frozenset[Any]:
    """The viewer's root's hidden figures: its periods (``sizes``) and, as :data:`WINDOW`,
    its whole window."""
    hidden = protect_parts(total_hidden, sizes, unpublished)
    return hidden | {WINDOW} if total_hidden else hidden


def protect_grid(row: frozenset[Any], grid: Mapping[Any, Mapping[Any, int]],
                 periods: Sequence[Any], unpublished: Iterable[Any] = ()
                 ) -> dict[Any, frozenset[Any]]:
    """Each child's hidden figures (its periods and :data:`WINDOW`) under a node whose own
    ``row`` was decided above; ``grid``: each child's rated responses per period (the node's
    are their sums). Three kinds of sums are protected together: the node's window over its
    children's, each of the node's periods over its children's same period, and each child's
    window over its periods. Only the children's figures are hidden, so the decision passes
    down the tree."""
    late = frozenset(unpublished)
    def empty(p: Any) -> bool:
        return not any(r.get(q, 0) for r in grid.values()
                       for q in (periods if p == WINDOW else (p,)))

    if not late and all(empty(p) for p in row) and all(
            n == 0 or n >= MIN_GROUP for r in grid.values() for n in r.values()):
        # Nothing small and nothing hidden above: only empty figures are hidden (the rule
        # below would find no sum to protect), the common case high in the tree.
        return {c: frozenset((*(p for p in periods if not r.get(p, 0)),
                              *((WINDOW,) if not any(r.get(p, 0) for p in periods) else ())))
                for c, r in grid.items()}
    children = sorted(grid, key=str)
    sizes: dict[Cell, int] = {}
    for c in children:
        for p in periods:
            sizes[(c, p)] = grid[c].get(p, 0)
        sizes[(c, WINDOW)] = sum(sizes[(c, p)] for p in periods)
    for p in periods:
        sizes[(None, p)] = sum(sizes[(c, p)] for c in children)
    sizes[(None, WINDOW)] = sum(sizes[(None, p)] for p in periods)
    sums = [Sum((None, WINDOW), tuple((c, WINDOW) for c in children)),
            *(Sum((None, p), tuple((c, p) for c in children)) for p in periods),
            *(Sum((c, WINDOW), tuple((c, p) for p in periods)) for c in children)]
    hidden = protect(sizes, sums, fixed=[(None, p) for p in (*periods, WINDOW)],
                     hidden=[*((None, p) for p in row),
                             *((c, p) for c in children for p in late)],
                     rank=lambda cell: (str(cell[1]), str(cell[0])))
    out: dict[Any, set[Any]] = {c: set() for c in children}
    for c, p in hidden:
        if c is not None:
            out[c].add(p)
    return {c: frozenset(v) for c, v in out.items()}
