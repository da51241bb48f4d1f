"""What the revisioned case records (plan, mapping, summary) share in storage.

Saves are compare-and-set on the stored revision number (``UPDATE ... WHERE id = ? AND
revision = ?``, then check the row count), so of two writers that opened the same revision exactly
one wins, in any process and on either database; the other gets ``Conflict`` and nothing of theirs
is stored. Every save appends an immutable revision row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.errors import NotFound
from storage.repo_base import SqlRepository, conflict


def stale(repo: SqlRepository, entity: str, revision_column: Any, row_id: int) -> Exception:
    """Why a compare-and-set on row ``row_id`` matched nothing: Conflict with the stored
    revision, or NotFound if the row is gone."""
    table = revision_column.class_
    current = repo.session.scalar(select(revision_column).where(table.id == row_id))
    if current is None:
        return NotFound(f"No {entity} with id {row_id}.")
    return conflict(entity, current)
