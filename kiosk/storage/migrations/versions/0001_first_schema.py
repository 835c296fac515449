"""The first release's schema: records, outbox, identity, settings, sync state.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Timestamps are ISO 8601 UTC text (kiosk.storage.types.UTCDateTime), UUIDs CHAR(32) hex.
Never edit a released revision: add a new one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "survey_response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("instrument_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("service_code", sa.String(64), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("probable_misuse", sa.Boolean(), nullable=False),
        sa.Column("acknowledged_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_survey_response_created_at", "survey_response", ["created_at"])

    op.create_table(
        "case_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("folio", sa.String(16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("case_type", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("service_code", sa.String(64), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("staff_involved", sa.Text(), nullable=False),
        sa.Column("recognised_person", sa.String(200), nullable=False),
        sa.Column("publish_recognition", sa.Boolean(), nullable=False),
        sa.Column("has_contact", sa.Boolean(), nullable=False),
        sa.Column("filer_is_beneficiary", sa.Boolean(), nullable=False),
        sa.Column("cannot_sign", sa.Boolean(), nullable=False),
        sa.Column("sealed_personal", sa.Text(), nullable=True),
        sa.Column("masked_personal", sa.JSON(), nullable=False),
        sa.Column("privacy_notice_version", sa.String(32), nullable=True),
        sa.Column("consent_given", sa.Boolean(), nullable=False),
        sa.Column("catalogue_version", sa.Integer(), nullable=False),
        sa.Column("from_survey_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("folio"),
    )
    op.create_index("ix_case_record_created_at", "case_record", ["created_at"])

    op.create_table(
        "case_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("agent", sa.String(100), nullable=False),
        sa.Column("acknowledged_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_event_case_id", "case_event", ["case_id"])

    op.create_table(
        "outbox_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_attempt_at", TS, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("set_aside_reason", sa.String(500), nullable=True),
        sa.Column("sent_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seq", name="uq_outbox_entry_seq"),
    )
    op.create_index("ix_outbox_entry_state", "outbox_entry", ["state"])
    op.create_index("ix_outbox_entry_next_attempt_at", "outbox_entry", ["next_attempt_at"])

    op.create_table(
        "kiosk_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.Uuid(), nullable=False),
        sa.Column("clues", sa.String(32), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=False),
        sa.Column("unit_number", sa.Integer(), nullable=False),
        sa.Column("kiosk_number", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Uuid(), nullable=False),
        sa.Column("module_name", sa.String(200), nullable=False),
        sa.Column("ooad_code", sa.String(16), nullable=True),
        sa.Column("umae_code", sa.String(16), nullable=True),
        sa.Column("tracking_base_url", sa.String(500), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("sealing_public_key", sa.String(64), nullable=False),
        sa.Column("server_url", sa.String(500), nullable=False),
        sa.Column("enrolled_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("revoked_reason", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "kiosk_setting",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pull_cursor", sa.Integer(), nullable=False),
        sa.Column("last_success_at", TS, nullable=True),
        sa.Column("last_attempt_at", TS, nullable=True),
        sa.Column("last_error_code", sa.String(64), nullable=True),
        sa.Column("last_error_detail", sa.String(500), nullable=True),
        sa.Column("clock_offset_seconds", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "counter",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    for table in (
        "counter",
        "sync_state",
        "kiosk_setting",
        "kiosk_identity",
        "outbox_entry",
        "case_event",
        "case_record",
        "survey_response",
    ):
        op.drop_table(table)
