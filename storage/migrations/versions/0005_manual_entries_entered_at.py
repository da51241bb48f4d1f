"""Manual recording entries remember when they were entered.

A practitioner may correct a manual entry only on the day it was entered (as a contact on the
day it was logged), so each entry keeps ``entered_at``. Rows entered before this revision have
none (NULL): they can be removed but no longer corrected.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-06 07:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('manual_recording_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entered_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('manual_recording_entries', schema=None) as batch_op:
        batch_op.drop_column('entered_at')
