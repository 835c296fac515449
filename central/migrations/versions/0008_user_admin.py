"""users on the web: the temporary-password flag and each audit entry's branch

An administrator gives a new user, or one whose password was reset, a temporary password;
``must_change_password`` makes the user choose their own at the next sign-in. Each audit
entry carries the branch it belongs to (``ooad_id``/``umae_id``/``unit_id``) so that a branch
administrator reads only its own; the existing entries about cases take their case's branch.

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BRANCH = ('ooad_id', 'umae_id', 'unit_id')


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        for name in _BRANCH:
            batch_op.add_column(sa.Column(name, sa.Uuid(), nullable=True))
    backfill_case_branches(op.get_bind())


def backfill_case_branches(bind: sa.engine.Connection) -> None:
    """The entries about a case take the case's branch."""
    audit = sa.table('audit_log', sa.column('target_type', sa.String),
                     sa.column('target_id', sa.String),
                     *(sa.column(name, sa.Uuid()) for name in _BRANCH))
    case = sa.table('case', sa.column('id', sa.Uuid()),
                    *(sa.column(name, sa.Uuid()) for name in _BRANCH))
    same_case = sa.cast(case.c.id, sa.String(64)) == audit.c.target_id
    if bind.dialect.name == 'sqlite':
        # SQLite keeps a UUID as 32 hex digits; the audit's target id has the dashes.
        same_case = case.c.id == sa.func.replace(audit.c.target_id, '-', '')
    bind.execute(audit.update().where(audit.c.target_type == 'case').values(
        {name: sa.select(case.c[name]).where(same_case).scalar_subquery() for name in _BRANCH}))


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        for name in reversed(_BRANCH):
            batch_op.drop_column(name)
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
