"""Time that cannot be fooled by the calendar: both 2026 Europe/London clock changes and a ±1 h
NTP step, with an injected clock whose wall and monotonic readings tests move independently.

* 29 Mar 2026 01:00 UTC: clocks go forward (01:00 GMT -> 02:00 BST; 01:00-01:59 local never exist).
* 25 Oct 2026 01:00 UTC: clocks go back (01:59 BST -> 01:00 GMT; 01:00-01:59 local happen twice).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.audit import AuditAction
from domain.clock import (
    LOCAL_ZONE,
    FixedClock,
    SystemClock,
    as_utc,
    local_date,
    local_instant,
    local_time_exists,
    to_local,
)
from domain.errors import AccessDenied, ValidationError
from domain.services.contacts import contact_defaults, log_contact
from domain.services.recording import save_session_progress, start_session
from domain.services.session_recorder import SessionRecorder
from domain.timeuse import ContactKind, RecordingActivity

SPRING = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
AUTUMN = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)


# -- the clock and the local calendar --------------------------------------------------------------


def test_system_clock_gives_utc_instants_local_dates_and_a_monotonic_reading():
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo is UTC and now.microsecond == 0
    assert clock.today() == datetime.now(LOCAL_ZONE).date()
    first = clock.monotonic()
    assert clock.monotonic() >= first


def test_fixed_clock_reads_a_naive_time_as_london_wall_time():
    clock = FixedClock(datetime(2026, 7, 1, 9, 0))  # BST
    assert clock.now() == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert clock.today() == date(2026, 7, 1)


def test_fixed_clock_moves_wall_and_monotonic_independently():
    clock = FixedClock(SPRING, monotonic=100)
    clock.advance(seconds=10)
    assert (clock.now(), clock.monotonic()) == (SPRING + timedelta(seconds=10), 110)
    clock.jump_wall(hours=1)
    assert (clock.now(), clock.monotonic()) == (SPRING + timedelta(hours=1, seconds=10), 110)
    clock.advance_monotonic(5)
    assert clock.monotonic() == 115


def test_local_time_shown_across_both_changes():
    assert f"{to_local(SPRING - timedelta(minutes=1)):%H:%M %Z}" == "00:59 GMT"
    assert f"{to_local(SPRING):%H:%M %Z}" == "02:00 BST"
    assert f"{to_local(AUTUMN - timedelta(minutes=1)):%H:%M %Z}" == "01:59 BST"
    assert f"{to_local(AUTUMN):%H:%M %Z}" == "01:00 GMT"
    # Local midnight is the local date's start, whatever the offset.
    assert local_date(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == date(2026, 7, 2)


def test_the_skipped_spring_hour_does_not_exist_and_the_repeated_autumn_hour_does():
    assert not local_time_exists(date(2026, 3, 29), time(1, 30))
    assert local_time_exists(date(2026, 3, 29), time(2, 30))
    assert local_time_exists(date(2026, 10, 25), time(1, 30))
    with pytest.raises(ValidationError) as err:
        local_instant(date(2026, 3, 29), time(1, 30))
    assert err.value.field == "start_time"
    assert "does not exist" in str(err.value) and "clocks went forward" in str(err.value)
    # The repeated hour is read as its first occurrence (BST), as the migration does.
    assert local_instant(date(2026, 10, 25), time(1, 30)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    assert as_utc(datetime(2026, 10, 25, 1, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# -- active time across the changes --------------------------------------------------------------


def _type_steadily(recorder: SessionRecorder, clock: FixedClock, seconds: int, jump=None) -> None:
    """A key a second for ``seconds`` s; ``jump`` (hours) moves the wall clock half way."""
    for n in range(seconds):
        if jump is not None and n == seconds // 2:
            clock.jump_wall(hours=jump)
        clock.advance(seconds=1)
        recorder.input()


@pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=["spring-forward", "fall-back"])
def test_seven_and_a_half_minutes_of_typing_across_a_clock_change(team_world, change):
    """The bug this replaces: across the autumn change 7½ minutes were stored as 142 s, and
    across the spring change a "you were away for 1:00:01" question opened mid-typing."""
    clock = team_world.clock
    clock.at = change - timedelta(minutes=4)
    recorder = SessionRecorder(team_world.ctx(team_world.prac), team_world.fam.id, "summary")
    recorder.start()
    _type_steadily(recorder, clock, 450)
    assert recorder.clock.pending_gap is None
    stored = recorder.store(recorder.figures(final=True))
    assert stored.active_seconds == 450
    assert stored.started == change - timedelta(minutes=4)
    assert stored.ended == change + timedelta(minutes=3, seconds=30)
    # Shown in local time: the span crosses the change but is 7:30 long.
    assert (stored.ended - stored.started) == timedelta(minutes=7, seconds=30)


@pytest.mark.parametrize(
    "change, jump",
    [(SPRING, 1), (AUTUMN, -1), (datetime(2026, 6, 3, 10, 0, tzinfo=UTC), 1)]
    + [(datetime(2026, 6, 3, 10, 0, tzinfo=UTC), -1)],
    ids=["spring-wall-forward", "autumn-wall-back", "ntp-step-plus-1h", "ntp-step-minus-1h"],
)
def test_a_wall_clock_jump_mid_session_changes_neither_time_nor_asks_about_a_gap(
    team_world, change, jump
):
    """A clock that jumps (a naive local clock at a change, an NTP step, a hand-set clock):
    the monotonic clock runs on, and so does the active time."""
    clock = team_world.clock
    clock.at = change - timedelta(minutes=4)
    opened = clock.now()
    recorder = SessionRecorder(team_world.ctx(team_world.prac), team_world.fam.id, "plan")
    recorder.start()
    _type_steadily(recorder, clock, 450, jump=jump)
    assert recorder.clock.pending_gap is None
    assert recorder.clock.active_seconds(clock.monotonic()) == 450
    stored = recorder.store(recorder.figures(final=True))
    assert stored.active_seconds == 450
    # The session's end is its start plus the time really spent, not the jumped wall clock.
    assert stored.ended - stored.started == timedelta(seconds=450)
    assert stored.started == opened


def test_a_real_long_gap_is_still_asked_about_across_a_change(team_world):
    clock = team_world.clock
    clock.at = AUTUMN - timedelta(minutes=2)
    recorder = SessionRecorder(team_world.ctx(team_world.prac), team_world.fam.id, "summary")
    clock.advance(minutes=10)
    recorder.input()
    assert recorder.clock.pending_gap == 600


# -- sessions kept up to date as they go ---------------------------------------------------------


def test_a_session_is_stored_on_open_and_updated_in_place(team_world):
    w = team_world
    ctx = w.ctx(w.prac)
    w.clock.at = SPRING - timedelta(minutes=1)
    session = start_session(ctx, w.fam.id, RecordingActivity.SUMMARY)
    assert (session.active_seconds, session.started, session.ended) == (
        0,
        w.clock.now(),
        w.clock.now(),
    )
    save_session_progress(ctx, session.id, 25, 30)
    save_session_progress(ctx, session.id, 55, 60)
    # A late update (overtaken by a later one) never takes time away.
    save_session_progress(ctx, session.id, 25, 30)
    final = save_session_progress(ctx, session.id, 80, 90, final=True)
    assert [s.id for s in w.factory.store.sessions] == [session.id]
    [stored] = w.factory.store.sessions
    assert stored.active_seconds == final.active_seconds == 80
    assert stored.ended == session.started + timedelta(seconds=90)
    created = [e for e in w.events(AuditAction.CREATE) if e.entity == "recording_session"]
    updated = [e for e in w.events(AuditAction.UPDATE) if e.entity == "recording_session"]
    assert len(created) == 1 and len(updated) == 1
    assert updated[0].detail == "summary, 80 s active"


def test_active_time_is_capped_by_the_time_the_session_has_been_open(team_world):
    w = team_world
    ctx = w.ctx(w.prac)
    session = start_session(ctx, None, "plan")
    stored = save_session_progress(ctx, session.id, 500, 60)
    assert stored.active_seconds == 61


def test_only_the_owner_updates_a_session(team_world):
    w = team_world
    session = start_session(w.ctx(w.prac), w.fam.id, "summary")
    with pytest.raises(AccessDenied):
        save_session_progress(w.ctx(w.prac2), session.id, 10, 10)
    assert w.factory.store.sessions[0].active_seconds == 0


def test_the_recorder_updates_one_row_at_each_checkpoint(team_world):
    w = team_world
    recorder = SessionRecorder(w.ctx(w.prac), w.fam.id, "summary")
    for _ in range(3):
        _type_steadily(recorder, w.clock, 30)
        recorder.store(recorder.figures())
    assert [s.active_seconds for s in w.factory.store.sessions] == [90]
    recorder.store(recorder.figures(final=True))
    recorder.store(recorder.figures())  # nothing after the close
    assert [s.active_seconds for s in w.factory.store.sessions] == [90]


# -- contacts against the real local calendar ------------------------------------------------------


def _contact(w, on: date, start: time):
    return log_contact(
        w.ctx(w.prac), w.fam.id, on, start, 30, ContactKind.HOME_VISIT, "Night visit after a call."
    )


def test_a_contact_at_a_time_that_does_not_exist_is_refused_next_to_the_start_time(team_world):
    team_world.clock.at = datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    with pytest.raises(ValidationError) as err:
        _contact(team_world, date(2026, 3, 29), time(1, 30))
    assert err.value.field == "start"
    assert "01:30 does not exist on 29/03/2026" in str(err.value)
    assert _contact(team_world, date(2026, 3, 29), time(2, 30)).start == time(2, 30)


def test_a_contact_in_the_repeated_hour_is_accepted_and_not_in_the_future(team_world):
    # 01:40 GMT, the second time the clock shows 01:xx that night.
    team_world.clock.at = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)
    assert f"{to_local(team_world.clock.now()):%H:%M}" == "01:40"
    contact = _contact(team_world, date(2026, 10, 25), time(1, 30))
    assert (contact.on, contact.start) == (date(2026, 10, 25), time(1, 30))
    # A time still to come that night is refused as "in the future".
    with pytest.raises(ValidationError, match="in the future"):
        _contact(team_world, date(2026, 10, 25), time(2, 30))


def test_the_contact_form_defaults_to_local_date_and_time(team_world):
    team_world.clock.at = datetime(2026, 7, 1, 23, 17, tzinfo=UTC)  # 00:17 BST on 2 July
    defaults = contact_defaults(team_world.ctx(team_world.prac))
    assert (defaults.on, defaults.start) == (date(2026, 7, 2), time(0, 15))


def test_audit_times_never_go_backwards_on_the_autumn_night(team_world):
    w = team_world
    w.clock.at = datetime(2026, 10, 25, 0, 50, tzinfo=UTC)  # 01:50 BST
    _contact(w, date(2026, 10, 25), time(1, 0))
    w.clock.advance(minutes=20)  # 01:10 GMT: the wall clock shows an earlier time
    _contact(w, date(2026, 10, 25), time(1, 5))
    first, second = (e.at for e in w.events(AuditAction.CREATE) if e.entity == "contact")
    assert second - first == timedelta(minutes=20)
    assert [f"{to_local(t):%H:%M %Z}" for t in (first, second)] == ["01:50 BST", "01:10 GMT"]
