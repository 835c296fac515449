"""login attempts counted per address as well as per account

The login limit counts failed sign-ins per address (any username) as well as per account
(central.web.sign_in); this index keeps that count cheap.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('web_login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_login_attempt_ip'), ['ip'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_login_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_login_attempt_ip'))
