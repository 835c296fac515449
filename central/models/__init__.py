"""The central store (SQLModel tables), one module per area, every name re-exported here.

=================================  =========================================================
:mod:`central.models.organisation` the tree (``OrgNode``), kiosks, enrolment tokens, nonces
:mod:`central.models.records`      what kiosks send: ``IngestedRecord``, ``SurveyResponse``,
                                   ``Case`` and its timeline ``CaseEvent``
:mod:`central.models.configuration` what flows down: ``ChangeLog``, instruments, catalogues,
                                   settings, unit staff
:mod:`central.models.people`       board users and the audit log
:mod:`central.models.alerts`       alert rules per branch, the alerts raised, their mails
:mod:`central.models.committees`   committee sessions, their agreements and status notes
:mod:`central.models.rollups`      the board's counts per local day (``SurveyModuleDay``,
                                   ``SurveyUnitDay``, ``SurveyBranchDay``, ``CaseDay``),
                                   kept equal to the raw rows by
                                   :mod:`central.models.rollup_sync`
=================================  =========================================================

Conventions: UUID primary keys (record ids are the UUIDs made on the kiosk); timestamps are
timezone-aware UTC (:class:`central.db.UtcDateTime`); enumerations are stored as their string
values (plain VARCHAR on both engines, no PostgreSQL ENUM types to migrate). No ``from
__future__ import annotations`` in these modules (SQLModel needs real annotations).
"""

# rollup_sync registers the hook that keeps rollup_case_day equal to the case table.
# audit_branch fills each audit entry's branch (what a branch administrator may read).
from central.models import audit_branch, rollup_sync  # noqa: F401
from central.models.alerts import Alert, AlertKind, AlertMail, AlertRule

# Perception campaigns (issue 12).
from central.models.campaigns import Campaign, CampaignUnit, CampaignUnitRollup
from central.models.committees import (
    Agreement,
    AgreementNote,
    AgreementStatus,
    CommitteeSession,
)
from central.models.configuration import (
    Catalogue,
    ChangeLog,
    ChangeScope,
    Instrument,
    InstrumentStatus,
    Setting,
    StaffMember,
)
from central.models.organisation import (
    EnrolmentToken,
    Kiosk,
    KioskStatus,
    OrgLevel,
    OrgNode,
    SeenNonce,
    UpdateRollout,
)
from central.models.people import AUDIT_OPEN_PERSONAL, AuditLog, Role, User
from central.models.records import (
    Case,
    CaseEvent,
    CaseEventType,
    IngestedRecord,
    RecognitionStatus,
    SurveyResponse,
)
from central.models.rollups import CaseDay, SurveyBranchDay, SurveyModuleDay, SurveyUnitDay

__all__ = [
    "AUDIT_OPEN_PERSONAL",
    "Agreement",
    "AgreementNote",
    "AgreementStatus",
    "Alert",
    "AlertKind",
    "AlertMail",
    "AlertRule",
    "AuditLog",
    "Campaign",
    "CampaignUnit",
    "CampaignUnitRollup",
    "Case",
    "CaseDay",
    "CaseEvent",
    "CaseEventType",
    "Catalogue",
    "ChangeLog",
    "ChangeScope",
    "CommitteeSession",
    "EnrolmentToken",
    "IngestedRecord",
    "Instrument",
    "InstrumentStatus",
    "Kiosk",
    "KioskStatus",
    "OrgLevel",
    "OrgNode",
    "RecognitionStatus",
    "Role",
    "SeenNonce",
    "Setting",
    "StaffMember",
    "SurveyBranchDay",
    "SurveyModuleDay",
    "SurveyResponse",
    "SurveyUnitDay",
    "UpdateRollout",
    "User",
]
