"""The family plan: its rows <-> domain objects and its repository (one plan per family,
saved as revisions through storage/revisioned.py).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import and_, select, update

from domain.plans import Plan, PlanRevision
from storage.repo_base import SqlRepository, conflict
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


class SqlPlanRepository(SqlRepository):
    def _current_revision(self, family_id: int) -> int | None:
        return self.session.scalar(select(PlanRow.revision).where(PlanRow.family_id == family_id))

    def for_family(self, family_id: int) -> Plan | None:
        found = self.session.execute(
            select(PlanRow, PlanRevisionRow)
            .join(
                PlanRevisionRow,
                and_(
                    PlanRevisionRow.plan_id == PlanRow.id,
                    PlanRevisionRow.number == PlanRow.revision,
                ),
            )
            .where(PlanRow.family_id == family_id)
        ).first()
        return plan_from_rows(*found) if found else None

    def save(self, plan: Plan, revision: PlanRevision, *, expected_revision: int | None) -> Plan:
        values = {
            "revision": revision.number,
            "updated_at": revision.saved_at,
            "updated_by": revision.author_id,
        }
        if expected_revision is None:
            row = PlanRow(family_id=plan.family_id, **values)
            # family_id is unique: of two first saves, the second fails here (or at the check).
            self._insert_unique(
                row,
                lambda: self._current_revision(plan.family_id) is not None,
                lambda: conflict("family plan", self._current_revision(plan.family_id)),
            )
            plan_id = row.id
        else:
            result = self.session.execute(
                update(PlanRow)
                .where(PlanRow.family_id == plan.family_id, PlanRow.revision == expected_revision)
                .values(**values)
            )
            if result.rowcount != 1:
                raise conflict("family plan", self._current_revision(plan.family_id))
            plan_id = self.session.scalar(
                select(PlanRow.id).where(PlanRow.family_id == plan.family_id)
            )
        self.session.add(plan_revision_to_row(revision, plan_id))
        self.session.flush()
        return replace(
            plan,
            id=plan_id,
            current=revision.content,
            revision=revision.number,
            updated_at=revision.saved_at,
            updated_by=revision.author_id,
        )

    def revisions(self, family_id: int) -> list[PlanRevision]:
        rows = self.session.scalars(
            select(PlanRevisionRow)
            .join(PlanRow, PlanRow.id == PlanRevisionRow.plan_id)
            .where(PlanRow.family_id == family_id)
            .order_by(PlanRevisionRow.number)
        )
        return [plan_revision_from_row(r) for r in rows]
