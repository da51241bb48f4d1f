"""Backing up and restoring a SQLite database (``tandem backup`` / ``tandem restore``).

A backup is taken with SQLite's online backup API (``sqlite3.Connection.backup``): a consistent
copy of the database as it was when the copy began, safe while the app is in use (copying the file
is not: it may catch a transaction half-written, research/reliability.md §1.1). The copy is
written to a temporary file next to the destination, checked (``integrity_check``,
``foreign_key_check``), switched to a single self-contained file (no ``-wal``) and only then
renamed into place, so a failed or interrupted backup never leaves a half-written file under the
name asked for.

A restore copies a backup over the database with the same API. It refuses a database that
already holds records unless ``force`` is given, and then first keeps a copy of what it replaces.
The restored database is upgraded to the newest schema by whoever opens it next.

PostgreSQL databases are backed up with the server's own tools (``pg_dump`` / ``pg_restore``);
:func:`postgres_advice` says how.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from domain.errors import DomainError
from storage.engine import BUSY_TIMEOUT_MS, is_sqlite_url, redact_url, resolve_url, sqlite_path

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(DomainError):
    """A backup or restore that could not be done; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    #: Rows per table in the copy.
    rows: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    source: Path
    rows: dict[str, int] = field(default_factory=dict)
    #: Where the database that was replaced was kept (None when it was empty or new).
    previous: Path | None = None
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _libpq_url(url: str) -> str:
    text = redact_url(url)
    scheme, _, rest = text.partition("://")
    return f"postgresql://{rest}" if scheme.startswith("postgres") else text


def postgres_advice(url: str, *, restoring: bool = False) -> str:
    """What to do instead for a PostgreSQL database (one paragraph, no password in it)."""
    target = _libpq_url(url)
    if restoring:
        return (
            "Tandem restores only SQLite databases itself. This database is on PostgreSQL: "
            "restore a pg_dump backup with the server's own tool into an empty database, e.g. "
            f"pg_restore --no-owner --dbname '{target}' tandem.dump (see README, 'Backup and "
            "restore')."
        )
    return (
        "Tandem backs up only SQLite databases itself. This database is on PostgreSQL: back it "
        f"up with the server's own tool, e.g. pg_dump --format=custom --file tandem.dump "
        f"'{target}', and restore with pg_restore (see README, 'Backup and restore')."
    )


def _sqlite_file(url: str, *, restoring: bool = False) -> Path:
    url = resolve_url(url)
    if not is_sqlite_url(url):
        raise BackupError(postgres_advice(url, restoring=restoring))
    path = sqlite_path(url)
    if path is None:
        raise BackupError("An in-memory database cannot be backed up or restored.")
    return path


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            f"file:{path.as_posix()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.isolation_level = None  # no implicit transactions around the pragmas below
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (the schema's bookkeeping table ``alembic_version`` left out)."""
    return {
        t: conn.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0]
        for t in _tables(conn)
        if t != "alembic_version"
    }


