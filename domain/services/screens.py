"""One read service per screen: everything a screen (or tab) shows, as one view model, from one
read transaction, audited as one view (domain/services/one_read.py).

Screens that show one service's result already read once (the caseload, the Summaries,
Contacts and Observations tabs, the review queue, the dashboard, a skill trend); these are the
screens that show several."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple, TypeVar

from domain.families import Family
from domain.mapping import Mapping, ScalingRating
from domain.network_meetings import NetworkMeeting
from domain.plans import Plan
from domain.services.caseload import CaseloadRow
from domain.services.context import Context
from domain.services.dashboard import PractitionerChoice
from domain.services.manual_time import FamilyChoice, MyTime
from domain.services.observation_views import GivenFeedbackItem
from domain.services.observations import FeedbackQueueItem
from domain.services.one_read import one_read
from domain.summaries import Summary, SummaryVersion
from domain.timeuse import Contact

T = TypeVar("T")

# --- a family's Plan tab -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanBundle:
    """What the Plan tab and its editor show: the family, its current plan, the danger statements
    of its mappings (for linking goals) and who saved the current revision."""

    family: Family
    plan: Plan | None
    #: (key, statement) of every danger statement in the family's mappings, oldest mapping first;
    #: a key appears once, with the latest mapping's wording.
    dangers: list[tuple[str, str]] = field(default_factory=list)
    saved_by: str = ""
    saved_at: datetime | None = None
    today: date | None = None

    @property
    def child_names(self) -> dict[int, str]:
        return {c.id: c.name for c in self.family.children if c.id is not None}

    @property
    def danger_texts(self) -> dict[str, str]:
        return dict(self.dangers)


def plan_screen(ctx: Context, family_id: int) -> PlanBundle:
    """The Plan tab: one read, one VIEW event ("plan")."""
    from domain.services.families import view_family
    from domain.services.mappings import list_mappings
    from domain.services.plans import get_plan, plan_history

    def load(c: Context) -> PlanBundle:
        family = view_family(c, family_id)
        plan = get_plan(c, family_id)
        texts: dict[str, str] = {}
        for mapping in list_mappings(c, family_id):
            for pair in mapping.current.pairs:
                texts[pair.key] = pair.danger.text
        saved_by, saved_at = "", None
        if plan is not None:
            history = plan_history(c, family_id)
            if history:
                saved_by, saved_at = history[-1].author_name, history[-1].saved_at
        return PlanBundle(family, plan, list(texts.items()), saved_by, saved_at, c.clock.today())

    return one_read(ctx, load, entity="plan", what="plan tab", family_id=family_id)


# --- a family's Mapping tab ----------------------------------------------------------------------


@dataclass
class MappingData:
    """What the Mapping tab shows."""

    mappings: list[Mapping]  # newest first
    ratings: list[ScalingRating]
    series: dict[str, list[tuple[date, int]]] = field(default_factory=dict)


def mapping_screen(ctx: Context, family_id: int) -> MappingData:
    """The Mapping tab: the mappings (newest first), every scaling and the overall scaling chart;
    one read, one VIEW event ("mapping")."""
    from domain.services.mappings import list_mappings, list_scaling, scaling_series

    def load(c: Context) -> MappingData:
        mappings = list_mappings(c, family_id)
        mappings.sort(key=lambda m: (m.current.held_on, m.id or 0), reverse=True)
        return MappingData(mappings, list_scaling(c, family_id), scaling_series(c, family_id))

    return one_read(ctx, load, entity="mapping", what="mapping tab", family_id=family_id)


# --- a manager's review of a submitted summary ---------------------------------------------------


@dataclass(frozen=True)
class ReviewPacket:
    """Everything the reviewer reads."""

    summary: Summary
    family: Family
    contacts: list[Contact]
    versions: list[SummaryVersion]
    plan: Plan | None
    mapping: Mapping | None
    scaling: list[ScalingRating]
    #: The family network meetings held in the summary's period, oldest first.
    meetings: list[NetworkMeeting] = field(default_factory=list)


def review_screen(ctx: Context, summary_id: int) -> ReviewPacket:
    """The review screen of one summary: one read, one VIEW event ("summary")."""
    from domain.network_meetings import list_meetings
    from domain.services.families import view_family
    from domain.services.mappings import latest_scaling, list_mappings
    from domain.services.plans import get_plan
    from domain.services.summaries import get_summary, period_contacts, summary_versions

    def load(c: Context) -> ReviewPacket:
        summary = get_summary(c, summary_id)
        family = view_family(c, summary.family_id)
        mappings = list_mappings(c, summary.family_id)
        return ReviewPacket(
            summary=summary,
            family=family,
            contacts=period_contacts(c, summary_id),
            versions=summary_versions(c, summary_id),
            plan=get_plan(c, summary.family_id),
            mapping=mappings[-1] if mappings else None,
            scaling=latest_scaling(c, summary.family_id),
            meetings=sorted(
                (
                    m.meeting
                    for m in list_meetings(
                        c, summary.family_id, summary.period_start, summary.period_end
                    )
                ),
                key=lambda m: (m.held_on, m.id or 0),
            ),
        )

    return one_read(ctx, load, entity="summary", what="review", entity_id=summary_id)


# --- lists of oversight screens ------------------------------------------------------------------


class TeamCaseload(NamedTuple):
    """A manager's team caseload tab: every family's row and the team's practitioners."""

    rows: list[CaseloadRow]
    practitioners: list[PractitionerChoice]


