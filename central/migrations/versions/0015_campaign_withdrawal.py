"""campaign withdrawal: when, by whom and why a campaign was withdrawn

A campaign that is scheduled or open can be withdrawn (its kiosks receive it switched off);
its responses are kept and its results page says when and why. ``campaign.withdrawn_at``
NULL: not withdrawn. ``updated_at``: its last change (an edit or the withdrawal).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=150), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.String(length=500),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        for name in ('updated_at', 'withdrawn_reason', 'withdrawn_by', 'withdrawn_at'):
            batch_op.drop_column(name)
