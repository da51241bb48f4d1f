"""Site settings: the smallest group shown in a pseudonymised burden report.

Suppression is the site's, not the viewer's (issue 17): the threshold that used to come from
each user's environment is now one row of ``site_settings``, changed only by an administrator
(audited) and never below 3. No row means the default (3).

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-06 11:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'site_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_min_group_size', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'report_min_group_size >= 3',
            name=op.f('ck_site_settings_min_group_at_least_3'),
        ),
        sa.ForeignKeyConstraint(
            ['updated_by'], ['users.id'], name=op.f('fk_site_settings_updated_by_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_settings')),
    )


def downgrade() -> None:
    op.drop_table('site_settings')
