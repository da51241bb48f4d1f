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

    #: Unsaved text kept on this computer when the database cannot take a draft
    #: (domain.services.drafts.LocalCopies; set by open_runtime).
    local_copies: Any = None

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


def open_runtime(db: str | None, *, clock: Clock | None = None) -> Runtime:
    """Open (creating if needed) and upgrade the database at ``db`` (path or URL; None = default)."""
    from storage.engine import configured_database_url, make_engine
    from storage.migrate import upgrade_to_head
    from storage.uow import sql_uow_factory

    url = configured_database_url(db)
    engine = make_engine(url)
    upgrade_to_head(engine)
    from storage.local_copies import FileLocalCopies, default_directory

    return Runtime(
        url=url,
        engine=engine,
        uow_factory=sql_uow_factory(engine),
        clock=clock or SystemClock(),
        local_copies=FileLocalCopies(default_directory(), url),
    )


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
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else name
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
