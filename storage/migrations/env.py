"""Alembic environment for Tandem.

The app migrates through storage/migrate.py, which hands this script a connection already inside
one transaction (``config.attributes["connection"]``). From the command line, name the database:

    uv run alembic -x url=PATH_OR_URL upgrade head
    uv run alembic -x url=/tmp/empty.db revision --autogenerate -m "what changed"

(or set TANDEM_DATABASE_URL). Batch mode is on, so SQLite can alter tables; the constraint naming
convention comes from storage.tables.metadata.
"""

from __future__ import annotations

import os
from typing import Any

from alembic import context

from storage.engine import DATABASE_URL_ENV, make_engine, resolve_url
from storage.migrate import migration_connection
from storage.tables import metadata

config = context.config
target_metadata = metadata


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        **kwargs,
    )


def _url_from_command_line() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(DATABASE_URL_ENV)
    if not url:
        raise SystemExit(
            "Name the database to migrate: alembic -x url=PATH_OR_URL ... "
            f"(or set {DATABASE_URL_ENV})."
        )
    return resolve_url(url)


def run_migrations_offline() -> None:
    _configure(
        url=_url_from_command_line(), literal_binds=True, dialect_opts={"paramstyle": "named"}
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url_from_command_line())
    try:
        with migration_connection(engine) as connection:
            _configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
