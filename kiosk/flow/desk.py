"""A case an agent registers on someone's behalf (no Qt): the drafts of the desk form and of
the quick log, the moment of the event, and the form's draft kept sealed while the agent is
away from it.

* **Quick log** (orientación, gestión): a topic from the catalogue, how it ended
  (:class:`~trato.domain.enums.QuickOutcome`) and an optional note; nothing personal.
* **Desk form** (queja, sugerencia, reconocimiento): every field of a queja (Instructivo,
  Art. 18): the filer and the service user, NSS, CURP, address and postal code, phone and
  e-mail, the UMF de adscripción, the unit and the service, the date and time of the event,
  the narrative, the staff involved, the concrete request, and "no sabe o no puede firmar"
  confirmed by the agent. The person's consent is the agent's record that the privacy notice
  was read to them and accepted.

Every draft carries the channel and the agent (``registered_by``); the case service seals the
personal data exactly as for a case filed alone at the kiosk.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

from kiosk.flow.staff import Agent
from kiosk.services.drafts import CaseDraft, PersonalData
from trato.domain.enums import CaseType, Channel, QuickOutcome
from trato.records import PERSONAL_FIELDS

#: The fields of the desk form's "who" screen that go into the sealed personal data.
PERSON_FIELDS = PERSONAL_FIELDS


@dataclass(frozen=True)
class EventMoment:
    """When the event happened, or why the date and time given cannot be it."""

    at: datetime | None = None
    problem: str = ""  # "event_future", "date_missing" (a time without a date)


def event_moment(day: str, hour: str, *, timezone: str, now: datetime) -> EventMoment:
    """The event's moment from an ISO ``day`` and ``HH:MM`` ``hour`` (both validated by
    :func:`trato.domain.validators.validate_date` / ``validate_time``; either may be empty)
    in the unit's time zone. A day without an hour is taken at its first minute; a moment
    after ``now`` (the kiosk's clock) is refused: nobody complains of what has not happened."""
    if not day:
        return EventMoment(problem="date_missing") if hour else EventMoment()
    clock = time.fromisoformat(hour) if hour else time(0, 0)
    at = datetime.combine(date.fromisoformat(day), clock, tzinfo=ZoneInfo(timezone))
    if at > now:
        return EventMoment(problem="event_future")
    return EventMoment(at=at)


def quick_draft(*, case_type: CaseType, channel: Channel, agent: Agent, topic: str,
                outcome: QuickOutcome, note: str, language: str,
                catalogue_version: int) -> CaseDraft:
    """An orientación or a gestión as the agent logged it."""
    return CaseDraft(
        case_type=case_type, channel=channel, language=language, service_code=None,
        categories=(topic,) if topic else (), narrative=note.strip(),
        catalogue_version=catalogue_version, registered_by=agent.staff_id, outcome=outcome)


def _personal(values: Mapping[str, Any], agent: Agent) -> PersonalData | None:
    same = bool(values.get("same_person", True))
    fields = {name: str(values.get(name, "") or "").strip() for name in PERSON_FIELDS}
    if same:
        fields["beneficiary_name"] = ""
    personal = PersonalData(**fields, filer_is_beneficiary=same,
                            cannot_sign=bool(values.get("cannot_sign")))
    return None if personal.is_empty() and not personal.cannot_sign else personal


def desk_draft(values: Mapping[str, Any], *, case_type: CaseType, channel: Channel,
               agent: Agent, event_at: datetime | None, language: str,
               privacy_notice_version: str, catalogue_version: int) -> CaseDraft:
    """A queja, sugerencia or reconocimiento from the desk form's values (by field name)."""
    queja = case_type == CaseType.QUEJA
    recognition = case_type == CaseType.RECONOCIMIENTO
    personal = _personal(values, agent)
    consent = bool(values.get("consent")) and (queja or personal is not None or (
        recognition and bool(values.get("publish"))))
    cannot_sign = personal is not None and personal.cannot_sign
    return CaseDraft(
        case_type=case_type, channel=channel, language=language,
        service_code=values.get("service_code") or None,
        categories=tuple(values.get("categories") or ()),
        narrative=str(values.get("narrative", "")).strip(),
        request=str(values.get("request", "")).strip() if queja else "",
        staff_involved=str(values.get("staff_involved", "")).strip() if queja else "",
        recognised_person=str(values.get("recognised_person", "")).strip() if recognition
        else "",
        publish_recognition=bool(values.get("publish")) and recognition,
        personal=personal,
        privacy_notice_version=privacy_notice_version if consent else None,
        consent_given=consent, catalogue_version=catalogue_version,
        registered_by=agent.staff_id, event_at=event_at if queja else None,
        event_unit=str(values.get("event_unit", "")).strip() if queja else "",
        cannot_sign_confirmed_by=agent.staff_id if cannot_sign else "",
    )


class SealedDraft:
    """The desk form's values while the agent is elsewhere in the staff area: sealed with a
    key that exists only in this object's memory (libsodium secret box), so the clear values
    live only on the screen being typed in. :meth:`wipe` (at sign-out, at idle) drops key
    and box: what was typed is gone for good."""

    def __init__(self) -> None:
        self._key: bytes | None = None
        self._box: bytes | None = None

    @property
    def held(self) -> bool:
        return self._box is not None

    def seal(self, values: Mapping[str, Any]) -> None:
        if self._key is None:
            self._key = random_bytes(SecretBox.KEY_SIZE)
        plain = json.dumps(dict(values), ensure_ascii=False).encode("utf-8")
        self._box = bytes(SecretBox(self._key).encrypt(plain))

    def open(self) -> dict[str, Any]:
        """The values sealed last (``{}`` when none); the box is kept until :meth:`wipe`."""
        if self._box is None or self._key is None:
            return {}
        value = json.loads(SecretBox(self._key).decrypt(self._box).decode("utf-8"))
        return value if isinstance(value, dict) else {}

    def wipe(self) -> None:
        self._key = None
        self._box = None
