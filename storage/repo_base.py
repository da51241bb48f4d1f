"""What every SQL repository shares: the Session, NotFound on a missing id, unique inserts, and
the registry the unit of work builds a record type's repository from (``register``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import Conflict, DomainError, NotFound
from domain.ports import RepoKey

if TYPE_CHECKING:
    # Not at run time: storage/tables.py imports the modules of storage/records/ as it ends, and
    # they import this module, which must then not need the half-imported tables.
    from storage.tables import Row

R = TypeVar("R", bound="Row")
T = TypeVar("T")

#: key -> how to make its repository on a Session (filled by ``register``).
_FACTORIES: dict[RepoKey[Any], Callable[[Session], Any]] = {}


def register(key: RepoKey[T], factory: Callable[[Session], T]) -> None:
    """Make ``factory(session)`` the repository ``uow.repo(key)`` serves (storage/uow.py). Called
    once, by the record's module in storage/records/ (imported with storage/tables.py, so every
    record is registered whenever a unit of work exists). mypy checks that the factory's
    repository implements the key's port."""
    taken = next((k for k in _FACTORIES if k.name == key.name), None)
    if taken is not None and taken is not key:
        raise RuntimeError(f"Two repository keys are named {key.name!r}.")
    _FACTORIES[key] = factory


def registered(key: RepoKey[T]) -> Callable[[Session], T]:
    """The factory registered against ``key`` (LookupError naming it if none is)."""
    try:
        return cast("Callable[[Session], T]", _FACTORIES[key])  # register() typed it so
    except KeyError:
        raise LookupError(
            f"No repository is registered for {key!r}: its module in storage/records/ should "
            "call storage.repo_base.register(key, ...)."
        ) from None


def registered_keys() -> list[RepoKey[Any]]:
    return list(_FACTORIES)


class SqlRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, table: type[R], key: int | None, what: str) -> R:
        row = self.session.get(table, key) if key is not None else None
        if row is None:
            raise NotFound(f"No {what} with id {key}.")
        return row

    def _insert_unique(
        self, row: Row, taken: Callable[[], bool], error: Callable[[], DomainError]
    ) -> None:
        """Insert ``row``; if its unique key is taken, now or by a writer that committed while we
        waited, raise ``error()`` and leave the transaction usable (the insert runs in a savepoint).
        """
        if taken():
            raise error()
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            if taken():
                raise error() from None
            raise


def known_id(row_id: int | None) -> int:
    """The id of a row read from the database or flushed to it (the type allows None only for
    a row or record not yet inserted)."""
    if row_id is None:
        raise RuntimeError("A stored row has no id.")
    return row_id


def conflict(what: str, current: int | None) -> Conflict:
    now = f" (it is now at revision {current})" if current is not None else ""
    return Conflict(
        f"The {what} was changed by someone else since you opened it{now}. Nothing was "
        f"overwritten: reopen the {what} to see their changes.",
        current_revision=current,
    )


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched (``Session.execute`` types its result as a plain
    ``Result``; for those statements it is a ``CursorResult``, which counts them)."""
    return int(cast("CursorResult[Any]", result).rowcount)


def bulk_insert(session: Session, table: type[Row], rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) with one DB-API ``executemany``.

    Straight to the driver: SQLAlchemy's per-row parameter processing costs more than SQLite's
    own insert of tens of thousands of rows, and this runs while the import holds the write lock.
    On SQLite dates and datetimes are written as SQLAlchemy writes them (ISO text), so they read
    back the same; psycopg adapts them itself."""
    if not rows:
        return
    columns = list(rows[0])
    name = table.__tablename__
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        values = [tuple(_sqlite_value(row[c]) for c in columns) for row in rows]
    else:
        marks = ", ".join("%s" for _ in columns)
        values = [tuple(_utc_naive(row[c]) for c in columns) for row in rows]
    statement = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"
    connection.exec_driver_sql(statement, values)


def _utc_naive(value: Any) -> Any:
    """An aware instant as UTC without its zone (as the audit chain hashes it); else unchanged.
    This path bypasses column types: keep it in step with how storage/tables.py stores instants."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc_naive(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value
