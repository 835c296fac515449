"""kiosk platform: the builds each kiosk takes, as it reports them

``kiosk.platform`` (``linux``, ``windows``; empty until the kiosk reports it: kiosks older
than signed updates for Windows never do). The Kioscos page shows it under the version, so
an administrator knows which kiosks a version published for one platform leaves as they are.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform', sa.String(length=16), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_column('platform')
