"""Case summary ids are never reused on SQLite.

A draft summary started by mistake can be discarded (its rows deleted). SQLite gives a new row
the highest id in use plus one, so without AUTOINCREMENT the next summary would take the
discarded draft's id and the audit log would name two different summaries by one id. With
AUTOINCREMENT SQLite remembers the highest id ever given (in sqlite_sequence). The table is
rebuilt with its rows, indexes and named CHECK constraints (Alembic batch mode; foreign keys are
checked after the migration by storage/migrate.py). PostgreSQL sequences never reuse an id:
nothing to do there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:00:00

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _rebuild_summaries(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "summaries", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _rebuild_summaries(True)


def downgrade() -> None:
    _rebuild_summaries(False)
