"""The module's own board, offline: responses today and this week, the satisfaction index and
its weekly trend with the small-number rule, cases open and overdue, recognitions by name."""

import uuid
from datetime import date, timedelta

from kiosk.services.drafts import PersonalData
from kiosk.services.surveys import SurveyService
from tests.kiosk.staff.support import Module, morning
from tests.kiosk.storage.factories import survey_draft
from trato.domain.enums import CaseType
from trato.domain.satisfaction import TREND_WEEKS


def _answer(module: Module, day: date, ratings: list[int | None], *, hour: int = 0) -> None:
    surveys = SurveyService(module.database, module.clock)
    module.clock.set(morning(day) + timedelta(hours=hour))
    for rating in ratings:
        surveys.submit(survey_draft(rating=rating, duration_ms=20_000, reasons=(),
                                    comment=""))
        module.clock.advance(minutes=3)


def _recognise(module: Module, day: date, person: str) -> None:
    module.file(day, case_type=CaseType.RECONOCIMIENTO, categories=(), narrative="Gracias",
                request="", staff_involved="", recognised_person=person,
                personal=PersonalData())


def test_today_this_week_and_the_trend(module: Module) -> None:
    # Monday 9 March: five rated, four good; Friday 13 (today): three rated and one
    # "prefiero no responder".
    _answer(module, date(2026, 3, 9), [5, 4, 4, 5, 2])
    _answer(module, date(2026, 3, 2), [1, 2, 5, 5, 5, 5])
    _answer(module, date(2026, 3, 13), [5, 5, 1, None])
    module.today(date(2026, 3, 13))
    module.clock.advance(hours=4)
    board = module.board.board()
    assert board.today.responses == 4 and board.today.rated.n == 3
    assert board.today.rated.index is None  # fewer than five: not shown
    assert board.week.responses == 9 and board.week.rated.n == 8
    assert board.week.rated.index == 100.0 * 6 / 8
    assert board.recent.rated.n == 14 and board.recent.rated.index == 100.0 * 10 / 14
    assert len(board.trend) == TREND_WEEKS
    assert board.trend[-1][0] == date(2026, 3, 9) and board.trend[-2][0] == date(2026, 3, 2)
    assert board.trend[-2][1].index == 100.0 * 4 / 6
    assert all(group.index is None for _monday, group in board.trend[:-2])


def test_an_empty_module_shows_no_figure(module: Module) -> None:
    board = module.board.board()
    assert board.today.responses == 0 and board.today.rated.index is None
    assert board.recent.rated.index is None and board.recognitions == ()
    assert board.cases.total == 0


def test_cases_and_recognitions_by_name(module: Module) -> None:
    module.file(date(2026, 1, 5))  # a queja: its 50 business days run to the end of March
    for name in ("Enf. Lupita Reyes", "enf lupita reyes", "Dr. Ramírez", "Enf. Lupita Reyes"):
        _recognise(module, date(2026, 3, 10), name)
    foreign = uuid.uuid4()
    module.status(foreign, "1234-02-000009", "investigacion", resolution_due="2026-03-11")
    module.today(date(2026, 3, 13))
    board = module.board.board()
    assert [(r.name, r.count) for r in board.recognitions] == [("Enf. Lupita Reyes", 3),
                                                               ("Dr. Ramírez", 1)]
    assert board.cases.total == 6 and board.cases.overdue == 1
    assert board.made_at.date() == date(2026, 3, 13)
