"""The time zone a unit's local days are counted in, for both programs: the unit's (from the
enrolment or the catalogue), else Mexico City's."""

from zoneinfo import ZoneInfo

#: The time zone when a unit's is unknown or unreadable.
DEFAULT_TIMEZONE = "America/Mexico_City"


def zone_of(timezone: str | None) -> ZoneInfo:
    """The unit's time zone (:data:`DEFAULT_TIMEZONE` when unknown or unreadable)."""
    try:
        return ZoneInfo(timezone or DEFAULT_TIMEZONE)
    except (KeyError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)
