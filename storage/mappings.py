"""Signs of Safety mappings and scaling ratings: rows <-> domain objects and the repository
(mappings are saved as revisions through storage/revisioned.py).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import and_, select, update

from domain.errors import NotFound
from domain.mapping import Mapping, MappingRevision, ScalingRating
from storage.repo_base import SqlRepository, conflict
from storage.revisioned import stale
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
        return mapping_from_rows(*found)

    def for_family(self, family_id: int) -> list[Mapping]:
        found = self.session.execute(
            self._with_current()
            .where(MappingRow.family_id == family_id)
            .order_by(MappingRow.held_on, MappingRow.id)
        )
        return [mapping_from_rows(*pair) for pair in found]

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
        self.session.add(mapping_revision_to_row(revision, mapping_id))
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
        return [mapping_revision_from_row(r) for r in rows]

    def add_rating(self, rating: ScalingRating) -> ScalingRating:
        row = rating_to_row(rating)
        self.session.add(row)
        self.session.flush()
        return rating_from_row(row)

    def ratings(self, family_id: int) -> list[ScalingRating]:
        rows = self.session.scalars(
            select(ScalingRatingRow)
            .where(ScalingRatingRow.family_id == family_id)
            .order_by(ScalingRatingRow.rated_on, ScalingRatingRow.id)
        )
        return [rating_from_row(r) for r in rows]
