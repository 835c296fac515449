"""Campaign responses at the ingest: checked against their campaign, and counted into
``rollup_campaign_unit`` in the batch's transaction (like the board's rollups,
:mod:`central.models.rollup_sync`); rebuilt from the raw rows with the others.

A campaign response is a survey response whose ``answers`` name a campaign
(:data:`trato.domain.campaigns.CAMPAIGN_KEY`); it asks no headline question, so it is kept out
of the board's survey rollups (their index is the headline's). It is answered ``rejected``,
nothing else in the batch harmed, when the campaign is unknown, does not cover the kiosk's
unit, names another instrument id or version, or an answer is not a question of it
(1 to 5 or "no aplica"), or it was recorded outside the campaign's window.

The window is judged on the day the response was *recorded*, not received
(:func:`trato.domain.campaigns.window_problem`): the record's ``created_at`` (the kiosk's
clock) corrected by its batch's offset (server ``received_at`` minus the batch's ``sent_at``,
the offset the kiosk corrects its own clock by when it offers a campaign), never later than
the receipt, as a local day in the unit's time zone. A kiosk is offline-first: a response
recorded on the last day and synced weeks later is stored; one recorded before the first day,
after the last, or after the withdrawal is answered ``rejected`` with a reason opening with
:data:`~trato.domain.campaigns.OUTSIDE_WINDOW` (the kiosk keeps it set aside, and its sync
screen says why). A campaign response is a record of its own, after the survey's (which holds
the headline rating and is judged by nothing of this), so rejecting it loses no rating. A
record already stored is left to the duplicate check (a resend judged on another batch's
offset is still a duplicate).
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from central.models import Campaign, CampaignUnit, CampaignUnitRollup, IngestedRecord, Instrument
from central.models.campaigns import WHOLE_RESPONSE, empty_counts
from central.models.records import CAMPAIGN_RESPONSE
from central.models.rollup_sync import _upsert
from central.services.ingest.parse import ParsedRecord
from trato.domain.campaigns import (
    CAMPAIGN_KEY,
    NOT_APPLICABLE,
    OUTSIDE_WINDOW,
    server_time,
    window_problem,
)
from trato.protocol.wire import SurveyResponseBody

_ROLLUP = CampaignUnitRollup.__table__
Counts = dict[tuple[uuid.UUID, uuid.UUID, str], dict[str, Any]]


def campaign_of(body: Any) -> uuid.UUID | None:
    """The campaign a survey response answers (None: an ordinary response). A value that is
    not a UUID is returned as the nil UUID, which no campaign has (rejected)."""
    if not isinstance(body, SurveyResponseBody) or CAMPAIGN_KEY not in body.answers:
        return None
    try:
        return uuid.UUID(str(body.answers[CAMPAIGN_KEY]))
    except ValueError:
        return uuid.UUID(int=0)


def _questions(session: Session, campaign: Campaign, cache: dict[Any, set[str]]) -> set[str]:
    key = (campaign.instrument_id, campaign.instrument_version)
    if key not in cache:
        row = session.get(Instrument, key)
        cache[key] = {str(q.get("code")) for q in (row.definition.get("questions", [])
                                                   if row else []) if isinstance(q, dict)}
    return cache[key]


def check_campaign_responses(session: Session, unit_id: uuid.UUID,
                             items: Iterable[ParsedRecord], *, received_at: datetime,
                             clock_offset: float = 0.0,
                             timezone: str | None = None) -> None:
    """Reject the campaign responses that do not fit their campaign (see the module).
    ``clock_offset``: the batch's, server minus kiosk, in seconds."""
    pending = [(it, campaign_of(it.record.body)) for it in items
               if it.result is None and it.record is not None]
    pending = [(it, cid) for it, cid in pending if cid is not None]
    if not pending:
        return
    ids = {cid for _, cid in pending}
    campaigns = {c.id: c for c in session.execute(
        sa.select(Campaign).where(Campaign.id.in_(ids))).scalars()}  # type: ignore[attr-defined]
    covered = set(session.execute(sa.select(CampaignUnit.campaign_id).where(
        CampaignUnit.campaign_id.in_(ids), CampaignUnit.unit_id == unit_id)).scalars())  # type: ignore[attr-defined]
    questions: dict[Any, set[str]] = {}
    outside: list[tuple[ParsedRecord, str]] = []
    for it, cid in pending:
        body = it.record.body  # type: ignore[union-attr]
        campaign = campaigns.get(cid)
        if campaign is None or cid not in covered:
            it.reject("body.answers.campaign_id: no such campaign for this kiosk's unit")
        elif (body.instrument_id, body.instrument_version) != (
                campaign.instrument_id, campaign.instrument_version):
            it.reject("body.instrument_id: not the instrument version of the campaign")
        else:
            codes = _questions(session, campaign, questions)
            bad = [k for k, v in body.answers.items() if k != CAMPAIGN_KEY and (
                k not in codes or not (v == NOT_APPLICABLE or v in (1, 2, 3, 4, 5)))]
            if bad:
                it.reject("body.answers: not a question of the campaign, or not 1 to 5 or "
                          f"'{NOT_APPLICABLE}': {', '.join(sorted(bad))[:200]}")
                continue
            recorded = min(server_time(it.record.created_at, clock_offset),  # type: ignore[union-attr]
                           received_at)
            problem = window_problem(campaign.starts_on, campaign.ends_on,
                                     campaign.withdrawn_at, recorded, timezone)
            if problem is not None:
                outside.append((it, problem))
    if outside:
        stored = set(session.execute(sa.select(IngestedRecord.id).where(
            IngestedRecord.id.in_([it.id for it, _ in outside]))).scalars())  # type: ignore[attr-defined]
        for it, problem in outside:
            if it.id not in stored:
                it.reject(f"{OUTSIDE_WINDOW}: {problem}")


