"""The service's own check of a draft before it is stored (screens check first; this is the
last line, so a bug in a screen can never put an invalid record in the outbox). Raises
:class:`InvalidDraft` naming the field and the validator's problem code."""

from datetime import datetime, timedelta

from kiosk.services.drafts import CaseDraft, PersonalData, SurveyDraft
from kiosk.services.errors import InvalidDraft
from trato.domain import validators as v
from trato.domain.enums import (
    QUICK_CASE_TYPES,
    RATING_MAX,
    RATING_MIN,
    SELF_SERVICE_CASE_TYPES,
    STAFF_CHANNELS,
    CaseStage,
    CaseType,
    Channel,
    QuickOutcome,
)

#: Limits of the wire format (trato.protocol.wire) for case fields.
REQUEST_MAX = 1000
STAFF_INVOLVED_MAX = 500
RECOGNISED_PERSON_MAX = v.SHORT_TEXT_MAX
CODE_MAX = 64
MAX_REASONS = 6
ADDRESS_MAX = 300
NAME_MAX = v.SHORT_TEXT_MAX
STAFF_ID_MAX = 128
EVENT_UNIT_MAX = 200
#: How far ahead of the kiosk's clock an event may be (a minute typed as the next one).
EVENT_FUTURE_SLACK = timedelta(minutes=1)


def _text(field: str, value: str, *, max_length: int, required: bool = False) -> None:
    if not isinstance(value, str):
        raise InvalidDraft(field, "not_text")
    check = v.validate_free_text(value, max_length=max_length, required=required)
    if not check.ok:
        assert check.problem is not None
        raise InvalidDraft(field, check.problem.code, **check.problem.params)


def _code(field: str, value: str | None, *, required: bool = False) -> None:
    if value is None:
        if required:
            raise InvalidDraft(field, "required")
        return
    if not value or len(value) > CODE_MAX or not value.isprintable():
        raise InvalidDraft(field, "invalid_code")


def _language(value: str) -> None:
    if not isinstance(value, str) or not 2 <= len(value) <= 16 or not value.isprintable():
        raise InvalidDraft("language", "invalid_language")


def validate_survey(draft: SurveyDraft) -> None:
    """Raise :class:`InvalidDraft` unless ``draft`` can be stored and sent as it is."""
    _code("instrument_id", draft.instrument_id, required=True)
    if draft.instrument_version < 1:
        raise InvalidDraft("instrument_version", "out_of_range")
    _language(draft.language)
    try:
        Channel(draft.channel)
    except ValueError:
        raise InvalidDraft("channel", "invalid_choice") from None
    _code("service_code", draft.service_code)
    if draft.rating is not None and (
        isinstance(draft.rating, bool) or not RATING_MIN <= draft.rating <= RATING_MAX
    ):
        raise InvalidDraft("rating", "out_of_range", min=RATING_MIN, max=RATING_MAX)
    if len(draft.reasons) > MAX_REASONS:
        raise InvalidDraft("reasons", "too_many", limit=MAX_REASONS)
    if len(set(draft.reasons)) != len(draft.reasons):
        raise InvalidDraft("reasons", "duplicate")
    for reason in draft.reasons:
        _code("reasons", reason, required=True)
    _text("comment", draft.comment, max_length=v.COMMENT_MAX)
    for key, answer in draft.answers.items():
        _code("answers", key, required=True)
        if isinstance(answer, str):
            _text("answers", answer, max_length=v.COMMENT_MAX)
        elif isinstance(answer, bool) or not isinstance(answer, int | None):
            raise InvalidDraft("answers", "invalid_answer")
    if draft.duration_ms < 0:
        raise InvalidDraft("duration_ms", "out_of_range")


def _personal(personal: PersonalData) -> None:
    _text("filer_name", personal.filer_name, max_length=NAME_MAX)
    _text("beneficiary_name", personal.beneficiary_name, max_length=NAME_MAX)
    _text("address", personal.address, max_length=ADDRESS_MAX)
    _text("assigned_clinic", personal.assigned_clinic, max_length=NAME_MAX)
    for field, value, validator in (
        ("nss", personal.nss, v.validate_nss),
        ("curp", personal.curp, v.validate_curp),
        ("phone", personal.phone, v.validate_phone),
        ("email", personal.email, v.validate_email),
        ("postal_code", personal.postal_code, v.validate_postal_code),
    ):
        if value.strip():
            check = validator(value)
            if not check.ok:
                assert check.problem is not None
                raise InvalidDraft(field, check.problem.code, **check.problem.params)


