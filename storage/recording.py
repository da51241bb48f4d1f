"""Recording time: timed recording sessions, manual entries and baseline entries: rows <->
domain objects and the repository.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlmodel import col

from domain.clock import local_date
from domain.errors import NotFound
from domain.timeuse import (
    BaselineEntry,
    ManualEntry,
    ManualKind,
    RecordingActivity,
    RecordingSession,
    TimeCategory,
)
from storage.repo_base import SqlRepository, bulk_insert, rowcount
from storage.tables import BaselineEntryRow, ManualEntryRow, RecordingSessionRow


def session_to_row(session: RecordingSession) -> RecordingSessionRow:
    return RecordingSessionRow(
        user_id=session.user_id,
        activity=session.activity.value,
        started=session.started,
        ended=session.ended,
        active_seconds=session.active_seconds,
        family_id=session.family_id,
        local_day=local_date(session.started),
    )


def session_from_row(row: RecordingSessionRow) -> RecordingSession:
    return RecordingSession(
        id=row.id,
        user_id=row.user_id,
        activity=RecordingActivity(row.activity),
        started=row.started,
        ended=row.ended,
        active_seconds=row.active_seconds,
        family_id=row.family_id,
    )


def manual_to_row(entry: ManualEntry, row: ManualEntryRow | None = None) -> ManualEntryRow:
    row = row or ManualEntryRow(
        user_id=entry.user_id, on_date=entry.on, minutes=entry.minutes, kind=entry.kind.value
    )
    row.user_id = entry.user_id
    row.on_date = entry.on
    row.minutes = entry.minutes
    row.kind = entry.kind.value
    row.note = entry.note
    row.family_id = entry.family_id
    row.entered_at = entry.entered_at
    return row


def manual_from_row(row: ManualEntryRow) -> ManualEntry:
    return ManualEntry(
        id=row.id,
        user_id=row.user_id,
        on=row.on_date,
        minutes=row.minutes,
        kind=ManualKind(row.kind),
        note=row.note,
        family_id=row.family_id,
        entered_at=row.entered_at,
    )


def baseline_to_row(entry: BaselineEntry) -> BaselineEntryRow:
    return BaselineEntryRow(
        user_id=entry.user_id,
        on_date=entry.on,
        category=entry.category.value,
        minutes=entry.minutes,
    )


def baseline_from_row(row: BaselineEntryRow) -> BaselineEntry:
    return BaselineEntry(
        id=row.id,
        user_id=row.user_id,
        on=row.on_date,
        category=TimeCategory(row.category),
        minutes=row.minutes,
    )


class SqlRecordingRepository(SqlRepository):
    def add_session(self, session: RecordingSession) -> RecordingSession:
        row = session_to_row(session)
        self.session.add(row)
        self.session.flush()
        return session_from_row(row)

    def get_session(self, session_id: int) -> RecordingSession:
        row = self.session.get(RecordingSessionRow, session_id)
        if row is None:
            raise NotFound(f"No recording session with id {session_id}.")
        return session_from_row(row)

    def update_session(self, session: RecordingSession) -> None:
        row = self.session.get(RecordingSessionRow, session.id)
        if row is None:
            raise NotFound(f"No recording session with id {session.id}.")
        row.ended = session.ended
        row.active_seconds = session.active_seconds
        self.session.add(row)
        self.session.flush()

    def add_manual(self, entry: ManualEntry) -> ManualEntry:
        row = manual_to_row(entry)
        self.session.add(row)
        self.session.flush()
        return manual_from_row(row)

    def add_baseline(self, entries: Iterable[BaselineEntry]) -> int:
        """One bulk INSERT (an import of a whole diary holds the write lock for a moment)."""
        rows = [
            {
                "user_id": e.user_id,
                "on_date": e.on,
                "category": TimeCategory(e.category).value,
                "minutes": e.minutes,
            }
            for e in entries
        ]
        self.session.flush()
        bulk_insert(self.session, BaselineEntryRow, rows)
        return len(rows)

    def sessions(
        self, *, user_id: int | None = None, family_id: int | None = None
    ) -> list[RecordingSession]:
        query = select(RecordingSessionRow).order_by(
            col(RecordingSessionRow.started), col(RecordingSessionRow.id)
        )
        if user_id is not None:
            query = query.where(col(RecordingSessionRow.user_id) == user_id)
        if family_id is not None:
            query = query.where(col(RecordingSessionRow.family_id) == family_id)
        return [session_from_row(r) for r in self.session.scalars(query)]

    def manual_entries(
        self,
        *,
        user_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[ManualEntry]:
        query = select(ManualEntryRow).order_by(col(ManualEntryRow.on_date), col(ManualEntryRow.id))
        if user_id is not None:
            query = query.where(col(ManualEntryRow.user_id) == user_id)
        if start is not None:
            query = query.where(col(ManualEntryRow.on_date) >= start)
        if end is not None:
            query = query.where(col(ManualEntryRow.on_date) <= end)
        return [manual_from_row(r) for r in self.session.scalars(query)]

    def get_manual(self, entry_id: int) -> ManualEntry:
        return manual_from_row(self._row(ManualEntryRow, entry_id, "manual entry"))

    def update_manual(self, entry: ManualEntry) -> None:
        manual_to_row(entry, self._row(ManualEntryRow, entry.id, "manual entry"))
        self.session.flush()

    def delete_manual(self, entry_id: int) -> None:
        self.session.delete(self._row(ManualEntryRow, entry_id, "manual entry"))
        self.session.flush()

    def delete_manual_between(self, user_id: int, kind: str, start: date, end: date) -> int:
        result = self.session.execute(
            delete(ManualEntryRow).where(
                col(ManualEntryRow.user_id) == user_id,
                col(ManualEntryRow.kind) == kind,
                col(ManualEntryRow.on_date) >= start,
                col(ManualEntryRow.on_date) <= end,
            )
        )
        self.session.flush()
        return rowcount(result)
