"""The column type of every stored instant: UTC in the database, aware UTC in Python.

The database column is a plain ``TIMESTAMP`` / SQLite text datetime holding UTC wall time (the
same on SQLite and PostgreSQL, and sortable as stored). Values come back timezone-aware (UTC).
A naive value given to it is read as local wall time (``domain.clock.as_utc``), the rule the
migration to UTC applied to the rows stored before it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from domain.clock import as_utc


class UtcDateTime(TypeDecorator[datetime]):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
