"""Saving a revisioned record — the family plan, a mapping, a case summary — written once.

Each save of one of them stores the next revision, compare-and-set on the revision the editor
opened (so of two people who opened the same revision, the second is told and nothing of theirs
is overwritten), records who merged whose revision (the co-author, issue 11), and writes its audit
event in the same unit of work as the revision. The services (domain/services/plans.py,
mappings.py, summaries.py) decide what may be saved and word their own messages; this module does
the saving.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from domain.audit import AuditAction
from domain.ports import RevisionedRecords, UnitOfWork
from domain.services.context import Context, audit


class Revision(Protocol):
    """One stored revision: its number and who saved it."""

    @property
    def number(self) -> int: ...
    @property
    def author_id(self) -> int: ...


class Identified(Protocol):
    @property
    def id(self) -> int | None: ...


RecordT = TypeVar("RecordT", bound=Identified)
RevisionT = TypeVar("RevisionT")


def next_number(expected: int | None) -> int:
    """The number of the revision a save stores on top of ``expected`` (None: the first)."""
    return (expected or 0) + 1


@dataclass(frozen=True)
class MergedRevision:
    """The other person's revision that the editor's text was merged with before saving."""

    number: int
    #: Who saved it (None: no revision with that number is stored).
    author_id: int | None

    def co_author(self, user_id: int | None) -> int | None:
        """Who is recorded beside the saver: the other author, unless that was the saver."""
        return self.author_id if self.author_id is not None and self.author_id != user_id else None


def merged_revision(
    merged_with: int | None, revisions: Callable[[], Iterable[Revision]]
) -> MergedRevision | None:
    """Revision ``merged_with`` among the record's ``revisions()`` (read only when the save
    merged one; None when it merged nothing)."""
    if merged_with is None:
        return None
    found = next((r for r in revisions() if r.number == merged_with), None)
    return MergedRevision(merged_with, found.author_id if found is not None else None)


def save_revision(
    ctx: Context,
    uow: UnitOfWork,
    records: RevisionedRecords[RecordT, RevisionT],
    record: RecordT,
    revision: RevisionT,
    *,
    expected: int | None,
    action: AuditAction,
    entity: str,
    family_id: int,
    detail: str = "",
) -> RecordT:
    """Store ``revision`` as ``record``'s next, only if the stored record is still at revision
    ``expected`` (None: a record never saved); else Conflict is raised and nothing is stored.
    The save's audit event (``action`` on ``entity``) is written in the same unit of work, so
    the two are committed together or not at all. Returns the record as stored."""
    saved = records.save(record, revision, expected_revision=expected)
    audit(ctx, uow, action, entity, saved.id, family_id=family_id, detail=detail)
    return saved