def team_caseload_screen(ctx: Context) -> TeamCaseload:
    """One read, one VIEW event ("caseload") naming every family shown."""
    from domain.services.caseload import caseload
    from domain.services.dashboard import team_practitioners

    return one_read(
        ctx,
        lambda c: TeamCaseload(caseload(c), team_practitioners(c)),
        entity="caseload",
        what="team caseload",
    )


class LeadQueues(NamedTuple):
    """A practice lead's home: recordings waiting for feedback, feedback given, and the
    practitioners they support."""

    queue: list[FeedbackQueueItem]
    given: list[GivenFeedbackItem]
    practitioners: list[tuple[int, str]]


def lead_screen(ctx: Context) -> LeadQueues:
    """One read, one VIEW event ("feedback") naming every family shown."""
    from domain.services.observation_views import feedback_given, supported_practitioners
    from domain.services.observations import feedback_queue

    return one_read(
        ctx,
        lambda c: LeadQueues(feedback_queue(c), feedback_given(c), supported_practitioners(c)),
        entity="feedback",
        what="practice lead's queues",
    )


class MyTimeScreen(NamedTuple):
    """'My time': the practitioner's own figures and the families a manual entry may name."""

    time: MyTime
    families: list[FamilyChoice]


def my_time_screen(ctx: Context) -> MyTimeScreen:
    """One read, one VIEW event ("my_time") naming every family shown."""
    from domain.services.manual_time import manual_entry_families, my_time

    return one_read(
        ctx,
        lambda c: MyTimeScreen(my_time(c), manual_entry_families(c)),
        entity="my_time",
        what="my time",
        entity_id=ctx.user_id,
    )


# --- a family's workspace ------------------------------------------------------------------------


def family_workspace(
    ctx: Context, family_id: int, tab: str, load: Callable[[Context], T]
) -> tuple[Family, T]:
    """Opening a family's workspace: the family (for the title) and what the tab shown first
    loads with ``load`` (itself a read service: the tab's own), in one read and one VIEW event
    ("family")."""
    from domain.services.families import view_family

    return one_read(
        ctx,
        lambda c: (view_family(c, family_id), load(c)),
        entity="family",
        entity_id=family_id,
        family_id=family_id,
        what=f"family workspace, {tab} tab",
    )
