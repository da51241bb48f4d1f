"""SQL repositories for the revisioned case records: the family plan, mappings (with their
scaling ratings) and case summaries. (Re-exported by storage/repositories.py.)

Saves are compare-and-set on the stored revision number (``UPDATE ... WHERE id = ? AND
revision = ?``, then check the row count), so of two writers that opened the same revision exactly
one wins, in any process and on either database; the other gets ``Conflict`` and nothing of theirs
is stored. Every save appends an immutable revision row; nothing here updates or deletes one,
except ``SqlSummaryRepository.delete``, which removes a whole summary with its versions (the
service allows it only for a draft that was never submitted).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import and_, delete, select, update

from domain.errors import NotFound
from domain.mapping import Mapping, MappingRevision, ScalingRating
from domain.plans import Plan, PlanRevision
from domain.summaries import Summary, SummaryStatus, SummaryVersion
from storage import mappers as m
from storage.repo_base import SqlRepository, conflict
from storage.tables import (
    FamilyRow,
    MappingRevisionRow,
    MappingRow,
    PlanRevisionRow,
    PlanRow,
    ScalingRatingRow,
    SummaryRow,
    SummaryVersionRow,
)

# --- plans ------------------------------------------------------------------------------------


def stale(repo: SqlRepository, entity: str, revision_column: Any, row_id: int) -> Exception:
    """Why a compare-and-set on row ``row_id`` matched nothing: Conflict with the stored
    revision, or NotFound if the row is gone."""
    table = revision_column.class_
    current = repo.session.scalar(select(revision_column).where(table.id == row_id))
    if current is None:
        return NotFound(f"No {entity} with id {row_id}.")
    return conflict(entity, current)


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
        return m.plan_from_rows(*found) if found else None

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
        self.session.add(m.plan_revision_to_row(revision, plan_id))
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
        return [m.plan_revision_from_row(r) for r in rows]


# --- mappings ---------------------------------------------------------------------------------


class SqlMappingRepository(SqlRepository):
    def _with_current(self):  # type: ignore[no-untyped-def]
        return select(MappingRow, MappingRevisionRow).join(
            MappingRevisionRow,
            and_(
                MappingRevisionRow.mapping_id == MappingRow.id,
                MappingRevisionRow.number == MappingRow.revision,
            ),
        )

    def get(self, mapping_id: int) -> Mapping:
        found = self.session.execute(
            self._with_current().where(MappingRow.id == mapping_id)
        ).first()
        if found is None:
            raise NotFound(f"No mapping with id {mapping_id}.")
        return m.mapping_from_rows(*found)

    def for_family(self, family_id: int) -> list[Mapping]:
        found = self.session.execute(
            self._with_current()
            .where(MappingRow.family_id == family_id)
            .order_by(MappingRow.held_on, MappingRow.id)
        )
        return [m.mapping_from_rows(*pair) for pair in found]

    def save(
        self, mapping: Mapping, revision: MappingRevision, *, expected_revision: int | None
    ) -> Mapping:
        values = {
            "held_on": revision.content.held_on,
            "revision": revision.number,
            "updated_at": revision.saved_at,
        }
        if mapping.id is None:
            if expected_revision is not None:
                raise conflict("mapping", None)
            row = MappingRow(family_id=mapping.family_id, **values)
            self.session.add(row)
            self.session.flush()
            mapping_id = row.id
        else:
            mapping_id = mapping.id
            result = self.session.execute(
                update(MappingRow)
                .where(MappingRow.id == mapping_id, MappingRow.revision == expected_revision)
                .values(**values)
            )
            if result.rowcount != 1:
                raise stale(self, "mapping", MappingRow.revision, mapping_id)
        self.session.add(m.mapping_revision_to_row(revision, mapping_id))
        self.session.flush()
        return replace(
            mapping,
            id=mapping_id,
            current=revision.content,
            revision=revision.number,
            updated_at=revision.saved_at,
        )

    def revisions(self, mapping_id: int) -> list[MappingRevision]:
        rows = self.session.scalars(
            select(MappingRevisionRow)
            .where(MappingRevisionRow.mapping_id == mapping_id)
            .order_by(MappingRevisionRow.number)
        )
        return [m.mapping_revision_from_row(r) for r in rows]

    def add_rating(self, rating: ScalingRating) -> ScalingRating:
        row = m.rating_to_row(rating)
        self.session.add(row)
        self.session.flush()
        return m.rating_from_row(row)

    def ratings(self, family_id: int) -> list[ScalingRating]:
        rows = self.session.scalars(
            select(ScalingRatingRow)
            .where(ScalingRatingRow.family_id == family_id)
            .order_by(ScalingRatingRow.rated_on, ScalingRatingRow.id)
        )
        return [m.rating_from_row(r) for r in rows]


# --- summaries --------------------------------------------------------------------------------


class SqlSummaryRepository(SqlRepository):
    def get(self, summary_id: int) -> Summary:
        return m.summary_from_row(self._row(SummaryRow, summary_id, "summary"))

    def for_family(self, family_id: int) -> list[Summary]:
        rows = self.session.scalars(
            select(SummaryRow)
            .where(SummaryRow.family_id == family_id)
            .order_by(SummaryRow.period_end.desc(), SummaryRow.id.desc())
        )
        return [m.summary_from_row(r) for r in rows]

    def save(
        self, summary: Summary, version: SummaryVersion, *, expected_version: int | None
    ) -> Summary:
        if summary.id is None:
            if expected_version is not None:
                raise conflict("summary", None)
            row = m.summary_to_row(summary, version.number)
            self.session.add(row)
            self.session.flush()
            summary_id = row.id
        else:
            summary_id = summary.id
            result = self.session.execute(
                update(SummaryRow)
                .where(SummaryRow.id == summary_id, SummaryRow.version == expected_version)
                .values(**m.summary_values(summary, version.number))
            )
            if result.rowcount != 1:
                raise stale(self, "summary", SummaryRow.version, summary_id)
        self.session.add(m.summary_version_to_row(version, summary_id))
        self.session.flush()
        return replace(summary, id=summary_id, version=version.number)

    def versions(self, summary_id: int) -> list[SummaryVersion]:
        rows = self.session.scalars(
            select(SummaryVersionRow)
            .where(SummaryVersionRow.summary_id == summary_id)
            .order_by(SummaryVersionRow.number)
        )
        return [m.summary_version_from_row(r) for r in rows]

    def delete(self, summary_id: int, *, expected_version: int) -> None:
        # Check the version and lock the row in one statement (an update that changes nothing):
        # a concurrent save either committed first (the version moved: Conflict) or waits for
        # this transaction and then finds no row. Versions go first (their foreign key has no
        # ON DELETE). Nothing else refers to a summary: recording sessions name the family only
        # and audit events carry the id without a foreign key.
        locked = self.session.execute(
            update(SummaryRow)
            .where(SummaryRow.id == summary_id, SummaryRow.version == expected_version)
            .values(version=SummaryRow.version)
            .execution_options(synchronize_session=False)
        )
        if locked.rowcount != 1:
            raise stale(self, "summary", SummaryRow.version, summary_id)
        self.session.execute(
            delete(SummaryVersionRow).where(SummaryVersionRow.summary_id == summary_id)
        )
        self.session.execute(delete(SummaryRow).where(SummaryRow.id == summary_id))
        self.session.flush()

    def with_status(self, status: SummaryStatus, *, team_id: int | None = None) -> list[Summary]:
        query: Any = select(SummaryRow).where(SummaryRow.status == SummaryStatus(status).value)
        if team_id is not None:
            query = query.join(FamilyRow, FamilyRow.id == SummaryRow.family_id).where(
                FamilyRow.team_id == team_id
            )
        query = query.order_by(SummaryRow.submitted_at.asc().nulls_first(), SummaryRow.id)
        return [m.summary_from_row(r) for r in self.session.scalars(query)]
