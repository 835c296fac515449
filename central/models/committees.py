"""The committees' work: sessions of a committee (Nivel Central, an OOAD or a UMAE), the
high-impact cases analysed in them, their agreements and each agreement's dated history of
status notes. A Nivel Central agreement may be a recommendation to every OOAD/UMAE committee;
what each of them did about it is a history entry written by that committee (``node_id``)."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from central.db import utcnow
from central.models.columns import json_field, string, timestamp


class AgreementStatus(StrEnum):
    PENDIENTE = "pendiente"
    EN_PROCESO = "en_proceso"
    CUMPLIDO = "cumplido"
    CANCELADO = "cancelado"


#: Statuses that close an agreement (it leaves the list of agreements due).
CLOSED_STATUSES = frozenset({AgreementStatus.CUMPLIDO.value, AgreementStatus.CANCELADO.value})


class CommitteeSession(SQLModel, table=True):
    """One session of the committee of ``node_id``; ``ooad_id``/``umae_id`` are the node's
    own id on an OOAD/UMAE committee (the board's one-equality scope filter), both empty on
    Nivel Central's."""

    __tablename__ = "committee_session"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    node_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    held_on: date = Field(index=True)
    attendees: str = string(4000, default="")  # one "name, position" a line
    minutes: str = string(20000, default="")
    #: The ids of the high-impact cases analysed in the session (inside the branch).
    case_ids: list[str] = json_field(default_factory=list)
    created_by: str = string(200, default="")
    created_at: datetime = timestamp(default_factory=utcnow)


class Agreement(SQLModel, table=True):
    """An agreement of a session, followed up to closure."""

    __tablename__ = "committee_agreement"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="committee_session.id", index=True)
    node_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    text: str = string(2000)
    owner: str = string(200)
    due_on: date = Field(index=True)
    status: str = string(16, default=AgreementStatus.PENDIENTE.value, index=True)
    #: Nivel Central only: addressed to every OOAD/UMAE committee.
    recommendation: bool = Field(default=False, index=True)
    created_at: datetime = timestamp(default_factory=utcnow)
    updated_at: datetime = timestamp(default_factory=utcnow)


class AgreementNote(SQLModel, table=True):
    """A dated status note of an agreement, written by the committee of ``node_id``: the
    agreement's own committee, or an OOAD/UMAE committee answering a recommendation."""

    __tablename__ = "committee_agreement_note"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    agreement_id: uuid.UUID = Field(foreign_key="committee_agreement.id", index=True)
    node_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    status: str = string(16)
    note: str = string(4000, default="")
    by_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    by_name: str = string(200, default="")
    at: datetime = timestamp(default_factory=utcnow, index=True)
