"""Council caseload imports: each member may carry the council's child identifier, and each legal
status change the council's own code.

``members.external_id`` (Annex A child ID, SSDA903 ``CHILD``, CIN census ``LAchildID``) lets a
later import of the same files update that child instead of adding a duplicate;
``member_statuses.code`` keeps the legal status code the council's file gave (C2, V2, E1 ...), so
a change from an interim to a full care order shows in the child's history. Both are additive:
existing rows get NULL / ''.

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-06 07:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f('ix_members_external_id'), ['external_id'], unique=False)
    with op.batch_alter_table('member_statuses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('member_statuses', schema=None) as batch_op:
        batch_op.drop_column('code')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_external_id'))
        batch_op.drop_column('external_id')
