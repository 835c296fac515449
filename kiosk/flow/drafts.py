"""The drafts handed to the services, built from the session in one function each.

Only what belongs to the chosen case type is sent: answers typed before the person switched
type stay on their screens but not in the draft. Personal data travels only when the person
chose to leave it and typed some.

Consent (``docs/design/domain.md``, personal data) is recorded only where the person gave it
for something the case really holds, and the notice version with it: the story of a queja
(it can reveal health data), contact or identity data left after the explicit "Sí, dejar mis
datos" tap, or a reconocimiento the person agreed to publish. An anonymous sugerencia holds
none of these, so it carries neither consent nor a notice version.
"""

from typing import TYPE_CHECKING

from kiosk.flow.session import Session
from kiosk.services.drafts import CaseDraft, PersonalData, SurveyDraft
from trato.domain.enums import CaseType, Channel

if TYPE_CHECKING:
    from kiosk.services.configuration import Content

PERSONAL_FIELDS = ("filer_name", "nss", "curp", "phone", "email", "postal_code")


def survey_draft(session: Session, content: "Content", *, channel: Channel,
                 now: float) -> SurveyDraft:
    """``now`` is the monotonic time of "Enviar" (the survey's duration ends there)."""
    survey = session.survey
    return SurveyDraft(
        instrument_id=content.instrument.id,
        instrument_version=content.instrument.version,
        language=session.language,
        channel=channel,
        service_code=survey.service_code,
        rating=survey.rating,
        reasons=survey.reasons,
        comment=survey.comment,
        duration_ms=session.survey_duration_ms(now),
    )


def case_draft(session: Session, content: "Content", *, channel: Channel,
               privacy_notice_version: str) -> CaseDraft:
    case = session.case
    if case.case_type is None:
        raise ValueError("a case draft needs a case type")
    queja = case.case_type == CaseType.QUEJA
    recognition = case.case_type == CaseType.RECONOCIMIENTO
    personal = None
    if case.wants_contact:
        data = PersonalData(**{k: case.personal.get(k, "") for k in PERSONAL_FIELDS})
        personal = None if data.is_empty() else data
    consent = ((queja and case.consent) or personal is not None
               or (recognition and case.publish))
    return CaseDraft(
        case_type=case.case_type,
        channel=channel,
        language=session.language,
        service_code=case.service_code,
        categories=case.categories,
        narrative=case.narrative,
        request=case.request if queja else "",
        staff_involved=case.staff_involved if queja else "",
        recognised_person=case.recognised_person if recognition else "",
        publish_recognition=case.publish if recognition else False,
        personal=personal,
        privacy_notice_version=privacy_notice_version if consent else None,
        consent_given=consent,
        catalogue_version=content.categories.version,
        from_survey_id=case.from_survey_id,
    )
