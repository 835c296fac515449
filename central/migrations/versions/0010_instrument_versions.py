"""instruments managed on the board: draft and published versions

An instrument version is a draft (editable, never sent) or published (immutable); each keeps
the fingerprint of its headline question and scale (which versions the board may pool), the
branch it was published to and who wrote it. Existing rows were published by the catalogue
loader: they stay published, to the whole institution; their fingerprint is filled in.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from trato.protocol.instrument import fingerprint

    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False,
                                      server_default='published'))
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=16), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('scope_node_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('created_by', sa.String(length=150), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_instrument_scope_node_id_org_node', 'org_node',
                                    ['scope_node_id'], ['id'])
    bind = op.get_bind()
    table = sa.table('instrument', sa.column('instrument_id', sa.String),
                     sa.column('version', sa.Integer), sa.column('definition', sa.JSON),
                     sa.column('fingerprint', sa.String), sa.column('published_at'),
                     sa.column('created_at'))
    for iid, version, definition in bind.execute(
            sa.select(table.c.instrument_id, table.c.version, table.c.definition)).all():
        bind.execute(table.update()
                     .where(table.c.instrument_id == iid, table.c.version == version)
                     .values(fingerprint=fingerprint(definition or {}),
                             created_at=table.c.published_at))


def downgrade() -> None:
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.drop_constraint('fk_instrument_scope_node_id_org_node', type_='foreignkey')
        for name in ('created_at', 'created_by', 'scope_node_id', 'fingerprint', 'status'):
            batch_op.drop_column(name)
