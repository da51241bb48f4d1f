"""A caseload with history, written through the ports (so the same scenario runs on SQLite,
PostgreSQL and the in-memory fake), and the facts a reader must find in it, worked out by hand
from what is written here.

Families (today is Monday 10 March 2025; the caseload's contact window starts 120 days before,
on Sunday 10 November 2024):

* REID (builders.build_world; Amy on CP since 15 Jan 2025): two plan revisions, summaries in
  every state (two returned ones ending on the same day), contacts either side of the window's
  start, visits with and without the child seen, a phone call where the child was seen, ratings
  on four days (overall and per danger statement), a mapping.
* EMPTY: nothing recorded.
* QUIET: a submitted summary and a later-saved draft ending on the same day, one day of danger
  statement ratings, one contact long ago, no plan, no mapping.
* OTHER: records of every kind, but never asked for: none of it may leak into the others' facts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from domain.caseload_facts import CaseloadFacts
from domain.families import Family, Member, MemberRole
from domain.mapping import Mapping, MappingRevision, ScalingRating
from domain.plans import Plan, PlanRevision
from domain.scaling import ScaledScore
from domain.summaries import Summary, SummaryEvent, SummarySection, SummaryStatus, SummaryVersion
from domain.timeuse import ChildSeen, Contact, ContactKind
from tests.integration.builders import NOW, TODAY, World, build_world, mapping_content, plan_content

WINDOW_START = TODAY - timedelta(days=120)
assert WINDOW_START == date(2024, 11, 10)


@dataclass
class Scenario:
    world: World
    reid: int
    empty: int
    quiet: int
    other: int
    #: Ids of REID's overall ratings of 5 Jan (score 4) and 1 Feb (score 5).
    reid_ratings: tuple[int, int] = (0, 0)


def _family(uow, world: World, reference: str) -> int:  # type: ignore[no-untyped-def]
    family = uow.families.add(
        Family(
            reference=reference,
            name=f"{reference} family",
            team_id=world.team.id,
            practitioner_id=world.practitioner.id,
            opened_on=date(2024, 10, 1),
            members=[Member(f"Child of {reference}", MemberRole.CHILD)],
        )
    )
    return family.id


def _summary(uow, world: World, fid: int, start: date, end: date, status: SummaryStatus, comment: str = "") -> Summary:  # type: ignore[no-untyped-def]  # fmt: skip
    summary = Summary(
        family_id=fid,
        author_id=world.practitioner.id,
        period_start=start,
        period_end=end,
        status=status,
        sections={SummarySection.ANALYSIS: f"{status.value} summary to {end.isoformat()}"},
        created_at=NOW,
        submitted_at=NOW if status is not SummaryStatus.DRAFT else None,
        return_comment=comment,
    )
    version = SummaryVersion(
        number=1,
        event=SummaryEvent.SAVED,
        status=status,
        sections=dict(summary.sections),
        period_start=start,
        period_end=end,
        by_user=world.practitioner.id,
        at=NOW,
        comment=comment,
    )
    return uow.summaries.save(summary, version, expected_revision=None)


def _contact(uow, world: World, fid: int, on: date, kind: ContactKind, seen: bool) -> None:  # type: ignore[no-untyped-def]
    """``seen``: the family's first child was seen."""
    child = uow.families.get(fid).children[0]
    uow.contacts.add(
        Contact(
            family_id=fid,
            practitioner_id=world.practitioner.id,
            on=on,
            start=time(10, 0),
            minutes=30,
            kind=kind,
            note=f"{kind.value} on {on.isoformat()}",
            seen=(ChildSeen(child.id, child.name),) if seen else (),
        )
    )


def _rating(uow, fid: int, on: date, score: int, danger_key: str | None = None) -> int:  # type: ignore[no-untyped-def]
    return uow.mappings.add_rating(
        ScalingRating(
            family_id=fid,
            rated_on=on,
            person="Dana Reid",
            person_role="Mum",
            score=score,
            reason="Because.",
            danger_key=danger_key,
        )
    ).id


def _plan(uow, world: World, fid: int, *review_dates: date) -> None:  # type: ignore[no-untyped-def]
    plan: Plan | None = None
    for number, review in enumerate(review_dates, start=1):
        content = replace(plan_content(), review_date=review)
        revision = PlanRevision(number, content, world.practitioner.id, NOW)
        plan = uow.plans.save(
            plan or Plan(family_id=fid, current=content, revision=0),
            revision,
            expected_revision=plan.revision if plan else None,
        )


def _mapping(uow, world: World, fid: int) -> None:  # type: ignore[no-untyped-def]
    content = mapping_content()
    uow.mappings.save(
        Mapping(family_id=fid, current=content, revision=0),
        MappingRevision(1, content, world.practitioner.id, NOW),
        expected_revision=None,
    )


