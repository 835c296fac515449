"""How the pages write things for people in Mexico: local dates, folios with their hyphens,
service names, a kiosk's clock offset (board, case pages, reports, public folio page)."""

from datetime import date, datetime

from central.db import LOCAL_ZONE
from central.web.i18n import has_key, t
from trato.domain.satisfaction import MIN_GROUP

MX = LOCAL_ZONE


def today_mx() -> date:
    return datetime.now(MX).date()


def display_folio(compact: str) -> str:
    c = compact.replace("-", "")
    return f"{c[0:4]}-{c[4:8]}-{c[8:]}" if len(c) == 12 else compact


def service_name(code: str) -> str:
    if not code:
        return t("service.none")
    key = f"service.{code}"
    return t(key) if has_key(key) else code.replace("_", " ").capitalize()


def hidden_text(n: int) -> str:
    """What a hidden satisfaction figure shows: too few responses, or withheld so that
    another hidden one cannot be worked out (central.web.suppression)."""
    return t("board.small_n") if n < MIN_GROUP else t("board.withheld")


def format_offset(seconds: float | None) -> str:
    """A kiosk's clock offset for people: +3 s, -12 min, +5 h, -365 días."""
    if seconds is None:
        return "—"
    sign = "+" if seconds >= 0 else "−"
    value = abs(seconds)
    if value < 120:
        return f"{sign}{value:.0f} s"
    if value < 7200:
        return f"{sign}{value / 60:.0f} min"
    if value < 172800:
        return f"{sign}{value / 3600:.0f} h"
    return f"{sign}{value / 86400:.0f} " + t("unit.days")
