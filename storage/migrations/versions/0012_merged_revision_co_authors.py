"""Merged revisions record both authors.

When someone saves a plan, mapping or summary that merges another person's concurrent revision
(issue 11: conflicts merge, never overwrite), the new revision names that other person too, in
``co_author_id`` (NULL for an ordinary save). Older merged revisions named the other author only
in the audit log and, for summaries, in the version comment; they stay as they are.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('plan_revisions', 'mapping_revisions', 'summary_versions')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('co_author_id', sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f'fk_{table}_co_author_id_users', 'users', ['co_author_id'], ['id']
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f'fk_{table}_co_author_id_users', type_='foreignkey')
            batch.drop_column('co_author_id')
