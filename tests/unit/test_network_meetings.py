"""Family network meetings: the record's rules, the service's access matrix (every refusal
audited), listing, and same-day corrections audited with the values they replaced."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied, DomainError, ValidationError
from domain.network_meetings import (
    ATTENDEES_MAX,
    DECISIONS_MAX,
    MEETINGS,
    Attendee,
    NetworkMeeting,
    attendees_text,
    correct_meeting,
    list_meetings,
    parse_attendee,
    parse_attendees,
    record_meeting,
)
from domain.people import User

WHO_CAME = "Dana Reid (Mum)\nAunt Jo (safety person)\nHealth visitor"
DECIDED = "Aunt Jo collects Amy from school on Tuesdays and Thursdays.\nMum rings Jo every evening."


def _record(w, who: User | None = None, **kw: Any) -> NetworkMeeting:  # type: ignore[no-untyped-def]
    args: dict[str, Any] = dict(
        held_on=w.today - timedelta(days=2),
        attendees=WHO_CAME,
        decisions=DECIDED,
        next_meeting_on=w.today + timedelta(days=26),
    )
    args.update(kw)
    return record_meeting(w.ctx(who or w.practitioner), w.family.id, **args)


# --- the record -----------------------------------------------------------------------------------


def test_who_came_is_read_one_person_a_line_with_the_role_in_brackets() -> None:
    people = parse_attendees(
        "Mum\n\n  Aunt Jo (safety person)  \n- Mr Patel (school)\nHealth visitor"
    )
    assert people == (
        Attendee("Mum"),
        Attendee("Aunt Jo", "safety person"),
        Attendee("Mr Patel", "school"),
        Attendee("Health visitor"),
    )
    assert parse_attendees(attendees_text(people)) == people
    # Brackets that are not a trailing role stay part of the name.
    assert parse_attendee("(Nan)") == Attendee("(Nan)")
    assert parse_attendee("Jo (Mum's sister) Smith") == Attendee("Jo (Mum's sister) Smith")


@pytest.mark.parametrize(
    "changes,field,words",
    [
        (dict(attendees=()), "attendees", "Who came cannot be empty"),
        (dict(attendees=(Attendee("", "safety person"),)), "attendees", "no name"),
        (dict(attendees=(Attendee("x" * 121),)), "attendees", "too long"),
        (
            dict(attendees=tuple(Attendee(f"P{i}") for i in range(ATTENDEES_MAX + 1))),
            "attendees",
            f"at most {ATTENDEES_MAX} people",
        ),
        (dict(decisions="   "), "decisions", "What was decided cannot be empty"),
        (dict(decisions="x" * (DECISIONS_MAX + 1)), "decisions", f"at most {DECISIONS_MAX}"),
        (dict(next_meeting_on=date(2025, 3, 3)), "next_meeting_on", "must be after this one"),
        (dict(next_meeting_on=date(2025, 3, 1)), "next_meeting_on", "01/03/2025 is not after"),
        (dict(held_on="3 March"), "held_on", "calendar date"),
    ],
)
def test_the_record_refuses_bad_values_naming_the_field(changes, field, words) -> None:  # type: ignore[no-untyped-def]
    args: dict[str, Any] = dict(
        family_id=1,
        held_on=date(2025, 3, 3),
        attendees=(Attendee("Mum"),),
        decisions="Meet again.",
        recorded_by=1,
        recorded_at=None,
    )
    args.update(changes)
    with pytest.raises(ValidationError) as err:
        NetworkMeeting(**args)
    assert err.value.field == field
    assert words in str(err.value)


# --- recording and listing --------------------------------------------------------------------------


def test_recording_a_meeting_stores_it_and_audits_it(world) -> None:  # type: ignore[no-untyped-def]
    meeting = _record(world)
    stored = world.store.of(MEETINGS)[meeting.id]
    assert stored.held_on == date(2025, 3, 8)
    assert stored.attendees == (
        Attendee("Dana Reid", "Mum"),
        Attendee("Aunt Jo", "safety person"),
        Attendee("Health visitor"),
    )
    assert stored.decisions == DECIDED
    assert stored.next_meeting_on == date(2025, 4, 5)
    assert (stored.recorded_by, stored.recorded_at) == (world.practitioner.id, world.clock.now())
    [event] = world.events(AuditAction.CREATE, entity="network_meeting")
    assert (event.entity_id, event.family_id, event.user_id) == (
        meeting.id,
        world.family.id,
        world.practitioner.id,
    )


def test_a_meeting_cannot_be_in_the_future_and_nothing_is_stored(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        _record(world, held_on=world.today + timedelta(days=1))
    assert err.value.field == "held_on"
    assert "cannot be in the future" in str(err.value)
    assert world.store.of(MEETINGS) == {}
    assert world.events(AuditAction.CREATE) == []


def test_the_next_meeting_is_optional_and_must_follow_the_meeting(world) -> None:  # type: ignore[no-untyped-def]
    assert _record(world, next_meeting_on=None).next_meeting_on is None
    with pytest.raises(ValidationError) as err:
        _record(world, next_meeting_on=world.today - timedelta(days=2))
    assert err.value.field == "next_meeting_on"


def test_the_list_is_newest_first_can_be_limited_to_a_period_and_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    old = _record(world, held_on=date(2025, 1, 20), next_meeting_on=date(2025, 2, 17))
    new = _record(world, held_on=date(2025, 2, 17))
    _record(world, held_on=date(2025, 2, 3), next_meeting_on=None)
    ctx = world.ctx(world.manager)
    listed = [x.meeting for x in list_meetings(ctx, world.family.id)]
    assert {x.recorded_by_name for x in list_meetings(ctx, world.family.id)} == {
        "Alex Practitioner"
    }
    assert [m.held_on for m in listed] == [date(2025, 2, 17), date(2025, 2, 3), date(2025, 1, 20)]
    assert listed[0].id == new.id and listed[-1].id == old.id
    period = list_meetings(ctx, world.family.id, date(2025, 2, 1), date(2025, 2, 10))
    assert [x.meeting.held_on for x in period] == [date(2025, 2, 3)]
    views = world.events(AuditAction.VIEW, user=world.manager, entity="network_meeting")
    assert len(views) == 3 and {e.family_id for e in views} == {world.family.id}
    with pytest.raises(ValidationError):
        list_meetings(ctx, world.family.id, date(2025, 2, 10), date(2025, 2, 1))


# --- who may: one matrix, the same as the contact log's ------------------------------------------

ACTORS: dict[str, tuple[str, str, bool]] = {
    # column: (user, target family, team lets practitioners read the team's families)
    "prac_own": ("practitioner", "family", False),
    "prac_mate": ("practitioner", "teammate_family", False),
    "prac_mate_rd": ("practitioner", "teammate_family", True),
    "prac_other": ("practitioner", "other_family", False),
    "mgr_own": ("manager", "family", False),
    "mgr_other": ("other_manager", "family", False),
    "lead": ("lead", "family", False),
    "staff": ("staff", "family", False),
    "admin": ("admin", "family", False),
}

# fmt: off
MATRIX: dict[str, str] = {
    #            prac_own  prac_mate  prac_mate_rd  prac_other  mgr_own  mgr_other  lead  staff  admin
    "record":   "A         D          D             D           A        D          D     D      D",
    "list":     "A         D          A             D           A        D          D     D      D",
    "correct":  "A         D          D             D           A        D          D     D      D",
}
# fmt: on


def _allocated(w, family) -> User:  # type: ignore[no-untyped-def]
    return next(u for u in w.users if u.id == family.practitioner_id)


OPS: dict[str, Callable[..., object]] = {
    "record": lambda w, ctx, fam: record_meeting(
        ctx, fam.id, w.today, "Mum\nNan (safety person)", "Nan stays on Fridays."
    ),
    "list": lambda w, ctx, fam: list_meetings(ctx, fam.id),
    "correct": lambda w, ctx, fam: correct_meeting(
        ctx,
        _record_for(w, fam).id,
        decisions="Nan stays on Fridays and Saturdays.",
    ),
}


def _record_for(w, fam) -> NetworkMeeting:  # type: ignore[no-untyped-def]
    """A meeting of ``fam`` recorded today by its own practitioner (set up, then the audit log is
    cleared of it so only the actor's events are checked)."""
    meeting = record_meeting(
        w.ctx(_allocated(w, fam)), fam.id, w.today, "Mum", "Nan stays on Fridays."
    )
    w.store.audit.clear()
    return meeting


def _cells() -> list[Any]:
    out = []
    for op, row in MATRIX.items():
        for column, outcome in zip(ACTORS, row.split(), strict=True):
            out.append(pytest.param(op, column, outcome, id=f"{op}|{column}"))
    return out


@pytest.mark.parametrize("op,column,outcome", _cells())
def test_access(world, op, column, outcome) -> None:  # type: ignore[no-untyped-def]
    user_attr, family_attr, team_reads = ACTORS[column]
    user, family = getattr(world, user_attr), getattr(world, family_attr)
    world.let_team_read(team_reads)
    ctx = world.ctx(user)
    before = dict(world.store.of(MEETINGS))
    if outcome == "D":
        with pytest.raises(AccessDenied) as err:
            OPS[op](world, ctx, family)
        assert str(err.value).startswith("You do not have access to ")
        assert str(err.value).endswith(f"(signed in as {user.role.label.lower()}).")
        mine = world.events(user=user)
        assert mine, "the refusal was not audited"
        assert {e.action for e in mine} == {AuditAction.DENIED}, "something else was written"
        after = {k: v for k, v in world.store.of(MEETINGS).items() if k in before}
        assert after == before, "a refused change changed a meeting"
        return
    OPS[op](world, ctx, family)
    mine = world.events(user=user)
    assert [e for e in mine if e.family_id == family.id and e.entity == "network_meeting"]
    assert not [e for e in mine if e.action is AuditAction.DENIED]


def test_nobody_signed_in_is_refused_and_it_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AccessDenied, match="sign in"):
        list_meetings(world.ctx(None), world.family.id)
    assert world.events(AuditAction.DENIED)


