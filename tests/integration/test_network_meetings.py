"""Family network meetings on a real database (SQLite and PostgreSQL): the services store what
was recorded and read it back equal, in order; a same-day correction and the audit trail
survive a fresh unit of work; the table refuses a next meeting that is not after the meeting."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.errors import NotFound
from domain.network_meetings import (
    MEETINGS,
    Attendee,
    correct_meeting,
    list_meetings,
    record_meeting,
)
from domain.services.context import Context
from tests.integration.builders import NOW, TODAY, build_world

WHO_CAME = "Kerry Hughes (Mum)\nAunt Jo (safety person)\nZoë Ōkubo – health visitor"


@pytest.fixture
def world(uow_factory):  # type: ignore[no-untyped-def]
    return build_world(uow_factory)


def test_meetings_are_stored_read_back_in_order_and_audited(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    ctx = Context(uow_factory, FixedClock(NOW), world.practitioner)
    first = record_meeting(
        ctx,
        world.family.id,
        TODAY - timedelta(days=30),
        WHO_CAME,
        "Aunt Jo collects Amy on Tuesdays.\nMum rings Jo each evening.",
        TODAY - timedelta(days=2),
    )
    second = record_meeting(
        ctx, world.family.id, TODAY - timedelta(days=2), "Kerry Hughes (Mum)", "Keep going."
    )
    with uow_factory() as uow:
        stored = uow.repo(MEETINGS).get(first.id)
    assert stored == first
    assert stored.attendees == (
        Attendee("Kerry Hughes", "Mum"),
        Attendee("Aunt Jo", "safety person"),
        Attendee("Zoë Ōkubo – health visitor"),
    )
    assert stored.recorded_at == NOW and stored.recorded_at.tzinfo is not None
    assert stored.next_meeting_on == TODAY - timedelta(days=2)

    listed = list_meetings(ctx, world.family.id)
    assert [x.meeting.id for x in listed] == [second.id, first.id]
    assert listed[1].meeting == first
    assert listed[1].recorded_by_name == world.practitioner.full_name
    within = list_meetings(
        ctx, world.family.id, TODAY - timedelta(days=40), TODAY - timedelta(days=9)
    )
    assert [x.meeting.id for x in within] == [first.id]

    with uow_factory() as uow:
        events = uow.audit.list(family_id=world.family.id)
    made = [e for e in events if e.entity == "network_meeting"]
    assert [(e.action, e.entity_id) for e in made] == [
        (AuditAction.CREATE, first.id),
        (AuditAction.CREATE, second.id),
        (AuditAction.VIEW, None),
        (AuditAction.VIEW, None),
    ]


def test_a_same_day_correction_is_stored_with_its_old_values_audited(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(NOW)
    ctx = Context(uow_factory, clock, world.practitioner)
    meeting = record_meeting(
        ctx, world.family.id, TODAY, WHO_CAME, "Nan stays on Fridays.", TODAY + timedelta(days=28)
    )
    clock.advance(hours=2)
    manager = Context(uow_factory, clock, world.manager)
    fixed = correct_meeting(manager, meeting.id, decisions="Nan stays on Fridays and Saturdays.")
    with uow_factory() as uow:
        stored = uow.repo(MEETINGS).get(meeting.id)
        [update] = [
            e for e in uow.audit.list(family_id=world.family.id) if e.action is AuditAction.UPDATE
        ]
    assert stored == fixed and stored.edited_at == clock.now()
    assert stored.decisions == "Nan stays on Fridays and Saturdays."
    assert stored.recorded_by == world.practitioner.id  # who recorded it stays
    assert update.user_id == world.manager.id
    assert json.loads(update.detail.removeprefix("old values: ")) == {
        "decisions": "Nan stays on Fridays."
    }


def test_the_table_refuses_a_next_meeting_not_after_the_meeting(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    """The domain refuses it first; the CHECK constraint is the database's own guard."""
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.session.execute(
            text(
                "INSERT INTO network_meetings (family_id, held_on, attendees, decisions, "
                "next_meeting_on, recorded_by, recorded_at) VALUES (:f, :held, '[]', 'x', "
                ":next, :by, :at)"
            ),
            {
                "f": world.family.id,
                "held": date(2025, 3, 3),
                "next": date(2025, 3, 3),
                "by": world.practitioner.id,
                "at": NOW.replace(tzinfo=None),
            },
        )
        uow.session.flush()


def test_a_missing_meeting_is_not_found(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow, pytest.raises(NotFound, match="network meeting"):
        uow.repo(MEETINGS).get(12345)
