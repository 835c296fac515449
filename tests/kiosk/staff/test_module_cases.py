"""The module's case list: due first on business-day clocks (weekends and Mexican holidays from
the ``holidays`` library), cases filed here and elsewhere together, search by folio, masks."""

import uuid
from datetime import date

import holidays
import pytest

from kiosk.services.module_cases import ModuleCases
from tests.kiosk.staff.support import Module
from trato.domain import deadlines
from trato.domain.enums import CaseStage, CaseType

MX_2026 = holidays.country_holidays("MX", years=2026)

#: Known dates worked out by hand: a queja received on a day, the holiday it straddles, its
#: 5-business-day completion deadline.
KNOWN = [
    (date(2026, 1, 30), date(2026, 2, 2), date(2026, 2, 9)),  # Fri; Mon Constitution Day
    (date(2026, 3, 12), date(2026, 3, 16), date(2026, 3, 20)),  # Thu; Mon Benito Juárez
    (date(2026, 4, 29), date(2026, 5, 1), date(2026, 5, 7)),  # Wed; Fri Labour Day
    (date(2026, 11, 11), date(2026, 11, 16), date(2026, 11, 19)),  # Wed; Mon Revolution
    (date(2026, 12, 23), date(2026, 12, 25), date(2026, 12, 31)),  # Wed; Fri Christmas
]


@pytest.mark.parametrize(("received", "holiday", "completion"), KNOWN)
def test_known_dates_agree_with_the_holiday_library(received: date, holiday: date,
                                                    completion: date) -> None:
    assert holiday in MX_2026
    assert deadlines.completion_due(received) == completion
    assert deadlines.business_days_between(received, completion) == 5


@pytest.mark.parametrize(("received", "holiday", "completion"), KNOWN)
def test_a_case_filed_here_carries_its_deadline_across_the_holiday(
        module: Module, received: date, holiday: date, completion: date) -> None:
    case_id = module.file(received)
    row = module.cases.row(case_id)
    assert row is not None and row.filed_here and row.stage is CaseStage.RECEPCION
    assert row.clock.due == completion and row.clock.on_completion
    assert row.clock.days_left == 5 and not row.clock.overdue


def test_the_list_puts_overdue_then_near_first_around_a_weekend_and_a_holiday(
        module: Module) -> None:
    # Cases filed here: Tue 10 and Thu 12 March 2026 (completion 18 and 20 March: Monday
    # 16 is Benito Juárez's birthday).
    early = module.file(date(2026, 3, 10))
    later = module.file(date(2026, 3, 12))
    # Cases filed at the unit's other kiosks, known from the pull only.
    elsewhere = {name: uuid.uuid4() for name in ("overdue", "due_mon23", "due_tue24",
                                                  "closed", "no_date")}
    module.status(elsewhere["overdue"], "1234-02-000001", "investigacion",
                  resolution_due="2026-03-12")
    module.status(elsewhere["due_mon23"], "1234-02-000002", "dictamen",
                  resolution_due="2026-03-23")
    module.status(elsewhere["due_tue24"], "1234-02-000003", "dictamen",
                  resolution_due="2026-03-24")
    module.status(elsewhere["closed"], "1234-02-000004", "cerrado",
                  resolution_due="2026-03-01")
    module.status(elsewhere["no_date"], "1234-02-000005", "investigacion")
    # Friday 13 March 2026.
    module.today(date(2026, 3, 13))
    rows = module.cases.page(0)
    order = [r.case_id for r in rows]
    assert order == [elsewhere["overdue"], early, elsewhere["due_mon23"], later,
                     elsewhere["due_tue24"], elsewhere["no_date"], elsewhere["closed"]]
    by_id = {r.case_id: r for r in rows}
    # Mon 23 is five business days away only because Mon 16 is a holiday: near.
    assert by_id[elsewhere["due_mon23"]].clock.days_left == 5
    assert by_id[elsewhere["due_mon23"]].clock.near
    assert by_id[elsewhere["due_tue24"]].clock.days_left == 6
    assert not by_id[elsewhere["due_tue24"]].clock.near
    # Completion clock: near in its last two business days (Tue 17, Wed 18).
    assert (by_id[early].clock.days_left, by_id[early].clock.near) == (2, True)
    assert (by_id[later].clock.days_left, by_id[later].clock.near) == (4, False)
    assert by_id[elsewhere["overdue"]].clock.overdue
    assert by_id[elsewhere["overdue"]].clock.days_left == -1
    summary = module.cases.summary()
    assert (summary.total, summary.open, summary.overdue, summary.near) == (7, 6, 1, 2)
    # Over the weekend nothing moves: on Sunday 15 the same cases are due the same way.
    module.today(date(2026, 3, 15))
    assert [r.case_id for r in module.cases.page(0)] == order
    # On Tuesday 17 the early case's completion has one business day left; on Thursday 19
    # its completion deadline has passed and the 50-day resolution counts.
    module.today(date(2026, 3, 17))
    assert module.cases.row(early).clock.days_left == 1
    module.today(date(2026, 3, 19))
    clock = module.cases.row(early).clock
    assert not clock.on_completion and clock.due == deadlines.resolution_due(date(2026, 3, 10))


