"""The campaign rules both programs share: the Wilson interval against published values, the
window's first and last day."""

from datetime import UTC, date, datetime, timedelta

import pytest

from trato.domain.campaigns import (
    CampaignState,
    campaign_state,
    is_open,
    server_day,
    wilson_interval,
    window_problem,
)


@pytest.mark.parametrize(("good", "n", "low", "high"), [
    # Newcombe (1998), Stat. Med. 17:857, table I, method 3 (score interval, no correction).
    (81, 263, 25.53, 36.62),
    (15, 148, 6.24, 16.05),
    (0, 20, 0.0, 16.11),
    (1, 29, 0.61, 17.18),
    # Wilson (1927) by hand: 8 of 10 good, z = 1.96.
    (8, 10, 49.02, 94.33),
])
def test_wilson_interval_against_known_values(good: int, n: int, low: float, high: float
                                              ) -> None:
    interval = wilson_interval(good, n)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=0.01)
    assert interval[1] == pytest.approx(high, abs=0.01)


def test_wilson_interval_edges() -> None:
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(10, 10)  # type: ignore[misc]
    assert high == pytest.approx(100.0) and 69 < low < 73
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_window_includes_both_days() -> None:
    starts, ends = date(2027, 3, 1), date(2027, 4, 30)
    assert campaign_state(starts, ends, date(2027, 2, 28)) is CampaignState.SCHEDULED
    assert is_open(starts, ends, starts) and is_open(starts, ends, ends)
    assert campaign_state(starts, ends, date(2027, 5, 1)) is CampaignState.CLOSED


def test_the_day_is_the_server_times_local_day_in_the_units_zone() -> None:
    kiosk = datetime(2027, 4, 29, 5, 30, tzinfo=UTC)  # a kiosk 2 days behind the server
    two_days = timedelta(days=2).total_seconds()
    # 1 May 05:30 UTC: still 30 April in Mexico City, already 1 May in Cancún (UTC-5).
    assert server_day(kiosk, two_days, "America/Mexico_City") == date(2027, 4, 30)
    assert server_day(kiosk, two_days, "America/Cancun") == date(2027, 5, 1)
    assert server_day(kiosk, None, "Not/AZone") == date(2027, 4, 28)  # its own clock, CDMX


def test_window_problem_on_the_recorded_moment() -> None:
    starts, ends = date(2027, 3, 1), date(2027, 4, 30)
    zone = "America/Mexico_City"
    last = datetime(2027, 5, 1, 5, 59, tzinfo=UTC)  # 23:59 on 30 April
    assert window_problem(starts, ends, None, last, zone) is None
    assert "recorded 2027-05-01" in (window_problem(starts, ends, None,
                                                    last + timedelta(minutes=1), zone) or "")
    assert "recorded 2027-02-28" in (window_problem(
        starts, ends, None, datetime(2027, 3, 1, 5, 59, tzinfo=UTC), zone) or "")
    withdrawn = datetime(2027, 4, 15, 18, tzinfo=UTC)
    assert window_problem(starts, ends, withdrawn, withdrawn - timedelta(seconds=1),
                          zone) is None
    assert "withdrawn" in (window_problem(starts, ends, withdrawn, withdrawn, zone) or "")
