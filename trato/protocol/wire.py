"""The kiosk <-> central protocol, defined once and imported by both sides.

Everything that crosses the network is one of these pydantic models. Requests are signed (see
:mod:`trato.protocol.signing`); bodies may be gzip-compressed.

``schema_version`` belongs to a message, never to a record: every request body (a
:class:`PushBatch`, an :class:`EnrolmentRequest`) must carry it (kiosks have always sent it,
explicitly), and every answer carries it. A request without it, or with a version the server
does not speak, is refused whole with 422 ``unsupported_schema`` before any record in it is
looked at: its records cannot be read without knowing the version. In a request of a known
version, a record that is wrong is the record's problem and is answered per record
(``rejected`` with a reason) while the others are stored.

Idempotency (architecture principle 2): every record carries the UUID made on the kiosk, the
kiosk id and a per-kiosk sequence number. The server answers each record separately with a
:class:`RecordStatus`; a resend of identical content is ``duplicate`` (a success for the kiosk);
the same id with other content is ``conflict`` and the stored original is untouched.
Personal data is never in a body in clear: it travels in ``sealed``, a libsodium sealed box
made at capture for the server's public key, sent byte-identical on every retry.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from trato.domain.enums import CaseStage, RecordKind, StaffRole
from trato.records import NUMBER_ONLY, CaseFields, SurveyFields

SCHEMA_VERSION = 1
MAX_BATCH_RECORDS = 1000
#: Largest integer the server's columns hold (64-bit).
MAX_INT64 = 2**63 - 1
#: Largest request body the server accepts, after decompression.
MAX_BODY_BYTES = 8 * 1024 * 1024

API_PREFIX = "/api/v1"
ENROL_PATH = f"{API_PREFIX}/enrol"
PUSH_PATH = f"{API_PREFIX}/records"
CHANGES_PATH = f"{API_PREFIX}/changes"
STATUS_PATH = f"{API_PREFIX}/kiosk/status"
#: The kiosk's own report (version, last self-test); newer kiosks only, signed.
REPORT_PATH = f"{API_PREFIX}/kiosk/report"

# Signed-request headers (see trato.protocol.signing).
HEADER_KIOSK = "X-TD-Kiosk"
HEADER_TIMESTAMP = "X-TD-Timestamp"
HEADER_NONCE = "X-TD-Nonce"
HEADER_SIGNATURE = "X-TD-Signature"
#: The server's clock in every response, so a kiosk with a wrong clock can sign in server time.
HEADER_SERVER_TIME = "X-TD-Server-Time"
#: On a changes page: the highest record ``seq`` the server holds from the signing kiosk, and
#: the highest change cursor it has. Lower than what the kiosk knows means the server's
#: database was restored from a backup: the kiosk sends again what it lost and pulls from
#: there (kiosk.sync.restore). Headers, so a kiosk that does not know them is not disturbed.
HEADER_RECORDS_HELD = "X-TD-Records-Held"
HEADER_CHANGES_TOP = "X-TD-Changes-Top"


def _text_only(value: Any) -> Any:
    if isinstance(value, int | float):
        raise ValueError("a date-time is ISO 8601 text with its offset, not a number")
    return value


#: A moment with its UTC offset, as ISO 8601 text (a number of seconds is refused: the
#: description says date-time text).
SentAt = Annotated[AwareDatetime, BeforeValidator(_text_only)]


#: Text the server stores in a column: no NUL character (PostgreSQL text cannot hold one).
NO_NUL = r"^[^\x00]*$"


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------- record bodies


class _KindFirst(WireModel):
    """``kind`` first in a body's JSON. Pydantic orders fields along the reversed MRO, so
    ``class CaseBody(CaseFields, _KindFirst)`` serialises ``kind`` and then the fields of
    :class:`~trato.records.CaseFields` in their order: the JSON (and the content hash the server
    keeps of it) is what it was when the bodies declared every field themselves."""

    kind: RecordKind


class SurveyResponseBody(SurveyFields, _KindFirst):
    """A survey response on the wire: its fields are :class:`trato.records.SurveyFields`."""

    kind: Literal[RecordKind.SURVEY_RESPONSE] = RecordKind.SURVEY_RESPONSE


class CaseBody(CaseFields, _KindFirst):
    """A case on the wire: its fields are :class:`trato.records.CaseFields`."""

    kind: Literal[RecordKind.CASE] = RecordKind.CASE


class CaseEventBody(WireModel):
    """Something that happened to a case at the kiosk (a note, a stage change by an agent)."""

    kind: Literal[RecordKind.CASE_EVENT] = RecordKind.CASE_EVENT
    case_id: UUID
    event_type: Annotated[str, Field(min_length=1, max_length=32)]
    stage: CaseStage | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    agent: Annotated[str, Field(max_length=100)] = ""


RecordBody = Annotated[
    SurveyResponseBody | CaseBody | CaseEventBody, Field(discriminator="kind")
]


class WireRecord(WireModel):
    id: UUID
    seq: Annotated[int, Field(ge=1), NUMBER_ONLY]
    created_at: SentAt  # the kiosk's clock; may be wrong, never trusted for ordering
    body: RecordBody
    sealed: Annotated[str, Field(max_length=16384)] | None = None  # base64 sealed box


def _records_schema(schema: dict[str, Any]) -> None:
    """How the published description states the per-record rule: each item is meant to be
    a :class:`WireRecord`; an object with a UUID ``id`` that is not one is still read and
    answered ``rejected`` with a reason (the batch is not refused for it)."""
    schema["items"] = {"anyOf": [schema["items"], {
        "type": "object", "required": ["id"],
        "properties": {"id": {"type": "string", "format": "uuid"}},
        "description": "Not a valid WireRecord: answered per record, status rejected.",
    }]}


class PushBatch(WireModel):
    schema_version: Literal[1]  # required: see the module docstring
    kiosk_id: UUID
    batch_id: UUID
    sent_at: SentAt  # the kiosk's clock
    app_version: Annotated[str, Field(max_length=32, pattern=NO_NUL)]
    #: Records waiting on the kiosk, this batch included.
    backlog: Annotated[int, Field(ge=0, le=MAX_INT64), NUMBER_ONLY] = 0
    records: list[WireRecord] = Field(min_length=1, max_length=MAX_BATCH_RECORDS,
                                      json_schema_extra=_records_schema)


class RecordStatus(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"

    @property
    def acknowledged(self) -> bool:
        """The server holds this exact record: the kiosk may mark it sent."""
        return self in (RecordStatus.STORED, RecordStatus.DUPLICATE)


class RecordResult(WireModel):
    id: UUID
    status: RecordStatus
    reason: str | None = None


class PushResult(WireModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    received_at: AwareDatetime  # the server's clock
    clock_offset_seconds: float  # server time minus the kiosk's sent_at
    results: list[RecordResult]


# ---------------------------------------------------------------------------- changes (pull)


class ChangeKind(StrEnum):
    INSTRUMENT = "instrument"
    CATALOGUE = "catalogue"
    CASE_STATUS = "case_status"
    STAFF = "staff"
    SETTINGS = "settings"
    #: A perception campaign for the kiosk's unit (:class:`CampaignData`; issue 12).
    CAMPAIGN = "campaign"


class Change(WireModel):
    cursor: Annotated[int, Field(ge=1)]
    kind: ChangeKind
    key: Annotated[str, Field(max_length=128)]  # e.g. instrument id, case id, setting name
    version: Annotated[int, Field(ge=1)]
    data: dict[str, Any]


class ChangeFeed(WireModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    changes: list[Change]
    next_cursor: Annotated[int, Field(ge=0)]
    has_more: bool


class CaseStatusData(WireModel):
    """``Change.data`` of a ``case_status`` change."""

    case_id: UUID
    folio: str
    stage: CaseStage
    impacto_institucional: bool = False
    updated_at: datetime
    completion_due: str | None = None  # ISO date: 5 business days to complete information
    resolution_due: str | None = None  # ISO date: 50 business days to resolve


class StaffEntry(BaseModel):
    """One member of a unit's roster in a ``staff`` change (``StaffRosterData.staff``).

    ``staff_id`` is the roster id an agent types to sign in (the employee number);
    ``pin_hash`` the argon2id hash of the agent's PIN (:mod:`trato.protocol.pins`), None
    until one is set; ``role`` what the account may do on the kiosk, ``title`` the job.
    Unknown keys are ignored, so a roster from a newer server still applies."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    staff_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$")]
    name: Annotated[str, Field(max_length=200)] = ""
    role: StaffRole = StaffRole.AGENT
    title: Annotated[str, Field(max_length=64)] = ""
    pin_hash: Annotated[str, Field(max_length=255)] | None = None
    can_read_sensitive: bool = False
    certified_on: date | None = None  # Buen Trato certification
    certified_until: date | None = None
    active: bool = True


