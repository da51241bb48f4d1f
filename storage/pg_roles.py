"""Least privilege on PostgreSQL: a schema owner that migrates, and a runtime login for the app.

The owner role owns every table, trigger and function (it runs ``tandem db upgrade``). The
runtime role, which the app signs in as, may SELECT, INSERT, UPDATE and DELETE the ordinary tables
and use their sequences, but on ``audit_events`` only SELECT and INSERT: it cannot UPDATE, DELETE
or TRUNCATE it, and, not being its owner, cannot ALTER it, DISABLE its triggers, DROP them, or
replace the trigger function. Tables the owner creates later get the same grants through ALTER
DEFAULT PRIVILEGES; migration 0009 takes all but SELECT and INSERT on the audit table back from
everyone but its owner, whichever came first (the roles or the schema).

:func:`roles_sql` writes the script (``tandem db roles`` prints it; a council's DBA can read it
and run it with psql), :func:`apply_roles` runs it as an administrator.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from domain.errors import ValidationError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _role(field: str, name: str) -> str:
    if not _NAME.match(name or ""):
        raise ValidationError(
            field,
            f"{name!r} is not a usable role name: use lower-case letters, digits and _ "
            "(for example tandem_app).",
        )
    return name


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def roles_sql(
    owner: str,
    runtime: str,
    database: str,
    *,
    schema: str = "public",
    reassign_from: str | None = None,
) -> str:
    """The SQL script that creates both roles (without passwords) and grants what each needs.

    Run it as a superuser (or a role with CREATEROLE that owns the database) connected to
    ``database``. Safe to run again. ``reassign_from`` hands everything that role owns in this
    database (an older set-up where the app's own login owned the schema) to ``owner``."""
    owner = _role("owner", owner)
    runtime = _role("runtime", runtime)
    schema = _role("schema", schema)
    if owner == runtime:
        raise ValidationError("runtime", "The owner and the runtime role must be two roles.")
    db = _quote(database)
    lines = [
        f"-- Tandem: least-privilege roles for database {database} (run as a superuser).",
        f"-- {owner}: owns and migrates the schema.  {runtime}: the app's login.",
        "-- Set each password afterwards, e.g. in psql: \\password " + runtime,
        "BEGIN;",
        "DO $$",
        "BEGIN",
        f"    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{owner}') THEN",
        f"        CREATE ROLE {owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;",
        "    END IF;",
        f"    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{runtime}') THEN",
        f"        CREATE ROLE {runtime} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;",
        "    END IF;",
        "END",
        "$$;",
        f"GRANT CONNECT ON DATABASE {db} TO {owner}, {runtime};",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC;",
        f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {owner};",
        f"GRANT USAGE ON SCHEMA {schema} TO {runtime};",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {runtime};",
    ]
    if reassign_from:
        old = _role("reassign_from", reassign_from)
        lines.append(f"REASSIGN OWNED BY {old} TO {owner};")
    lines += [
        "-- What already exists (a database migrated before the roles were set up):",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {runtime};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {runtime};",
        "-- What the owner creates from now on:",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}",
        f"    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {runtime};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}",
        f"    GRANT USAGE, SELECT ON SEQUENCES TO {runtime};",
        "-- The audit log: read and add, nothing else (migration 0009 does the same on a new",
        "-- database, so the order of roles and schema does not matter).",
        "DO $$",
        "BEGIN",
        f"    IF to_regclass('{schema}.audit_events') IS NOT NULL THEN",
        f"        REVOKE ALL ON {schema}.audit_events FROM PUBLIC, {runtime};",
        f"        GRANT SELECT, INSERT ON {schema}.audit_events TO {runtime};",
        "    END IF;",
        "END",
        "$$;",
        "COMMIT;",
    ]
    return "\n".join(lines) + "\n"


def apply_roles(
    admin_url: str, owner: str, runtime: str, *, reassign_from: str | None = None
) -> str:
    """Run :func:`roles_sql` on the database of ``admin_url`` (an administrator's URL). Returns the
    database's name."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from storage.engine import resolve_url

    url = resolve_url(admin_url)
    if not url.startswith("postgresql"):
        raise ValidationError("db", "Database roles are for PostgreSQL; give an admin's URL.")
    database = make_url(url).database or "postgres"
    script = roles_sql(owner, runtime, database, reassign_from=reassign_from)
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(script)  # psycopg runs a script of several statements at once
    finally:
        engine.dispose()
    return database


def may_change_schema(connection: Connection) -> bool:
    """True if this login may run migrations here: on PostgreSQL, if it owns the schema's
    ``alembic_version`` table (or is a member of its owner, or a superuser), or, on an empty
    database, may create tables. Always True on SQLite."""
    from sqlalchemy import text

    if connection.dialect.name != "postgresql":
        return True
    owner = connection.execute(
        text(
            "SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
        )
    ).scalar()
    if owner is None:
        return bool(
            connection.execute(
                text("SELECT has_schema_privilege(current_schema(), 'CREATE')")
            ).scalar()
        )
    return bool(connection.execute(text("SELECT pg_has_role(:o, 'USAGE')"), {"o": owner}).scalar())


def current_login(engine: Engine) -> str:
    from sqlalchemy import text

    with engine.connect() as conn:
        return str(conn.execute(text("SELECT current_user")).scalar())


__all__ = ["apply_roles", "current_login", "may_change_schema", "roles_sql"]
