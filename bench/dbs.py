"""Which database a benchmark runs on: a SQLite file path or a ``postgresql://`` URL.

Every benchmark takes ``--db`` as a path (SQLite) or a PostgreSQL URL and reaches the database
two ways: through the app (``tui.bootstrap.open_runtime``, which accepts either) and through the
plain driver for the hand-written SQL and the generator's bulk load (:func:`connect`: the
``sqlite3`` module, or psycopg 3 — the driver the app's ``postgres`` extra installs).

A PostgreSQL database a benchmark creates is marked with a comment (:data:`MARK`);
:func:`recreate_postgres_database` only ever drops a database that carries that mark (or holds
no tables), never someone's real data.
"""

from __future__ import annotations

import re
from typing import Any

#: COMMENT ON DATABASE of every PostgreSQL database the benchmarks create.
MARK = "Tandem benchmark data (bench.generate); may be dropped and recreated"


def is_postgres(db: str) -> bool:
    return db.split("://", 1)[0] in ("postgres", "postgresql", "postgresql+psycopg")


def dialect(db: str) -> str:
    """``'postgresql'`` or ``'sqlite'``, as SQLAlchemy names them."""
    return "postgresql" if is_postgres(db) else "sqlite"


def driver_name(db: str) -> str:
    return "psycopg" if is_postgres(db) else "sqlite3"


def libpq_url(db: str) -> str:
    """``db`` as libpq reads it (no SQLAlchemy driver suffix)."""
    scheme, rest = db.split("://", 1)
    return f"postgresql://{rest}" if scheme.startswith("postgres") else db


def shown(db: str) -> str:
    """``db`` fit to print: any password replaced by ``***``."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", db)


def connect(db: str) -> Any:
    """A plain DB-API connection (autocommit off) to ``db``."""
    if is_postgres(db):
        import psycopg

        return psycopg.connect(libpq_url(db))
    import sqlite3

    return sqlite3.connect(db)


def portable(sql: str, db: str) -> str:
    """``sql`` written with ``:name`` parameters, in the driver's own style for ``db``.

    For psycopg a literal ``%`` is doubled: run the result with a parameter dict (``{}`` if
    there are none), never with none at all."""
    if is_postgres(db):
        return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql.replace("%", "%%"))
    return sql


def _split_database(db: str) -> tuple[str, str]:
    """(URL of the server's ``postgres`` maintenance database, name of the database in ``db``)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(libpq_url(db))
    name = params.get("dbname")
    if not name:
        raise SystemExit(f"{shown(db)} names no database")
    return make_conninfo(**{**params, "dbname": "postgres"}), str(name)


def recreate_postgres_database(db: str) -> None:
    """Make the database ``db`` names empty and marked, dropping it first if a benchmark made it.

    A database that exists, holds tables and lacks the mark is refused (SystemExit) unchanged.
    """
    import psycopg
    from psycopg import sql

    admin, name = _split_database(db)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
        if row is not None:
            if row[0] != MARK:
                with psycopg.connect(libpq_url(db)) as target:
                    tables = target.execute(
                        "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                        "('pg_catalog', 'information_schema')"
                    ).fetchone()
                if tables and tables[0]:
                    raise SystemExit(
                        f"{shown(db)} already holds {tables[0]} tables and was not made by "
                        "bench.generate: name a new database (it is created), nothing was changed"
                    )
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(MARK))
        )


def drop_postgres_database(db: str) -> None:
    """Drop the database ``db`` names if a benchmark made it (a missing one is fine)."""
    import psycopg
    from psycopg import sql

    admin, name = _split_database(db)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
        if row is None:
            return
        if row[0] != MARK:
            raise SystemExit(f"{shown(db)} was not made by a benchmark: it was not dropped")
        conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))


def _comparable(value: Any) -> Any:
    """A value as the SQLite file stores it (booleans 0/1, dates and times as ISO text)."""
    import datetime as dt

    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


#: Columns that differ between two generated databases by design (a random salt).
_UNEQUAL = {("users", "passphrase_hash")}


def differences(sqlite_path: str, other: str) -> list[str]:
    """Every table of the SQLite file ``sqlite_path`` whose rows differ in ``other`` (a SQLite
    path or PostgreSQL URL), compared row for row and column for column."""
    a, b = connect(sqlite_path), connect(other)
    out = []
    try:
        tables = [
            r[0]
            for r in a.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite%' AND name != 'alembic_version' ORDER BY name"
            )
        ]
        for table in tables:
            columns = [
                r[1]
                for r in a.execute(f"PRAGMA table_info({table})")
                if (table, r[1]) not in _UNEQUAL
            ]
            sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns)}"
            mine = [tuple(_comparable(v) for v in row) for row in a.execute(sql)]
            theirs = [tuple(_comparable(v) for v in row) for row in b.execute(sql).fetchall()]
            if mine != theirs:
                out.append(f"{table}: {len(mine)} rows against {len(theirs)}, not the same")
        if not tables:
            out.append(f"{sqlite_path} has no tables")
        return out
    finally:
        a.close()
        b.close()


def main() -> None:
    """``python -m bench.dbs drop URL…``: drop databases the benchmarks made (CI cleans up).
    ``python -m bench.dbs same FILE DB``: check two generated databases hold the same rows."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("action", choices=["drop", "same"])
    parser.add_argument("dbs", nargs="+")
    args = parser.parse_args()
    if args.action == "same":
        if len(args.dbs) != 2:
            raise SystemExit("same: give a SQLite file and a second database")
        problems = differences(*args.dbs)
        if problems:
            raise SystemExit("the databases differ: " + "; ".join(problems))
        print(f"{args.dbs[0]} and {shown(args.dbs[1])}: the same rows in every table")
        return
    for url in args.dbs:
        drop_postgres_database(url)
        print(f"dropped {shown(url)} (if it existed)")


if __name__ == "__main__":
    main()
