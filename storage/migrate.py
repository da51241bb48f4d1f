"""Schema migrations, run from code (no alembic.ini): the app calls :func:`upgrade_to_head` on
start, so every database it opens has the schema its tables expect.

On SQLite, foreign keys are switched off around a migration (outside its transaction, the only
place the pragma has any effect) because batch mode rebuilds a table with DROP TABLE, which would
otherwise fire ON DELETE CASCADE on the rows that reference it. Before the migration commits,
``PRAGMA foreign_key_check`` must come back empty; then the pragma goes back on. On PostgreSQL an
advisory lock makes concurrent starts take turns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Key of the PostgreSQL advisory lock held while migrating ("tandem" in ASCII).
_PG_LOCK_KEY = 0x74616E64656D


class MigrationError(RuntimeError):
    """A migration left the database inconsistent; it was rolled back."""


class SchemaNotWritable(MigrationError):
    """The database needs upgrading and this login may not change its schema (the app's
    least-privilege runtime role on PostgreSQL): the schema's owner must run the upgrade."""


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one transaction, set up for running migrations (see module doc)."""
    with engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.dbapi_connection
        if raw is None:  # only a connection already closed has none
            raise MigrationError("The database connection closed before the migration began.")
        if is_sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")  # no transaction is open yet
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
                yield connection
                if is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"The migration left {len(broken)} rows whose references are broken "
                            f"(first: {tuple(broken[0])}); it was rolled back."
                        )
        finally:
            if is_sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def _run(engine: Engine, command_name: str, target: str) -> None:
    from alembic import command

    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        getattr(command, command_name)(config, target)


_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\b[^=]*=\s*(?:'([^']*)'|"([^"]*)"|(None))\s*$""", re.MULTILINE
)


def _head_from_files() -> str | None:
    """The single head revision read from the migration files' ``revision`` and
    ``down_revision`` lines, without importing Alembic (~10 MiB resident in every session for a
    check that finds the database at head); None when that is not plain (a merge, a branch, a
    line written otherwise), and the caller asks Alembic."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict.fromkeys(("revision", "down_revision"), "")
        for match in _REVISION_LINE.finditer(path.read_text(encoding="utf-8")):
            found[match.group(1)] = match.group(2) or match.group(3) or match.group(4)
        if not found["revision"] or not found["down_revision"]:
            return None
        revisions.add(found["revision"])
        if found["down_revision"] != "None":
            downs.add(found["down_revision"])
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def _at_revision(engine: Engine, revision: str) -> bool:
    """The database records exactly ``revision`` in Alembic's version table (plain SQL)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False  # no version table yet: Alembic creates it
    return [row[0] for row in rows] == [revision]


def upgrade_to_head(engine: Engine) -> str | None:
    """Bring the database up to the newest schema (a no-op when it is there already)."""
    quick = _head_from_files()
    if quick is not None and _at_revision(engine, quick):
        return quick
    head = head_revision()
    current = current_revision(engine)
    if current != head:
        from storage.pg_roles import may_change_schema

        with engine.connect() as connection:
            allowed = may_change_schema(connection)
        if not allowed:
            raise SchemaNotWritable(
                f"the database schema is at revision {current or 'none'} and Tandem needs "
                f"{head}, but this login may not change the schema: run `tandem db upgrade` "
                "with the schema owner's URL (--db or TANDEM_MIGRATION_DATABASE_URL)"
            )
        _run(engine, "upgrade", "head")
    return head


def downgrade(engine: Engine, target: str = "-1") -> None:
    """Step the schema back (used by migration tests; the app never downgrades)."""
    _run(engine, "downgrade", target)
