"""What the list pages' filter forms share: a range of local days from the query string
(``desde``/``hasta``, each problem in plain Spanish), its SQL bounds, the page asked for, and
the page shown with its links (the template's ``_pager.html``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from central.web.display import MX
from central.web.i18n import t

MAX_PAGE = 100_000


def day_range(params: Any, problems: list[str]) -> tuple[date | None, date | None]:
    """The ``desde`` and ``hasta`` days of ``params`` (either may be absent); a date that
    cannot be read or a range that ends before it starts adds its problem to ``problems``."""
    days: list[date | None] = []
    for name in ("desde", "hasta"):
        text = str(params.get(name, "")).strip()
        day = None
        if text:
            try:
                day = date.fromisoformat(text[:10])
            except ValueError:
                problems.append(t("filter.bad_date", value=text[:20]))
        days.append(day)
    since, until = days
    if since and until and since > until:
        problems.append(t("filter.bad_range"))
    return since, until


def local_start(day: date) -> datetime:
    """The first moment of ``day`` in Mexico City."""
    return datetime.combine(day, time.min, MX)


def within_days(column: Any, since: date | None, until: date | None) -> list[Any]:
    """SQL: ``column`` (a moment) on the local days from ``since`` to ``until``, inclusive."""
    clauses = []
    if since:
        clauses.append(column >= local_start(since))
    if until:
        clauses.append(column < local_start(until + timedelta(days=1)))
    return clauses


def page_number(params: Any) -> int:
    text = str(params.get("pagina", "1")).strip()
    return int(text) if text.isdigit() and 0 < int(text) < MAX_PAGE else 1


@dataclass(frozen=True)
class Paging:
    """The page of a list shown: ``page`` of ``pages`` (the one asked for, or the last), of
    ``size`` rows each."""

    page: int
    pages: int
    size: int

    @classmethod
    def of(cls, total: int, wanted: int, size: int) -> "Paging":
        pages = max(1, -(-total // size))
        return cls(min(wanted, pages), pages, size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def context(self, url: Callable[[int], str]) -> dict[str, Any]:
        """What ``_pager.html`` reads: the page, the count, and the neighbours' links
        (``url(n)``: page n of the same list, the filters kept)."""
        return {"page": self.page, "pages": self.pages,
                "prev_url": url(self.page - 1) if self.page > 1 else "",
                "next_url": url(self.page + 1) if self.page < self.pages else ""}
