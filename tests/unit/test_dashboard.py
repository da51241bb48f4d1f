"""The team manager's dashboard, against hand-computed expectations on the in-memory world.

The world's clock is Monday 10 March 2025 (see tests/unit/conftest.py). North has FAM-0001 Reid
(alex; Amy on CP/neglect since Wed 15 Jan 2025, Ben CIN) and FAM-0002 Khan (bea; Zara EH); South
has FAM-0003 Moss. Every family was opened on 1 October 2024.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied
from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from domain.mapping import (
    Category,
    Mapping,
    MappingContent,
    MappingItem,
    MappingRevision,
    ScalingRating,
)
from domain.people import Role, User
from domain.plans import Plan, PlanContent, PlanRevision
from domain.services.dashboard import (
    NOT_ALLOCATED,
    SummaryFlag,
    cp_since,
    team_dashboard,
    team_practitioners,
)
from domain.summaries import Summary, SummaryEvent, SummarySection, SummaryStatus, SummaryVersion
from domain.timeuse import ChildSeen, Contact, ContactKind

MON_10_MAR = date(2025, 3, 10)


# --- building the records straight into the store -------------------------------------------


def put_plan(world, family: Family, review: date) -> None:
    with world.uow() as uow:
        content = PlanContent(start_date=date(2024, 12, 1), review_date=review)
        plan = Plan(family_id=family.id, current=content, revision=0)
        rev = PlanRevision(1, content, family.practitioner_id, datetime(2024, 12, 1, 9, 0))
        uow.plans.save(plan, rev, expected_revision=None)
        uow.commit()


def put_summary(
    world,
    family: Family,
    period_end: date,
    status: SummaryStatus,
    submitted_at: datetime | None = None,
) -> Summary:
    with world.uow() as uow:
        summary = Summary(
            family_id=family.id,
            author_id=family.practitioner_id,
            period_start=period_end - timedelta(days=30),
            period_end=period_end,
            status=status,
            sections={SummarySection.ANALYSIS: "Things are better."},
            submitted_at=submitted_at,
        )
        version = SummaryVersion(
            1,
            SummaryEvent.SAVED,
            status,
            dict(summary.sections),
            summary.period_start,
            summary.period_end,
            family.practitioner_id,
            datetime(2025, 1, 1, 9, 0),
        )
        saved = uow.summaries.save(summary, version, expected_revision=None)
        uow.commit()
        return saved


def put_contact(
    world, family: Family, on: date, kind: ContactKind, child_seen: bool, only: str | None = None
) -> None:
    """``child_seen``: every child of the family was seen (or only the child named ``only``)."""
    children = [c for c in family.children if only is None or c.name == only]
    seen = tuple(ChildSeen(c.id, c.name) for c in children) if child_seen else ()
    with world.uow() as uow:
        uow.contacts.add(
            Contact(
                family_id=family.id,
                practitioner_id=family.practitioner_id,
                on=on,
                start=time(10, 0),
                minutes=45,
                kind=kind,
                note="Visit.",
                seen=seen,
            )
        )
        uow.commit()


def put_ratings(world, family: Family, on: date, *scores: int, danger_key=None) -> None:
    with world.uow() as uow:
        for i, score in enumerate(scores):
            uow.mappings.add_rating(
                ScalingRating(
                    family_id=family.id,
                    rated_on=on,
                    person=f"Person {i}",
                    person_role="parent",
                    score=score,
                    reason="Because.",
                    danger_key=danger_key,
                )
            )
        uow.commit()


def put_mapping(world, family: Family) -> None:
    with world.uow() as uow:
        content = MappingContent(
            held_on=date(2025, 2, 1),
            items=(MappingItem(Category.EXISTING_STRENGTHS, "Gran helps every day."),),
        )
        mapping = Mapping(family_id=family.id, current=content, revision=0)
        rev = MappingRevision(1, content, family.practitioner_id, datetime(2025, 2, 1, 9, 0))
        uow.mappings.save(mapping, rev, expected_revision=None)
        uow.commit()


def set_history(world, family: Family, member_index: int, *changes: StatusChange) -> None:
    with world.uow() as uow:
        stored = uow.families.get(family.id)
        stored.members[member_index].status_history = list(changes)
        uow.families.update(stored)
        uow.commit()


def refs(rows) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.family.reference for r in rows]


# --- the whole dashboard of a fresh team ----------------------------------------------------------


def test_a_fresh_team_shows_every_gap(world, ctx_of):
    d = team_dashboard(ctx_of("manager"))

    assert d.team_name == "North" and d.today == MON_10_MAR and d.open_families == 2
    assert (d.summary_rhythm_weeks, d.visiting_standard_working_days, d.due_within_days) == (
        6,
        10,
        14,
    )
    # No plans at all: both families are listed as having none.
    assert [(r.family.reference, r.review_date) for r in d.plan_reviews] == [
        ("FAM-0001", None),
        ("FAM-0002", None),
    ]
    # No summary: counted from the day each family was opened, 1 Oct 2024 = 160 days ago.
    assert [(r.family.reference, r.flag, r.period_end, r.days) for r in d.summaries] == [
        ("FAM-0001", SummaryFlag.STALE, None, 160),
        ("FAM-0002", SummaryFlag.STALE, None, 160),
    ]
    # Amy (CP since Wed 15 Jan) was never seen: 38 working days to Mon 10 Mar.
    assert [(r.child_name, r.last_seen, r.working_days) for r in d.unseen_children] == [
        ("Amy Reid", None, 38)
    ]
    assert d.unseen_children[0].cp_since == date(2025, 1, 15)
    assert d.scaling_falls == []
    assert refs(d.without_mapping) == ["FAM-0001", "FAM-0002"]
    assert [(c.name, c.families, c.children, c.cp_children) for c in d.caseloads] == [
        ("Alex Practitioner", 1, 2, 1),
        ("Bea Teammate", 1, 1, 0),
    ]
    # Every row carries the family to open and whose it is.
    assert d.summaries[0].family.practitioner == "Alex Practitioner"
    assert d.summaries[0].family.family_id == world.family.id


def test_the_other_team_is_never_on_the_dashboard(world, ctx_of):
    d = team_dashboard(ctx_of("other_manager"))
    assert d.team_name == "South"
    everything = (
        refs(d.plan_reviews) + refs(d.summaries) + refs(d.unseen_children) + refs(d.without_mapping)
    )
    assert set(everything) == {"FAM-0003"}
    assert [c.name for c in d.caseloads] == ["Cy Southside"]


# --- plan reviews ---------------------------------------------------------------------------------


def test_plan_reviews_overdue_and_due_within_14_days_by_date(world, ctx_of):
    put_plan(world, world.family, date(2025, 3, 24))  # 14 days ahead: listed
    put_plan(world, world.teammate_family, date(2025, 3, 25))  # 15 days ahead: not listed
    rows = team_dashboard(ctx_of("manager")).plan_reviews
    assert [(r.family.reference, r.days_left, r.overdue) for r in rows] == [("FAM-0001", 14, False)]


def test_an_overdue_review_comes_first(world, ctx_of):
    put_plan(world, world.family, date(2025, 3, 12))
    put_plan(world, world.teammate_family, date(2025, 3, 7))
    rows = team_dashboard(ctx_of("manager")).plan_reviews
    assert [(r.family.reference, r.days_left, r.overdue) for r in rows] == [
        ("FAM-0002", -3, True),
        ("FAM-0001", 2, False),
    ]


# --- summaries ------------------------------------------------------------------------------------


def test_summary_older_than_the_rhythm(world, ctx_of):
    # Six weeks = 42 days. Reid's last approved period ended exactly 42 days ago: not yet stale.
    put_summary(world, world.family, date(2025, 1, 27), SummaryStatus.APPROVED)
    # Khan's ended 43 days ago: stale. A newer draft does not count as written.
    put_summary(world, world.teammate_family, date(2025, 1, 26), SummaryStatus.APPROVED)
    put_summary(world, world.teammate_family, date(2025, 3, 7), SummaryStatus.DRAFT)
    rows = team_dashboard(ctx_of("manager")).summaries
    assert [(r.family.reference, r.flag, r.period_end, r.since, r.days) for r in rows] == [
        ("FAM-0002", SummaryFlag.STALE, date(2025, 1, 26), date(2025, 1, 26), 43)
    ]


def test_summaries_waiting_for_review_with_how_long(world, ctx_of):
    put_summary(
        world,
        world.family,
        date(2025, 3, 3),
        SummaryStatus.SUBMITTED,
        submitted_at=datetime(2025, 3, 5, 16, 0),
    )
    put_summary(
        world,
        world.teammate_family,
        date(2025, 3, 6),
        SummaryStatus.SUBMITTED,
        submitted_at=datetime(2025, 3, 7, 9, 0),
    )
    rows = team_dashboard(ctx_of("manager")).summaries
    assert [(r.family.reference, r.flag, r.since, r.days, r.author) for r in rows] == [
        ("FAM-0001", SummaryFlag.AWAITING_REVIEW, date(2025, 3, 5), 5, "Alex Practitioner"),
        ("FAM-0002", SummaryFlag.AWAITING_REVIEW, date(2025, 3, 7), 3, "Bea Teammate"),
    ]
    assert all(r.summary_id is not None for r in rows)


def test_the_rhythm_is_the_teams_setting(world, ctx_of):
    put_summary(world, world.family, date(2025, 2, 21), SummaryStatus.APPROVED)  # 17 days ago
    put_summary(world, world.teammate_family, date(2025, 3, 3), SummaryStatus.APPROVED)  # 7
    world.store.teams[world.team.id].settings.summary_rhythm_weeks = 2
    rows = team_dashboard(ctx_of("manager")).summaries
    assert [(r.family.reference, r.days) for r in rows] == [("FAM-0001", 17)]


# --- children on a child protection plan not seen -----------------------------------------------


def test_visiting_standard_counts_working_days_since_the_child_was_seen_on_a_visit(world, ctx_of):
    # Fri 21 Feb to Mon 10 Mar: 24-28 Feb (5) + 3-7 Mar (5) + 10 Mar (1) = 11 working days.
    put_contact(world, world.family, date(2025, 2, 21), ContactKind.HOME_VISIT, child_seen=True)
    # Later contacts that do not count: a phone call, and a visit where Amy was not seen.
    put_contact(world, world.family, date(2025, 3, 7), ContactKind.PHONE, child_seen=True)
    put_contact(world, world.family, date(2025, 3, 6), ContactKind.HOME_VISIT, child_seen=False)
    rows = team_dashboard(ctx_of("manager")).unseen_children
    assert [(r.child_name, r.last_seen, r.working_days) for r in rows] == [
        ("Amy Reid", date(2025, 2, 21), 11)
    ]


def test_the_visiting_standard_is_per_child(world, ctx_of):
    # Amy and Ben both on CP since 15 Jan; the visit on 7 Mar saw only Ben. Amy is still listed,
    # counted from her own last visit (3 Feb, 25 working days); Ben is not.
    set_history(
        world,
        world.family,
        2,
        StatusChange(LegalStatus.CHILD_PROTECTION, date(2025, 1, 15), CpCategory.NEGLECT),
    )
    put_contact(world, world.family, date(2025, 2, 3), ContactKind.HOME_VISIT, True, "Amy Reid")
    put_contact(world, world.family, date(2025, 3, 7), ContactKind.HOME_VISIT, True, "Ben Reid")
    rows = team_dashboard(ctx_of("manager")).unseen_children
    assert [(r.child_name, r.last_seen, r.working_days) for r in rows] == [
        ("Amy Reid", date(2025, 2, 3), 25)
    ]


def test_ten_working_days_is_within_the_standard(world, ctx_of):
    # Mon 24 Feb to Mon 10 Mar: 25-28 Feb (4) + 3-7 Mar (5) + 10 Mar (1) = 10.
    put_contact(world, world.family, date(2025, 2, 24), ContactKind.SCHOOL_NURSERY, child_seen=True)
    assert team_dashboard(ctx_of("manager")).unseen_children == []


def test_the_visiting_standard_is_configurable(world, ctx_of):
    put_contact(world, world.family, date(2025, 2, 24), ContactKind.OFFICE, child_seen=True)
    world.store.teams[world.team.id].settings.visiting_standard_working_days = 5
    rows = team_dashboard(ctx_of("manager")).unseen_children
    assert [(r.child_name, r.working_days) for r in rows] == [("Amy Reid", 10)]


def test_a_new_cp_plan_counts_from_its_start_and_a_category_change_does_not_restart_it(
    world, ctx_of
):
    # Ben came onto a CP plan on Mon 3 Mar: 5 working days ago, within the standard although
    # the family was last seen on 3 Feb. Amy's category changed on 3 Mar: still counted from the
    # 3 Feb visit (25 working days), not from the change.
    set_history(
        world,
        world.family,
        1,
        StatusChange(LegalStatus.CHILD_PROTECTION, date(2025, 1, 15), CpCategory.NEGLECT),
        StatusChange(LegalStatus.CHILD_PROTECTION, date(2025, 3, 3), CpCategory.MULTIPLE),
    )
    set_history(
        world,
        world.family,
        2,
        StatusChange(LegalStatus.CHILD_IN_NEED, date(2024, 11, 1)),
        StatusChange(LegalStatus.CHILD_PROTECTION, date(2025, 3, 3), CpCategory.NEGLECT),
    )
    put_contact(world, world.family, date(2025, 2, 3), ContactKind.HOME_VISIT, child_seen=True)
    rows = team_dashboard(ctx_of("manager")).unseen_children
    assert [(r.child_name, r.cp_since, r.working_days) for r in rows] == [
        ("Amy Reid", date(2025, 1, 15), 25)
    ]


def test_cp_since_ignores_children_not_on_cp_and_earlier_runs(world):
    child = Member(
        name="Kim",
        role=MemberRole.CHILD,
        status_history=[
            StatusChange(LegalStatus.CHILD_PROTECTION, date(2024, 1, 1), CpCategory.NEGLECT),
            StatusChange(LegalStatus.CHILD_IN_NEED, date(2024, 6, 1)),
            StatusChange(LegalStatus.CHILD_PROTECTION, date(2025, 2, 1), CpCategory.NEGLECT),
        ],
    )
    assert cp_since(child, MON_10_MAR) == date(2025, 2, 1)
    assert cp_since(child, date(2024, 12, 1)) is None  # on CIN that day
    assert cp_since(world.ben, MON_10_MAR) is None


# --- scaling and mapping --------------------------------------------------------------------------


def test_families_where_someone_fell_below_their_own_previous_score(world, ctx_of):
    put_ratings(world, world.family, date(2025, 2, 1), 4, 6)
    put_ratings(world, world.family, date(2025, 3, 1), 3, 6, 4)  # Person 0 fell 4 -> 3
    put_ratings(world, world.teammate_family, date(2025, 2, 1), 3)
    put_ratings(world, world.teammate_family, date(2025, 3, 1), 3, 4)  # nobody fell
    # A danger statement's own scale falling is not the overall scale falling.
    put_ratings(world, world.teammate_family, date(2025, 3, 5), 0, danger_key="d1")
    rows = team_dashboard(ctx_of("manager")).scaling_falls
    assert [
        (
            r.family.reference,
            [p.describe() for p in r.scaling.fallen],
            r.scaling.figure,
            r.latest_on,
            r.fall,
        )
        for r in rows
    ] == [("FAM-0001", ["Person 0 4→3"], 4.3, date(2025, 3, 1), 1)]


def test_one_person_rescaling_lower_than_others_is_not_a_fall(world, ctx_of):
    # The old day-mean read 8.0 -> 3.0 here; nobody's own score fell.
    put_ratings(world, world.family, date(2025, 2, 1), 3, 8, 8)
    put_ratings(world, world.family, date(2025, 3, 1), 3)  # Person 0 again: 3 -> 3
    put_ratings(world, world.teammate_family, date(2025, 3, 1), 2, 2)
    assert team_dashboard(ctx_of("manager")).scaling_falls == []


def test_each_person_compares_with_their_own_latest_two(world, ctx_of):
    put_ratings(world, world.family, date(2025, 1, 1), 9)
    put_ratings(world, world.family, date(2025, 2, 1), 2)
    put_ratings(world, world.family, date(2025, 3, 1), 5)  # up from 2, though below 9
    assert team_dashboard(ctx_of("manager")).scaling_falls == []


def test_families_without_a_mapping(world, ctx_of):
    put_mapping(world, world.family)
    assert refs(team_dashboard(ctx_of("manager")).without_mapping) == ["FAM-0002"]


# --- caseload sizes ------------------------------------------------------------------------------


def test_caseload_sizes_count_open_families_and_list_the_unallocated(world, ctx_of):
    with world.uow() as uow:
        uow.families.add(
            Family(
                "FAM-0010",
                "Lee family",
                world.team.id,
                None,
                date(2025, 3, 1),
                members=[
                    Member(
                        "Ola Lee",
                        MemberRole.CHILD,
                        status_history=[
                            StatusChange(
                                LegalStatus.CHILD_PROTECTION, date(2025, 3, 3), CpCategory.NEGLECT
                            )
                        ],
                    )
                ],
            )
        )
        uow.families.add(
            Family(
                "FAM-0011",
                "Closed family",
                world.team.id,
                world.teammate.id,
                date(2024, 1, 1),
                closed_on=date(2025, 1, 1),
                closure_reason="Done.",
            )
        )
        uow.users.add(User("gone", "Gone Leaver", Role.PRACTITIONER, world.team.id, active=False))
        uow.commit()
    d = team_dashboard(ctx_of("manager"))
    assert [(c.name, c.families, c.children, c.cp_children) for c in d.caseloads] == [
        ("Alex Practitioner", 1, 2, 1),
        ("Bea Teammate", 1, 1, 0),
        (NOT_ALLOCATED, 1, 1, 1),
    ]
    assert d.open_families == 3
    assert "FAM-0011" not in refs(d.without_mapping)


def test_a_leaver_still_holding_a_family_is_listed_as_inactive(world, ctx_of):
    with world.uow() as uow:
        bea = uow.users.get(world.teammate.id)
        bea.active = False
        uow.users.update(bea)
        uow.commit()
    rows = team_dashboard(ctx_of("manager")).caseloads
    assert [(c.name, c.families, c.active) for c in rows] == [
        ("Alex Practitioner", 1, True),
        ("Bea Teammate", 1, False),
    ]


# --- access and audit ------------------------------------------------------------------------------


def test_viewing_the_dashboard_is_audited(world, ctx_of):
    team_dashboard(ctx_of("manager"))
    events = world.events(AuditAction.REPORT, user=world.manager)
    assert [(e.entity, e.entity_id) for e in events] == [("team_dashboard", world.team.id)]
    assert "2 families" in events[0].detail


@pytest.mark.parametrize("role", ["practitioner", "teammate", "lead", "staff", "admin"])
def test_only_a_team_manager_has_a_dashboard(world, ctx_of, role):
    with pytest.raises(AccessDenied, match="the team dashboard"):
        team_dashboard(ctx_of(role))
    assert world.events(AuditAction.DENIED, user=getattr(world, role))
    assert world.events(AuditAction.REPORT) == []


def test_team_practitioners_are_the_active_practitioners_of_the_managers_team(world, ctx_of):
    put_contact(world, world.family, date(2025, 3, 3), ContactKind.HOME_VISIT, child_seen=True)
    with world.uow() as uow:
        uow.users.add(User("gone", "Gone Leaver", Role.PRACTITIONER, world.team.id, active=False))
        uow.commit()
    choices = team_practitioners(ctx_of("manager"))
    assert [(c.username, c.name, c.families) for c in choices] == [
        ("alex", "Alex Practitioner", 1),
        ("bea", "Bea Teammate", 1),
    ]
    assert [c.username for c in team_practitioners(ctx_of("other_manager"))] == ["cy"]


@pytest.mark.parametrize("role", ["practitioner", "lead", "staff", "admin"])
def test_only_a_manager_lists_the_teams_practitioners(world, ctx_of, role):
    with pytest.raises(AccessDenied):
        team_practitioners(ctx_of(role))
    assert world.events(AuditAction.DENIED, user=getattr(world, role))
