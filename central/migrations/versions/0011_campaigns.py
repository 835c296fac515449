"""campaigns: perception campaigns, the units they cover and their results' counts

Issue 12, item 2: ``campaign``, ``campaign_unit`` and ``rollup_campaign_unit`` (counts per
campaign × unit × question, maintained by the ingest; empty until campaign responses arrive).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'campaign',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('instrument_id', sa.String(length=64), nullable=False),
        sa.Column('instrument_version', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('channels', sa.JSON(), nullable=False),
        sa.Column('target_per_unit', sa.Integer(), nullable=False),
        sa.Column('coverage_node_id', sa.Uuid(), nullable=True),
        sa.Column('owner_column', sa.String(length=16), nullable=True),
        sa.Column('owner_node_id', sa.Uuid(), nullable=True),
        sa.Column('created_by', sa.String(length=150), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['coverage_node_id'], ['org_node.id']),
        sa.ForeignKeyConstraint(['owner_node_id'], ['org_node.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_instrument_id'), ['instrument_id'],
                              unique=False)
    op.create_table(
        'campaign_unit',
        sa.Column('campaign_id', sa.Uuid(), nullable=False),
        sa.Column('unit_id', sa.Uuid(), nullable=False),
        sa.Column('ooad_id', sa.Uuid(), nullable=True),
        sa.Column('umae_id', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['org_node.id']),
        sa.PrimaryKeyConstraint('campaign_id', 'unit_id'),
    )
    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_unit_unit', ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_unit_ooad_id'), ['ooad_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_unit_umae_id'), ['umae_id'], unique=False)
    op.create_table(
        'rollup_campaign_unit',
        sa.Column('campaign_id', sa.Uuid(), nullable=False),
        sa.Column('unit_id', sa.Uuid(), nullable=False),
        sa.Column('question', sa.String(length=64), nullable=False),
        *(sa.Column(m, sa.BigInteger(), nullable=False)
          for m in ('answers', 'not_applicable', 'rating_1', 'rating_2', 'rating_3',
                    'rating_4', 'rating_5')),
        sa.PrimaryKeyConstraint('campaign_id', 'unit_id', 'question'),
    )


def downgrade() -> None:
    op.drop_table('rollup_campaign_unit')
    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        for name in ('ix_campaign_unit_umae_id', 'ix_campaign_unit_ooad_id',
                     'ix_campaign_unit_unit'):
            batch_op.drop_index(name)
    op.drop_table('campaign_unit')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_instrument_id'))
    op.drop_table('campaign')
