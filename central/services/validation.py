"""Reasons for people from pydantic's validation errors: the ingest answers a rejected record
with one, the kiosk API a refused request (both below the API, so services need not import it).
"""

from typing import Any

#: Largest integer a BIGINT column holds (sequences, durations, versions a kiosk sends).
MAX_BIGINT = 2**63 - 1


def describe_validation(errors: list[Any], limit: int = 5) -> str:
    """A short readable reason from pydantic errors, e.g. ``records.0.body.rating: ...``."""
    parts = []
    for err in errors[:limit]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",)) or "body"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    more = len(errors) - limit
    if more > 0:
        parts.append(f"(+{more} more)")
    return "; ".join(parts)[:1000]
