"""The module's case list: each case's deadlines kept with it, and the stages the central
server reported, one row per change.

* ``case_record.completion_due`` / ``resolution_due``: the dates a queja was given when it
  was filed here (5 and 50 business days from the filing day in the unit's time zone, the
  dates on its receipt), so the case list sorts "what is due today" in SQL. Existing quejas
  get them here, worked out the same way.
* ``case_status_change``: every stage the pull brought for a case, with when the server
  changed it: the timeline of stages on the case's detail (``case_status`` keeps only the
  latest). Existing statuses become its first rows.

Revision ID: 0005
Revises: 0004 (staff accounts)
Create Date: 2026-12-10
"""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

from trato.domain.deadlines import completion_due, resolution_due

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.String(32)
DUE = sa.String(10)


def _zone(bind: sa.Connection) -> ZoneInfo:
    name = bind.execute(sa.text("SELECT timezone FROM kiosk_identity")).scalar()
    try:
        return ZoneInfo(name or "America/Mexico_City")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("America/Mexico_City")


def upgrade() -> None:
    with op.batch_alter_table("case_record") as batch:
        batch.add_column(sa.Column("completion_due", DUE, nullable=True))
        batch.add_column(sa.Column("resolution_due", DUE, nullable=True))
    op.create_table(
        "case_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_status_change_case_id", "case_status_change", ["case_id"])
    bind = op.get_bind()
    zone = _zone(bind)
    rows = bind.execute(sa.text(
        "SELECT id, created_at FROM case_record WHERE case_type = 'queja'")).all()
    for case_id, created_at in rows:
        filed = datetime.fromisoformat(created_at).astimezone(zone).date()
        bind.execute(sa.text("UPDATE case_record SET completion_due = :c, resolution_due = :r "
                             "WHERE id = :i"),
                     {"c": completion_due(filed).isoformat(),
                      "r": resolution_due(filed).isoformat(), "i": case_id})
    bind.execute(sa.text(
        "INSERT INTO case_status_change (case_id, stage, changed_at, version) "
        "SELECT case_id, stage, updated_at, version FROM case_status"))


def downgrade() -> None:
    op.drop_index("ix_case_status_change_case_id", "case_status_change")
    op.drop_table("case_status_change")
    with op.batch_alter_table("case_record") as batch:
        batch.drop_column("resolution_due")
        batch.drop_column("completion_due")