def test_the_list_pages_and_sql_order_matches_the_clock(module: Module) -> None:
    ids = [module.file(date(2026, 3, day)) for day in (2, 3, 4, 5, 6, 9, 10, 11)]
    module.today(date(2026, 3, 13))
    first, second = module.cases.page(0, 5), module.cases.page(5, 5)
    assert len(first) == 5 and len(second) == 3
    assert {r.case_id for r in first + second} == set(ids)
    keys = [(0 if r.clock.overdue else 1 if r.clock.near else 2, r.clock.due) for r in
            first + second]
    assert keys == sorted(keys)


def test_search_by_folio_as_people_type_it(module: Module) -> None:
    case_id = module.file(date(2026, 3, 10))
    other = module.file(date(2026, 3, 11))
    folio = module.cases.row(case_id).folio
    compact = folio.replace("-", "")
    assert [r.case_id for r in module.cases.page(0, search=folio)] == [case_id]
    typed = compact.lower().replace("0", "o")
    assert [r.case_id for r in module.cases.page(0, search=typed)] == [case_id]
    assert module.cases.count(search=compact[:4]) == 2
    assert module.cases.page(0, search="9999-99-999999") == []
    assert {r.case_id for r in module.cases.page(0, search="  ")} == {case_id, other}


def test_personal_data_masked_and_sensitive_cases_reserved(module: Module) -> None:
    plain = module.file(date(2026, 3, 10))
    sensitive = module.file(date(2026, 3, 10), categories=("acoso",))
    foreign = uuid.uuid4()
    module.status(foreign, "1234-02-000009", "integracion", resolution_due="2026-05-20")
    rows = {r.case_id: r for r in module.cases.page(0)}
    assert rows[plain].initials == "M. G." and not rows[plain].reserved
    assert rows[plain].case_type is CaseType.QUEJA
    for case_id in (sensitive, foreign):
        row = rows[case_id]
        assert row.reserved and row.case_type is None and row.initials == ""
        assert row.channel is None and row.clock.due is not None
    allowed = {r.case_id: r for r in module.cases.page(0, can_read_sensitive=True)}
    assert not allowed[sensitive].reserved and allowed[sensitive].initials == "M. G."
    assert allowed[foreign].sensitive is None and not allowed[foreign].reserved


def test_an_empty_module_lists_nothing(module: Module) -> None:
    assert module.cases.page(0) == [] and module.cases.count() == 0
    assert module.cases.summary().total == 0


def test_the_unit_time_zone_decides_today(module: Module) -> None:
    # 02:00 UTC on Sat 14 March is still Friday 13 in Mexico City.
    from datetime import UTC, datetime
    module.clock.set(datetime(2026, 3, 14, 2, 0, tzinfo=UTC))
    assert module.cases.today() == date(2026, 3, 13)
    assert isinstance(module.cases, ModuleCases)