def count_campaign_response(counts: Counts, unit_id: uuid.UUID, answers: dict[str, Any]
                            ) -> None:
    """Add one stored campaign response's ``answers`` to ``counts`` (keyed campaign, unit,
    question)."""
    cid = uuid.UUID(str(answers[CAMPAIGN_KEY]))
    whole = counts.get((cid, unit_id, WHOLE_RESPONSE)) or counts.setdefault(
        (cid, unit_id, WHOLE_RESPONSE), empty_counts(cid, unit_id, WHOLE_RESPONSE))
    whole["answers"] += 1
    for code, value in answers.items():
        if code == CAMPAIGN_KEY or value is None:
            continue
        row = counts.get((cid, unit_id, code)) or counts.setdefault(
            (cid, unit_id, code), empty_counts(cid, unit_id, code))
        row["answers"] += 1
        if value == NOT_APPLICABLE:
            row["not_applicable"] += 1
        else:
            row[f"rating_{value}"] += 1


def add_campaign_counts(conn: Any, counts: Counts) -> None:
    if counts:
        _upsert(conn, _ROLLUP, list(counts.values()))


#: The campaign rollup from the raw rows, one INSERT … SELECT per engine: each campaign
#: response's answers unnested (``json_each``), counted per campaign × unit × question, plus
#: the whole responses per campaign × unit (question ``""``). SQLite keeps a UUID as 32 hex
#: digits, the answers as the text with dashes. ``{campaign}`` is the predicate of the partial
#: index ``ix_survey_response_campaign`` (the same text, so both planners read that index and
#: not the table; SQLite is told to).
_REBUILD = {
    "postgresql": """
        WITH r AS (SELECT CAST(answers ->> '{key}' AS uuid) AS cid, unit_id, answers
                   FROM survey_response WHERE {campaign})
        INSERT INTO rollup_campaign_unit ({columns})
        SELECT cid, unit_id, e.key, count(*), {na}, {ratings}
        FROM r CROSS JOIN LATERAL json_each_text(r.answers) AS e
        WHERE e.key <> '{key}' AND e.value IS NOT NULL GROUP BY cid, unit_id, e.key
        UNION ALL
        SELECT cid, unit_id, '', count(*), 0, 0, 0, 0, 0, 0 FROM r GROUP BY cid, unit_id""",
    "sqlite": """
        WITH r AS (SELECT lower(replace(json_extract(answers, '$.{key}'), '-', '')) AS cid,
                          unit_id, answers
                   FROM survey_response INDEXED BY ix_survey_response_campaign
                   WHERE {campaign})
        INSERT INTO rollup_campaign_unit ({columns})
        SELECT cid, unit_id, e.key, count(*), {na}, {ratings}
        FROM r, json_each(r.answers) AS e
        WHERE e.key <> '{key}' AND e.value IS NOT NULL GROUP BY cid, unit_id, e.key
        UNION ALL
        SELECT cid, unit_id, '', count(*), 0, 0, 0, 0, 0, 0 FROM r GROUP BY cid, unit_id""",
}


def rebuild_campaign_rollup(conn: Any) -> int:
    """Empty ``rollup_campaign_unit`` and count it again from the stored campaign responses
    (in ``conn``'s transaction, in the database); answers the rows it holds afterwards."""
    conn.execute(sa.delete(_ROLLUP))
    value = "CAST(e.value AS text)"  # SQLite keeps 4 as a number, 'na' as text
    dialect = "postgresql" if conn.dialect.name == "postgresql" else "sqlite"
    sql = _REBUILD[dialect].format(
        key=CAMPAIGN_KEY, campaign=CAMPAIGN_RESPONSE[dialect],
        columns=", ".join(c.name for c in _ROLLUP.columns),
        na=f"sum(CASE WHEN {value} = '{NOT_APPLICABLE}' THEN 1 ELSE 0 END)",
        ratings=", ".join(f"sum(CASE WHEN {value} = '{r}' THEN 1 ELSE 0 END)"
                          for r in (1, 2, 3, 4, 5)))
    conn.execute(sa.text(sql))
    return int(conn.execute(sa.select(sa.func.count()).select_from(_ROLLUP)).scalar_one())


def campaign_clause(answers: Any) -> Any:
    """SQL: the survey response answers a campaign (on PostgreSQL and SQLite)."""
    return answers[CAMPAIGN_KEY].as_string().is_not(None)
