"""What every SQL repository shares: the Session, NotFound on a missing id, and unique inserts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import Conflict, DomainError, NotFound
from storage.tables import Row

R = TypeVar("R", bound=Row)


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


def conflict(what: str, current: int | None) -> Conflict:
    now = f" (it is now at revision {current})" if current is not None else ""
    return Conflict(
        f"The {what} was changed by someone else since you opened it{now}. Nothing was "
        f"overwritten: reopen the {what} to see their changes.",
        current_revision=current,
    )