def build_scenario(uow_factory) -> Scenario:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    reid = world.family.id
    assert reid is not None
    with uow_factory() as uow:
        empty = _family(uow, world, "FAM-0002")
        quiet = _family(uow, world, "FAM-0003")
        other = _family(uow, world, "FAM-0004")

        # REID: the plan's current revision is the second one.
        _plan(uow, world, reid, date(2025, 5, 1), date(2025, 4, 1))
        S = SummaryStatus
        _summary(uow, world, reid, date(2024, 10, 1), date(2024, 11, 30), S.APPROVED)
        _summary(uow, world, reid, date(2024, 12, 1), date(2024, 12, 31), S.RETURNED, "First.")
        _summary(uow, world, reid, date(2024, 12, 2), date(2024, 12, 31), S.RETURNED, "Second.")
        _summary(uow, world, reid, date(2025, 1, 1), date(2025, 1, 31), S.SUBMITTED)
        _summary(uow, world, reid, date(2025, 2, 1), date(2025, 2, 28), S.DRAFT)
        K = ContactKind
        _contact(uow, world, reid, date(2024, 11, 9), K.HOME_VISIT, True)  # a day too early
        _contact(uow, world, reid, date(2024, 11, 10), K.SCHOOL_NURSERY, True)  # first day
        _contact(uow, world, reid, date(2025, 1, 20), K.HOME_VISIT, True)
        _contact(uow, world, reid, date(2025, 2, 10), K.HOME_VISIT, False)
        _contact(uow, world, reid, date(2025, 3, 1), K.PHONE, True)  # not a visit
        _contact(uow, world, reid, date(2025, 3, 5), K.OFFICE, False)
        # Ratings, not in date order: 1 Dec (overall 1); 5 Jan (overall 2 and 4);
        # 1 Feb (overall 5, danger 3); 20 Feb (danger 7 and 9 only).
        _rating(uow, reid, date(2025, 2, 20), 7, "k1")
        _rating(uow, reid, date(2025, 1, 5), 2)
        feb = _rating(uow, reid, date(2025, 2, 1), 5)
        _rating(uow, reid, date(2024, 12, 1), 1)
        _rating(uow, reid, date(2025, 2, 1), 3, "k1")
        jan = _rating(uow, reid, date(2025, 1, 5), 4)
        _rating(uow, reid, date(2025, 2, 20), 9, "k1")
        _mapping(uow, world, reid)

        # QUIET: the draft was saved after the submitted summary (higher id), same period end.
        _summary(uow, world, quiet, date(2025, 1, 1), date(2025, 1, 31), S.SUBMITTED)
        _summary(uow, world, quiet, date(2025, 1, 15), date(2025, 1, 31), S.DRAFT)
        _rating(uow, quiet, date(2025, 2, 3), 6, "k1")
        _rating(uow, quiet, date(2025, 2, 3), 3, "k2")
        _contact(uow, world, quiet, date(2024, 6, 3), K.HOME_VISIT, True)

        # OTHER: newer than anything above, of every kind.
        _plan(uow, world, other, date(2025, 3, 20))
        _summary(uow, world, other, date(2025, 3, 1), date(2025, 3, 9), S.RETURNED, "Other.")
        _contact(uow, world, other, date(2025, 3, 9), K.HOME_VISIT, True)
        _rating(uow, other, date(2025, 3, 9), 0)
        _rating(uow, other, date(2025, 3, 8), 10)
        _mapping(uow, world, other)
        uow.commit()
    return Scenario(world, reid, empty, quiet, other, (jan, feb))


def expected_in_window(s: Scenario) -> dict[int, CaseloadFacts]:
    """The facts with the caseload's window: contacts from WINDOW_START on."""
    return {
        s.reid: CaseloadFacts(
            family_id=s.reid,
            review_date=date(2025, 4, 1),
            latest_summary_end=date(2025, 2, 28),
            latest_summary_status=SummaryStatus.DRAFT,
            last_written_end=date(2025, 1, 31),
            returned_comment="Second.",
            last_contact=date(2025, 3, 5),
            last_seen_on_visit=date(2025, 1, 20),
            last_seen_by_child={s.world.child.id: date(2025, 1, 20)},
            # Dana's latest two overall ratings: 4 on 5 Jan (the later of that day), 5 on 1 Feb.
            overall_scores=(
                ScaledScore("Dana Reid", date(2025, 1, 5), 4, s.reid_ratings[0]),
                ScaledScore("Dana Reid", date(2025, 2, 1), 5, s.reid_ratings[1]),
            ),
            has_mapping=True,
        ),
        s.empty: CaseloadFacts(family_id=s.empty),
        s.quiet: CaseloadFacts(
            family_id=s.quiet,
            latest_summary_end=date(2025, 1, 31),
            latest_summary_status=SummaryStatus.DRAFT,
            last_written_end=date(2025, 1, 31),
        ),
    }
