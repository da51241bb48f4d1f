"""The team manager's dashboard (SPEC §4 "Team dashboard"): what needs a manager's attention
across the team's open families, and each practitioner's caseload size.

Lists (each row names its family, so the screen can open it):

* plan reviews overdue or due within ``DUE_WITHIN_DAYS`` days (and open families with no plan);
* summaries older than the team's summary rhythm (the last written summary's period ended more
  than ``summary_rhythm_weeks`` ago; a family with none counts from the day it was opened) or
  submitted and waiting for review;
* children on a child protection plan not seen within the visiting standard: more than
  ``visiting_standard_working_days`` working days since a visit (home, office, school) at which
  the child was seen, counted from the start of the CP plan if they have not been seen since;
* families whose scaling fell (domain.scaling: someone's latest overall score is below their own
  previous one), naming who fell and from what to what, with the family's figure;
* families without a mapping;
* each practitioner's caseload size (open families, children, children on CP).

Only a team manager has a dashboard, and only of their own team. Viewing it is audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from domain.access import require_role
from domain.audit import AuditAction, family_list_detail
from domain.calendar import working_days_between
from domain.caseload_facts import CaseloadFacts
from domain.clock import local_date
from domain.families import Family, LegalStatus, Member
from domain.people import Role, User
from domain.ports import UnitOfWork
from domain.scaling import FamilyScaling, family_scaling
from domain.services.context import Context, audit
from domain.summaries import Summary, SummaryStatus

#: Plan reviews due within this many days are listed with the overdue ones.
DUE_WITHIN_DAYS = 14
NOT_ALLOCATED = "Not allocated"


@dataclass(frozen=True)
class FamilyRef:
    """What every dashboard row carries: the family to open, and whose it is."""

    family_id: int
    reference: str
    name: str
    practitioner_id: int | None
    practitioner: str


@dataclass(frozen=True)
class PlanReviewRow:
    family: FamilyRef
    #: None: the family has no plan yet.
    review_date: date | None
    #: Days until the review (negative: overdue by that many days); None without a plan.
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


class SummaryFlag(StrEnum):
    STALE = "stale"
    AWAITING_REVIEW = "awaiting_review"

    @property
    def label(self) -> str:
        return {
            SummaryFlag.STALE: "Older than the rhythm",
            SummaryFlag.AWAITING_REVIEW: "Waiting for review",
        }[self]


@dataclass(frozen=True)
class SummaryRow:
    family: FamilyRef
    flag: SummaryFlag
    #: STALE: end of the last written period (None: no summary yet, counted from ``since``).
    #: AWAITING_REVIEW: the submitted summary's period end.
    period_end: date | None
    #: STALE: the day the rhythm counts from; AWAITING_REVIEW: the day it was submitted.
    since: date
    #: Days since ``since``.
    days: int
    summary_id: int | None = None
    author: str = ""


@dataclass(frozen=True)
class UnseenChildRow:
    family: FamilyRef
    child_id: int
    child_name: str
    #: The first day of the child's current, unbroken child protection plan.
    cp_since: date
    #: The last visit at which the child was seen (None: never, in the records).
    last_seen: date | None
    #: Working days since the last visit, or since the CP plan began if not seen since.
    working_days: int


@dataclass(frozen=True)
class ScalingFallRow:
    family: FamilyRef
    #: The family's scaling (its figure, and who fell from what to what).
    scaling: FamilyScaling

    @property
    def fall(self) -> int:
        """The biggest fall of one person's own score."""
        return self.scaling.fall

    @property
    def latest_on(self) -> date:
        """The day of the latest fall."""
        return max(p.latest_on for p in self.scaling.fallen)


@dataclass(frozen=True)
class NoMappingRow:
    family: FamilyRef
    opened_on: date


@dataclass(frozen=True)
class CaseloadSizeRow:
    #: None: the families of the team not allocated to anyone.
    practitioner_id: int | None
    username: str
    name: str
    families: int
    children: int
    cp_children: int
    active: bool = True


@dataclass(frozen=True)
class TeamDashboard:
    team_id: int
    team_name: str
    today: date
    summary_rhythm_weeks: int
    visiting_standard_working_days: int
    due_within_days: int
    open_families: int
    plan_reviews: list[PlanReviewRow] = field(default_factory=list)
    summaries: list[SummaryRow] = field(default_factory=list)
    unseen_children: list[UnseenChildRow] = field(default_factory=list)
    scaling_falls: list[ScalingFallRow] = field(default_factory=list)
    without_mapping: list[NoMappingRow] = field(default_factory=list)
    caseloads: list[CaseloadSizeRow] = field(default_factory=list)


