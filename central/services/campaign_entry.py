"""Campaign answers an agent records on the web: asked at the bedside or the module
("staff") or over the phone ("phone"). They are stored as a survey response of the unit's
desk (:mod:`central.services.desk`: the same ingest, checks and rollup as a kiosk's), channel
``desk`` or ``phone``, with the agent's answers by question code. Only while the campaign is
open (:func:`entry_closed`): not before its first day, not after its last (local days of the
server's clock), not once withdrawn; the ingest would refuse them too."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from central.db import local_day
from central.models import AuditLog, Campaign, OrgNode, User
from central.services.desk import desk_kiosk, next_sequence
from central.services.ingest import ingest
from trato.domain.campaigns import (
    CAMPAIGN_KEY,
    NOT_APPLICABLE,
    CampaignChannel,
    CampaignState,
    campaign_state,
)
from trato.domain.enums import Channel
from trato.domain.ids import new_record_id
from trato.protocol.wire import RecordStatus, WireRecord

AUDIT_RECORD = "record_campaign_answers"
#: The record's channel by the campaign's channel.
WIRE_CHANNEL = {CampaignChannel.STAFF.value: Channel.DESK, CampaignChannel.PHONE.value:
                Channel.PHONE}


@dataclass
class EntryForm:
    unit: str = ""
    channel: str = ""
    answers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form(cls, form: Any, codes: list[str]) -> "EntryForm":
        return cls(unit=str(form.get("unidad", "")), channel=str(form.get("canal", "")),
                   answers={c: str(form.get(f"r_{c}", "")) for c in codes})


def entry_closed(campaign: Campaign, today: date) -> tuple[str, dict[str, str]] | None:
    """Why answers may not be recorded for the campaign on the local day ``today``: the
    catalogue key and its values (the day it opens, closed or was withdrawn), or None while it
    is open."""
    if campaign.withdrawn_at is not None:
        return "campaign.entry.error.withdrawn", {
            "date": local_day(campaign.withdrawn_at).strftime("%d/%m/%Y")}
    state = campaign_state(campaign.starts_on, campaign.ends_on, today)
    if state is CampaignState.SCHEDULED:
        return "campaign.entry.error.scheduled", {
            "date": campaign.starts_on.strftime("%d/%m/%Y")}
    if state is CampaignState.CLOSED:
        return "campaign.entry.error.closed", {"date": campaign.ends_on.strftime("%d/%m/%Y")}
    return None


def check_entry(campaign: Campaign, codes: list[str], units: dict[str, OrgNode],
                form: EntryForm) -> tuple[dict[str, int | str], dict[str, str]]:
    """The answers as stored, and the problems (catalogue keys by field)."""
    problems: dict[str, str] = {}
    if form.unit not in units:
        problems["unidad"] = "campaign.error.out_of_scope"
    if form.channel not in WIRE_CHANNEL or form.channel not in campaign.channels:
        problems["canal"] = "campaign.entry.error.channel"
    answers: dict[str, int | str] = {}
    for code in codes:
        value = form.answers.get(code, "")
        if value == NOT_APPLICABLE:
            answers[code] = NOT_APPLICABLE
        elif value in ("1", "2", "3", "4", "5"):
            answers[code] = int(value)
        else:
            problems[f"r_{code}"] = "campaign.entry.error.answer"
    return answers, problems


def record_entry(session: Session, campaign: Campaign, unit: OrgNode, channel: str,
                 answers: dict[str, int | str], *, user: User, now: datetime,
                 timezone: str) -> uuid.UUID:
    """Store the checked answers as a record of the unit's desk (caller commits)."""
    kiosk = desk_kiosk(session, unit)
    seq = next_sequence(session, kiosk)
    record = WireRecord.model_validate({
        "id": new_record_id(), "seq": seq, "created_at": now,
        "body": {"kind": "survey_response", "instrument_id": campaign.instrument_id,
                 "instrument_version": campaign.instrument_version, "language": "es-MX",
                 "channel": WIRE_CHANNEL[channel].value, "service_code": None, "rating": None,
                 "answers": {**answers, CAMPAIGN_KEY: str(campaign.id)}, "duration_ms": 0},
    })
    outcome = ingest(session, kiosk, [record], batch_id=uuid.uuid4(), received_at=now,
                     timezone=timezone)
    result = outcome.results[0]
    if result.status != RecordStatus.STORED:
        raise ValueError(result.reason or result.status.value)
    session.add(AuditLog(user_id=user.id, username=user.username, action=AUDIT_RECORD,
                         target_type="campaign", target_id=str(campaign.id),
                         detail={"unit_id": str(unit.id), "channel": channel}))
    return record.id
