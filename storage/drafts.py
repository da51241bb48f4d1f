"""Editor drafts (autosaved text per user and key): rows <-> drafts and the repository."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import col

from domain.audit import Draft
from storage.repo_base import SqlRepository
from storage.tables import DraftRow


def draft_values(draft: Draft) -> dict[str, Any]:
    return {
        "user_id": draft.user_id,
        "key": draft.key,
        "content": draft.content,
        "saved_at": draft.saved_at,
        "base_revision": draft.base_revision,
    }


def draft_from_row(row: DraftRow) -> Draft:
    return Draft(
        id=row.id,
        user_id=row.user_id,
        key=row.key,
        content=row.content,
        saved_at=row.saved_at,
        base_revision=row.base_revision,
    )


class SqlDraftRepository(SqlRepository):
    def put(self, draft: Draft) -> None:
        """Insert or replace by (user_id, key) in one statement (no read-then-write race)."""
        values = draft_values(draft)
        dialect = self.session.get_bind().dialect.name
        # Imported here: the PostgreSQL dialect package is 4 MiB a SQLite session need not hold.
        insert = import_module(f"sqlalchemy.dialects.{dialect}").insert  # sqlite or postgresql
        statement = insert(DraftRow).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["user_id", "key"],
            set_={k: statement.excluded[k] for k in ("content", "saved_at", "base_revision")},
        )
        self.session.execute(statement)

    def get(self, user_id: int, key: str) -> Draft | None:
        row = self.session.scalars(
            select(DraftRow)
            .where(col(DraftRow.user_id) == user_id, col(DraftRow.key) == key)
            .execution_options(populate_existing=True)
        ).first()
        return draft_from_row(row) if row else None

    def delete(self, user_id: int, key: str) -> None:
        self.session.execute(
            delete(DraftRow).where(col(DraftRow.user_id) == user_id, col(DraftRow.key) == key)
        )

    def delete_for_everyone(self, key: str) -> None:
        self.session.execute(delete(DraftRow).where(col(DraftRow.key) == key))

    def for_user(self, user_id: int) -> list[Draft]:
        rows = self.session.scalars(
            select(DraftRow)
            .where(col(DraftRow.user_id) == user_id)
            .order_by(col(DraftRow.id))
            .execution_options(populate_existing=True)
        )
        return [draft_from_row(r) for r in rows]
