"""Recording-burden report: the time-use diary kept during the trial (calibration only).

trial_diary_entries has the columns of baseline_entries; its rows never enter the measured
trial figures nor the baseline (storage/reports.py reads them only for the calibration).

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-06 07:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('trial_diary_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes >= 0 AND minutes <= 1440', name=op.f('ck_trial_diary_entries_minutes_in_day')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_trial_diary_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trial_diary_entries'))
    )
    with op.batch_alter_table('trial_diary_entries', schema=None) as batch_op:
        batch_op.create_index('ix_trial_diary_entries_user_id_on_date', ['user_id', 'on_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('trial_diary_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_trial_diary_entries_user_id_on_date')

    op.drop_table('trial_diary_entries')
