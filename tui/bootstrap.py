"""The composition root: turns a database location into the things the app and CLI use."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.clock import SystemClock

if TYPE_CHECKING:
    from domain.people import User
    from domain.ports import Clock, UnitOfWork
    from domain.services.context import Context
    from domain.services.drafts import LocalCopies


def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass
class Runtime:
    """An open database and what is needed to run services against it."""

    url: str
    engine: Any
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock = field(default_factory=SystemClock)
    demo: bool = False
    #: Recording clock: input gaps longer than this stop counting (SPEC default 60 s).
    idle_gap_seconds: float = field(
        default_factory=lambda: _env_seconds("TANDEM_IDLE_GAP_SECONDS", 60)
    )
    #: After a gap longer than this the user is asked whether to keep it (default 5 minutes).
    long_gap_seconds: float = field(
        default_factory=lambda: _env_seconds("TANDEM_LONG_GAP_SECONDS", 300)
    )
    #: The app locks to the sign-in screen after this long without input (default 15 minutes).
    idle_lock_seconds: float = field(
        default_factory=lambda: 60 * _env_seconds("TANDEM_IDLE_LOCK_MINUTES", 15)
    )
    #: Found when the database was opened (a failed integrity check): shown before anyone writes.
    warnings: list[str] = field(default_factory=list)

    #: Unsaved text kept on this computer when the database cannot take a draft
    #: (domain.services.drafts.LocalCopies; set by open_runtime).
    local_copies: LocalCopies | None = None

    @property
    def display_url(self) -> str:
        """The location without any password."""
        from storage.engine import redact_url

        return redact_url(self.url)

    def context(self, user: User | None) -> Context:
        from domain.services.context import Context

        return Context(self.uow_factory, self.clock, user)

    def system_context(self) -> Context:
        """For command-line administration: acts as the system, audited as such."""
        from domain.services.admin import system_user
        from domain.services.context import Context

        return Context(self.uow_factory, self.clock, system_user())


def open_runtime(
    db: str | None,
    *,
    clock: Clock | None = None,
    create: bool = True,
    refuse_damaged: bool = False,
) -> Runtime:
    """Open and upgrade Tandem's database at ``db`` (path or URL; None = default).

    The location is checked first (storage/guard.py): a file that is not Tandem's, or damaged, is
    refused unchanged. With ``create`` (first-run set-up, seed, set-up commands) a missing
    database is created; without it (commands that only read) a missing one is refused
    (DatabaseMissing, whose ``create`` opens it creating it) and nothing is created. A file
    failing its integrity check is refused with ``refuse_damaged``, else opened with a warning."""
    from storage.engine import configured_database_url, make_engine, redact_url, sqlite_path
    from storage.guard import (
        DatabaseMissing,
        DatabaseRefused,
        check_postgres_tables,
        check_sqlite_file,
    )
    from storage.migrate import upgrade_to_head
    from storage.uow import sql_uow_factory

    url = configured_database_url(db)
    path = sqlite_path(url)
    try:
        warnings = check_sqlite_file(path, create=create) if path is not None else []
        if warnings and refuse_damaged:
            raise DatabaseRefused(warnings[0] + " Nothing was written.")
        migrate_with_owner(url)
        engine = make_engine(url)
        if path is None and engine.dialect.name != "sqlite":
            try:
                check_postgres_tables(engine, create=create, shown_url=redact_url(url))
            except Exception:
                engine.dispose()
                raise
    except DatabaseMissing as missing:
        missing.create = lambda: open_runtime(db, clock=clock, create=True)  # type: ignore[attr-defined]  # storage's error carries how to create it
        raise
    upgrade_to_head(engine)  # a no-op at head; refused with a clear message for a runtime role
    from storage.local_copies import FileLocalCopies, default_directory

    return Runtime(
        url=url,
        engine=engine,
        uow_factory=sql_uow_factory(engine),
        clock=clock or SystemClock(),
        warnings=warnings,
        local_copies=FileLocalCopies(default_directory(), url),
    )


def open_for_command(db: str | None, *, writes: bool) -> Runtime:
    """For the command line: a command that ``writes`` (set-up, import, seed) may create the
    database and is refused on a damaged one; one that only reads never creates anything and
    prints any warning on stderr first."""
    import sys

    runtime = open_runtime(db, create=writes, refuse_damaged=writes)
    for warning in runtime.warnings:
        print(f"tandem: warning: {warning}", file=sys.stderr)
    return runtime


#: The schema owner's URL on PostgreSQL (least privilege: the app's own login may not migrate).
MIGRATION_URL_ENV = "TANDEM_MIGRATION_DATABASE_URL"


def migrate_with_owner(url: str) -> None:
    """If $TANDEM_MIGRATION_DATABASE_URL names the schema owner's login for the database at
    ``url``, bring the schema up to date as that owner first (then the app's runtime login, which
    may not change the schema, finds it at head)."""
    from storage.engine import is_sqlite_url, make_engine, resolve_url

    owner_url = os.environ.get(MIGRATION_URL_ENV)
    if not owner_url or is_sqlite_url(url):
        return
    from storage.migrate import upgrade_to_head

    engine = make_engine(resolve_url(owner_url))
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


def demo_database_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("tandem", appauthor=False)) / "demo.db"


def fresh_demo_runtime(db: str | None = None, *, clock: Clock | None = None) -> Runtime:
    """A new demo database seeded from sample_data/ (any previous demo database is replaced)."""
    from storage.seed import seed_database

    if db:
        target = db
    else:
        path = demo_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        target = str(path)
    runtime = open_runtime(target, clock=clock)
    seed_database(runtime.uow_factory, runtime.clock)
    runtime.demo = True
    return runtime


def describe_failure(exc: BaseException) -> str:
    """One line for an unexpected failure (database unreachable, disk full ...)."""
    from storage.guard import RESTORE_HINT, DatabaseRefused

    if isinstance(exc, DatabaseRefused):
        return str(exc)
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    lowered = text.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        return f"the database file is damaged ({text.split(') ', 1)[-1]}): {RESTORE_HINT}."

    if name == "SchemaNotWritable":
        return text
    if name == "OperationalError" or "OperationalError" in text:
        return f"cannot use the database: {text.split(') ', 1)[-1]}"
    if os.environ.get("TANDEM_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    return f"unexpected error ({name}): {text}"


def demo_passphrase() -> str:
    """The passphrase every demo user has (documented in sample_data/README.md)."""
    import json

    from storage.seed import sample_data_dir

    with open(sample_data_dir() / "people.json", encoding="utf-8") as fh:
        return str(json.load(fh)["demo_passphrase"])
