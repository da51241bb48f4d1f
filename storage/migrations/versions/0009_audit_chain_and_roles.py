"""The audit log is chained on SQLite and only its owner may change it on PostgreSQL.

SQLite: two columns, ``prev_hash`` and ``hash`` (domain/audit_chain.py), and the chain computed
for the events already there, oldest first. The insert-only UPDATE trigger is dropped for that one
statement and put back before the migration commits (one transaction: nobody sees the gap).

PostgreSQL: the same two columns (left NULL: the log is protected by roles, not a chain), and
UPDATE, DELETE, TRUNCATE, REFERENCES and TRIGGER on ``audit_events`` revoked from every role but
the table's owner. ``tandem db roles`` gives the app's runtime role the usual DML on every table
through ALTER DEFAULT PRIVILEGES, including, when the table is created, on this one; revoking it
here, in the migration the owner runs, leaves the runtime role SELECT and INSERT only, whichever
came first: the roles or the schema.

Revision ID: 0009
Revises: 0003
Create Date: 2026-12-06 07:30:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

AUDIT_REFUSAL = "audit_events is insert-only: audit records cannot be changed or deleted"

SQLITE_NO_UPDATE = f"""
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSAL}'); END
"""

#: Everything but SELECT and INSERT, from everyone but the owner (and PUBLIC).
POSTGRES_REVOKE = """
DO $$
DECLARE
    grantee_name text;
BEGIN
    EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM PUBLIC';
    FOR grantee_name IN
        SELECT DISTINCT g.grantee
        FROM information_schema.role_table_grants g
        JOIN pg_tables t ON t.tablename = g.table_name AND t.schemaname = g.table_schema
        WHERE g.table_name = 'audit_events'
          AND g.table_schema = current_schema()
          AND g.grantee <> t.tableowner
          AND g.grantee <> 'PUBLIC'
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM %I',
            grantee_name
        );
    END LOOP;
END
$$
"""


def _chain_existing_events() -> None:
    from domain.audit import AuditAction, AuditEvent
    from domain.audit_chain import GENESIS, event_hash

    bind = op.get_bind()
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("user_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("family_id", sa.Integer),
        sa.column("detail", sa.Text),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    rows = bind.execute(sa.select(events).order_by(events.c.id)).all()
    previous = GENESIS
    updates = []
    for row in rows:
        event = AuditEvent(
            at=row.at,
            user_id=row.user_id,
            action=AuditAction(row.action),
            entity=row.entity,
            entity_id=row.entity_id,
            family_id=row.family_id,
            detail=row.detail,
        )
        digest = event_hash(previous, event)
        updates.append({"row_id": row.id, "p": previous, "h": digest})
        previous = digest
    if updates:
        bind.execute(
            events.update()
            .where(events.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("p"), hash=sa.bindparam("h")),
            updates,
        )


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild: the table keeps its rows and its triggers).
    op.add_column(
        "audit_events",
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column(
        "audit_events",
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER audit_events_no_update")
        _chain_existing_events()
        op.execute(SQLITE_NO_UPDATE)
    elif dialect == "postgresql":
        op.execute(POSTGRES_REVOKE)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # DROP COLUMN rewrites no rows (SQLite 3.35+), so the triggers stay as they are.
        op.execute("ALTER TABLE audit_events DROP COLUMN hash")
        op.execute("ALTER TABLE audit_events DROP COLUMN prev_hash")
    else:
        op.drop_column("audit_events", "hash")
        op.drop_column("audit_events", "prev_hash")
