"""Every stored instant in UTC.

Until now instants (audit events, recording sessions, revisions, drafts, ...) were stored as
naive local wall time, which is ambiguous in the repeated autumn hour and goes backwards when the
clocks go back. From here they are stored as UTC (storage/utc.py) and shown in local time, so this
converts the rows already stored: each naive value is read as local time in the users' zone
(Europe/London unless TANDEM_TIMEZONE says otherwise; a time in the repeated hour as its first
occurrence, fold=0) and rewritten as the same instant in UTC. Every screen shows what it showed
before. Only the values change (no schema change); rows in winter time are already equal to UTC
and are not rewritten. The downgrade writes them back as local wall time.

Works the same on SQLite and PostgreSQL (values converted in Python, in batches by id).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 07:30:00

"""

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: Every instant column at this revision, by table (each table's primary key is ``id``).
INSTANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "plans": ("updated_at",),
    "plan_revisions": ("saved_at",),
    "mappings": ("updated_at",),
    "mapping_revisions": ("saved_at",),
    "summaries": ("created_at", "submitted_at", "decided_at"),
    "summary_versions": ("at",),
    "contacts": ("logged_at", "edited_at"),
    "recording_sessions": ("started", "ended"),
    "observations": ("created_at", "marked_for_deletion_at"),
    "feedback": ("created_at", "updated_at"),
    "feedback_replies": ("at",),
    "audit_events": ("at",),
    "drafts": ("saved_at",),
}

BATCH = 5000


def _zone() -> ZoneInfo:
    name = os.environ.get("TANDEM_TIMEZONE", "").strip() or "Europe/London"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/London")


def local_to_utc(value: datetime, zone: ZoneInfo) -> datetime:
    """Naive local wall time -> naive UTC (the repeated hour as its first occurrence)."""
    return value.replace(tzinfo=zone, fold=0).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None, fold=0)


def _convert(change: Callable[[datetime, ZoneInfo], datetime]) -> None:
    bind = op.get_bind()
    zone = _zone()
    for name, columns in INSTANT_COLUMNS.items():
        table = sa.table(
            name, sa.column("id", sa.Integer), *(sa.column(c, sa.DateTime) for c in columns)
        )
        update = (
            table.update()
            .where(table.c.id == sa.bindparam("_id"))
            .values({c: sa.bindparam(f"_{c}", type_=sa.DateTime) for c in columns})
        )
        last = None
        while True:
            query = sa.select(table).order_by(table.c.id).limit(BATCH)
            if last is not None:
                query = query.where(table.c.id > last)
            rows = bind.execute(query).fetchall()
            if not rows:
                break
            last = rows[-1].id
            changed = []
            for row in rows:
                old = [getattr(row, c) for c in columns]
                new = [None if v is None else change(v, zone) for v in old]
                if (
                    name == "recording_sessions"
                    and new[0] is not None
                    and new[1] is not None
                    and new[1] < new[0]
                ):
                    # Local wall time is not monotonic (the repeated autumn hour): a session
                    # across it keeps its CHECK (ended >= started) by ending as it starts.
                    new[1] = new[0]
                if new != old:
                    changed.append(
                        {"_id": row.id, **{f"_{c}": v for c, v in zip(columns, new, strict=True)}}
                    )
            if changed:
                bind.execute(update, changed)


def _with_audit_triggers_off(work: Callable[[], None]) -> None:
    """The audit log is insert-only (database triggers). Rewriting its times as the same instants
    in UTC is the one sanctioned change: its triggers are set aside for it and put back exactly
    as they were (whatever their definition is by now), in the same transaction."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
        work()
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER USER")
        return
    triggers = bind.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_events' ORDER BY name"
        )
    ).fetchall()
    for name, _ in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    work()
    for _, sql in triggers:
        op.execute(sql)


def upgrade() -> None:
    _with_audit_triggers_off(lambda: _convert(local_to_utc))


def downgrade() -> None:
    _with_audit_triggers_off(lambda: _convert(utc_to_local))
