"""Migration 0004 turns the naive local instants stored before it into UTC, reading them as
Europe/London wall time (the repeated autumn hour as its first occurrence), so every screen
shows what it showed before; the downgrade turns them back."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from domain.clock import to_local
from storage.engine import make_engine
from storage.migrate import alembic_config, current_revision, migration_connection
from storage.uow import sql_uow_factory

BEFORE = "0003"
REVISION = "0004"

#: Naive local wall time as stored before 0004 -> the UTC instant it becomes.
LOCAL_TO_UTC = {
    datetime(2026, 1, 15, 12, 0): datetime(2026, 1, 15, 12, 0),  # GMT: unchanged
    datetime(2026, 3, 29, 0, 30): datetime(2026, 3, 29, 0, 30),  # before the spring change
    datetime(2026, 3, 29, 2, 30): datetime(2026, 3, 29, 1, 30),  # just after it (BST)
    datetime(2026, 7, 1, 9, 15, 42): datetime(2026, 7, 1, 8, 15, 42),  # summer
    datetime(2026, 10, 25, 1, 30): datetime(2026, 10, 25, 0, 30),  # repeated hour: fold=0
    datetime(2026, 10, 25, 2, 30): datetime(2026, 10, 25, 2, 30),  # after the autumn change
}


def _migrate(engine: sa.Engine, verb: str, target: str) -> None:
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, target)


def _raw(engine: sa.Engine) -> list[datetime]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(sa.column("at", sa.DateTime))
            .select_from(sa.table("audit_events"))
            .order_by(sa.column("id"))
        )
        return [r[0] for r in rows]


def test_stored_local_times_become_utc_and_show_the_same(database_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    try:
        _migrate(engine, "upgrade", BEFORE)
        events = sa.table(
            "audit_events",
            sa.column("at", sa.DateTime),
            sa.column("action", sa.String),
            sa.column("entity", sa.String),
            sa.column("detail", sa.Text),
        )
        with engine.begin() as conn:
            conn.execute(
                events.insert(),
                [
                    {"at": local, "action": "view", "entity": "family", "detail": f"n{n}"}
                    for n, local in enumerate(LOCAL_TO_UTC)
                ],
            )
        _migrate(engine, "upgrade", REVISION)
        assert current_revision(engine) == REVISION
        assert _raw(engine) == list(LOCAL_TO_UTC.values())

        _migrate(engine, "upgrade", "head")
        with sql_uow_factory(engine)() as uow:
            stored = [e.at for e in uow.audit.list()]
        assert stored == [v.replace(tzinfo=UTC) for v in LOCAL_TO_UTC.values()]
        # What a screen shows (local wall time) is what it showed before.
        assert [to_local(at).replace(tzinfo=None) for at in stored] == list(LOCAL_TO_UTC)

        _migrate(engine, "downgrade", BEFORE)
        assert _raw(engine) == list(LOCAL_TO_UTC)
    finally:
        engine.dispose()
