"""A case an agent registers on the web (the 800 line, a module without a kiosk): what the
form holds and every reason it may be refused, checked at once (no database, no clock of its
own).

The fields are those of the kiosk's desk form (Instructivo, Art. 18): for a queja the filer
and the service user, NSS, CURP, address and postal code, phone and e-mail, the UMF de
adscripción, the unit and the service, the date and time of the event (never in the future),
the narrative, the staff involved, the concrete request and "no sabe o no puede firmar",
confirmed by the agent. Orientación and gestión are quick logs: a topic, how it ended and an
optional note, nothing personal. The validators are :mod:`trato.domain.validators`, the ones
the kiosk uses.
"""

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from trato.domain import validators as v
from trato.domain.enums import QUICK_CASE_TYPES, CaseType, Channel, QuickOutcome
from trato.records import PERSONAL_FIELDS

#: The channels an agent registers from on the web: the 800 line, a module, anything else.
DESK_CHANNELS = (Channel.PHONE, Channel.DESK, Channel.OTHER)
#: The personal fields, sealed together as the kiosk seals them (same names).
PERSON_FIELDS = PERSONAL_FIELDS
CONTACT_FIELDS = ("phone", "email", "address")
#: Text limits (those of the kiosk's service and of the wire, trato.records).
LIMITS = {"filer_name": v.SHORT_TEXT_MAX, "beneficiary_name": v.SHORT_TEXT_MAX,
          "address": 300, "assigned_clinic": v.SHORT_TEXT_MAX, "narrative": v.NARRATIVE_MAX,
          "staff_involved": 500, "request": 1000, "recognised_person": v.SHORT_TEXT_MAX,
          "note": 2000}
_FORMATTED = {"nss": v.validate_nss, "curp": v.validate_curp, "phone": v.validate_phone,
              "email": v.validate_email, "postal_code": v.validate_postal_code}
#: A minute typed as the next one is not "the future".
EVENT_FUTURE_SLACK = timedelta(minutes=1)
_FLAGS = ("same_person", "publish", "cannot_sign", "cannot_sign_confirmed", "consent")


@dataclass
class DeskEntry:
    """The form as the agent left it (every value as typed; checkboxes as booleans)."""

    case_type: CaseType
    channel: str = Channel.PHONE.value
    unit_id: str = ""
    service_code: str = ""
    category: str = ""
    filer_name: str = ""
    same_person: bool = True
    beneficiary_name: str = ""
    nss: str = ""
    curp: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    assigned_clinic: str = ""
    event_date: str = ""
    event_time: str = ""
    narrative: str = ""
    staff_involved: str = ""
    request: str = ""
    recognised_person: str = ""
    publish: bool = False
    cannot_sign: bool = False
    cannot_sign_confirmed: bool = False
    consent: bool = False
    outcome: str = ""
    note: str = ""
    #: The id the form was given when it was shown: the case's record id, so the same form
    #: sent twice (Enter pressed again, a resend after a slow answer) stores one case.
    entry_id: str = ""

    @property
    def record_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.entry_id)
        except ValueError:
            return None

    @classmethod
    def from_form(cls, case_type: CaseType, form: Mapping[str, Any]) -> "DeskEntry":
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "case_type":
                continue
            raw = form.get(f.name)
            if f.name in _FLAGS:
                values[f.name] = raw is not None and str(raw) not in ("", "0")
            else:
                values[f.name] = str(raw if raw is not None else "")[:5000]
        return cls(case_type=case_type, **values)

    @property
    def quick(self) -> bool:
        return self.case_type in QUICK_CASE_TYPES


@dataclass
class CheckedEntry:
    """The entry's problems by field (``{field: (code, params)}``) or what to store."""

    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    personal: dict[str, Any] | None = None  # what goes into the sealed box
    event_at: datetime | None = None
    channel: Channel = Channel.PHONE

    @property
    def ok(self) -> bool:
        return not self.errors


def check_entry(entry: DeskEntry, *, now: datetime, timezone: str, services: Collection[str],
                categories: Collection[str]) -> CheckedEntry:
    """Every problem of ``entry`` at once; ``services`` and ``categories`` are the codes the
    catalogues hold, ``now`` what the event's moment may not come after."""
    out = CheckedEntry()
    err = out.errors
    try:
        out.channel = Channel(entry.channel)
        if out.channel not in DESK_CHANNELS:
            raise ValueError(entry.channel)
    except ValueError:
        err["channel"] = ("invalid_choice", {})
    if not entry.unit_id:
        err["unit_id"] = ("required", {})
    if entry.category and entry.category not in categories:
        err["category"] = ("invalid_choice", {})
    if entry.quick:
        _check_quick(entry, err)
        return out
    if entry.service_code and entry.service_code not in services:
        err["service_code"] = ("invalid_choice", {})
    _check_texts(entry, err)
    out.personal = _personal(entry, err)
    if entry.case_type == CaseType.QUEJA:
        out.event_at = _event_moment(entry, err, now=now, timezone=timezone)
    if entry.cannot_sign and not entry.cannot_sign_confirmed:
        err["cannot_sign_confirmed"] = ("confirm_cannot_sign", {})
    if out.personal is not None and not entry.consent:
        err["consent"] = ("consent_required", {})
    elif entry.case_type == CaseType.RECONOCIMIENTO and entry.publish and not entry.consent:
        err["consent"] = ("consent_publish", {})
    return out