class StaffRosterData(BaseModel):
    """``Change.data`` of a ``staff`` change: the unit's whole roster, which replaces the
    kiosk's (a member missing from it can no longer sign in)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    unit_id: UUID
    staff: list[StaffEntry]


class CampaignQuestion(BaseModel):
    """One question of a campaign's instrument: its code, its text and its scale (1 to 5)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: Annotated[str, Field(min_length=1, max_length=64)]
    text: Annotated[str, Field(min_length=1, max_length=500)]
    scale: Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]],
                     Field(min_length=5, max_length=5)]


class CampaignData(BaseModel):
    """``Change.data`` of a ``campaign`` change (key = the campaign's id): what a covered
    unit's kiosks need to offer it, the instrument's questions included. ``active`` False
    withdraws it. Dates are the unit's local dates, both included."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    campaign_id: UUID
    name: Annotated[str, Field(max_length=200)]
    instrument_id: Annotated[str, Field(min_length=1, max_length=64)]
    instrument_version: Annotated[int, Field(ge=1)]
    starts_on: date
    ends_on: date
    channels: list[str]
    intro: Annotated[str, Field(max_length=500)] = ""
    not_applicable_label: Annotated[str, Field(max_length=64)] = "No aplica"
    questions: Annotated[list[CampaignQuestion], Field(min_length=1, max_length=20)]
    active: bool = True


# ---------------------------------------------------------------------------- enrolment


#: A 32-byte key in standard base64 with its padding: 44 characters, the last one "=". The
#: server decodes it with ``base64.b64decode(validate=True)`` and wants 32 bytes: exactly these.
Base64Key32 = Annotated[str, Field(
    min_length=44, max_length=44, pattern=r"^[A-Za-z0-9+/]{43}=$",
    description="32 bytes in standard base64 (44 characters ending in '=')",
)]


class EnrolmentRequest(WireModel):
    schema_version: Literal[1]  # required: see the module docstring
    token: Annotated[str, Field(min_length=8, max_length=128, pattern=NO_NUL)]
    signing_public_key: Base64Key32  # the kiosk's Ed25519 verify key
    hostname: Annotated[str, Field(max_length=128, pattern=NO_NUL)] = ""
    app_version: Annotated[str, Field(max_length=32, pattern=NO_NUL)] = ""


class UnitConfig(WireModel):
    clues: str
    name: str
    unit_number: int  # folio code of the unit
    kiosk_number: int  # the kiosk's number inside its unit
    module_id: UUID
    module_name: str
    ooad_code: str | None = None
    umae_code: str | None = None
    tracking_base_url: str  # the public folio page; the kiosk's QR points here
    timezone: str = "America/Mexico_City"


class EnrolmentResponse(WireModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    kiosk_id: UUID
    sealing_public_key: Base64Key32  # the server's X25519 public key for sealed boxes
    server_time: AwareDatetime
    unit: UnitConfig
    settings: dict[str, Any] = Field(default_factory=dict)


# ---------------------------------------------------------------------------- kiosk report


class SelfTestStatus(StrEnum):
    """One check's outcome, as ``trato-kiosk self-test`` words it."""

    OK = "ok"
    WARNING = "aviso"
    FAILURE = "falla"


