"""Shared fixtures.

Database fixtures run each test that uses them twice: on a real SQLite file in the test's
tmp_path, and on PostgreSQL in a database created for that test alone (and dropped after). The
PostgreSQL run needs TANDEM_TEST_POSTGRES_URL (a role that may CREATE DATABASE); without it that
half is skipped with the reason shown. .ci/run starts a throwaway server and sets it.

    def test_something(uow_factory):        # migrated to head, empty
        with uow_factory() as uow: ...
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from storage.uow import SqlUnitOfWork

POSTGRES_ENV = "TANDEM_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _unsaved_copies_in_tmp(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Local copies of unsaved text (storage/local_copies.py) go to a private temporary
    directory, never the real user data directory."""
    monkeypatch.setenv("TANDEM_UNSAVED_DIR", str(tmp_path_factory.mktemp("unsaved")))
    # Remembered folders (storage/preferences.py) too.
    monkeypatch.setenv("TANDEM_PREFERENCES_DIR", str(tmp_path_factory.mktemp("preferences")))


def _admin_engine() -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from storage.engine import resolve_url

    return create_engine(
        resolve_url(os.environ[POSTGRES_ENV]), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the server in $TANDEM_TEST_POSTGRES_URL (skips if unset)."""
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (run .ci/run to start a server)")
    engine = _admin_engine()
    yield engine
    engine.dispose()


def drop_test_database(admin: Engine, name: str) -> None:
    """Drop a test database, first ending this role's own sessions still connected to it.

    Not ``DROP DATABASE ... WITH (FORCE)``: that also tries to signal an autovacuum worker that
    happens to be vacuuming the database, which an ordinary (non-superuser) role may not do, and
    fails with "must be a member of the role whose process is being terminated". A plain DROP
    asks autovacuum to stop by itself and waits for it; sessions of our own role (a test that left
    a connection open) we may end. Retried briefly, since a session takes a moment to exit.
    """
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    for attempt in range(20):
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid() "
                    "AND usename = current_user"
                ),
                {"name": name},
            )
            try:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                return
            except OperationalError as exc:  # "is being accessed by other users"
                if attempt == 19 or getattr(exc.orig, "sqlstate", None) != "55006":
                    raise
        time.sleep(0.25)


@pytest.fixture
def postgres_url(postgres_admin: Engine) -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    from sqlalchemy import text

    name = f"tandem_test_{uuid.uuid4().hex[:16]}"
    with postgres_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        drop_test_database(postgres_admin, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a new SQLite file in the test's temporary directory."""
    from storage.engine import resolve_url

    return resolve_url(str(tmp_path / "tandem.db"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each kind: a SQLite file, then a PostgreSQL database of its own."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def backend(database_url: str) -> str:
    """'sqlite' or 'postgresql': which database this run of the test is on."""
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on ``database_url``, migrated to the newest schema."""
    from storage.engine import make_engine
    from storage.migrate import upgrade_to_head

    engine = make_engine(database_url)
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[[], SqlUnitOfWork]:
    """Opens a SqlUnitOfWork on the migrated test database."""
    from storage.uow import sql_uow_factory

    return sql_uow_factory(engine)


@pytest.fixture(autouse=True)
def _cheap_passphrase_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The test suite (only) hashes new passphrases at the older scrypt cost (2**14, 16 MiB), as
    it did before the cost was raised, so the many users the tests create and sign in do not
    each take seconds; demo seeds (at LEGACY_N) are then not upgraded either. Tests marked
    ``real_hash_cost`` run at the real cost."""
    if request.node.get_closest_marker("real_hash_cost") is None:
        from domain import passwords

        monkeypatch.setattr(passwords, "N", passwords.LEGACY_N)
