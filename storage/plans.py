"""The family plan: its rows <-> domain objects and its repository (one plan per family,
saved as revisions through storage/revisioned.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col

from domain.errors import DomainError
from domain.plans import Plan, PlanRevision
from storage.repo_base import conflict
from storage.revisioned import RevisionedRepository, RevisionedTables
from storage.snapshots import plan_content_from_json, plan_content_to_json
from storage.tables import PlanRevisionRow, PlanRow


def plan_revision_to_row(revision: PlanRevision, plan_id: int) -> PlanRevisionRow:
    return PlanRevisionRow(
        plan_id=plan_id,
        number=revision.number,
        content=plan_content_to_json(revision.content),
        author_id=revision.author_id,
        saved_at=revision.saved_at,
        co_author_id=revision.co_author_id,
    )


def plan_revision_from_row(row: PlanRevisionRow) -> PlanRevision:
    return PlanRevision(
        number=row.number,
        content=plan_content_from_json(row.content),
        author_id=row.author_id,
        saved_at=row.saved_at,
        co_author_id=row.co_author_id,
    )


def plan_from_rows(row: PlanRow, current: PlanRevisionRow) -> Plan:
    return Plan(
        id=row.id,
        family_id=row.family_id,
        current=plan_content_from_json(current.content),
        revision=row.revision,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class SqlPlanRepository(RevisionedRepository[Plan, PlanRevision, PlanRow, PlanRevisionRow]):
    """One plan per family (``family_id`` is unique), found by its family."""

    tables = RevisionedTables(
        what="family plan",
        head=PlanRow,
        revisions=PlanRevisionRow,
        head_id=col(PlanRow.id),
        counter=col(PlanRow.revision),
        parent=col(PlanRevisionRow.plan_id),
        number=col(PlanRevisionRow.number),
    )

    def for_family(self, family_id: int) -> Plan | None:
        found = self.session.execute(
            self._with_current().where(col(PlanRow.family_id) == family_id)
        ).first()
        return plan_from_rows(*found) if found else None

    def revisions(self, family_id: int) -> list[PlanRevision]:
        return self._revisions_where(col(PlanRow.family_id) == family_id)

    # --- the revisioned record's parts ---------------------------------------------------------

    def _head(self, record: Plan, expected: int | None) -> ColumnElement[bool] | None:
        # The family's plan, whatever id the record carries; a first save inserts it.
        return None if expected is None else col(PlanRow.family_id) == record.family_id

    def _insert_head(self, record: Plan, values: dict[str, Any]) -> int:
        row = PlanRow(**values)
        # family_id is unique: of two first saves, the second fails here (or at the check).
        self._insert_unique(
            row,
            lambda: self._current_revision(record.family_id) is not None,
            lambda: conflict(self.tables.what, self._current_revision(record.family_id)),
        )
        assert row.id is not None
        return row.id

    def _stale(self, record_id: int | None, head: ColumnElement[bool]) -> DomainError:
        return conflict(self.tables.what, self._current(head))  # a plan is never deleted

    def _current_revision(self, family_id: int) -> int | None:
        return self._current(col(PlanRow.family_id) == family_id)

    def _head_values(self, record: Plan, revision: PlanRevision) -> dict[str, Any]:
        return {
            "family_id": record.family_id,
            "revision": revision.number,
            "updated_at": revision.saved_at,
            "updated_by": revision.author_id,
        }

    def _revision_row(self, revision: PlanRevision, head_id: int) -> PlanRevisionRow:
        return plan_revision_to_row(revision, head_id)

    def _revision_from_row(self, row: PlanRevisionRow) -> PlanRevision:
        return plan_revision_from_row(row)

    def _saved(self, record: Plan, revision: PlanRevision, head_id: int) -> Plan:
        return replace(
            record,
            id=head_id,
            current=revision.content,
            revision=revision.number,
            updated_at=revision.saved_at,
            updated_by=revision.author_id,
        )
