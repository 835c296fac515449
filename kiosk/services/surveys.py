"""Storing perception survey responses."""

import logging
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from kiosk.clock import Clock
from kiosk.services.drafts import SavedSurvey, SurveyDraft, draft_values
from kiosk.services.notify import Notifier, reporting_storage_errors
from kiosk.services.validation import validate_survey
from kiosk.storage import outbox
from kiosk.storage.db import Database
from kiosk.storage.models import SurveyResponse
from trato.domain.enums import RecordKind
from trato.domain.ids import new_record_id
from trato.protocol.wire import SurveyResponseBody
from trato.records import record_values

log = logging.getLogger(__name__)

#: Burst rule: a response is "hasty" when it took under this long and has no reasons,
#: comment or further answers...
HASTY_DURATION_MS = 2000
#: ...and it is flagged when it ends a run of at least this many hasty responses...
BURST_MIN_RESPONSES = 3
#: ...each made within this many seconds of the one before.
BURST_GAP_SECONDS = 20


def is_hasty(*, duration_ms: int, reasons: object, comment: str, answers: object) -> bool:
    """A response given in a flash with no follow-up at all."""
    return duration_ms < HASTY_DURATION_MS and not reasons and not comment and not answers


def ends_burst(previous: list[tuple[datetime, bool]], now: datetime) -> bool:
    """Pure burst rule. ``previous`` holds (created_at, hasty) of the latest responses,
    newest first; the response being stored (made at ``now``) is hasty. True when it is the
    ``BURST_MIN_RESPONSES``-th (or later) hasty response in a row, each within
    ``BURST_GAP_SECONDS`` of the next."""
    needed = BURST_MIN_RESPONSES - 1
    later = now
    run = 0
    gap = timedelta(seconds=BURST_GAP_SECONDS)
    for created_at, hasty in previous:
        if not hasty or later - created_at > gap or created_at > later:
            break
        run += 1
        if run >= needed:
            return True
        later = created_at
    return False


class SurveyService:
    """Saves survey responses with their outbox entry in one transaction.

    Surveys need no enrolment: they carry no folio and no personal data, and wait in the
    outbox until the kiosk is enrolled. Bursts of hasty taps are stored and flagged
    ``probable_misuse``, never dropped.
    """

    def __init__(
        self, database: Database, clock: Clock, *, notifier: Notifier | None = None
    ) -> None:
        self._db = database
        self._clock = clock
        self._notifier = notifier

    def submit(self, draft: SurveyDraft) -> SavedSurvey:
        """Validate (:class:`InvalidDraft`), store the response and its outbox entry in one
        commit, and return the receipt only after the commit. Storage failures raise a
        :class:`~kiosk.services.errors.StorageError` with nothing written."""
        validate_survey(draft)
        now = self._clock.now()
        record_id = new_record_id()
        hasty = is_hasty(
            duration_ms=draft.duration_ms,
            reasons=draft.reasons,
            comment=draft.comment,
            answers=draft.answers,
        )
        with reporting_storage_errors(self._notifier), self._db.write() as session:
            misuse = hasty and ends_burst(self._recent(session), now)
            body = SurveyResponseBody(**draft_values(draft), probable_misuse=misuse)
            session.add(SurveyResponse(**record_values(body), id=record_id, created_at=now))
            session.flush()
            outbox.enqueue(
                session,
                record_id=record_id,
                kind=RecordKind.SURVEY_RESPONSE,
                created_at=now,
                body=body,
            )
        if misuse:
            log.info("survey response flagged as probable misuse")
            if self._notifier is not None:
                self._notifier.info("survey_probable_misuse")
        return SavedSurvey(id=record_id, created_at=now, probable_misuse=misuse)

    @staticmethod
    def _recent(session: Session) -> list[tuple[datetime, bool]]:
        rows = session.exec(
            select(SurveyResponse)
            .order_by(col(SurveyResponse.created_at).desc())
            .limit(BURST_MIN_RESPONSES - 1)
        ).all()
        return [
            (
                row.created_at,
                is_hasty(
                    duration_ms=row.duration_ms,
                    reasons=row.reasons,
                    comment=row.comment,
                    answers=row.answers,
                ),
            )
            for row in rows
        ]