# --- corrections: on the day, by who recorded it or a manager, audited with the old values -------


def test_a_correction_keeps_the_old_values_in_the_audit_log(world) -> None:  # type: ignore[no-untyped-def]
    meeting = _record(world)
    world.clock.advance(hours=3)
    fixed = correct_meeting(
        world.ctx(world.practitioner),
        meeting.id,
        attendees=WHO_CAME + "\nMr Patel (school)",
        next_meeting_on=None,
        decisions=None,  # None: left as it was
    )
    assert fixed.attendees[-1] == Attendee("Mr Patel", "school")
    assert fixed.next_meeting_on is None and fixed.decisions == DECIDED
    assert fixed.edited_at == world.clock.now()
    assert world.store.of(MEETINGS)[meeting.id] == fixed
    [event] = world.events(AuditAction.UPDATE, entity="network_meeting")
    assert event.entity_id == meeting.id and event.family_id == world.family.id
    old = json.loads(event.detail.removeprefix("old values: "))
    assert old == {
        "attendees": ["Dana Reid (Mum)", "Aunt Jo (safety person)", "Health visitor"],
        "next_meeting_on": "2025-04-05",
    }


def test_a_correction_that_changes_nothing_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    meeting = _record(world)
    same = correct_meeting(world.ctx(world.practitioner), meeting.id, decisions=DECIDED)
    assert same == meeting
    assert world.events(AuditAction.UPDATE) == []


