"""Database engines: where the database is, and how each connection is set up.

SQLite (the default, one file on a laptop) is opened in WAL mode with ``synchronous=FULL`` (a
note the UI calls saved survives a power cut), foreign keys on, a 5 s busy timeout, and every
transaction taking the write lock at its start (``BEGIN IMMEDIATE``, asked for every few
milliseconds for up to 25 s: ``take_write_lock``), so a read-then-write unit
can never fail half-way with "database is locked" (research/reliability.md §1, §2.1, §6).

PostgreSQL (a team's shared database) is reached through psycopg 3; ``postgres://`` and
``postgresql://`` URLs are rewritten to ``postgresql+psycopg://``.

SQLAlchemy is imported inside the functions that need it, so importing this module (to find the
default path, say) stays cheap.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

#: Environment variable naming the database (a path or a URL); see ``configured_database_url``.
DATABASE_URL_ENV = "TANDEM_DATABASE_URL"

#: SQLite waits this long for another writer before giving up (PRAGMA busy_timeout).
BUSY_TIMEOUT_MS = 5000
#: Bounded retry around taking the write lock / running a write unit (5 tries, 10–100 ms jitter).
LOCK_RETRIES = 5
RETRY_JITTER_S = (0.010, 0.100)
#: A writer waiting for the write lock asks for it again after this long (seconds, at random).
LOCK_POLL_S = (0.001, 0.004)

_SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON")

T = TypeVar("T")

#: Execution option naming how a SQLite transaction begins ("IMMEDIATE" unless "DEFERRED").
SQLITE_BEGIN_OPTION = "tandem_sqlite_begin"


def default_database_path() -> Path:
    """The SQLite file in the platform's user data directory (e.g. ~/.local/share/tandem)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("tandem", appauthor=False)) / "tandem.db"


def default_database_url() -> str:
    """``sqlite:///`` URL of :func:`default_database_path`."""
    return resolve_url(str(default_database_path()))


def configured_database_url(explicit: str | None = None) -> str:
    """The database to use: ``explicit`` if given, else $TANDEM_DATABASE_URL, else the default file."""
    chosen = explicit or os.environ.get(DATABASE_URL_ENV) or default_database_url()
    return resolve_url(chosen)


def resolve_url(path_or_url: str) -> str:
    """Turn a plain file path into a ``sqlite:///`` URL and point PostgreSQL URLs at psycopg 3.

    >>> resolve_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    text = path_or_url.strip()
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        return f"sqlite:///{path.as_posix()}"
    scheme, rest = text.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return text


def is_sqlite_url(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL (None for in-memory or non-SQLite URLs)."""
    if not is_sqlite_url(url):
        return None
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(
    url: str | None = None, *, echo: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> Engine:
    """An engine for ``url`` (a path or URL; default: :func:`configured_database_url`).

    ``busy_timeout_ms`` is for tests that need a lock wait to end quickly; keep the default.
    """
    from sqlalchemy import create_engine

    url = resolve_url(url) if url else configured_database_url()
    if is_sqlite_url(url):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        )
        _install_sqlite_hooks(engine, busy_timeout_ms)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _install_sqlite_hooks(engine: Engine, busy_timeout_ms: int) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:  # sqlite3.Connection
        # Take BEGIN away from pysqlite's legacy transaction control; SQLAlchemy emits our own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in (*_SQLITE_PRAGMAS, f"busy_timeout={int(busy_timeout_ms)}"):
                cursor.execute(f"PRAGMA {pragma}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock now, not at their first write: a deferred transaction that
        # has read cannot wait for the lock (SQLITE_BUSY_SNAPSHOT ignores busy_timeout).
        # Read-only work (see read_only_engine) begins deferred and never blocks a writer.
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
        if mode == "IMMEDIATE":
            take_write_lock(connection, busy_timeout_ms)
        else:
            retry_locked(lambda: connection.exec_driver_sql(f"BEGIN {mode}"))


def take_write_lock(connection: Connection, busy_timeout_ms: int) -> None:
    """``BEGIN IMMEDIATE``, asked again every few milliseconds until the write lock is ours, for
    as long as Tandem waits for another writer (``LOCK_RETRIES`` busy timeouts); then "database
    is locked" as before (shown as DatabaseBusy).

    SQLite's own busy handler asks again only every 100 ms once it has waited a while, so among
    writers saving one after another the one that had just committed took the lock again before
    any that had been waiting: on a loaded machine one of eight writers was refused after waiting
    its whole turn (tests/integration/test_concurrency.py). Asking often gives every waiting
    writer its chance as soon as the lock is free."""
    deadline = time.monotonic() + LOCK_RETRIES * busy_timeout_ms / 1000
    connection.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except Exception as error:
                if not is_locked_error(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(random.uniform(*LOCK_POLL_S))
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")


def read_only_engine(engine: Engine) -> Engine:
    """``engine`` for read-only work: on SQLite its transactions begin DEFERRED, so they share the
    database with a writer instead of queueing for the write lock (same pool, same pragmas).
    Writing through it risks "database is locked" when the read must be upgraded: don't."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})


def snapshot_engine(engine: Engine) -> Engine:
    """``engine`` for a read transaction (storage/uow.py ``SqlReadUnitOfWork``): one consistent
    snapshot that never holds the write lock.

    SQLite: ``BEGIN DEFERRED`` -- no lock is taken; in WAL mode the first read fixes the snapshot
    the whole transaction sees, while writers carry on. PostgreSQL: ``READ ONLY`` at ``REPEATABLE
    READ`` -- every statement sees the snapshot taken by the first one, and a write is refused by
    the server (it can never slip in by mistake). Same pool and connection set-up as ``engine``."""
    if engine.dialect.name == "sqlite":
        return read_only_engine(engine)
    return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def is_read_transaction(options: dict[str, object]) -> bool:
    """True when a connection with execution ``options`` begins a read transaction (tests count
    read and write transactions with the engine's ``begin`` event)."""
    return options.get(SQLITE_BEGIN_OPTION) == "DEFERRED" or bool(
        options.get("postgresql_readonly")
    )


def is_locked_error(error: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database table is locked" (SQLITE_BUSY)."""
    text = str(getattr(error, "orig", None) or error).lower()
    return "database is locked" in text or "database table is locked" in text


def retry_locked(
    action: Callable[[], T],
    *,
    tries: int | None = None,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """Run ``action``; on "database is locked" wait 10–100 ms and try again, ``tries`` times in all.

    Use it around a whole write unit (a function that opens a unit of work, writes and commits),
    never around part of one: a failed attempt has rolled back, so running it again is safe.
    ``tries`` defaults to ``LOCK_RETRIES``.
    """
    tries = LOCK_RETRIES if tries is None else tries
    sleep = sleep or time.sleep
    for attempt in range(1, tries + 1):
        try:
            return action()
        except Exception as error:
            if attempt == tries or not is_locked_error(error):
                raise
            sleep(random.uniform(*RETRY_JITTER_S))
    raise AssertionError("unreachable")  # pragma: no cover


def redact_url(url: str) -> str:
    """``url`` fit to show or log: any password replaced by ``***``."""
    if "://" not in url or "@" not in url:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
