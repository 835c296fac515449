"""The small-number rule for record-level rows (the analysts' export and the OData feed).

A row of the export is one survey response: its rating is what one person answered, and the
rows of a module are that module's figures laid bare. So the rule of :mod:`central.web.
suppression` decides, over the export's period and from the viewer's root down (as the board
does), how far down the tree each response may be placed:

* a module whose rated responses are hidden by the rule (fewer than five, or complementary)
  has its rows reported at unit level, the module left blank; a hidden unit's rows at OOAD or
  UMAE level, the unit and module left blank; a hidden OOAD's or UMAE's at Nivel Central. The
  rows so pooled under a shown node are then at least two nodes holding five rated responses
  together (or every child of the node), as the complementary rule requires;
* when the node asked for (the export's branch) or one above it is hidden, or the viewer's
  root holds fewer than five rated responses, the branch's rows keep their place but lose the
  answers (rating, reasons, scale answers): which node they are is known from the request.

The decision depends on the numbers of rated responses alone (the rollups'), never on the
answers. The module is pure: paths are tuples of node keys below the viewer's root.
"""

from collections.abc import Hashable, Mapping
from typing import Any

from central.web.suppression import protect_parts
from trato.domain.satisfaction import MIN_GROUP

#: A row's answers are withheld (its place is kept).
WITHHELD = -1


def placements(sizes: Mapping[tuple[Hashable, ...], int]) -> dict[tuple[Hashable, ...], int]:
    """For each path below the root (all of one length; ``sizes``: rated responses in the
    period), how many of its levels are shown: its length when everything is, fewer when the
    rule pools its rows higher up, :data:`WITHHELD` when the root itself is hidden."""
    if sum(sizes.values()) < MIN_GROUP:
        return {path: WITHHELD for path in sizes}
    out: dict[tuple[Hashable, ...], int] = {}
    _decide(dict(sizes), 0, out)
    return out


def _decide(paths: dict[tuple[Hashable, ...], int], depth: int,
            out: dict[tuple[Hashable, ...], int]) -> None:
    children: dict[Hashable, dict[tuple[Hashable, ...], int]] = {}
    for path, n in paths.items():
        if len(path) == depth:
            out[path] = depth
        else:
            children.setdefault(path[depth], {})[path] = n
    if not children:
        return
    totals = {key: sum(sub.values()) for key, sub in children.items()}
    # A child with no rated response has no figure to protect and none to give away.
    hidden = protect_parts(False, {k: n for k, n in totals.items() if n})
    for key, sub in children.items():
        if key in hidden:
            for path in sub:
                out[path] = depth
        else:
            _decide(sub, depth + 1, out)


def branch_placement(placed: int, branch_depth: int) -> int:
    """A row's placement in an export of a branch ``branch_depth`` levels below the viewer's
    root: withheld when the rule pooled it above the branch (the branch is known)."""
    if placed == WITHHELD or placed < branch_depth:
        return WITHHELD
    return placed


def describe(placed: int, depth: int) -> str:
    """The ``nivel_detalle`` value of a row placed ``placed`` levels down a tree whose leaves
    are ``depth`` levels below the root."""
    if placed == WITHHELD:
        return "reservado"
    return ("nacional", "ooad_umae", "unidad", "modulo")[placed + 3 - depth] \
        if 0 <= placed + 3 - depth < 4 else "modulo"


__all__: list[Any] = ["WITHHELD", "branch_placement", "describe", "placements"]
