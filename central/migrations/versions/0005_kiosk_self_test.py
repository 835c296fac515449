"""kiosk report: each kiosk's last self-test

A kiosk reports its version and the summary of its last self-test (``KioskReport``): when it
ran, ok / warnings / failures, and each check's name and outcome. Existing kiosks have none
until they report.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_test_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('self_test_result', sa.String(length=16), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('self_test_checks', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        for name in ('reported_at', 'self_test_checks', 'self_test_result', 'self_test_at'):
            batch_op.drop_column(name)