def _staff_fields(draft: CaseDraft, case_type: CaseType, channel: Channel,
                  now: datetime | None) -> None:
    """What an agent adds: who registered it (always on a staff channel), the event's moment
    (never after ``now``), the outcome (orientación and gestión only), and who confirmed that
    the person cannot sign (only with a person who cannot)."""
    _text("registered_by", draft.registered_by, max_length=STAFF_ID_MAX)
    _text("event_unit", draft.event_unit, max_length=EVENT_UNIT_MAX)
    _text("cannot_sign_confirmed_by", draft.cannot_sign_confirmed_by, max_length=STAFF_ID_MAX)
    if channel in STAFF_CHANNELS and channel is not Channel.KIOSK_ASSISTED \
            and not draft.registered_by.strip():
        raise InvalidDraft("registered_by", "required")
    if draft.registered_by and channel is Channel.KIOSK:
        raise InvalidDraft("channel", "invalid_choice")
    if draft.event_at is not None:
        if draft.event_at.tzinfo is None:
            raise InvalidDraft("event_at", "invalid_date")
        if now is not None and draft.event_at > now + EVENT_FUTURE_SLACK:
            raise InvalidDraft("event_at", "event_future")
    if draft.outcome is not None:
        try:
            QuickOutcome(draft.outcome)
        except ValueError:
            raise InvalidDraft("outcome", "invalid_choice") from None
        if case_type not in QUICK_CASE_TYPES:
            raise InvalidDraft("outcome", "invalid_choice")
    cannot_sign = draft.personal is not None and draft.personal.cannot_sign
    if cannot_sign != bool(draft.cannot_sign_confirmed_by.strip()):
        # "No sabe o no puede firmar" is recorded only as an agent confirmed it.
        raise InvalidDraft("cannot_sign_confirmed_by", "required" if cannot_sign
                           else "invalid_choice")


def validate_case(draft: CaseDraft, *, now: datetime | None = None) -> None:
    """Raise :class:`InvalidDraft` unless ``draft`` can be stored and sent as it is.

    Personal data needs the privacy notice: a draft with any personal field must say which
    notice version was shown and that the person consented. ``now`` (the kiosk's clock) is
    what an event's moment may not come after.
    """
    try:
        case_type = CaseType(draft.case_type)
    except ValueError:
        raise InvalidDraft("case_type", "invalid_choice") from None
    try:
        channel = Channel(draft.channel)
    except ValueError:
        raise InvalidDraft("channel", "invalid_choice") from None
    if channel is Channel.KIOSK and case_type not in SELF_SERVICE_CASE_TYPES:
        # docs/design/domain.md: alone at the kiosk a person files queja, sugerencia or
        # reconocimiento; orientación and gestión are registered by an agent.
        raise InvalidDraft("case_type", "not_self_service")
    _language(draft.language)
    _code("service_code", draft.service_code)
    for category in draft.categories:
        _code("categories", category, required=True)
    if len(set(draft.categories)) != len(draft.categories):
        raise InvalidDraft("categories", "duplicate")
    _text("narrative", draft.narrative, max_length=v.NARRATIVE_MAX)
    _text("request", draft.request, max_length=REQUEST_MAX)
    _text("staff_involved", draft.staff_involved, max_length=STAFF_INVOLVED_MAX)
    _text("recognised_person", draft.recognised_person, max_length=RECOGNISED_PERSON_MAX)
    if draft.catalogue_version < 1:
        raise InvalidDraft("catalogue_version", "out_of_range")
    if (
        draft.privacy_notice_version is not None
        and not 1 <= len(draft.privacy_notice_version) <= 32
    ):
        raise InvalidDraft("privacy_notice_version", "invalid_code")
    _staff_fields(draft, case_type, channel, now)
    if draft.personal is not None and not draft.personal.is_empty():
        _personal(draft.personal)
        if not draft.consent_given:
            raise InvalidDraft("consent_given", "consent_required")
        if not draft.privacy_notice_version:
            raise InvalidDraft("privacy_notice_version", "required")


EVENT_TYPE_MAX = 32
EVENT_NOTE_MAX = 2000
EVENT_AGENT_MAX = 100


def validate_event(*, event_type: str, stage: str | None, note: str, agent: str) -> None:
    """Raise :class:`InvalidDraft` unless a case event can be stored and sent as it is."""
    if not event_type or len(event_type) > EVENT_TYPE_MAX or not event_type.isprintable():
        raise InvalidDraft("event_type", "invalid_code")
    if stage is not None:
        try:
            CaseStage(stage)
        except ValueError:
            raise InvalidDraft("stage", "invalid_choice") from None
    _text("note", note, max_length=EVENT_NOTE_MAX)
    _text("agent", agent, max_length=EVENT_AGENT_MAX)
