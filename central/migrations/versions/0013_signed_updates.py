"""signed updates: rollouts per branch and each kiosk's update state

An administrator stages a kiosk version for a branch of the tree (``update_rollout``, one row
per node); each kiosk reports where its update stands (``kiosk.update_*``). Existing kiosks
have none until they report.

Revision ID: 0013
Revises: 0005
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'update_rollout',
        sa.Column('node_id', sa.Uuid(), sa.ForeignKey('org_node.id'), primary_key=True),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('staged_by', sa.String(length=150), nullable=False, server_default=''),
        sa.Column('staged_at', sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('update_state', sa.String(length=16), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('update_version', sa.String(length=32), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('update_detail', sa.String(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('update_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        for name in ('update_at', 'update_detail', 'update_version', 'update_state'):
            batch_op.drop_column(name)
    op.drop_table('update_rollout')
