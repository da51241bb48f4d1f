"""Case summaries: rows <-> domain objects and the repository (each save a version, through
storage/revisioned.py; a never-submitted draft can be deleted whole).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import delete, select, update

from domain.summaries import Summary, SummaryEvent, SummaryStatus, SummaryVersion
from storage.repo_base import SqlRepository, conflict
from storage.revisioned import stale
from storage.snapshots import sections_from_json, sections_to_json
from storage.tables import FamilyRow, SummaryRow, SummaryVersionRow


def summary_to_row(summary: Summary, version: int, row: SummaryRow | None = None) -> SummaryRow:
    row = row or SummaryRow(
        family_id=summary.family_id,
        author_id=summary.author_id,
        period_start=summary.period_start,
        period_end=summary.period_end,
        status=summary.status.value,
        sections="",
        version=version,
    )
    row.family_id = summary.family_id
    row.author_id = summary.author_id
    row.period_start = summary.period_start
    row.period_end = summary.period_end
    row.status = summary.status.value
    row.sections = sections_to_json(summary.sections)
    row.version = version
    row.created_at = summary.created_at
    row.submitted_at = summary.submitted_at
    row.decided_at = summary.decided_at
    row.reviewer_id = summary.reviewer_id
    row.return_comment = summary.return_comment
    return row


def summary_values(summary: Summary, version: int) -> dict[str, Any]:
    """Column values of ``summary`` for an UPDATE statement."""
    row = summary_to_row(summary, version)
    return {
        name: getattr(row, name)
        for name in (
            "family_id",
            "author_id",
            "period_start",
            "period_end",
            "status",
            "sections",
            "version",
            "created_at",
            "submitted_at",
            "decided_at",
            "reviewer_id",
            "return_comment",
        )
    }


def summary_from_row(row: SummaryRow) -> Summary:
    return Summary(
        id=row.id,
        family_id=row.family_id,
        author_id=row.author_id,
        period_start=row.period_start,
        period_end=row.period_end,
        status=SummaryStatus(row.status),
        sections=sections_from_json(row.sections),
        version=row.version,
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        decided_at=row.decided_at,
        reviewer_id=row.reviewer_id,
        return_comment=row.return_comment,
    )


def summary_version_to_row(version: SummaryVersion, summary_id: int) -> SummaryVersionRow:
    return SummaryVersionRow(
        summary_id=summary_id,
        number=version.number,
        event=version.event.value,
        status=version.status.value,
        sections=sections_to_json(version.sections),
        period_start=version.period_start,
        period_end=version.period_end,
        by_user=version.by_user,
        at=version.at,
        comment=version.comment,
        co_author_id=version.co_author_id,
    )


def summary_version_from_row(row: SummaryVersionRow) -> SummaryVersion:
    return SummaryVersion(
        number=row.number,
        event=SummaryEvent(row.event),
        status=SummaryStatus(row.status),
        sections=sections_from_json(row.sections),
        period_start=row.period_start,
        period_end=row.period_end,
        by_user=row.by_user,
        at=row.at,
        comment=row.comment,
        co_author_id=row.co_author_id,
    )


class SqlSummaryRepository(SqlRepository):
    def get(self, summary_id: int) -> Summary:
        return summary_from_row(self._row(SummaryRow, summary_id, "summary"))

    def for_family(self, family_id: int) -> list[Summary]:
        rows = self.session.scalars(
            select(SummaryRow)
            .where(SummaryRow.family_id == family_id)
            .order_by(SummaryRow.period_end.desc(), SummaryRow.id.desc())
        )
        return [summary_from_row(r) for r in rows]

    def save(
        self, summary: Summary, version: SummaryVersion, *, expected_version: int | None
    ) -> Summary:
        if summary.id is None:
            if expected_version is not None:
                raise conflict("summary", None)
            row = summary_to_row(summary, version.number)
            self.session.add(row)
            self.session.flush()
            summary_id = row.id
        else:
            summary_id = summary.id
            result = self.session.execute(
                update(SummaryRow)
                .where(SummaryRow.id == summary_id, SummaryRow.version == expected_version)
                .values(**summary_values(summary, version.number))
            )
            if result.rowcount != 1:
                raise stale(self, "summary", SummaryRow.version, summary_id)
        self.session.add(summary_version_to_row(version, summary_id))
        self.session.flush()
        return replace(summary, id=summary_id, version=version.number)

    def versions(self, summary_id: int) -> list[SummaryVersion]:
        rows = self.session.scalars(
            select(SummaryVersionRow)
            .where(SummaryVersionRow.summary_id == summary_id)
            .order_by(SummaryVersionRow.number)
        )
        return [summary_version_from_row(r) for r in rows]

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
        return [summary_from_row(r) for r in self.session.scalars(query)]