class SelfTestResult(StrEnum):
    """The whole self-test: every check ok, only warnings, or at least one failure."""

    OK = "ok"
    WARNINGS = "warnings"
    FAILURES = "failures"


class SelfTestCheck(WireModel):
    """A check's name and outcome only: its message may name folders, so it stays local."""

    name: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
    status: SelfTestStatus


class SelfTestSummary(WireModel):
    ran_at: SentAt  # the kiosk's clock
    result: SelfTestResult
    checks: list[SelfTestCheck] = Field(default_factory=list, max_length=40)


class UpdateState(StrEnum):
    """Where a kiosk's signed update stands (kiosk.sync.updater; the board's Kioscos page)."""

    DOWNLOADING = "downloading"  # the allowed version is being fetched and verified
    READY = "ready"  # verified and unpacked beside the running version: switched on attract
    INSTALLED = "installed"  # the new version started and passed its self-test
    ROLLED_BACK = "rolled_back"  # failed its self-test, did not start or crashed: previous back
    REFUSED = "refused"  # bad signature or bad hash: never unpacked


class UpdateStatus(WireModel):
    state: UpdateState
    version: Annotated[str, Field(max_length=32, pattern=NO_NUL)]
    #: Why, as a code (bad_signature, bad_hash, self_test_failed, did_not_start, crashed …);
    #: "" = none.
    detail: Annotated[str, Field(max_length=64, pattern=NO_NUL)] = ""
    at: SentAt  # the kiosk's clock


#: The platforms a kiosk build is made for (signed updates: trato.protocol.updates).
Platform = Literal["linux", "windows"]


class KioskReport(WireModel):
    """What a kiosk says about itself, signed: its version and its last self-test (None when
    it has not run one yet). Kiosks older than this message never send it."""

    schema_version: Literal[1]  # required: see the module docstring
    kiosk_id: UUID
    app_version: Annotated[str, Field(max_length=32, pattern=NO_NUL)]
    self_test: SelfTestSummary | None = None
    update: UpdateStatus | None = None  # signed updates (None: no update under way)
    platform: Platform | None = None  # the builds it takes; None: a kiosk older than this


class KioskReportResult(WireModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    received_at: AwareDatetime  # the server's clock


class ErrorBody(WireModel):
    """Every 4xx from the kiosk API: a stable ``code`` and a reason for people."""

    code: str
    detail: str
