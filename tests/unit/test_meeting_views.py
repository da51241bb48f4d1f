"""Network meetings where other screens show them: the family Overview's glance (last meeting,
decisions in short, next meeting and whether it has passed) and a summary's period (contacts
and meetings held in it), each read once and audited as one view."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied
from domain.network_meetings import record_meeting
from domain.services.contacts import log_contact
from domain.services.meeting_views import (
    meeting_glance,
    overview_screen,
    period_records,
    period_records_between,
    short_decisions,
)
from domain.services.summaries import start_summary
from tests.unit.conftest import World

DECIDED = "Aunt Jo collects Amy on Tuesdays.\nMum rings Jo every evening.\nReview in a month."


def _views(world: World) -> list[object]:
    return [e for e in world.store.audit if e.action is AuditAction.VIEW]


def test_decisions_in_short_are_the_first_cut_to_fit_and_a_count_of_the_rest() -> None:
    assert short_decisions(DECIDED) == "Aunt Jo collects Amy on Tuesdays. (+2 more)"
    assert short_decisions("One thing only.") == "One thing only."
    assert short_decisions("\n  \n") == ""
    cut = short_decisions("x" * 200 + "\nsecond", limit=20)
    assert cut == "x" * 19 + "… (+1 more)"


def test_the_overview_shows_no_meeting_when_none_is_recorded(world: World) -> None:
    data = overview_screen(world.ctx(world.practitioner), world.family.id)  # type: ignore[arg-type]
    assert data.family.id == world.family.id
    assert data.meetings.last is None and data.meetings.count == 0
    assert data.meetings.next_on is None and not data.meetings.next_passed


def test_the_overview_shows_the_last_meeting_and_the_next_in_one_audited_view(
    world: World,
) -> None:
    ctx = world.ctx(world.practitioner)
    fid = world.family.id
    assert fid is not None
    today = world.today
    record_meeting(
        ctx, fid, today - timedelta(days=30), "Mum", "Older meeting.", today - timedelta(days=2)
    )
    last = record_meeting(
        ctx, fid, today - timedelta(days=3), "Mum\nAunt Jo", DECIDED, today + timedelta(days=25)
    )
    before = len(_views(world))
    data = overview_screen(ctx, fid)
    glance = data.meetings
    assert glance.last is not None and glance.last.id == last.id and glance.count == 2
    assert glance.decisions == "Aunt Jo collects Amy on Tuesdays. (+2 more)"
    assert glance.next_on == today + timedelta(days=25) and not glance.next_passed
    [view] = _views(world)[before:]  # one view for the screen, naming what it showed
    assert (view.entity, view.family_id) == ("family", fid)  # type: ignore[attr-defined]
    assert "network_meeting list" in view.detail  # type: ignore[attr-defined]


def test_a_next_meeting_whose_date_passed_with_none_recorded_since_is_flagged(world: World) -> None:
    today = world.today
    ctx = world.ctx(world.practitioner)
    m = record_meeting(
        ctx,
        world.family.id,
        today - timedelta(days=20),
        "Mum",
        "Jo helps.",
        today - timedelta(days=1),  # type: ignore[arg-type]
    )
    glance = meeting_glance([m], today)
    assert glance.next_passed and glance.next_on == today - timedelta(days=1)
    assert not meeting_glance([m], today - timedelta(days=1)).next_passed  # due today: not passed


def test_someone_without_access_to_the_family_sees_no_overview(world: World) -> None:
    with pytest.raises(AccessDenied):
        overview_screen(world.ctx(world.other_practitioner), world.family.id)  # type: ignore[arg-type]
    assert world.store.audit[-1].action is AuditAction.DENIED


def test_a_summary_period_lists_its_contacts_and_the_meetings_held_in_it(world: World) -> None:
    ctx = world.ctx(world.practitioner)
    fid = world.family.id
    assert fid is not None
    today = world.today
    start = today - timedelta(days=20)
    record_meeting(ctx, fid, start - timedelta(days=1), "Mum", "Before the period.")
    inside = record_meeting(ctx, fid, start + timedelta(days=5), "Mum\nAunt Jo", DECIDED)
    first = record_meeting(ctx, fid, start, "Mum", "On the first day.")
    log_contact(ctx, fid, start + timedelta(days=2), time(10, 0), 30, "phone", "Spoke to Mum.")
    summary = start_summary(ctx, fid, start, today)
    before = len(_views(world))
    records = period_records(ctx, summary.id)  # type: ignore[arg-type]
    assert (records.start, records.end) == (start, today)
    assert [c.note for c in records.contacts] == ["Spoke to Mum."]
    assert [m.id for m in records.meetings] == [first.id, inside.id]  # oldest first
    [view] = _views(world)[before:]
    assert (view.entity, view.entity_id) == ("summary", summary.id)  # type: ignore[attr-defined]

    # The period as it is being typed: a narrower one leaves out what falls outside it.
    typed = period_records_between(ctx, fid, start + timedelta(days=1), today)
    assert [m.id for m in typed.meetings] == [inside.id]
    assert [c.note for c in typed.contacts] == ["Spoke to Mum."]


def test_the_reviewer_reads_the_meetings_held_in_the_summarys_period(world: World) -> None:
    from domain.services.screens import review_screen

    ctx = world.ctx(world.practitioner)
    fid = world.family.id
    assert fid is not None
    today = world.today
    start = today - timedelta(days=20)
    record_meeting(ctx, fid, start - timedelta(days=3), "Mum", "Before the period.")
    held = record_meeting(ctx, fid, start + timedelta(days=4), "Mum\nAunt Jo", DECIDED)
    summary = start_summary(ctx, fid, start, today)
    packet = review_screen(world.ctx(world.manager), summary.id)  # type: ignore[arg-type]
    assert [m.id for m in packet.meetings] == [held.id]
