"""The satisfaction index, defined once for the committees' board and the module's own.

The index is the share of rated responses (a face chosen; "prefiero no responder" and
probable misuse left out) that rated the care good or very good (4 or 5 of 5), as a
percentage, over the last :data:`INDEX_DAYS` days; the trend is the same index week by week
(ISO weeks, Monday to Sunday, in the unit's time) over :data:`TREND_WEEKS` weeks.

Small-number rule: a group of fewer than :data:`MIN_GROUP` rated responses shows no figure
("Menos de 5 respuestas"): so few answers would say more about the people who gave them than
about the care.
"""

from dataclasses import dataclass
from datetime import date, timedelta

#: Fewer rated responses than this: no figure is shown.
MIN_GROUP = 5
#: A rating at or above this counts as good (4 "bien", 5 "muy bien").
GOOD_RATING_MIN = 4
#: The headline index covers this many days.
INDEX_DAYS = 90
#: Weeks in the trend.
TREND_WEEKS = 12


@dataclass
class RatingGroup:
    """Rated responses of a group: how many, how many good, and the sum of the ratings."""

    n: int = 0
    good: int = 0
    total: int = 0

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_GROUP

    @property
    def index(self) -> float | None:
        """The satisfaction index (0-100), or None under the small-number rule."""
        return None if self.suppressed else 100.0 * self.good / self.n

    @property
    def mean(self) -> float | None:
        return None if self.suppressed else self.total / self.n

    def add(self, rating: int) -> None:
        self.n += 1
        self.good += 1 if rating >= GOOD_RATING_MIN else 0
        self.total += rating


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def trend_weeks(today: date, weeks: int = TREND_WEEKS) -> list[date]:
    """The Mondays of the trend's weeks, oldest first, the current week last."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    return [first + timedelta(weeks=i) for i in range(weeks)]
