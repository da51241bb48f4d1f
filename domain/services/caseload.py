"""The practitioner's caseload: one row per family with what needs attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from domain.access import deny, require_user
from domain.audit import AuditAction, family_list_detail
from domain.calendar import working_days_between
from domain.caseload_facts import CaseloadFacts
from domain.families import Family, LegalStatus
from domain.people import Role
from domain.ports import UnitOfWork
from domain.scaling import FamilyScaling, family_scaling
from domain.search import matches, search_key
from domain.services.context import Context, audit
from domain.summaries import SummaryStatus


@dataclass(frozen=True)
class ChildStatus:
    name: str
    status: LegalStatus


@dataclass(frozen=True)
class CaseloadRow:
    family_id: int
    reference: str
    name: str
    practitioner_id: int | None
    children: tuple[ChildStatus, ...]
    review_due: date | None
    review_overdue: bool
    last_summary_end: date | None
    last_summary_status: SummaryStatus | None
    summary_overdue: bool
    returned_comment: str
    last_contact: date | None
    visit_overdue: bool
    latest_scaling: float | None
    scaling_trend: int  # -1 down, 0 level or unknown, +1 up
    read_only: bool
    #: Every member's name (adults and children), for search.
    members: tuple[str, ...] = ()
    #: The scaling behind ``latest_scaling`` and ``scaling_trend`` (domain.scaling's definition).
    scaling: FamilyScaling = FamilyScaling()

    @cached_property
    def search_key(self) -> str:
        """What search compares against: family name, reference and every member's name, folded."""
        return search_key(
            [self.name, self.reference, *self.members, *(c.name for c in self.children)]
        )

    def matches(self, query: str) -> bool:
        """True if the family is found by ``query`` (ignoring case, accents, invisible marks)."""
        return matches(query, self.search_key)

    @property
    def statuses(self) -> set[LegalStatus]:
        return {c.status for c in self.children}

    @property
    def attention(self) -> bool:
        return (
            self.review_overdue
            or self.summary_overdue
            or self.visit_overdue
            or bool(self.returned_comment)
        )


#: The caseload looks this far back for the last contact and the last visit.
CONTACT_WINDOW = timedelta(days=120)


def _facts(uow: UnitOfWork, families: list[Family], today: date) -> dict[int, CaseloadFacts]:
    ids = [f.id for f in families if f.id is not None]
    return uow.caseload_facts.for_families(ids, contacts_from=today - CONTACT_WINDOW)


def _row(
    family: Family,
    facts_of: dict[int, CaseloadFacts],
    today: date,
    rhythm_weeks: int,
    visit_days: int,
    read_only: bool,
) -> CaseloadRow:
    assert family.id is not None
    facts = facts_of[family.id]
    since = facts.last_written_end or family.opened_on
    summary_overdue = today - since > timedelta(weeks=rhythm_weeks)
    # The visiting standard is per child: overdue when any child on a CP plan has not been seen
    # on a visit within it (each child's own visits, not a family-wide "child seen").
    visit_overdue = False
    for child in family.children:
        if child.current_status is not LegalStatus.CHILD_PROTECTION or child.id is None:
            continue
        last_seen = facts.last_seen_by_child.get(child.id)
        if last_seen is None or working_days_between(last_seen, today) > visit_days:
            visit_overdue = True
    scaling = family_scaling(facts.overall_scores)
    review_due = facts.review_date
    return CaseloadRow(
        family_id=family.id,
        reference=family.reference,
        name=family.name,
        practitioner_id=family.practitioner_id,
        children=tuple(ChildStatus(c.name, c.current_status) for c in family.children),
        review_due=review_due,
        review_overdue=review_due is not None and review_due < today,
        last_summary_end=facts.latest_summary_end,
        last_summary_status=facts.latest_summary_status,
        summary_overdue=summary_overdue,
        returned_comment=facts.returned_comment or "",
        last_contact=facts.last_contact,
        visit_overdue=visit_overdue,
        latest_scaling=scaling.figure,
        scaling_trend=scaling.trend,
        read_only=read_only,
        members=tuple(m.name for m in family.members),
        scaling=scaling,
    )


def caseload(ctx: Context) -> list[CaseloadRow]:
    """The families the signed-in practitioner (or manager: the team) works with, with flags."""
    today = ctx.clock.today()
    with ctx.read() as uow:
        user = require_user(ctx, uow)
        if user.role not in (Role.PRACTITIONER, Role.TEAM_MANAGER) or user.team_id is None:
            raise deny(
                ctx,
                uow,
                "a caseload (only practitioners and team managers have one)",
                entity="caseload",
            )
        team = uow.teams.get(user.team_id)
        families: list[tuple[Family, bool]]
        if user.role is Role.TEAM_MANAGER:
            families = [(f, False) for f in uow.families.list(team_id=team.id)]
        else:
            families = [(f, False) for f in uow.families.list(practitioner_id=user.id)]
            if team.settings.practitioners_see_team_families:
                families += [
                    (f, True)
                    for f in uow.families.list(team_id=team.id)
                    if f.practitioner_id != user.id
                ]
        facts = _facts(uow, [f for f, _ in families], today)
        rows = [
            _row(
                f,
                facts,
                today,
                team.settings.summary_rhythm_weeks,
                team.settings.visiting_standard_working_days,
                ro,
            )
            for f, ro in families
        ]
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "caseload",
            detail=family_list_detail(f"{len(rows)} families listed", (f.id for f, _ in families)),
        )
        uow.commit()
    return rows


def family_overview(ctx: Context, family_id: int) -> tuple[Family, CaseloadRow]:
    """The family (audited view) and its at-a-glance flags, as on the caseload."""
    from domain.access import Access, load_family

    today = ctx.clock.today()
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        team = uow.teams.get(family.team_id)
        user = require_user(ctx, uow)
        read_only = user.role is Role.PRACTITIONER and family.practitioner_id != user.id
        row = _row(
            family,
            _facts(uow, [family], today),
            today,
            team.settings.summary_rhythm_weeks,
            team.settings.visiting_standard_working_days,
            read_only,
        )
        audit(
            ctx, uow, AuditAction.VIEW, "family", family.id, family_id=family.id, detail="overview"
        )
        uow.commit()
    return family, row