@dataclass(frozen=True)
class PractitionerChoice:
    user_id: int
    username: str
    name: str
    families: int


# --- the lists ---------------------------------------------------------------------------------


def cp_since(child: Member, today: date) -> date | None:
    """The first day of the child's current unbroken run of child protection status (a change of
    category does not restart it), or None if the child is not on a CP plan today."""
    history = [c for c in child.status_history if c.since <= today]
    if not history or history[-1].status is not LegalStatus.CHILD_PROTECTION:
        return None
    start = history[-1].since
    for change in reversed(history):
        if change.status is not LegalStatus.CHILD_PROTECTION:
            break
        start = change.since
    return start


def _plan_row(facts: CaseloadFacts, ref: FamilyRef, today: date) -> PlanReviewRow | None:
    review = facts.review_date
    if review is None:
        return PlanReviewRow(ref, None, None)
    days_left = (review - today).days
    return PlanReviewRow(ref, review, days_left) if days_left <= DUE_WITHIN_DAYS else None


def _summary_rows(
    facts: CaseloadFacts,
    submitted: list[Summary],
    ref: FamilyRef,
    family: Family,
    today: date,
    rhythm_weeks: int,
    names: dict[int, str],
) -> list[SummaryRow]:
    """``submitted``: the family's summaries waiting for review, newest period first."""
    rows = []
    last_written = facts.last_written_end
    since = last_written or family.opened_on
    if today - since > timedelta(weeks=rhythm_weeks):
        rows.append(SummaryRow(ref, SummaryFlag.STALE, last_written, since, (today - since).days))
    for s in submitted:
        submitted_on = local_date(s.submitted_at) if s.submitted_at else s.period_end
        rows.append(
            SummaryRow(
                ref,
                SummaryFlag.AWAITING_REVIEW,
                s.period_end,
                submitted_on,
                (today - submitted_on).days,
                summary_id=s.id,
                author=names.get(s.author_id, "someone"),
            )
        )
    return rows


def _awaiting_review(uow: UnitOfWork, team_id: int | None) -> dict[int, list[Summary]]:
    """The team's submitted summaries by family, each family's newest period first."""
    by_family: dict[int, list[Summary]] = defaultdict(list)
    for s in uow.summaries.with_status(SummaryStatus.SUBMITTED, team_id=team_id):
        by_family[s.family_id].append(s)
    for found in by_family.values():
        found.sort(key=lambda s: (s.period_end, s.id or 0), reverse=True)
    return by_family


def _unseen_rows(
    facts: CaseloadFacts, ref: FamilyRef, family: Family, today: date, standard: int
) -> list[UnseenChildRow]:
    """``facts`` count the visits up to ``today``."""
    on_cp = [(c, cp_since(c, today)) for c in family.children]
    on_cp = [(c, since) for c, since in on_cp if since is not None]
    rows = []
    for child, since in on_cp:
        assert since is not None and child.id is not None
        last_seen = facts.last_seen_by_child.get(child.id)
        counted_from = max(last_seen, since) if last_seen is not None else since
        days = working_days_between(counted_from, today)
        if days > standard:
            rows.append(UnseenChildRow(ref, child.id, child.name, since, last_seen, days))
    return rows


def _scaling_fall(facts: CaseloadFacts, ref: FamilyRef) -> ScalingFallRow | None:
    """A row when someone's latest overall score is below their own previous one."""
    scaling = family_scaling(facts.overall_scores)
    return ScalingFallRow(ref, scaling) if scaling.trend < 0 else None


def _caseloads(
    families: list[Family], team_users: list[User], today: date
) -> list[CaseloadSizeRow]:
    counts: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    for f in families:
        c = counts[f.practitioner_id]
        c[0] += 1
        c[1] += len(f.children)
        c[2] += sum(1 for child in f.children if cp_since(child, today) is not None)
    rows = []
    for u in sorted(team_users, key=lambda u: u.full_name.lower()):
        if u.role is not Role.PRACTITIONER or (not u.active and u.id not in counts):
            continue
        fam, kids, cp = counts.get(u.id, [0, 0, 0])
        rows.append(CaseloadSizeRow(u.id, u.username, u.full_name, fam, kids, cp, u.active))
    if None in counts:
        fam, kids, cp = counts[None]
        rows.append(CaseloadSizeRow(None, "", NOT_ALLOCATED, fam, kids, cp))
    return rows


