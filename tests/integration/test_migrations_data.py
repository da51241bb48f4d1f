"""Migrations keep data: a database made at the first revision and filled in every table is
upgraded to head one revision at a time, and every row of every table that existed at the first
revision is still there, unchanged (per-row checksums), after each step, and again after a
downgrade back to the first revision and a second upgrade. Written over whatever revisions exist.

The data is the demo data (sample_data/, seeded through the domain into a scratch database at
head) plus drafts and audit events, copied column by column into the tables as they are at the
first revision, so the test does not depend on the ORM matching an old schema.

A negative control shows the hazard it guards against is real: rebuilding a table in SQLite's
batch mode with foreign keys on silently deletes the child rows of ON DELETE CASCADE keys, and the
checksums catch it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.pool import NullPool

from domain.audit import AuditAction, AuditEvent
from domain.clock import LOCAL_ZONE, FixedClock
from domain.services import drafts
from domain.services.context import Context
from storage.engine import make_engine, resolve_url
from storage.migrate import alembic_config, current_revision, migration_connection
from tests.conftest import TEST_NOW, build_once
from tui.bootstrap import open_runtime

#: From this revision on, instants are stored in UTC (0004 converts the local wall times stored
#: before it). Rows are compared as the screens show them: in local time.
UTC_REVISION = "0004"


def revisions() -> list[str]:
    """Every revision, first to head (a straight line)."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _migrate(engine: sa.Engine, verb: str, target: str) -> None:
    """As the app does it (storage.migrate): foreign keys off around the migration on SQLite, and
    ``foreign_key_check`` empty before it commits."""
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, target)


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory, demo_template: Path) -> str:  # type: ignore[no-untyped-def]
    """A scratch SQLite database at head holding the demo data, drafts and audit events (built
    once per run for every xdist worker, from the run's seeded demo database; only read)."""

    def build(path: Path) -> None:
        shutil.copyfile(demo_template, path)
        _add_audit_and_drafts(path)

    return resolve_url(str(build_once(tmp_path_factory, "migration-source.db", build)))


def _add_audit_and_drafts(path: Path) -> None:
    runtime = open_runtime(str(path), clock=FixedClock(TEST_NOW))
    with runtime.uow_factory() as uow:
        users = uow.users.list()
        for n, family in enumerate(uow.families.list(include_closed=True)):
            for k in range(60):  # a busy audit log: with the demo data, over 10,000 rows
                user = users[(n + k) % len(users)]
                uow.audit.record(
                    AuditEvent(
                        TEST_NOW,
                        user.id,
                        AuditAction.VIEW,
                        "family",
                        family.id,
                        family.id,
                        f"seen {k}",
                    )
                )
        uow.commit()
    for n, user in enumerate(users[:5]):
        ctx = Context(runtime.uow_factory, runtime.clock, user)
        drafts.autosave(
            ctx, f"plan:family:{n + 1}", f"Unsaved words {n}: “quoted”, ✓, \n a second line"
        )
    runtime.engine.dispose()


def _plain(url: str) -> sa.Engine:
    return create_engine(resolve_url(url), poolclass=NullPool)


def _reflect(engine: sa.Engine) -> MetaData:
    meta = MetaData()
    meta.reflect(engine)
    return meta


def fill(target: sa.Engine, source_url: str) -> dict[str, int]:
    """Copy the source's rows into every table the target has now (shared columns only)."""
    source = _plain(source_url)
    src_meta, dst_meta = _reflect(source), _reflect(target)
    copied: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in dst_meta.sorted_tables:
            if table.name == "alembic_version" or table.name not in src_meta.tables:
                continue
            src_table = src_meta.tables[table.name]
            shared = [c.name for c in table.columns if c.name in src_table.columns]
            missing = [
                c.name
                for c in table.columns
                if c.name not in src_table.columns and not c.nullable and c.server_default is None
            ]
            assert not missing, f"{table.name}: no data for required columns {missing}"
            rows = [
                dict(r._mapping) for r in src.execute(select(*[src_table.c[c] for c in shared]))
            ]
            for start in range(0, len(rows), 500):
                dst.execute(table.insert(), rows[start : start + 500])
            copied[table.name] = len(rows)
        if target.dialect.name == "postgresql":  # explicit ids were inserted: move sequences on
            for table in dst_meta.sorted_tables:
                if "id" in table.columns and table.name != "alembic_version":
                    dst.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"GREATEST((SELECT max(id) FROM {table.name}), 1))"
                        )
                    )
    source.dispose()
    return copied


def _norm(value: object, utc: bool = False) -> object:
    if isinstance(value, bool):
        return int(value)
    if utc and isinstance(value, datetime):
        value = value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def stores_utc(rev: str) -> bool:
    revs = revisions()
    return UTC_REVISION in revs and revs.index(rev) >= revs.index(UTC_REVISION)


