"""Recording-burden report: the per-database secret for pseudonyms.

pseudonym_keys holds one row (id 1), created by storage/reports.py the first time a
pseudonymised report runs (not here: a new database stays empty until it is used).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('pseudonym_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pseudonym_keys'))
    )


def downgrade() -> None:
    op.drop_table('pseudonym_keys')
