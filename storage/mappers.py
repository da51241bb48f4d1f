"""Row <-> domain conversions for people, families and the revisioned case records (plans,
mappings with their scaling, summaries), written out by hand so what is stored is plain to see.
The JSON snapshots are in storage/snapshots.py; day-to-day records in storage/record_mappers.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from domain.mapping import (
    Mapping,
    MappingRevision,
    ScalingRating,
)
from domain.people import Role, Team, TeamSettings, User
from domain.plans import Plan, PlanRevision
from domain.summaries import Summary, SummaryEvent, SummaryStatus, SummaryVersion
from storage.snapshots import (
    mapping_content_from_json,
    mapping_content_to_json,
    plan_content_from_json,
    plan_content_to_json,
    sections_from_json,
    sections_to_json,
)
from storage.tables import (
    FamilyRow,
    MappingRevisionRow,
    MappingRow,
    MemberRow,
    MemberStatusRow,
    PlanRevisionRow,
    PlanRow,
    ScalingRatingRow,
    SummaryRow,
    SummaryVersionRow,
    TeamRow,
    UserRow,
)

# --- teams and users --------------------------------------------------------------------------


def team_to_row(team: Team, row: TeamRow | None = None) -> TeamRow:
    row = row or TeamRow(name=team.name)
    row.name = team.name
    row.summary_rhythm_weeks = team.settings.summary_rhythm_weeks
    row.visiting_standard_working_days = team.settings.visiting_standard_working_days
    row.practitioners_see_team_families = team.settings.practitioners_see_team_families
    row.cp_first_review_months = team.settings.cp_first_review_months
    row.cp_later_review_months = team.settings.cp_later_review_months
    row.cin_review_months = team.settings.cin_review_months
    row.early_help_review_months = team.settings.early_help_review_months
    row.cla_review_months = team.settings.cla_review_months
    row.phone = team.settings.phone
    return row


def team_from_row(row: TeamRow) -> Team:
    return Team(
        id=row.id,
        name=row.name,
        settings=TeamSettings(
            summary_rhythm_weeks=row.summary_rhythm_weeks,
            visiting_standard_working_days=row.visiting_standard_working_days,
            practitioners_see_team_families=row.practitioners_see_team_families,
            cp_first_review_months=row.cp_first_review_months,
            cp_later_review_months=row.cp_later_review_months,
            cin_review_months=row.cin_review_months,
            early_help_review_months=row.early_help_review_months,
            cla_review_months=row.cla_review_months,
            phone=row.phone,
        ),
    )


def user_to_row(user: User, row: UserRow | None = None) -> UserRow:
    row = row or UserRow(username=user.username, full_name=user.full_name, role=user.role.value)
    row.username = user.username
    row.full_name = user.full_name
    row.role = user.role.value
    row.team_id = user.team_id
    row.passphrase_hash = user.passphrase_hash
    row.active = user.active
    row.must_change_passphrase = user.must_change_passphrase
    return row


def user_from_row(row: UserRow, supports: Iterable[int] = ()) -> User:
    return User(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        team_id=row.team_id,
        passphrase_hash=row.passphrase_hash,
        active=row.active,
        supports=frozenset(supports),
        must_change_passphrase=bool(row.must_change_passphrase),
    )


# --- families ---------------------------------------------------------------------------------


def family_to_row(family: Family, row: FamilyRow | None = None) -> FamilyRow:
    row = row or FamilyRow(
        reference=family.reference,
        name=family.name,
        team_id=family.team_id,
        opened_on=family.opened_on,
    )
    row.reference = family.reference
    row.name = family.name
    row.team_id = family.team_id
    row.practitioner_id = family.practitioner_id
    row.opened_on = family.opened_on
    row.address = family.address
    row.closed_on = family.closed_on
    row.closure_reason = family.closure_reason
    return row


def member_to_row(member: Member, family_id: int, row: MemberRow | None = None) -> MemberRow:
    row = row or MemberRow(family_id=family_id, name=member.name, role=member.role.value)
    row.family_id = family_id
    row.name = member.name
    row.role = member.role.value
    row.date_of_birth = member.date_of_birth
    row.external_id = member.external_id
    return row


def status_key(change: StatusChange) -> tuple[str, date, str | None, str]:
    return (
        change.status.value,
        change.since,
        change.cp_category.value if change.cp_category else None,
        change.code,
    )


def status_to_row(change: StatusChange, member_id: int) -> MemberStatusRow:
    status, since, category, code = status_key(change)
    return MemberStatusRow(
        member_id=member_id, status=status, since=since, cp_category=category, code=code
    )


def status_from_row(row: MemberStatusRow) -> StatusChange:
    return StatusChange(
        status=LegalStatus(row.status),
        since=row.since,
        cp_category=CpCategory(row.cp_category) if row.cp_category else None,
        code=row.code or "",
    )


def member_from_row(row: MemberRow, statuses: Iterable[MemberStatusRow]) -> Member:
    return Member(
        id=row.id,
        family_id=row.family_id,
        name=row.name,
        role=MemberRole(row.role),
        date_of_birth=row.date_of_birth,
        status_history=[status_from_row(s) for s in statuses],
        external_id=row.external_id,
    )


def family_from_row(row: FamilyRow, members: list[Member]) -> Family:
    return Family(
        id=row.id,
        reference=row.reference,
        name=row.name,
        team_id=row.team_id,
        practitioner_id=row.practitioner_id,
        opened_on=row.opened_on,
        address=row.address,
        closed_on=row.closed_on,
        closure_reason=row.closure_reason,
        members=members,
    )


# --- plans ------------------------------------------------------------------------------------


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


# --- mapping ----------------------------------------------------------------------------------


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


# --- summaries --------------------------------------------------------------------------------


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