def check_sqlite(conn: sqlite3.Connection, what: str) -> None:
    """BackupError unless ``integrity_check`` is ok and ``foreign_key_check`` finds nothing."""
    result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise BackupError(f"{what} is damaged (integrity check: {result[0]}).")
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise BackupError(
            f"{what} has {len(broken)} rows whose references are broken (first: {tuple(broken[0])})."
        )


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every platform can open a directory
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _file_stamp(now: datetime | None) -> str:
    """The date and time in a backup's file name, in UTC (``YYYYMMDD-HHMMSSZ``). Local time would
    repeat itself in the hour the clocks go back: two backups an hour apart would get the same
    name (the second refused as "already exists") and names would no longer sort in the order
    the backups were taken. ``now`` must be aware (a naive one is taken as local time)."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%SZ")


def destination_for(dest: str | Path, *, now: datetime | None = None) -> Path:
    """The file a backup to ``dest`` goes to: ``dest`` itself, or a dated file in it if it is a
    folder (``tandem-YYYYMMDD-HHMMSSZ.db``, UTC)."""
    path = Path(dest).expanduser()
    if path.is_dir():
        stamp = _file_stamp(now)
        path = path / f"tandem-{stamp}.db"
    return path.resolve()


def check_backup_destination(url: str, dest: str | Path, *, overwrite: bool = False) -> Path:
    """The file a backup of ``url`` would be written to, or BackupError saying why not."""
    source = _sqlite_file(url)
    if not source.exists():
        raise BackupError(f"There is no database at {source} to back up.")
    target = destination_for(dest)
    if target == source.resolve():
        raise BackupError("The backup cannot be written over the database it is a backup of.")
    if target.exists() and not overwrite:
        raise BackupError(
            f"{target} already exists; choose another name, or pass --force to replace it."
        )
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    return target


def backup_database(url: str, dest: str | Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the SQLite database at ``url`` to ``dest`` (a file, or a folder to put a dated file
    in) with the online backup API, while the app may be in use."""
    started = time.monotonic()
    source = _sqlite_file(url)
    target = check_backup_destination(url, dest, overwrite=overwrite)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        src = _connect(source)
        try:
            dst = _connect(partial)
            try:
                src.backup(dst)  # the whole database in one step: one consistent snapshot
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                check_sqlite(dst, "The backup")
                rows = row_counts(dst)
            finally:
                dst.close()
        finally:
            src.close()
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except sqlite3.Error as error:
        raise BackupError(f"The backup could not be made: {error}.") from error
    except OSError as error:
        raise BackupError(f"The backup could not be written to {target}: {error}.") from error
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
    return BackupResult(target, rows, target.stat().st_size, time.monotonic() - started)


def _source_revision(conn: sqlite3.Connection, source: Path) -> str:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from storage.migrate import alembic_config

    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None:
        raise BackupError(f"{source} is not a Tandem database (it has no schema revision).")
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(row[0])
    except CommandError:
        raise BackupError(
            f"{source} was made by a newer version of Tandem (schema revision {row[0]}); "
            "update Tandem before restoring it."
        ) from None
    return str(row[0])


def database_rows(url: str) -> dict[str, int]:
    """Rows per table of the SQLite database at ``url`` ({} when there is no such file)."""
    path = _sqlite_file(url)
    if not path.exists() or path.stat().st_size == 0:
        return {}
    conn = _connect(path, read_only=True)
    try:
        return row_counts(conn)
    finally:
        conn.close()


def restore_database(
    src: str | Path, url: str, *, force: bool = False, now: datetime | None = None
) -> RestoreResult:
    """Replace the SQLite database at ``url`` with the backup ``src``.

    Refuses when the database already holds records, unless ``force``; then a copy of it is kept
    first next to it (``<name>.before-restore-YYYYMMDD-HHMMSSZ``, UTC)."""
    started = time.monotonic()
    target = _sqlite_file(url, restoring=True).resolve()
    source = Path(src).expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    if source == target:
        raise BackupError("A database cannot be restored from itself.")
    if not _is_sqlite_file(source):
        raise BackupError(f"{source} is not a SQLite database, so not a Tandem backup.")
    try:
        src_conn = _connect(source, read_only=True)
    except sqlite3.Error as error:
        raise BackupError(f"The backup {source} cannot be opened: {error}.") from error
    try:
        _source_revision(src_conn, source)
        check_sqlite(src_conn, f"The backup {source}")
        existing = {k: v for k, v in database_rows(url).items() if v}
        previous = None
        if existing:
            if not force:
                held = ", ".join(
                    f"{existing[k]:,} {k.replace('_', ' ')}"
                    for k in ("families", "users", "audit_events")
                    if k in existing
                )
                raise BackupError(
                    f"The database at {target} already holds {sum(existing.values()):,} records"
                    f"{f' ({held})' if held else ''}. Restoring would replace them: pass --force "
                    "to do so (a copy of it is kept first)."
                )
            stamp = _file_stamp(now)
            previous = backup_database(
                url, target.with_name(f"{target.name}.before-restore-{stamp}")
            ).path
        target.parent.mkdir(parents=True, exist_ok=True)
        dst_conn = _connect(target)
        try:
            src_conn.backup(dst_conn)
            check_sqlite(dst_conn, "The restored database")
            rows = row_counts(dst_conn)
        finally:
            dst_conn.close()
    except sqlite3.Error as error:
        raise BackupError(f"The restore could not be done: {error}.") from error
    finally:
        src_conn.close()
    return RestoreResult(target, source, rows, previous, time.monotonic() - started)
