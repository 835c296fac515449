"""Perception campaigns: rules both programs apply (the window, the answers, the interval).

A campaign asks the questions of a perception instrument (the bundled one is
``assets/instruments/percepcion-hospitalaria``) in the covered units between two local dates,
both included. Each answered campaign is one survey response whose ``answers`` hold one entry
per question code (1 to 5, or :data:`NOT_APPLICABLE`) and the campaign's id under
:data:`CAMPAIGN_KEY`; it carries the instrument's id and version like any response.

The index of a dimension is the satisfaction index (:mod:`trato.domain.satisfaction`): the
share of rated answers that are good (4 or 5), "no aplica" left out; its 95 % interval is the
Wilson score interval (:func:`wilson_interval`).

The day a response is judged on (:func:`server_day`) is the best estimate of the server's
time, on both programs: the kiosk's clock corrected by the offset it learned from the server
(the kiosk offering a campaign), the record's own ``created_at`` corrected by its batch's
offset (the server receiving it), then the local day in the unit's time zone. A response
recorded inside the window is accepted however late it is synced; one recorded outside it, or
after the campaign was withdrawn, is rejected with the reason :data:`OUTSIDE_WINDOW`.
"""

import math
from datetime import date, datetime, timedelta
from enum import StrEnum

from trato.domain.satisfaction import GOOD_RATING_MIN
from trato.domain.zones import zone_of

#: The answers key holding the campaign's id.
CAMPAIGN_KEY = "campaign_id"
#: The answer "no aplica".
NOT_APPLICABLE = "na"
#: z for a two-sided 95 % interval.
Z_95 = 1.959963984540054
#: The code opening the reason a response outside its campaign's window is rejected with
#: (``"campaign_window: …"``); the kiosk's sync screen words it for staff.
OUTSIDE_WINDOW = "campaign_window"
#: The bundled perception instrument.
PERCEPTION_INSTRUMENT = "percepcion-hospitalaria"
#: Its dimensions, in the order asked (the Mexican quality indicators').
DIMENSIONS = ("tiempo_espera", "informacion", "trato_personal", "privacidad", "limpieza",
              "medicamentos")


class CampaignChannel(StrEnum):
    """How a campaign's questions are put to people."""

    KIOSK = "kiosk"  # the person alone at the kiosk, after the headline question
    STAFF = "staff"  # an agent asks at the bedside or the module
    PHONE = "phone"  # an agent calls the person


class CampaignState(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    #: Switched off before its end (the central server's; a kiosk reads ``active`` False).
    WITHDRAWN = "withdrawn"


def campaign_state(starts_on: date, ends_on: date, today: date) -> CampaignState:
    """Where a campaign stands on the local day ``today`` (both dates included)."""
    if today < starts_on:
        return CampaignState.SCHEDULED
    if today > ends_on:
        return CampaignState.CLOSED
    return CampaignState.OPEN


def is_open(starts_on: date, ends_on: date, today: date) -> bool:
    return campaign_state(starts_on, ends_on, today) is CampaignState.OPEN


def server_time(moment: datetime, offset_seconds: float | None) -> datetime:
    """A moment of a kiosk's clock as the server's clock would have said it: corrected by the
    offset learned from the server (server minus kiosk; None or 0: as it is)."""
    return moment + timedelta(seconds=offset_seconds or 0.0)


def server_day(moment: datetime, offset_seconds: float | None, timezone: str | None) -> date:
    """The local day, in the unit's time zone, of a kiosk moment corrected to server time."""
    return server_time(moment, offset_seconds).astimezone(zone_of(timezone)).date()


def window_problem(starts_on: date, ends_on: date, withdrawn_at: datetime | None,
                   recorded_at: datetime, timezone: str | None) -> str | None:
    """Why a response recorded at ``recorded_at`` (server time) does not belong to the
    campaign (None: it does): the reason's text after :data:`OUTSIDE_WINDOW`, for support."""
    day = recorded_at.astimezone(zone_of(timezone)).date()
    if withdrawn_at is not None and recorded_at >= withdrawn_at:
        return (f"recorded {day.isoformat()} after the campaign was withdrawn "
                f"({withdrawn_at.astimezone(zone_of(timezone)).date().isoformat()})")
    state = campaign_state(starts_on, ends_on, day)
    if state is CampaignState.OPEN:
        return None
    return (f"recorded {day.isoformat()}, the campaign runs "
            f"{starts_on.isoformat()} to {ends_on.isoformat()}")


def is_good(rating: int) -> bool:
    return rating >= GOOD_RATING_MIN


def wilson_interval(good: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of the share ``good / n``, as percentages (None for n = 0).

    Wilson (1927): centre (p + z²/2n) / (1 + z²/n), half-width z·√(p(1−p)/n + z²/4n²) /
    (1 + z²/n). Unlike the normal approximation it stays inside 0–100 % and is honest for
    the small groups and the shares near 0 or 100 % a unit's campaign has."""
    if n <= 0:
        return None
    if not 0 <= good <= n:
        raise ValueError("good must be between 0 and n")
    p = good / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half) * 100.0, min(1.0, centre + half) * 100.0
