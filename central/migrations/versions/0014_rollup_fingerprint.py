"""rollup fingerprint: the survey rollups keyed by the instrument version's fingerprint

Issue 12, item 1: the board never sums responses to versions whose headline questions differ.
``rollup_survey_module_day``, ``rollup_survey_unit_day`` and ``rollup_survey_branch_day`` get
``fingerprint`` (``instrument.fingerprint``, else the bundled file's, else ``""``) as
the last column of their key. The tables hold counts only: they are created again, empty,
and refilled from the raw rows at the end of the upgrade (``rebuild_rollups = True``, see
:func:`central.migrations.upgrade_to_head`).

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-02 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
rebuild_rollups = True

_KEYS = {
    'rollup_survey_module_day': [
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('module_id', sa.Uuid(), nullable=False),
        sa.Column('unit_id', sa.Uuid(), nullable=False),
        sa.Column('ooad_id', sa.Uuid(), nullable=False),
        sa.Column('umae_id', sa.Uuid(), nullable=False),
        sa.Column('service_code', sa.String(length=64), nullable=False),
        sa.Column('instrument_id', sa.String(length=64), nullable=False),
        sa.Column('instrument_version', sa.BigInteger(), nullable=False),
    ],
    'rollup_survey_unit_day': [
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('unit_id', sa.Uuid(), nullable=False),
        sa.Column('ooad_id', sa.Uuid(), nullable=False),
        sa.Column('umae_id', sa.Uuid(), nullable=False),
    ],
    'rollup_survey_branch_day': [
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('ooad_id', sa.Uuid(), nullable=False),
        sa.Column('umae_id', sa.Uuid(), nullable=False),
    ],
}
_INDEXES = {
    'rollup_survey_module_day': [('ix_rollup_survey_module_day_module', ['module_id', 'day']),
                                 ('ix_rollup_survey_module_day_unit', ['unit_id', 'day'])],
    'rollup_survey_unit_day': [('ix_rollup_survey_unit_day_ooad', ['ooad_id', 'day']),
                               ('ix_rollup_survey_unit_day_umae', ['umae_id', 'day'])],
    'rollup_survey_branch_day': [],
}
_MEASURES = ('responses', 'misuse', 'rating_1', 'rating_2', 'rating_3', 'rating_4', 'rating_5')


def _recreate(with_fingerprint: bool) -> None:
    for name, keys in _KEYS.items():
        for index, _ in _INDEXES[name]:
            op.drop_index(index, table_name=name)
        op.drop_table(name)
        columns = [sa.Column(c.name, c.type, nullable=False) for c in keys]
        if with_fingerprint:
            columns.append(sa.Column('fingerprint', sa.String(length=16), nullable=False))
        op.create_table(name, *columns,
                        *(sa.Column(m, sa.BigInteger(), nullable=False) for m in _MEASURES),
                        sa.PrimaryKeyConstraint(*(c.name for c in columns)))
        for index, on in _INDEXES[name]:
            op.create_index(index, name, on, unique=False)


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