def team_dashboard(ctx: Context) -> TeamDashboard:
    """The signed-in team manager's dashboard of their own team (audited REPORT)."""
    today = ctx.clock.today()
    with ctx.read() as uow:
        user = require_role(ctx, uow, Role.TEAM_MANAGER, what="the team dashboard")
        assert user.team_id is not None
        team = uow.teams.get(user.team_id)
        settings = team.settings
        families = uow.families.list(team_id=team.id)
        users = {u.id: u for u in uow.users.list()}
        names = {uid: u.full_name for uid, u in users.items() if uid is not None}
        team_users = [
            u
            for u in users.values()
            if u.team_id == team.id
            or any(f.practitioner_id == u.id for f in families)  # a leaver still holding families
        ]

        plans: list[PlanReviewRow] = []
        summaries: list[SummaryRow] = []
        unseen: list[UnseenChildRow] = []
        falls: list[ScalingFallRow] = []
        no_mapping: list[NoMappingRow] = []
        facts_of = uow.caseload_facts.for_families(
            [f.id for f in families if f.id is not None], contacts_to=today
        )
        submitted = _awaiting_review(uow, team.id)
        for family in families:
            assert family.id is not None
            ref = FamilyRef(
                family.id,
                family.reference,
                family.name,
                family.practitioner_id,
                names.get(family.practitioner_id, NOT_ALLOCATED)
                if family.practitioner_id is not None
                else NOT_ALLOCATED,
            )
            facts = facts_of[family.id]
            plan_row = _plan_row(facts, ref, today)
            if plan_row is not None:
                plans.append(plan_row)
            summaries += _summary_rows(
                facts,
                submitted.get(family.id, []),
                ref,
                family,
                today,
                settings.summary_rhythm_weeks,
                names,
            )
            unseen += _unseen_rows(
                facts, ref, family, today, settings.visiting_standard_working_days
            )
            fall = _scaling_fall(facts, ref)
            if fall is not None:
                falls.append(fall)
            if not facts.has_mapping:
                no_mapping.append(NoMappingRow(ref, family.opened_on))

        plans.sort(key=lambda r: (r.review_date is not None, r.review_date, r.family.reference))
        summaries.sort(key=lambda r: (-r.days, r.family.reference, r.flag.value))
        unseen.sort(key=lambda r: (-r.working_days, r.family.reference, r.child_name))
        falls.sort(key=lambda r: (-r.fall, r.family.reference))
        dashboard = TeamDashboard(
            team_id=team.saved_id,
            team_name=team.name,
            today=today,
            summary_rhythm_weeks=settings.summary_rhythm_weeks,
            visiting_standard_working_days=settings.visiting_standard_working_days,
            due_within_days=DUE_WITHIN_DAYS,
            open_families=len(families),
            plan_reviews=plans,
            summaries=summaries,
            unseen_children=unseen,
            scaling_falls=falls,
            without_mapping=no_mapping,
            caseloads=_caseloads(families, team_users, today),
        )
        audit(
            ctx,
            uow,
            AuditAction.REPORT,
            "team_dashboard",
            team.id,
            detail=family_list_detail(
                f"{len(families)} families; plans {len(plans)}, summaries {len(summaries)}, "
                f"unseen children {len(unseen)}, scaling falls {len(falls)}, "
                f"without mapping {len(no_mapping)}",
                (f.id for f in families),
            ),
        )
        uow.commit()
    return dashboard


def team_practitioners(ctx: Context) -> list[PractitionerChoice]:
    """The active practitioners of the signed-in manager's team, by name, with their number of
    open families: the choices for allocating a family."""
    with ctx.read() as uow:
        user = require_role(ctx, uow, Role.TEAM_MANAGER, what="the team's practitioners")
        families = uow.families.list(team_id=user.team_id)
        held: dict[int | None, int] = defaultdict(int)
        for f in families:
            held[f.practitioner_id] += 1
        choices = [
            PractitionerChoice(u.saved_id, u.username, u.full_name, held.get(u.saved_id, 0))
            for u in uow.users.list()
            if u.role is Role.PRACTITIONER and u.active and u.team_id == user.team_id
        ]
        audit(ctx, uow, AuditAction.VIEW, "team", user.team_id, detail="practitioners")
        uow.commit()
    return sorted(choices, key=lambda c: c.name.lower())


__all__ = [
    "DUE_WITHIN_DAYS",
    "CaseloadSizeRow",
    "FamilyRef",
    "NoMappingRow",
    "PlanReviewRow",
    "PractitionerChoice",
    "ScalingFallRow",
    "SummaryFlag",
    "SummaryRow",
    "TeamDashboard",
    "UnseenChildRow",
    "cp_since",
    "team_dashboard",
    "team_practitioners",
]
