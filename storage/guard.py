"""Is this Tandem's database? Checked before anything touches it.

Before an engine connects (and so before ``PRAGMA journal_mode=WAL`` or a migration can change a
file), :func:`check_database` looks at the SQLite file with the standard library only:

- no file: refused unless the caller creates databases (first-run set-up, ``seed``, the set-up
  commands); nothing is created on refusal, not even the folder;
- a file that is not a SQLite database, or whose schema cannot be read (malformed): refused in
  one line naming the file and saying what to do (restore from a backup);
- a SQLite file holding tables that are not Tandem's: refused, unchanged;
- a folder that cannot be created or written: refused, naming the path and the reason;
- ``PRAGMA quick_check`` finding damage: a warning returned to the caller, who shows it before
  anyone writes.

PostgreSQL: after connecting, a database with tables but no Tandem schema is refused the same way
(:func:`check_postgres_tables`).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

SQLITE_HEADER = b"SQLite format 3\x00"
RESTORE_HINT = "restore it from a backup with 'tandem restore BACKUP_FILE'"


class DatabaseRefused(Exception):
    """Tandem will not use this database. The message is one line a person can act on."""


class DatabaseMissing(DatabaseRefused):
    """There is no Tandem database here yet (and the caller did not ask to create one)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


def tandem_tables() -> set[str]:
    from storage.tables import metadata

    return {*metadata.tables, "alembic_version"}


def _reason(error: OSError) -> str:
    return error.strerror or errno.errorcode.get(error.errno or 0, "") or str(error)


def _check_folder(path: Path) -> None:
    """Create the folder for a new database file, or say in one line why it cannot be."""
    folder = path.parent
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        raise DatabaseRefused(
            f"cannot create the database {path}: {ancestor} is a file, not a folder."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseRefused(
            f"cannot create the database {path}: the folder {folder} cannot be made "
            f"({_reason(error)})."
        ) from None
    if not folder.is_dir():
        raise DatabaseRefused(f"cannot create the database {path}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseRefused(
            f"cannot create the database {path}: the folder {folder} is not writable "
            "(permission denied)."
        )


def _missing(path: Path) -> DatabaseMissing:
    return DatabaseMissing(
        f"there is no Tandem database at {path}: check the path, or create one (the app's "
        "first-run set-up, 'tandem seed' for the demo, or 'tandem teams add NAME'); nothing "
        "was created.",
        str(path),
    )


def check_sqlite_file(path: Path, *, create: bool) -> list[str]:
    """Refuse (DatabaseRefused) what Tandem must not open; return warnings to show first."""
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a database file.")
    if not path.exists():
        if not create:
            raise _missing(path)
        _check_folder(path)
        return []
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseRefused(f"cannot read the database {path} ({_reason(error)}).") from None
    if not header:  # an empty file is an empty database
        if not create:
            raise _missing(path)
        return []
    if header != SQLITE_HEADER:
        raise DatabaseRefused(
            f"{path} is not a SQLite database (or its first page is damaged): {RESTORE_HINT}, "
            "or point --db at Tandem's database."
        )
    try:
        # Opening and reading neither creates tables nor changes the journal mode.
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise DatabaseRefused(f"cannot open the database {path} ({error}).") from None
    try:
        try:
            names = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as error:
            raise DatabaseRefused(
                f"the database {path} is damaged ({error}): {RESTORE_HINT}."
            ) from None
        names = {n for n in names if not n.startswith("sqlite_")}
        if not names:
            if not create:
                raise _missing(path)
            return []
        foreign = sorted(names - tandem_tables())
        if foreign or "alembic_version" not in names:
            shown = ", ".join(foreign[:4]) + (", …" if len(foreign) > 4 else "")
            raise DatabaseRefused(
                f"{path} holds tables that are not Tandem's"
                + (f" ({shown})" if shown else "")
                + ": it was left unchanged. Point --db at Tandem's own database file."
            )
        if not os.access(path, os.W_OK):
            raise DatabaseRefused(
                f"cannot use the database {path}: the file is not writable (permission denied)."
            )
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise DatabaseRefused(
                f"cannot use the database {path}: its folder {path.parent} is not writable "
                "(permission denied; SQLite keeps its journal files next to the database)."
            )
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as error:
            result = [str(error)]
        if result != ["ok"]:
            return [
                f"The database {path} failed its integrity check ({'; '.join(result)[:200]}). "
                f"Do not keep working in it: {RESTORE_HINT}."
            ]
        return []
    finally:
        conn.close()


def check_postgres_tables(engine: Engine, *, create: bool, shown_url: str) -> None:
    """A PostgreSQL database with other programs' tables, or (unless ``create``) none, is refused."""
    from sqlalchemy import inspect

    names = set(inspect(engine).get_table_names())
    if not names:
        from storage.migrate import SchemaNotWritable
        from storage.pg_roles import may_change_schema

        with engine.connect() as connection:
            allowed = may_change_schema(connection)
        if not allowed:  # the app's runtime login (least privilege): only the owner creates it
            raise SchemaNotWritable(
                f"there is no Tandem schema at {shown_url} yet, and this login may not change "
                "the schema: run `tandem db upgrade` with the schema owner's URL (--db or "
                "TANDEM_MIGRATION_DATABASE_URL)"
            )
        if not create:
            raise DatabaseMissing(
                f"there is no Tandem database at {shown_url} yet: create it with the app's "
                "first-run set-up, 'tandem seed' or 'tandem teams add NAME'.",
                shown_url,
            )
        return
    foreign = sorted(names - tandem_tables())
    if foreign or "alembic_version" not in names:
        shown = ", ".join(foreign[:4]) + (", …" if len(foreign) > 4 else "")
        raise DatabaseRefused(
            f"{shown_url} holds tables that are not Tandem's"
            + (f" ({shown})" if shown else "")
            + ": it was left unchanged. Point --db at Tandem's own database."
        )
