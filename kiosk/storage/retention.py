"""What the kiosk forgets: free text of records the server acknowledged long enough ago.

Architecture principle 4: once the central server holds a case, the kiosk keeps only what it
needs for its own figures and folio look-ups. The sync engine runs these after each round;
they take the session of the caller's write transaction.
"""

import json
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from kiosk.storage.models import Case, OutboxEntry, SurveyResponse
from kiosk.storage.outbox import OutboxState

_PURGED_TEXT_FIELDS = ("narrative", "request", "staff_involved")


def _blank_sent_payload(session: Session, record_id: object, fields: tuple[str, ...]) -> bool:
    """Blank ``fields`` in the frozen wire JSON of the record's outbox entry. False (nothing
    touched) when the entry is not sent yet: then the record must keep its text too."""
    entry = session.get(OutboxEntry, record_id)
    if entry is None:
        return True
    if OutboxState(entry.state) is not OutboxState.SENT:
        return False
    payload = json.loads(entry.payload)
    for name in fields:
        payload["body"][name] = ""
    entry.payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    session.add(entry)
    return True


def purge_acknowledged_case_text(session: Session, *, now: datetime, retention: timedelta) -> int:
    """Blank narrative, request and staff text of cases the server acknowledged more than
    ``retention`` ago. Folio, dates, type and status stay. The frozen wire JSON of their
    (already sent) outbox entries is blanked the same way; an entry not sent yet is never
    touched, and neither is its case. Returns how many cases."""
    cutoff = now - retention
    cases = session.exec(
        select(Case)
        .where(col(Case.acknowledged_at).is_not(None))
        .where(col(Case.acknowledged_at) <= cutoff)
        .where(col(Case.text_purged_at).is_(None))
    ).all()
    count = 0
    for case in cases:
        if not _blank_sent_payload(session, case.id, _PURGED_TEXT_FIELDS):
            continue
        for name in _PURGED_TEXT_FIELDS:
            setattr(case, name, "")
        case.text_purged_at = now
        session.add(case)
        count += 1
    session.flush()
    return count


def purge_acknowledged_survey_comments(
    session: Session, *, now: datetime, retention: timedelta
) -> int:
    """Blank the free-text comment of survey responses the server acknowledged more than
    ``retention`` ago: a comment can name people or reveal health, like case text. Ratings,
    reasons and dates stay for the kiosk's own figures. As for cases, an entry not sent yet is
    never touched. Returns how many responses."""
    cutoff = now - retention
    responses = session.exec(
        select(SurveyResponse)
        .where(col(SurveyResponse.acknowledged_at).is_not(None))
        .where(col(SurveyResponse.acknowledged_at) <= cutoff)
        .where(SurveyResponse.comment != "")
    ).all()
    count = 0
    for response in responses:
        if not _blank_sent_payload(session, response.id, ("comment",)):
            continue
        response.comment = ""
        session.add(response)
        count += 1
    session.flush()
    return count
