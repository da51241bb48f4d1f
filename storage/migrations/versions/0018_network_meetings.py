"""Family network meetings: when, who came, what was decided, when the network meets next.

One new table, ``network_meetings`` (storage/records/network_meetings.py ``NetworkMeetingRow``);
nothing else changes, so upgrading and downgrading touch no existing row.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 14:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: Union[str, Sequence[str], None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'network_meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('attendees', sa.Text(), nullable=False),
        sa.Column('decisions', sa.Text(), nullable=False),
        sa.Column('next_meeting_on', sa.Date(), nullable=True),
        sa.Column('recorded_by', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('edited_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            'next_meeting_on IS NULL OR next_meeting_on > held_on',
            name=op.f('ck_network_meetings_next_after_held'),
        ),
        sa.ForeignKeyConstraint(
            ['family_id'], ['families.id'], name=op.f('fk_network_meetings_family_id_families')
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by'], ['users.id'], name=op.f('fk_network_meetings_recorded_by_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_network_meetings')),
    )
    with op.batch_alter_table('network_meetings', schema=None) as batch_op:
        batch_op.create_index(
            'ix_network_meetings_family_id_held_on', ['family_id', 'held_on'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('network_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_network_meetings_family_id_held_on')
    op.drop_table('network_meetings')
