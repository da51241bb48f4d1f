"""Administration: one-time passphrases and plan review rules as team settings.

users.must_change_passphrase is set when an administrator gives a user a one-time passphrase
(the user chooses a new one at the next sign-in). teams gains the plan review rules (months),
with the SPEC's defaults for existing teams, and one CHECK that they are positive.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-06 07:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REVIEW_COLUMNS = (
    ('cp_first_review_months', '3'),
    ('cp_later_review_months', '6'),
    ('cin_review_months', '3'),
    ('early_help_review_months', '3'),
    ('cla_review_months', '6'),
)
CHECK = (
    "cp_first_review_months > 0 AND cp_later_review_months > 0 AND cin_review_months > 0"
    " AND early_help_review_months > 0 AND cla_review_months > 0"
)


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(
            sa.Column(
                'must_change_passphrase', sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table('teams') as batch:
        for name, default in REVIEW_COLUMNS:
            batch.add_column(
                sa.Column(name, sa.Integer(), server_default=default, nullable=False)
            )
        batch.create_check_constraint('review_months_positive', CHECK)


def downgrade() -> None:
    with op.batch_alter_table('teams') as batch:
        batch.drop_constraint('review_months_positive', type_='check')
        for name, _default in REVIEW_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table('users') as batch:
        batch.drop_column('must_change_passphrase')
