"""The one repository of a revisioned record: the family plan, mappings and case summaries are
each a head row (one per record: its current revision number and what lists need) and an
immutable revision row per save. Each of storage/plans.py, storage/mappings.py and
storage/summaries.py says only which tables and how its rows map; saving and listing revisions is
written here once.

Saves are compare-and-set on the stored revision number (``UPDATE ... WHERE id = ? AND
revision = ?``, then check the row count), so of two writers that opened the same revision exactly
one wins, in any process and on either database; the other gets ``Conflict`` and nothing of theirs
is stored. Every save appends an immutable revision row; nothing here updates or deletes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, and_, select, update
from sqlalchemy.orm import Mapped

from domain.errors import DomainError, NotFound
from storage.repo_base import SqlRepository, conflict, rowcount
from storage.tables import Row


class Identified(Protocol):
    """A domain record with its database id (None until first saved)."""

    @property
    def id(self) -> int | None: ...


RecordT = TypeVar("RecordT", bound=Identified)
RevisionT = TypeVar("RevisionT")
HeadRowT = TypeVar("HeadRowT", bound=Row)
RevisionRowT = TypeVar("RevisionRowT", bound=Row)


@dataclass(frozen=True)
class RevisionedTables(Generic[HeadRowT, RevisionRowT]):
    """Where a revisioned record is stored. (Columns are held here, not as class attributes of
    the repository, where SQLAlchemy's attribute descriptors would bind to the repository.)"""

    #: Name of the record in messages ("mapping": "The mapping was changed by someone else...").
    what: str
    #: One row per record, and one row per revision.
    head: type[HeadRowT]
    revisions: type[RevisionRowT]
    #: The head's id and current revision number (the compare-and-set key), as ``col(...)``.
    head_id: Mapped[int | None]
    counter: Mapped[int]
    #: The revision row's head id and number.
    parent: Mapped[int]
    number: Mapped[int]


class RevisionedRepository(SqlRepository, Generic[RecordT, RevisionT, HeadRowT, RevisionRowT]):
    """Save a record as its next revision, compare-and-set; list its revisions, oldest first.

    A subclass names its tables and columns (``tables``) and maps its rows (the four ``_`` methods that raise NotImplementedError).
    It may say how a record finds its head row (:meth:`_head`: by id unless told otherwise), how
    a new head is inserted (:meth:`_insert_head`) and why a save found no row (:meth:`_stale`).
    """

    tables: RevisionedTables[HeadRowT, RevisionRowT]

    # --- what each record type says ---------------------------------------------------------

    def _head_values(self, record: RecordT, revision: RevisionT) -> dict[str, Any]:
        """Column values of the head row once ``revision`` is saved (its counter included)."""
        raise NotImplementedError

    def _revision_row(self, revision: RevisionT, head_id: int) -> RevisionRowT:
        raise NotImplementedError

    def _revision_from_row(self, row: RevisionRowT) -> RevisionT:
        raise NotImplementedError

    def _saved(self, record: RecordT, revision: RevisionT, head_id: int) -> RecordT:
        """``record`` as stored now, at ``revision``."""
        raise NotImplementedError

    def _head(self, record: RecordT, expected: int | None) -> ColumnElement[bool] | None:
        """Which head row ``record`` is; None for a record never saved."""
        return None if record.id is None else self.tables.head_id == record.id

    def _insert_head(self, record: RecordT, values: dict[str, Any]) -> int:
        row = self.tables.head(**values)
        self.session.add(row)
        self.session.flush()
        return _id_of(row)

    def _stale(self, record_id: int | None, head: ColumnElement[bool]) -> DomainError:
        """Why a compare-and-set on ``head`` matched nothing: Conflict with the stored revision,
        or NotFound if the row is gone."""
        current = self._current(head)
        if current is None:
            return NotFound(f"No {self.tables.what} with id {record_id}.")
        return conflict(self.tables.what, current)

    def _current(self, head: ColumnElement[bool]) -> int | None:
        """The stored revision number of the head row ``head`` (None: no such row)."""
        return self.session.scalar(select(self.tables.counter).where(head))

    # --- written once ------------------------------------------------------------------------

    def save(
        self, record: RecordT, revision: RevisionT, *, expected_revision: int | None
    ) -> RecordT:
        """Store ``revision`` as the record's next one if the stored record is still at revision
        ``expected_revision`` (None: a record never saved, inserted here); else Conflict (or
        NotFound) and nothing is stored. (The port: RevisionedRecords in domain/ports.py.)"""
        expected = expected_revision
        values = self._head_values(record, revision)
        head = self._head(record, expected)
        if head is None:
            if expected is not None:
                raise conflict(self.tables.what, None)
            head_id = self._insert_head(record, values)
        else:
            result = self.session.execute(
                update(self.tables.head)
                .where(head, self.tables.counter == expected)
                .values(**values)
            )
            if rowcount(result) != 1:
                raise self._stale(record.id, head)
            head_id = record.id if record.id is not None else self._id_where(head)
        self.session.add(self._revision_row(revision, head_id))
        self.session.flush()
        return self._saved(record, revision, head_id)

    def _id_where(self, head: ColumnElement[bool]) -> int:
        found = self.session.scalar(select(self.tables.head_id).where(head))
        if found is None:
            raise NotFound(f"No {self.tables.what} found.")
        return found

    def _revisions_where(self, head: ColumnElement[bool]) -> list[RevisionT]:
        """Every revision of the record whose head matches ``head``, oldest first."""
        rows = self.session.scalars(
            select(self.tables.revisions)
            .join(self.tables.head, self.tables.head_id == self.tables.parent)
            .where(head)
            .order_by(self.tables.number)
        )
        return [self._revision_from_row(r) for r in rows]

    def _with_current(self) -> Select[HeadRowT, RevisionRowT]:
        """Head rows each with its current revision row (for records whose content lives in
        their revisions)."""
        return select(self.tables.head, self.tables.revisions).join(
            self.tables.revisions,
            and_(
                self.tables.parent == self.tables.head_id, self.tables.number == self.tables.counter
            ),
        )


def _id_of(row: Row) -> int:
    """The id a flush gave ``row``."""
    row_id = getattr(row, "id", None)
    if not isinstance(row_id, int):
        raise RuntimeError(f"{type(row).__name__} has no id after its insert.")
    return row_id