def test_a_correction_is_checked_like_a_new_meeting(world) -> None:  # type: ignore[no-untyped-def]
    meeting = _record(world)
    with pytest.raises(ValidationError) as err:
        correct_meeting(
            world.ctx(world.practitioner), meeting.id, held_on=world.today + timedelta(days=40)
        )
    assert err.value.field == "held_on"
    with pytest.raises(ValidationError) as err:
        correct_meeting(world.ctx(world.practitioner), meeting.id, held_on=date(2025, 4, 6))
    assert err.value.field in ("held_on", "next_meeting_on")
    assert world.store.of(MEETINGS)[meeting.id] == meeting


def test_after_the_day_it_was_recorded_a_meeting_cannot_be_corrected(world) -> None:  # type: ignore[no-untyped-def]
    meeting = _record(world)
    world.clock.advance(days=1)
    with pytest.raises(DomainError, match="only be corrected on the day it was recorded"):
        correct_meeting(world.ctx(world.manager), meeting.id, decisions="Changed later.")
    [denied] = world.events(AuditAction.DENIED)
    assert denied.entity == "network_meeting" and denied.entity_id == meeting.id
    assert world.store.of(MEETINGS)[meeting.id] == meeting


def test_a_team_mate_with_write_access_may_not_correct_someone_elses_meeting(world) -> None:  # type: ignore[no-untyped-def]
    """Write access to the family is not enough: only who recorded it, or a team manager."""
    meeting = _record(world)
    with world.uow() as uow:
        fam = uow.families.get(world.family.id)
        fam.practitioner_id = world.teammate.id  # reallocated to bea since
        uow.families.update(fam)
        uow.commit()
    with pytest.raises(AccessDenied, match="someone else recorded"):
        correct_meeting(world.ctx(world.teammate), meeting.id, decisions="Bea's version.")
    assert world.events(AuditAction.DENIED, user=world.teammate)
    fixed = correct_meeting(world.ctx(world.manager), meeting.id, decisions="Manager's fix.")
    assert fixed.decisions == "Manager's fix."


# --- the family copy of the plan carries the last network meeting ---------------------------------


def test_the_family_copy_shows_the_last_network_meeting(world) -> None:  # type: ignore[no-untyped-def]
    from domain.plans import PlanContent
    from domain.services import plans

    ctx = world.ctx(world.practitioner)
    plans.save_plan(
        ctx,
        world.family.id,
        PlanContent(start_date=date(2025, 1, 6), review_date=date(2025, 4, 6)),
        None,
    )
    before = plans.export_family_copy(ctx, world.family.id, "markdown")
    assert "family network" not in before
    _record(world, held_on=date(2025, 2, 3), decisions="An older decision.", next_meeting_on=None)
    _record(world, attendees="Dana Reid (Mum)\nAunt Jo <b>(safety person)</b>")
    text = plans.export_family_copy(ctx, world.family.id, "markdown")
    for expected in (
        "## Your family network",
        "We last met with your family network on 8 March 2025.",
        "Who came:  \nDana Reid (Mum)  \nAunt Jo \\<b\\>(safety person)\\</b\\>",
        "What we decided together:  \nAunt Jo collects Amy from school on Tuesdays and Thursdays.",
        "The network will meet again on 5 April 2025.",
    ):
        assert expected in text, expected
    assert "An older decision." not in text
    page = plans.export_family_copy(ctx, world.family.id, "html")
    assert "<h2>Your family network</h2>" in page
    assert "Aunt Jo &lt;b&gt;(safety person)&lt;/b&gt;" in page
