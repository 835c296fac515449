"""The campaign rules both programs share: the Wilson interval against published values, the
window's first and last day."""

from datetime import date

import pytest

from trato.domain.campaigns import CampaignState, campaign_state, is_open, wilson_interval


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
