"""staff accounts and cases registered on someone's behalf

The roster gets a kiosk account per member (employee number, argon2id PIN hash, kiosk role,
whether the member may read sensitive cases, the end of the Buen Trato certification); a
case gets the fields an agent fills in at the desk or on the phone (who registered it, when
and where the event happened, how an orientación or gestión ended, who confirmed that the
person cannot sign). Existing rows keep their meaning: no agent, no event date.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employee_number', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pin_hash', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('kiosk_role', sa.String(length=16), nullable=False,
                                      server_default='agente'))
        batch_op.add_column(sa.Column('can_read_sensitive', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('certified_until', sa.Date(), nullable=True))
        batch_op.create_unique_constraint('uq_staff_member_unit_employee',
                                          ['unit_id', 'employee_number'])
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registered_by', sa.String(length=128), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('event_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('event_unit', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('outcome', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('cannot_sign_confirmed_by', sa.String(length=128),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        for name in ('cannot_sign_confirmed_by', 'outcome', 'event_unit', 'event_at',
                     'registered_by'):
            batch_op.drop_column(name)
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.drop_constraint('uq_staff_member_unit_employee', type_='unique')
        for name in ('certified_until', 'can_read_sensitive', 'kiosk_role', 'pin_hash',
                     'employee_number'):
            batch_op.drop_column(name)
