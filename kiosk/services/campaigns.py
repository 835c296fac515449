"""The perception campaign a kiosk offers now (issue 12): of the campaigns its unit received
(``kiosk.sync.changes.apply_campaign``), the one that is switched on, asks through the kiosk
channel and whose window holds today's date in the unit's time zone: the injected clock's
now (so a test or a demo moves it) corrected by the offset the kiosk last learned from the
server (``sync_state.clock_offset_seconds``; its own clock until one is learned), the day the
server judges its answers on (:func:`trato.domain.campaigns.server_day`). Qt-free; read when
a survey is saved, so a campaign that opens or closes takes effect for the next person.

The answers are stored by :class:`~kiosk.services.surveys.SurveyService` as a survey response
of the campaign's instrument (id and version), with no headline rating, the answers by
question code (1 to 5 or :data:`~trato.domain.campaigns.NOT_APPLICABLE`) and the campaign's
id under :data:`~trato.domain.campaigns.CAMPAIGN_KEY`; it goes up through the outbox like any.
"""

import logging
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import col, select

from kiosk.clock import Clock
from kiosk.services.drafts import SurveyDraft
from kiosk.storage.identity import get_identity, read_sync_state
from kiosk.storage.models import Catalogue
from trato.domain.campaigns import CAMPAIGN_KEY, CampaignChannel, is_open, server_day
from trato.domain.enums import Channel
from trato.domain.zones import DEFAULT_TIMEZONE
from trato.protocol.wire import CampaignData

log = logging.getLogger(__name__)

#: The catalogue rows of received campaigns (kiosk.sync.changes.CAMPAIGN_PREFIX).
PREFIX = "campaign:"


class CampaignOffers:
    def __init__(self, database: Any, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def today(self, timezone: str, offset_seconds: float | None = None) -> date:
        """The local day by the best estimate of the server's time."""
        return server_day(self.clock.now(), offset_seconds, timezone)

    def current(self) -> CampaignData | None:
        """The campaign to offer now, or None (none open, or the store unreadable)."""
        try:
            with self.database.read() as session:
                identity = get_identity(session)
                timezone = identity.timezone if identity is not None else DEFAULT_TIMEZONE
                offset = read_sync_state(session).clock_offset_seconds
                rows = [(r.name, r.version, dict(r.data)) for r in session.exec(
                    select(Catalogue).where(col(Catalogue.name).startswith(PREFIX))).all()]
        except Exception:  # a busy store never stops the thank-you page
            log.exception("received campaigns unreadable; none offered")
            return None
        today = self.today(timezone, offset)
        open_now = []
        for name, version, data in rows:
            try:
                campaign = CampaignData.model_validate(data)
            except ValidationError:
                log.warning("received campaign %s v%d is malformed; not offered", name, version)
                continue
            if campaign.active and CampaignChannel.KIOSK.value in campaign.channels \
                    and is_open(campaign.starts_on, campaign.ends_on, today):
                open_now.append(campaign)
        # Two open at once: the one that ends first (its target is the most pressing).
        open_now.sort(key=lambda c: (c.ends_on, str(c.campaign_id)))
        return open_now[0] if open_now else None


def campaign_draft(campaign: CampaignData, answers: dict[str, int | str], *, language: str,
                   channel: Channel, service_code: str | None, duration_ms: int) -> SurveyDraft:
    """The survey response a campaign's answers are stored as."""
    return SurveyDraft(
        instrument_id=campaign.instrument_id, instrument_version=campaign.instrument_version,
        language=language, channel=channel, service_code=service_code, rating=None,
        answers={**answers, CAMPAIGN_KEY: str(campaign.campaign_id)},
        duration_ms=max(0, duration_ms),
    )
