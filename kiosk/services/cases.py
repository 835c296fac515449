"""Filing cases: folio, sealing of personal data, record and outbox entry in one commit."""

import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from kiosk.clock import Clock
from kiosk.services.drafts import CaseDraft, PersonalData, SavedCase, draft_values
from kiosk.services.errors import InvalidDraft, NotEnrolled
from kiosk.services.lookup import FolioLookup, case_deadlines, local_time, look_up
from kiosk.services.masking import mask_personal
from kiosk.services.notify import Notifier, reporting_storage_errors
from kiosk.services.validation import validate_case, validate_event
from kiosk.storage import outbox
from kiosk.storage.db import Database
from kiosk.storage.identity import get_identity
from kiosk.storage.models import Case, CaseEvent, KioskIdentity
from trato.domain.enums import CaseStage, RecordKind, SensitiveCategory
from trato.domain.folio import Folio, make_folio
from trato.domain.ids import new_record_id
from trato.protocol.sealing import seal_json
from trato.protocol.wire import CaseBody, CaseEventBody
from trato.records import record_values

log = logging.getLogger(__name__)

#: Counter row of the per-kiosk case sequence inside folios.
CASE_SEQ_COUNTER = "case_seq"
_SENSITIVE = frozenset(c.value for c in SensitiveCategory)
_CONTACT_FIELDS = ("phone", "email", "address")


def is_sensitive(categories: tuple[str, ...] | list[str]) -> bool:
    """A case is 'sensible' (restricted reading) when any category is harassment,
    discrimination or violence."""
    return any(category in _SENSITIVE for category in categories)


def tracking_url(base_url: str, folio: Folio) -> str:
    """The public folio page the confirmation QR points to."""
    return base_url.rstrip("/") + "/folio/" + folio.compact


def sealed_payload(personal: PersonalData) -> dict[str, Any]:
    """What goes inside the sealed box: every filled-in field plus the two flags."""
    data = {k: v for k, v in asdict(personal).items() if not isinstance(v, bool) and v != ""}
    data["filer_is_beneficiary"] = personal.filer_is_beneficiary
    data["cannot_sign"] = personal.cannot_sign
    return data


@dataclass(frozen=True)
class SavedCaseEvent:
    id: uuid.UUID
    case_id: uuid.UUID
    created_at: datetime


class CaseService:
    """Saves cases. Requires an enrolled kiosk (the folio needs the unit and kiosk numbers,
    sealing needs the server's public key); otherwise :class:`NotEnrolled`."""

    def __init__(
        self, database: Database, clock: Clock, *, notifier: Notifier | None = None
    ) -> None:
        self._db = database
        self._clock = clock
        self._notifier = notifier

    def submit(self, draft: CaseDraft) -> SavedCase:
        """Validate, seal the personal data, allocate the folio, and write the case and its
        outbox entry in ONE transaction; the receipt is returned only after the commit.

        Raises :class:`InvalidDraft`, :class:`NotEnrolled` or a storage error
        (:class:`StorageFull`, :class:`StorageReadOnly`, :class:`StorageBusy`), in every case
        with nothing written. Clear personal values never reach the disk: only the sealed box
        and the masks are stored.
        """
        now = self._clock.now()
        validate_case(draft, now=now)
        record_id = new_record_id()
        personal = draft.personal if draft.personal and not draft.personal.is_empty() else None
        masks = mask_personal(personal)
        has_contact = personal is not None and any(
            getattr(personal, name).strip() for name in _CONTACT_FIELDS
        )
        sensitive = is_sensitive(draft.categories)
        with reporting_storage_errors(self._notifier), self._db.write() as session:
            identity = self._identity(session)
            # Seal in memory, before anything of this case is written.
            sealed = (
                seal_json(identity.sealing_public_key, sealed_payload(personal))
                if personal is not None
                else None
            )
            sequence = outbox.next_counter(session, name=CASE_SEQ_COUNTER)
            folio = make_folio(
                unit_number=identity.unit_number,
                kiosk_number=identity.kiosk_number,
                sequence=sequence,
            )
            body = CaseBody(
                **draft_values(draft),
                folio=str(folio),
                sensitive=sensitive,
                has_contact=has_contact,
            )
            received = local_time(now, identity.timezone).date()
            completion, resolution = case_deadlines(body.case_type, received)
            session.add(
                Case(
                    **record_values(body),
                    id=record_id,
                    sequence=sequence,
                    created_at=now,
                    filer_is_beneficiary=personal.filer_is_beneficiary if personal else True,
                    cannot_sign=personal.cannot_sign if personal else False,
                    sealed_personal=sealed,
                    masked_personal=masks,
                    completion_due=completion.isoformat() if completion else None,
                    resolution_due=resolution.isoformat() if resolution else None,
                )
            )
            session.flush()
            outbox.enqueue(
                session,
                record_id=record_id,
                kind=RecordKind.CASE,
                created_at=now,
                body=body,
                sealed=sealed,
            )
            url = tracking_url(identity.tracking_base_url, folio)
        log.info("case stored (type %s, sensitive %s)", body.case_type, sensitive)
        return SavedCase(
            id=record_id, folio=str(folio), tracking_url=url, created_at=now, sensitive=sensitive,
            case_type=body.case_type, received_on=received, completion_due=completion,
            resolution_due=resolution,
        )

    def add_event(
        self,
        case_id: uuid.UUID,
        *,
        event_type: str,
        stage: CaseStage | None = None,
        note: str = "",
        agent: str = "",
    ) -> SavedCaseEvent:
        """Record something an agent did to a case on this kiosk (a note, a stage change),
        with its outbox entry, in one transaction. Raises :class:`InvalidDraft` for bad input
        or an unknown case, or a storage error, with nothing written."""
        validate_event(event_type=event_type, stage=stage, note=note, agent=agent)
        now = self._clock.now()
        record_id = new_record_id()
        with reporting_storage_errors(self._notifier), self._db.write() as session:
            if session.get(Case, case_id) is None:
                raise InvalidDraft("case_id", "unknown_case")
            body = CaseEventBody(
                case_id=case_id,
                event_type=event_type,
                stage=CaseStage(stage) if stage is not None else None,
                note=note,
                agent=agent,
            )
            session.add(
                CaseEvent(
                    id=record_id,
                    case_id=case_id,
                    created_at=now,
                    event_type=event_type,
                    stage=body.stage,
                    note=note,
                    agent=agent,
                )
            )
            session.flush()
            outbox.enqueue(
                session,
                record_id=record_id,
                kind=RecordKind.CASE_EVENT,
                created_at=now,
                body=body,
            )
        return SavedCaseEvent(id=record_id, case_id=case_id, created_at=now)

    def lookup(self, folio_text: str) -> FolioLookup:
        """What a person may learn about a folio at the kiosk ("Consultar un folio"); see
        :func:`kiosk.services.lookup.look_up`."""
        return look_up(self._db, folio_text)

    @staticmethod
    def _identity(session: Session) -> KioskIdentity:
        identity = get_identity(session)
        if identity is None:
            raise NotEnrolled("this kiosk is not enrolled")
        return identity
