"""Sign-in guard and erased recordings.

sign_in_attempts: failed sign-ins in a row per typed user name, and the lock after too many
(domain/signin.py). erased_recordings: the SHA-256 of each recording address erased after consent
was withdrawn, with whose consent and when; observations.withdrawn_by. Recordings already
withdrawn have their address erased here (the link column is overwritten with an empty string)
and its hash kept.

Revision ID: 0011
Revises: 0003
Create Date: 2026-12-06 08:00:00

"""
from datetime import date, datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes

from domain.observations import address_fingerprint

# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('sign_in_attempts',
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name_key', name=op.f('pk_sign_in_attempts'))
    )
    erased = op.create_table('erased_recordings',
    sa.Column('address_sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('erased_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_person', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('address_sha256', name=op.f('pk_erased_recordings'))
    )
    with op.batch_alter_table('observations') as batch_op:
        batch_op.add_column(sa.Column('withdrawn_by', sa.Integer(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, link, marked_for_deletion_at FROM observations WHERE link <> '' AND ("
        "marked_for_deletion_at IS NOT NULL OR id IN "
        "(SELECT observation_id FROM consents WHERE withdrawn_on IS NOT NULL))"
    )).all()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    seen: set[str] = set()
    for obs_id, link, marked in rows:
        person, withdrawn_on = bind.execute(sa.text(
            "SELECT person, withdrawn_on FROM consents WHERE observation_id = :id "
            "ORDER BY withdrawn_on IS NULL, id"
        ), {'id': obs_id}).first() or ("", None)
        erased_at = marked or now
        if isinstance(erased_at, str):
            erased_at = datetime.fromisoformat(erased_at)
        if withdrawn_on is None:
            withdrawn_on = erased_at.date()
        elif isinstance(withdrawn_on, str):
            withdrawn_on = date.fromisoformat(withdrawn_on)
        digest = address_fingerprint(link)
        if digest not in seen:
            seen.add(digest)
            op.bulk_insert(erased, [{
                'address_sha256': digest,
                'erased_at': erased_at,
                'withdrawn_person': person,
                'withdrawn_on': withdrawn_on,
            }])
        bind.execute(
            sa.text("UPDATE observations SET link = '' WHERE id = :id"), {'id': obs_id}
        )


def downgrade() -> None:
    with op.batch_alter_table('observations') as batch_op:
        batch_op.drop_column('withdrawn_by')
    op.drop_table('erased_recordings')
    op.drop_table('sign_in_attempts')
