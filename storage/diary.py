"""Time-use diary rows of both phases (domain/diary.py): the pre-trial baseline in
``baseline_entries``, the trial-phase (calibration) diary in ``trial_diary_entries``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlmodel import col

from domain.diary import DiaryPhase
from domain.timeuse import BaselineEntry
from storage.repo_base import SqlRepository, rowcount
from storage.tables import BaselineEntryRow, TrialDiaryEntryRow

_TABLES: dict[DiaryPhase, type[BaselineEntryRow] | type[TrialDiaryEntryRow]] = {
    DiaryPhase.BASELINE: BaselineEntryRow,
    DiaryPhase.TRIAL: TrialDiaryEntryRow,
}


class SqlDiaryRepository(SqlRepository):
    def add(self, phase: DiaryPhase, entries: Iterable[BaselineEntry]) -> int:
        table = _TABLES[phase]
        rows = [
            table(user_id=e.user_id, on_date=e.on, category=e.category.value, minutes=e.minutes)
            for e in entries
        ]
        self.session.add_all(rows)
        self.session.flush()
        return len(rows)

    def keys(
        self, phase: DiaryPhase, user_ids: Sequence[int], start: date, end: date
    ) -> set[tuple[int, date, str]]:
        table = _TABLES[phase]
        if not user_ids:
            return set()
        query = select(col(table.user_id), col(table.on_date), col(table.category)).where(
            col(table.user_id).in_(list(user_ids)),
            col(table.on_date) >= start,
            col(table.on_date) <= end,
        )
        return {(int(u), d, str(c)) for u, d, c in self.session.execute(query)}

    def delete(self, phase: DiaryPhase, user_id: int, start: date, end: date) -> int:
        table = _TABLES[phase]
        result = self.session.execute(
            delete(table).where(
                col(table.user_id) == user_id,
                col(table.on_date) >= start,
                col(table.on_date) <= end,
            )
        )
        return rowcount(result)
