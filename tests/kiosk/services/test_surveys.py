"""SurveyService on a real SQLite file: rows field by field, burst flagging, bad input."""

import pytest
from sqlmodel import col, select

from kiosk.clock import FixedClock
from kiosk.services.errors import InvalidDraft
from kiosk.services.notify import Notice, Notifier
from kiosk.services.surveys import SurveyService, ends_burst, is_hasty
from kiosk.storage.db import Database
from kiosk.storage.models import OutboxEntry, SurveyResponse
from kiosk.storage.outbox import OutboxState
from tests.kiosk.storage.factories import START, survey_draft
from trato.domain.enums import Channel, RecordKind
from trato.protocol.wire import SurveyResponseBody


def _responses(db: Database) -> list[SurveyResponse]:
    with db.read() as session:
        return list(
            session.exec(select(SurveyResponse).order_by(col(SurveyResponse.created_at))).all()
        )


def test_a_response_is_stored_field_by_field(database: Database, clock: FixedClock) -> None:
    saved = SurveyService(database, clock).submit(
        survey_draft(answers={"limpieza": 4, "privacidad": None})
    )
    [row] = _responses(database)
    assert row.id == saved.id
    assert row.created_at == START == saved.created_at
    assert row.instrument_id == "trato-general"
    assert row.instrument_version == 1
    assert row.language == "es"
    assert row.channel == Channel.KIOSK
    assert row.service_code == "consulta_externa"
    assert row.rating == 4
    assert row.reasons == ["tiempo_espera"]
    assert row.comment == "Me atendieron bien 👍"
    assert row.answers == {"limpieza": 4, "privacidad": None}
    assert row.duration_ms == 15_000
    assert row.probable_misuse is False and saved.probable_misuse is False
    assert row.acknowledged_at is None
    with database.read() as session:
        [entry] = session.exec(select(OutboxEntry)).all()
    assert entry.id == row.id and entry.kind == RecordKind.SURVEY_RESPONSE
    assert entry.state == OutboxState.WAITING and entry.seq == 1
    body = entry.wire_record().body
    assert isinstance(body, SurveyResponseBody)
    assert body.rating == 4 and body.comment == row.comment and body.probable_misuse is False


def test_prefer_not_to_answer_is_stored_as_no_rating(database: Database, clock: FixedClock) -> None:
    SurveyService(database, clock).submit(survey_draft(rating=None, reasons=(), comment=""))
    [row] = _responses(database)
    assert row.rating is None


def _hasty(**overrides: object):
    values: dict[str, object] = {"rating": 1, "reasons": (), "comment": "", "duration_ms": 900}
    values.update(overrides)
    return survey_draft(**values)


def test_a_burst_of_hasty_taps_is_kept_and_flagged(database: Database, clock: FixedClock) -> None:
    notices: list[Notice] = []
    notifier = Notifier()
    notifier.subscribe(notices.append)
    service = SurveyService(database, clock, notifier=notifier)
    flags = []
    for _ in range(5):
        flags.append(service.submit(_hasty()).probable_misuse)
        clock.advance(3)
    assert flags == [False, False, True, True, True]
    rows = _responses(database)
    assert len(rows) == 5  # never dropped
    assert [r.probable_misuse for r in rows] == flags
    with database.read() as session:
        entries = session.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq))).all()
    assert [e.wire_record().body.probable_misuse for e in entries] == flags  # type: ignore[union-attr]
    assert [n.code for n in notices] == ["survey_probable_misuse"] * 3


def test_slow_or_answered_responses_break_a_burst(database: Database, clock: FixedClock) -> None:
    service = SurveyService(database, clock)
    assert not service.submit(_hasty()).probable_misuse
    clock.advance(2)
    assert not service.submit(_hasty()).probable_misuse
    clock.advance(21)  # more than 20 s: the run starts again
    assert not service.submit(_hasty()).probable_misuse
    clock.advance(2)
    assert not service.submit(_hasty(reasons=("trato",))).probable_misuse
    clock.advance(2)
    assert not service.submit(_hasty(duration_ms=2500)).probable_misuse
    clock.advance(2)
    assert not service.submit(_hasty()).probable_misuse


def test_burst_rule_is_pure() -> None:
    assert is_hasty(duration_ms=1999, reasons=(), comment="", answers={})
    assert not is_hasty(duration_ms=2000, reasons=(), comment="", answers={})
    assert not is_hasty(duration_ms=10, reasons=(), comment="x", answers={})
    assert not is_hasty(duration_ms=10, reasons=(), comment="", answers={"a": 1})
    from datetime import timedelta

    t = START
    assert ends_burst([(t - timedelta(seconds=5), True), (t - timedelta(seconds=25), True)], t)
    assert not ends_burst([(t - timedelta(seconds=5), True)], t)
    assert not ends_burst([(t - timedelta(seconds=5), True), (t - timedelta(seconds=30), True)], t)
    assert not ends_burst([(t - timedelta(seconds=5), False), (t - timedelta(seconds=6), True)], t)
    # A clock set backwards never makes a burst out of the future.
    assert not ends_burst([(t + timedelta(seconds=5), True), (t, True)], t)


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"rating": 0}, "rating", "out_of_range"),
        ({"rating": 6}, "rating", "out_of_range"),
        ({"comment": "c" * 10_000}, "comment", "text_too_long"),
        ({"comment": "\x1b[31m"}, "comment", "text_control_character"),
        ({"reasons": tuple(f"r{i}" for i in range(7))}, "reasons", "too_many"),
        ({"instrument_id": ""}, "instrument_id", "invalid_code"),
        ({"duration_ms": -1}, "duration_ms", "out_of_range"),
        ({"instrument_version": 0}, "instrument_version", "out_of_range"),
    ],
)
def test_invalid_survey_drafts_are_refused(
    database: Database, clock: FixedClock, overrides: dict, field: str, problem: str
) -> None:
    with pytest.raises(InvalidDraft) as info:
        SurveyService(database, clock).submit(survey_draft(**overrides))
    assert (info.value.field, info.value.problem) == (field, problem)
    assert _responses(database) == []
