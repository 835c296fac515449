"""The module's own board, offline: its responses today and this week, the satisfaction index
and its weekly trend, its open and overdue cases and the people its reconocimientos name.

The index is the committees' (:mod:`trato.domain.satisfaction`: rated responses, probable
misuse left out, 4 or 5 of 5 count as good), over the same periods, counted from what this
kiosk recorded (its own clock, the unit's time zone). Under the small-number rule a group of
fewer than five rated responses carries no figure (``RatingGroup.index`` is None); case
counts are always given.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import col, select

from kiosk.clock import Clock
from kiosk.services.lookup import local_time
from kiosk.services.module_cases import ModuleCases, Summary
from kiosk.storage.db import Database
from kiosk.storage.models import Case, SurveyResponse
from trato.domain.enums import CaseType
from trato.domain.satisfaction import INDEX_DAYS, RatingGroup, trend_weeks, week_start

#: Names shown in "Reconocimientos recibidos".
RECOGNITIONS_SHOWN = 8


@dataclass(frozen=True)
class Period:
    """Responses recorded in a period (all of them) and the rated ones' index."""

    responses: int
    rated: RatingGroup


@dataclass(frozen=True)
class Recognition:
    name: str
    count: int


@dataclass(frozen=True)
class ModuleBoard:
    today: Period
    week: Period
    recent: Period  # the last INDEX_DAYS days: the headline index
    trend: tuple[tuple[date, RatingGroup], ...]  # Monday of each week, oldest first
    cases: Summary
    recognitions: tuple[Recognition, ...]
    made_at: datetime  # in the unit's time


def _key(name: str) -> str:
    """Names compared without case, accents or extra spaces ("Enf. Lupita", "enf lupita")."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.replace(".", " ").casefold().split())


class BoardService:
    def __init__(self, database: Database, clock: Clock, cases: ModuleCases) -> None:
        self._db = database
        self._clock = clock
        self._cases = cases

    def board(self) -> ModuleBoard:
        now = self._clock.now()
        zone = ZoneInfo(self._cases.timezone())
        local_now = local_time(now, zone.key)
        today = local_now.date()
        weeks = trend_weeks(today)

        def start_of(day: date) -> datetime:
            return datetime.combine(day, time.min, tzinfo=zone)

        since = min(start_of(weeks[0]), now - timedelta(days=INDEX_DAYS))
        with self._db.read() as session:
            rows = session.execute(
                sa.select(SurveyResponse.created_at, SurveyResponse.rating,
                          SurveyResponse.probable_misuse)
                .where(col(SurveyResponse.created_at) >= since)).all()
            named = session.exec(
                select(Case.recognised_person).where(
                    Case.case_type == CaseType.RECONOCIMIENTO.value,
                    Case.recognised_person != "",
                    col(Case.created_at) >= now - timedelta(days=INDEX_DAYS))).all()
        periods = {"today": start_of(today), "week": start_of(week_start(today)),
                   "recent": now - timedelta(days=INDEX_DAYS)}
        counts = dict.fromkeys(periods, 0)
        groups = {name: RatingGroup() for name in periods}
        trend = {monday: RatingGroup() for monday in weeks}
        for created_at, rating, misuse in rows:
            rated = rating is not None and not misuse
            for name, start in periods.items():
                if created_at >= start:
                    counts[name] += 1
                    if rated:
                        groups[name].add(rating)
            if rated:
                week = trend.get(week_start(local_time(created_at, zone.key).date()))
                if week is not None:
                    week.add(rating)
        return ModuleBoard(
            today=Period(counts["today"], groups["today"]),
            week=Period(counts["week"], groups["week"]),
            recent=Period(counts["recent"], groups["recent"]),
            trend=tuple(sorted(trend.items())),
            cases=self._cases.summary(),
            recognitions=_recognitions(named),
            made_at=local_now,
        )


def _recognitions(names: list[str]) -> tuple[Recognition, ...]:
    """The people (or areas) named most, each under the spelling used most for them."""
    tally: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for name in names:
        shown = " ".join(name.split())
        key = _key(shown)
        if not key:
            continue
        tally[key] += 1
        spellings.setdefault(key, Counter())[shown] += 1
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:RECOGNITIONS_SHOWN]
    return tuple(Recognition(spellings[key].most_common(1)[0][0], n) for key, n in ranked)
