"""a reconocimiento linked to a member of the roster

A reconocimiento may name a member of its unit's roster (``recognised_staff_id``), chosen on
the case page by a user who moderates recognitions; the Muro counts recognitions per member.
Existing cases stay unlinked.

Revision ID: 0009
Revises: 0013
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recognised_staff_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key('fk_case_recognised_staff_id_staff_member',
                                    'staff_member', ['recognised_staff_id'], ['id'])
        batch_op.create_index('ix_case_recognised_staff_id', ['recognised_staff_id'])


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_recognised_staff_id')
        batch_op.drop_constraint('fk_case_recognised_staff_id_staff_member', type_='foreignkey')
        batch_op.drop_column('recognised_staff_id')
