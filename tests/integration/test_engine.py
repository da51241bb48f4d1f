"""Engine set-up: URLs, the SQLite pragma contract on every pooled connection, the write lock
taken at the start of a transaction, and the bounded retry when it cannot be had."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from domain.people import Team
from storage import engine as engine_module
from storage.engine import (
    configured_database_url,
    default_database_path,
    default_database_url,
    make_engine,
    redact_url,
    resolve_url,
    retry_locked,
)
from storage.migrate import upgrade_to_head
from storage.uow import DatabaseBusy, sql_uow_factory


def test_resolve_url() -> None:
    assert resolve_url("postgres://u:p@h:5432/db") == "postgresql+psycopg://u:p@h:5432/db"
    assert resolve_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert resolve_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    assert resolve_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert resolve_url("/tmp/some dir/x.db") == "sqlite:////tmp/some dir/x.db"
    assert resolve_url("~/x.db") == f"sqlite:///{Path.home() / 'x.db'}"
    assert resolve_url("rel.db") == f"sqlite:///{Path.cwd() / 'rel.db'}"


def test_default_database_is_tandem_db_in_the_user_data_dir(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("TANDEM_DATABASE_URL", raising=False)
    assert default_database_path() == tmp_path / "tandem" / "tandem.db"
    assert default_database_url() == f"sqlite:///{tmp_path}/tandem/tandem.db"
    assert configured_database_url() == default_database_url()
    monkeypatch.setenv("TANDEM_DATABASE_URL", "postgres://team-db/tandem")
    assert configured_database_url() == "postgresql+psycopg://team-db/tandem"
    assert configured_database_url("/tmp/mine.db") == "sqlite:////tmp/mine.db"


def test_redact_url_hides_the_password() -> None:
    assert redact_url("postgresql+psycopg://tandem:s3cret@db:5432/t") == (
        "postgresql+psycopg://tandem:***@db:5432/t"
    )
    assert redact_url("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"


def test_make_engine_creates_the_folder_of_a_new_sqlite_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new" / "folder" / "tandem.db"
    engine = make_engine(str(path))
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        assert path.exists()
    finally:
        engine.dispose()


def _pragmas(raw) -> tuple:  # type: ignore[no-untyped-def]
    cursor = raw.cursor()
    try:
        return tuple(
            cursor.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        )
    finally:
        cursor.close()


def test_every_pooled_sqlite_connection_has_the_pragmas(sqlite_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url)
    try:
        upgrade_to_head(engine)  # the migration turns foreign keys off and must turn them on again
        # Hold more connections at once than the pool keeps (5), so overflow ones are checked too.
        # (Raw pooled connections: through SQLAlchemy each would begin, and wait for, a write lock.)
        connections = [engine.raw_connection() for _ in range(8)]
        try:
            seen = [_pragmas(raw) for raw in connections]
        finally:
            for raw in connections:
                raw.close()
        engine.dispose()  # a recycled pool gets brand-new connections
        raw = engine.raw_connection()
        seen.append(_pragmas(raw))
        raw.close()
        for journal_mode, synchronous, foreign_keys, busy_timeout in seen:
            assert journal_mode == "wal"
            assert synchronous == 2  # FULL: a saved note survives a power cut
            assert foreign_keys == 1
            assert busy_timeout >= 5000
        assert len(seen) == 9
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(uow_factory, engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO members (family_id, name, role) VALUES (4242, 'X', 'child')")
        )


def test_a_unit_of_work_holds_the_write_lock_from_its_start(sqlite_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url)
    upgrade_to_head(engine)
    path = sqlite_url.removeprefix("sqlite:///")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with sql_uow_factory(engine)() as uow:
            uow.teams.list()  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the unit of work ended
        other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_read_only_units_of_work_do_not_queue_behind_a_writer(sqlite_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url, busy_timeout_ms=50)
    upgrade_to_head(engine)
    try:
        with sql_uow_factory(engine)() as writer:
            writer.teams.add(Team(name="Uncommitted"))
            with sql_uow_factory(engine, read_only=True)() as reader:
                assert reader.teams.list() == []  # sees the last commit, does not wait
            writer.commit()
        with sql_uow_factory(engine, read_only=True)() as reader:
            assert [t.name for t in reader.teams.list()] == ["Uncommitted"]
    finally:
        engine.dispose()


def _hold_write_lock(path: str) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_lock_held_too_long_gives_database_busy_after_bounded_retries(
    sqlite_url, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(engine_module, "LOCK_RETRIES", 3)
    engine = make_engine(sqlite_url, busy_timeout_ms=50)
    upgrade_to_head(engine)
    holder = _hold_write_lock(sqlite_url.removeprefix("sqlite:///"))
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as caught, sql_uow_factory(engine)():
            pass
        elapsed = time.monotonic() - started
        assert elapsed >= 3 * 0.05  # three waits of busy_timeout each
        assert "nothing was saved" in str(caught.value)
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()


def test_retry_gets_the_lock_once_the_other_writer_finishes(sqlite_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url, busy_timeout_ms=50)
    upgrade_to_head(engine)
    holder = _hold_write_lock(sqlite_url.removeprefix("sqlite:///"))
    release = threading.Timer(0.1, holder.rollback)
    release.start()
    try:
        with sql_uow_factory(engine)() as uow:  # first try times out after 50 ms; a retry wins
            uow.teams.add(Team(name="Saved after waiting"))
            uow.commit()
        with sql_uow_factory(engine)() as uow:
            assert [t.name for t in uow.teams.list()] == ["Saved after waiting"]
    finally:
        release.join()
        holder.close()
        engine.dispose()


def test_retry_locked_retries_only_lock_errors() -> None:
    calls: list[int] = []

    def locked_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
        return "done"

    assert retry_locked(locked_twice, sleep=lambda _: None) == "done" and len(calls) == 3

    def always_locked() -> None:
        calls.append(1)
        raise sqlite3.OperationalError("database is locked")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError):
        retry_locked(always_locked, tries=5, sleep=lambda _: None)
    assert len(calls) == 5

    def other_error() -> None:
        calls.append(1)
        raise sqlite3.OperationalError("no such table: x")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError):
        retry_locked(other_error, sleep=lambda _: None)
    assert len(calls) == 1
