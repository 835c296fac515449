"""The alert rule form's checks (no database): every impossible threshold is a form error
with its reason, never a server error."""

import math
import re
from dataclasses import dataclass, field
from typing import Any

from central.models import AlertKind
from central.web.tallies import MIN_GROUP

#: (lowest, highest) threshold of each kind, and whether it must be a whole number.
LIMITS: dict[str, tuple[float, float, bool]] = {
    AlertKind.SATISFACTION.value: (0.0, 100.0, False),  # index, percent
    AlertKind.OVERDUE.value: (0.0, 1_000_000.0, True),  # overdue quejas
    AlertKind.HIGH_IMPACT.value: (0.0, 0.0, True),  # no threshold
    AlertKind.KIOSK_SILENT.value: (1.0, 24.0 * 365, False),  # hours
    AlertKind.KIOSK_CLOCK.value: (1.0, 86_400.0 * 365, False),  # seconds
}
DEFAULTS = {AlertKind.SATISFACTION.value: "80", AlertKind.OVERDUE.value: "0",
            AlertKind.HIGH_IMPACT.value: "0", AlertKind.KIOSK_SILENT.value: "24",
            AlertKind.KIOSK_CLOCK.value: "300"}
MAX_RESPONSES = 1_000_000
MAX_RECIPIENTS = 10
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")


@dataclass
class RuleEntry:
    kind: str = AlertKind.SATISFACTION.value
    node_id: str = ""
    threshold: float = 0.0
    min_responses: int = MIN_GROUP
    notify: str = ""
    active: bool = True
    #: What was typed, shown again with the errors.
    threshold_text: str = ""
    minimum_text: str = ""
    #: field → (catalogue key, values) of what is wrong with it.
    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_rule(form: dict[str, Any]) -> RuleEntry:
    """The rule a form asks for, with a reason for every field that is wrong."""
    entry = RuleEntry(kind=str(form.get("tipo", "")).strip(),
                      node_id=str(form.get("nodo", "")).strip(),
                      notify=str(form.get("avisar", "")).strip()[:600],
                      active=bool(form.get("activa")),
                      threshold_text=str(form.get("umbral", "")).strip()[:40],
                      minimum_text=str(form.get("minimo", "")).strip()[:40])
    err = entry.errors
    if entry.kind not in LIMITS:
        err["tipo"] = ("alerts.error.kind", {})
        return entry
    if not entry.node_id:
        err["nodo"] = ("alerts.error.node", {})
    low, high, whole = LIMITS[entry.kind]
    if entry.kind != AlertKind.HIGH_IMPACT.value:
        value = _number(entry.threshold_text)
        if value is None:
            err["umbral"] = ("alerts.error.number", {})
        elif value < low or value > high or (
                entry.kind == AlertKind.SATISFACTION.value and value == 0):
            err["umbral"] = (f"alerts.error.threshold.{entry.kind}",
                             {"low": f"{low:g}", "high": f"{high:,.0f}"})
        elif whole and not value.is_integer():
            err["umbral"] = ("alerts.error.whole", {})
        else:
            entry.threshold = value
    if entry.kind == AlertKind.SATISFACTION.value:
        n = _number(entry.minimum_text)
        if n is None or not n.is_integer():
            err["minimo"] = ("alerts.error.whole", {})
        elif n < MIN_GROUP or n > MAX_RESPONSES:
            err["minimo"] = ("alerts.error.minimum", {"minimum": MIN_GROUP})
        else:
            entry.min_responses = int(n)
    addresses = [a.strip() for a in entry.notify.split(",") if a.strip()]
    bad = [a for a in addresses if not _EMAIL.match(a)]
    if bad:
        err["avisar"] = ("alerts.error.email", {"value": bad[0][:80]})
    elif len(addresses) > MAX_RECIPIENTS or len(", ".join(addresses)) > 500:
        err["avisar"] = ("alerts.error.too_many", {"n": MAX_RECIPIENTS})
    entry.notify = ", ".join(addresses)
    return entry
