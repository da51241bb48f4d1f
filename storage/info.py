"""Facts about a database for ``tandem info``: how many rows each table holds (counted in SQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def record_counts(engine: Engine) -> dict[str, int]:
    """{table name: row count} for every Tandem table, parents before children."""
    from sqlalchemy import func, select

    from storage.tables import metadata

    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in metadata.sorted_tables
        }
