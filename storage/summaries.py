"""Case summaries: rows <-> domain objects and the repository (each save a version, through
storage/revisioned.py; a never-submitted draft can be deleted whole).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import col

from domain.summaries import Summary, SummaryEvent, SummaryStatus, SummaryVersion
from storage.repo_base import rowcount
from storage.revisioned import RevisionedRepository, RevisionedTables
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


class SqlSummaryRepository(
    RevisionedRepository[Summary, SummaryVersion, SummaryRow, SummaryVersionRow]
):
    """Case summaries, each saved as versions; the head row holds the current text (lists and
    the review queue read it without the versions)."""

    tables = RevisionedTables(
        what="summary",
        head=SummaryRow,
        revisions=SummaryVersionRow,
        head_id=col(SummaryRow.id),
        counter=col(SummaryRow.version),
        parent=col(SummaryVersionRow.summary_id),
        number=col(SummaryVersionRow.number),
    )

    def get(self, summary_id: int) -> Summary:
        return summary_from_row(self._row(SummaryRow, summary_id, "summary"))

    def for_family(self, family_id: int) -> list[Summary]:
        rows = self.session.scalars(
            select(SummaryRow)
            .where(col(SummaryRow.family_id) == family_id)
            .order_by(col(SummaryRow.period_end).desc(), col(SummaryRow.id).desc())
        )
        return [summary_from_row(r) for r in rows]

    def versions(self, summary_id: int) -> list[SummaryVersion]:
        return self._revisions_where(col(SummaryRow.id) == summary_id)

    def delete(self, summary_id: int, *, expected_version: int) -> None:
        # Check the version and lock the row in one statement (an update that changes nothing):
        # a concurrent save either committed first (the version moved: Conflict) or waits for
        # this transaction and then finds no row. Versions go first (their foreign key has no
        # ON DELETE). Nothing else refers to a summary: recording sessions name the family only
        # and audit events carry the id without a foreign key.
        head = col(SummaryRow.id) == summary_id
        locked = self.session.execute(
            update(SummaryRow)
            .where(head, col(SummaryRow.version) == expected_version)
            .values(version=col(SummaryRow.version))
            .execution_options(synchronize_session=False)
        )
        if rowcount(locked) != 1:
            raise self._stale(summary_id, head)
        self.session.execute(
            delete(SummaryVersionRow).where(col(SummaryVersionRow.summary_id) == summary_id)
        )
        self.session.execute(delete(SummaryRow).where(head))
        self.session.flush()

    def with_status(self, status: SummaryStatus, *, team_id: int | None = None) -> list[Summary]:
        query: Any = select(SummaryRow).where(col(SummaryRow.status) == SummaryStatus(status).value)
        if team_id is not None:
            query = query.join(FamilyRow, col(FamilyRow.id) == col(SummaryRow.family_id)).where(
                col(FamilyRow.team_id) == team_id
            )
        query = query.order_by(col(SummaryRow.submitted_at).asc().nulls_first(), col(SummaryRow.id))
        return [summary_from_row(r) for r in self.session.scalars(query)]

    # --- the revisioned record's parts ---------------------------------------------------------

    def _head_values(self, record: Summary, revision: SummaryVersion) -> dict[str, Any]:
        return summary_values(record, revision.number)

    def _revision_row(self, revision: SummaryVersion, head_id: int) -> SummaryVersionRow:
        return summary_version_to_row(revision, head_id)

    def _revision_from_row(self, row: SummaryVersionRow) -> SummaryVersion:
        return summary_version_from_row(row)

    def _saved(self, record: Summary, revision: SummaryVersion, head_id: int) -> Summary:
        return replace(record, id=head_id, version=revision.number)