def checksums(
    engine: sa.Engine, columns: dict[str, list[str]] | None = None, utc: bool = False
) -> dict[str, dict]:
    """{table: {primary key: sha256 of the row}} over ``columns`` (default: every column now);
    ``utc``: datetimes are stored in UTC and are compared as local wall time."""
    meta = _reflect(engine)
    out: dict[str, dict] = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            if columns is not None and table.name not in columns:
                continue
            names = columns[table.name] if columns is not None else sorted(table.columns.keys())
            lost = [n for n in names if n not in table.columns]
            assert not lost, f"{table.name} lost columns {lost}"
            keys = [c.name for c in table.primary_key.columns] or names
            rows = {}
            for r in conn.execute(select(*[table.c[n] for n in names])):
                m = r._mapping
                body = json.dumps(
                    [_norm(m[n], utc) for n in names], ensure_ascii=False, default=str
                )
                rows[tuple(_norm(m[k]) for k in keys)] = hashlib.sha256(body.encode()).hexdigest()
            out[table.name] = rows
    if columns is not None:
        missing_tables = sorted(set(columns) - set(out))
        assert not missing_tables, f"tables lost: {missing_tables}"
    return out


def _differences(before: dict[str, dict], after: dict[str, dict]) -> dict[str, str]:
    diff = {}
    for name, rows in before.items():
        now = after.get(name, {})
        lost = len(set(rows) - set(now))
        changed = sum(1 for k in rows if k in now and now[k] != rows[k])
        if lost or changed:
            diff[name] = f"{lost} rows lost, {changed} rows changed"
    return diff


def _sqlite_checks(engine: sa.Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []


def test_every_row_survives_every_upgrade_and_a_downgrade(
    database_url, demo_source, figures
) -> None:  # type: ignore[no-untyped-def]
    revs = revisions()
    first, head = revs[0], revs[-1]
    engine = make_engine(database_url)
    try:
        _migrate(engine, "upgrade", first)
        assert current_revision(engine) == first
        copied = fill(engine, demo_source)
        empty = [name for name, n in copied.items() if n == 0]
        assert not empty, f"every table at the first revision should hold rows; empty: {empty}"
        meta = _reflect(engine)
        columns = {
            t.name: sorted(t.columns.keys())
            for t in meta.sorted_tables
            if t.name != "alembic_version"
        }
        before = checksums(engine, columns)
        steps = 0
        for rev in revs[1:]:
            _migrate(engine, "upgrade", rev)
            steps += 1
            assert current_revision(engine) == rev
            after = checksums(engine, columns, stores_utc(rev))
            assert _differences(before, after) == {}, f"after {rev}"
            _sqlite_checks(engine)
        assert current_revision(engine) == head
        if len(revs) > 1:
            _migrate(engine, "downgrade", first)
            assert _differences(before, checksums(engine, columns)) == {}, "after downgrade"
            _migrate(engine, "upgrade", "head")
            again = checksums(engine, columns, stores_utc(head))
            assert _differences(before, again) == {}, "after re-upgrade"
            _sqlite_checks(engine)
        rows = sum(len(v) for v in before.values())
        figures(
            backend=engine.dialect.name,
            revisions=revs,
            upgrade_steps=steps,
            tables_checked=len(before),
            rows_checked=rows,
            rows_lost=0,
            rows_changed=0,
        )
    finally:
        engine.dispose()


def test_negative_control_batch_mode_with_foreign_keys_on_loses_rows(
    sqlite_url, demo_source, figures
) -> None:  # type: ignore[no-untyped-def]
    """Without the migration set-up (foreign keys off), rebuilding ``feedback`` in batch mode
    deletes its comments and replies through ON DELETE CASCADE, and the checksums say so; with
    it, nothing is lost."""
    engine = make_engine(sqlite_url)  # foreign_keys=ON on every connection
    try:
        _migrate(engine, "upgrade", revisions()[0])
        fill(engine, demo_source)
        columns = {
            t.name: sorted(t.columns.keys())
            for t in _reflect(engine).sorted_tables
            if t.name != "alembic_version"
        }
        before = checksums(engine, columns)
        assert before["feedback_comments"] and before["feedback_replies"]

        def rebuild_feedback(connection: sa.Connection, column: str) -> None:
            ops = Operations(MigrationContext.configure(connection))
            with ops.batch_alter_table("feedback", recreate="always") as batch:
                batch.add_column(sa.Column(column, sa.Integer(), nullable=True))

        with migration_connection(engine) as connection:  # the app's way: nothing lost
            rebuild_feedback(connection, "scratch_one")
        assert _differences(before, checksums(engine, columns)) == {}

        with engine.connect() as connection, connection.begin():  # foreign keys left on
            rebuild_feedback(connection, "scratch_two")
        lost = _differences(before, checksums(engine, columns))
        assert set(lost) == {"feedback_comments", "feedback_replies"}, lost
        figures(control_rows_lost={k: v for k, v in lost.items()})
    finally:
        engine.dispose()
