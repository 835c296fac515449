"""Staff accounts and cases registered on someone's behalf.

The pulled roster keeps each agent's PIN hash, whether the agent may read sensitive cases and
the Buen Trato certification; the kiosk's own administrator (made at enrolment), the lockout
of each account (so a restart gives no fresh tries) and the audit of sign-ins and sign-outs
get their tables; a case gets the fields an agent fills in (who registered it, when and where
the event happened, how an orientación or gestión ended, who confirmed that the person cannot
sign). Existing cases keep their meaning: no agent, no event date.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("case_record") as batch:
        batch.add_column(sa.Column("registered_by", sa.String(128), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("event_at", TS, nullable=True))
        batch.add_column(sa.Column("event_unit", sa.String(200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("outcome", sa.String(32), nullable=True))
        batch.add_column(sa.Column("cannot_sign_confirmed_by", sa.String(128), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("staff_member") as batch:
        batch.add_column(sa.Column("pin_hash", sa.String(255), nullable=True))
        batch.add_column(sa.Column("can_read_sensitive", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("certified_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("certified_until", sa.Date(), nullable=True))
    op.create_table(
        "local_admin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pin_hash", sa.String(255), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "staff_lockout",
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("staff_id"),
    )
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staff_audit_at", "staff_audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_staff_audit_at", table_name="staff_audit")
    for table in ("staff_audit", "staff_lockout", "local_admin"):
        op.drop_table(table)
    with op.batch_alter_table("staff_member") as batch:
        for name in ("certified_until", "certified_on", "can_read_sensitive", "pin_hash"):
            batch.drop_column(name)
    with op.batch_alter_table("case_record") as batch:
        for name in ("cannot_sign_confirmed_by", "outcome", "event_unit", "event_at",
                     "registered_by"):
            batch.drop_column(name)