def form_fields(case_type: CaseType) -> tuple[str, ...]:
    """The form's fields in tab order (what the page shows and where an error is looked for
    first)."""
    head = ("channel", "unit_id")
    if case_type in QUICK_CASE_TYPES:
        return (*head, "category", "outcome", "note")
    if case_type == CaseType.QUEJA:
        return (*head, "service_code", "category", "filer_name", "same_person",
                "beneficiary_name", "nss", "curp", "phone", "email", "address", "postal_code",
                "assigned_clinic", "event_date", "event_time", "narrative", "staff_involved",
                "request", "cannot_sign", "cannot_sign_confirmed", "consent")
    middle = ("recognised_person", "narrative", "publish") \
        if case_type == CaseType.RECONOCIMIENTO else ("narrative",)
    return (*head, "service_code", "category", *middle, "filer_name", "phone", "email",
            "cannot_sign", "cannot_sign_confirmed", "consent")


def _check_quick(entry: DeskEntry, err: dict[str, tuple[str, dict[str, Any]]]) -> None:
    if not entry.category:
        err["category"] = ("required", {})
    try:
        QuickOutcome(entry.outcome)
    except ValueError:
        err["outcome"] = ("required" if not entry.outcome else "invalid_choice", {})
    _text(err, "note", entry.note)


def _text(err: dict[str, tuple[str, dict[str, Any]]], name: str, value: str, *,
          required: bool = False) -> None:
    check = v.validate_free_text(value, max_length=LIMITS[name], required=required)
    if check.problem is not None:
        err[name] = (check.problem.code, dict(check.problem.params))


def _check_texts(entry: DeskEntry, err: dict[str, tuple[str, dict[str, Any]]]) -> None:
    queja = entry.case_type == CaseType.QUEJA
    recognition = entry.case_type == CaseType.RECONOCIMIENTO
    _text(err, "narrative", entry.narrative, required=not recognition)
    _text(err, "recognised_person", entry.recognised_person, required=recognition)
    _text(err, "staff_involved", entry.staff_involved)
    _text(err, "request", entry.request)
    _text(err, "filer_name", entry.filer_name, required=queja)
    _text(err, "beneficiary_name", entry.beneficiary_name,
          required=queja and not entry.same_person)
    _text(err, "address", entry.address)
    _text(err, "assigned_clinic", entry.assigned_clinic)
    for name, validator in _FORMATTED.items():
        value = getattr(entry, name)
        if value.strip():
            check = validator(value)
            if check.problem is not None:
                err[name] = (check.problem.code, dict(check.problem.params))


def _personal(entry: DeskEntry, err: dict[str, tuple[str, dict[str, Any]]]
              ) -> dict[str, Any] | None:
    """The sealed payload as the kiosk makes it (``kiosk.services.cases.sealed_payload``):
    every filled-in field, normalised, plus the two flags; None when nothing personal."""
    data: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        if name == "beneficiary_name" and entry.same_person:
            continue
        value = getattr(entry, name).strip()
        if value and name in _FORMATTED and name not in err:
            value = _FORMATTED[name](value).value
        if value:
            data[name] = value
    if not data and not entry.cannot_sign:
        return None
    # Only a queja asks whether the filer is the service user; anyone else files for themself.
    data["filer_is_beneficiary"] = entry.same_person or entry.case_type != CaseType.QUEJA
    data["cannot_sign"] = entry.cannot_sign
    return data


def _event_moment(entry: DeskEntry, err: dict[str, tuple[str, dict[str, Any]]], *,
                  now: datetime, timezone: str) -> datetime | None:
    day = hour = ""
    if entry.event_date.strip():
        check = v.validate_date(entry.event_date)
        if check.problem is not None:
            err["event_date"] = (check.problem.code, dict(check.problem.params))
        day = check.value
    if entry.event_time.strip():
        check = v.validate_time(entry.event_time)
        if check.problem is not None:
            err["event_time"] = (check.problem.code, dict(check.problem.params))
        hour = check.value
    if "event_date" in err or "event_time" in err:
        return None
    if not day:
        if hour:
            err["event_date"] = ("date_missing", {})
        return None
    clock = time.fromisoformat(hour) if hour else time(0, 0)
    at = datetime.combine(date.fromisoformat(day), clock, tzinfo=ZoneInfo(timezone))
    if not 2000 <= at.year <= 2100:
        err["event_date"] = ("date_invalid", {})
        return None
    if at > now + EVENT_FUTURE_SLACK:
        err["event_date"] = ("event_future", {})
        return None
    return at


def required_fields(case_type: CaseType) -> frozenset[str]:
    """The fields the form marks as required (the checks above refuse them empty)."""
    if case_type in QUICK_CASE_TYPES:
        return frozenset({"channel", "unit_id", "category", "outcome"})
    names = {"channel", "unit_id"}
    if case_type == CaseType.RECONOCIMIENTO:
        names.add("recognised_person")
    else:
        names.add("narrative")
    if case_type == CaseType.QUEJA:
        names.add("filer_name")
    return frozenset(names)
