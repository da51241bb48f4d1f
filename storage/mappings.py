"""Signs of Safety mappings and scaling ratings: rows <-> domain objects and the repository
(mappings are saved as revisions through storage/revisioned.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from domain.errors import NotFound
from domain.mapping import Mapping, MappingRevision, ScalingRating
from storage.revisioned import RevisionedRepository, RevisionedTables
from storage.snapshots import mapping_content_from_json, mapping_content_to_json
from storage.tables import MappingRevisionRow, MappingRow, ScalingRatingRow


def mapping_revision_to_row(revision: MappingRevision, mapping_id: int) -> MappingRevisionRow:
    return MappingRevisionRow(
        mapping_id=mapping_id,
        number=revision.number,
        content=mapping_content_to_json(revision.content),
        author_id=revision.author_id,
        saved_at=revision.saved_at,
        co_author_id=revision.co_author_id,
    )


def mapping_revision_from_row(row: MappingRevisionRow) -> MappingRevision:
    return MappingRevision(
        number=row.number,
        content=mapping_content_from_json(row.content),
        author_id=row.author_id,
        saved_at=row.saved_at,
        co_author_id=row.co_author_id,
    )


def mapping_from_rows(row: MappingRow, current: MappingRevisionRow) -> Mapping:
    return Mapping(
        id=row.id,
        family_id=row.family_id,
        current=mapping_content_from_json(current.content),
        revision=row.revision,
        updated_at=row.updated_at,
    )


def rating_to_row(rating: ScalingRating) -> ScalingRatingRow:
    return ScalingRatingRow(
        family_id=rating.family_id,
        mapping_id=rating.mapping_id,
        rated_on=rating.rated_on,
        person=rating.person,
        person_role=rating.person_role,
        score=rating.score,
        reason=rating.reason,
        anchor_zero=rating.anchor_zero,
        anchor_ten=rating.anchor_ten,
        danger_key=rating.danger_key,
        recorded_by=rating.recorded_by,
    )


def rating_from_row(row: ScalingRatingRow) -> ScalingRating:
    return ScalingRating(
        id=row.id,
        family_id=row.family_id,
        mapping_id=row.mapping_id,
        rated_on=row.rated_on,
        person=row.person,
        person_role=row.person_role,
        score=row.score,
        reason=row.reason,
        anchor_zero=row.anchor_zero,
        anchor_ten=row.anchor_ten,
        danger_key=row.danger_key,
        recorded_by=row.recorded_by,
    )


class SqlMappingRepository(
    RevisionedRepository[Mapping, MappingRevision, MappingRow, MappingRevisionRow]
):
    """A family's mappings (any number), each saved as revisions; and the scaling ratings."""

    tables = RevisionedTables(
        what="mapping",
        head=MappingRow,
        revisions=MappingRevisionRow,
        head_id=col(MappingRow.id),
        counter=col(MappingRow.revision),
        parent=col(MappingRevisionRow.mapping_id),
        number=col(MappingRevisionRow.number),
    )

    def get(self, mapping_id: int) -> Mapping:
        found = self.session.execute(
            self._with_current().where(col(MappingRow.id) == mapping_id)
        ).first()
        if found is None:
            raise NotFound(f"No mapping with id {mapping_id}.")
        return mapping_from_rows(*found)

    def for_family(self, family_id: int) -> list[Mapping]:
        found = self.session.execute(
            self._with_current()
            .where(col(MappingRow.family_id) == family_id)
            .order_by(col(MappingRow.held_on), col(MappingRow.id))
        )
        return [mapping_from_rows(*pair) for pair in found]

    def revisions(self, mapping_id: int) -> list[MappingRevision]:
        return self._revisions_where(col(MappingRow.id) == mapping_id)

    # --- the revisioned record's parts ---------------------------------------------------------

    def _head_values(self, record: Mapping, revision: MappingRevision) -> dict[str, Any]:
        return {
            "family_id": record.family_id,
            "held_on": revision.content.held_on,
            "revision": revision.number,
            "updated_at": revision.saved_at,
        }

    def _revision_row(self, revision: MappingRevision, head_id: int) -> MappingRevisionRow:
        return mapping_revision_to_row(revision, head_id)

    def _revision_from_row(self, row: MappingRevisionRow) -> MappingRevision:
        return mapping_revision_from_row(row)

    def _saved(self, record: Mapping, revision: MappingRevision, head_id: int) -> Mapping:
        return replace(
            record,
            id=head_id,
            current=revision.content,
            revision=revision.number,
            updated_at=revision.saved_at,
        )

    # --- scaling ---------------------------------------------------------------------------------

    def add_rating(self, rating: ScalingRating) -> ScalingRating:
        row = rating_to_row(rating)
        self.session.add(row)
        self.session.flush()
        return rating_from_row(row)

    def ratings(self, family_id: int) -> list[ScalingRating]:
        rows = self.session.scalars(
            select(ScalingRatingRow)
            .where(col(ScalingRatingRow.family_id) == family_id)
            .order_by(col(ScalingRatingRow.rated_on), col(ScalingRatingRow.id))
        )
        return [rating_from_row(r) for r in rows]
