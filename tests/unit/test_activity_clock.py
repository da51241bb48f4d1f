"""The recording clock: exact, deterministic active time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.activity_clock import ActivityClock
from domain.errors import ValidationError

#: A reading of the monotonic clock (only differences mean anything).
T0 = 5000.0


def at(seconds: float) -> float:
    return T0 + seconds


def clock_with(*inputs: float, **kwargs) -> ActivityClock:
    clock = ActivityClock(T0, **kwargs)
    for s in inputs:
        clock.activity(at(s))
    return clock


def test_gaps_within_the_idle_gap_count_in_full():
    clock = clock_with(0, 10, 20, 50)
    assert clock.active_seconds(at(50)) == 50


def test_a_gap_beyond_the_idle_gap_counts_only_its_first_idle_gap_seconds():
    # 0→10→20 count 20 s; the 180 s gap to 200 counts 60 s.
    clock = clock_with(0, 10, 20, 200)
    assert clock.active_seconds(at(200)) == 80
    assert clock.pending_gap is None


def test_time_after_the_last_input_counts_up_to_the_idle_gap_while_reading():
    clock = clock_with(0, 10)
    assert clock.active_seconds(at(10)) == 10
    assert clock.active_seconds(at(40)) == 40
    assert clock.active_seconds(at(70)) == 70
    assert clock.active_seconds(at(500)) == 70  # capped at idle_gap after the last input


def test_a_gap_of_exactly_the_idle_gap_counts_in_full():
    assert clock_with(0, 60).active_seconds(at(60)) == 60
    assert clock_with(0, 61).active_seconds(at(61)) == 60


def test_long_gap_is_held_as_pending_and_keep_counts_the_whole_gap():
    clock = clock_with(0, 10, 20, 200, 600)  # a 400 s gap from 200 to 600
    assert clock.pending_gap == 400
    # Until answered, the gap counts like any idle gap: its first 60 s.
    assert clock.active_seconds(at(600)) == 80 + 60
    clock.keep_gap()
    assert clock.pending_gap is None
    assert clock.active_seconds(at(600)) == 80 + 400


def test_long_gap_discarded_adds_nothing_beyond_the_idle_allowance():
    clock = clock_with(0, 10, 20, 200, 600)
    clock.discard_gap()
    assert clock.pending_gap is None
    assert clock.active_seconds(at(600)) == 80 + 60


def test_a_gap_of_exactly_the_long_gap_is_not_pending():
    clock = clock_with(0, 300)
    assert clock.pending_gap is None
    assert clock.active_seconds(at(300)) == 60


def test_unanswered_long_gaps_add_up_and_typing_goes_on_counting():
    clock = clock_with(0, 400, 410, 1010)  # gaps 400 and 600
    assert clock.pending_gap == 1000
    assert clock.active_seconds(at(1010)) == 60 + 10 + 60
    clock.keep_gap()
    assert clock.active_seconds(at(1010)) == 1010


def test_finish_returns_active_and_elapsed_seconds():
    clock = clock_with(0, 10, 20, 200)
    result = clock.finish(at(230))
    assert (result.active_seconds, result.elapsed_seconds) == (110, 230)
    assert clock.finished
    # Nothing changes after finishing.
    clock.activity(at(240))
    assert clock.active_seconds(at(1000)) == 110
    assert clock.finish(at(2000)).active_seconds == 110


def test_finish_discards_a_gap_nobody_answered():
    clock = clock_with(0, 500)
    result = clock.finish(at(500))
    assert result.active_seconds == 60
    assert clock.pending_gap is None


def test_pause_stops_the_clock_and_input_while_paused_does_not_count():
    clock = clock_with(0, 30)
    clock.pause(at(40))
    assert clock.paused
    assert clock.active_seconds(at(40)) == 40
    clock.activity(at(45))  # typing while paused is ignored
    assert clock.active_seconds(at(1000)) == 40
    clock.resume(at(1000))
    assert not clock.paused
    clock.activity(at(1020))
    assert clock.active_seconds(at(1020)) == 60
    assert clock.pending_gap is None  # a paused stretch is never a "long gap"


def test_pause_keeps_at_most_the_idle_allowance_since_the_last_input():
    clock = clock_with(0, 10)
    clock.pause(at(200))
    assert clock.active_seconds(at(200)) == 70


def test_pause_and_resume_twice_are_harmless():
    clock = clock_with(0, 10)
    clock.pause(at(20))
    clock.pause(at(50))
    assert clock.active_seconds(at(50)) == 20
    clock.resume(at(60))
    clock.resume(at(90))
    assert clock.active_seconds(at(70)) == 30


def test_time_going_backwards_adds_nothing():
    clock = clock_with(0, 50, 40)
    assert clock.last_input == at(50)
    assert clock.active_seconds(at(50)) == 50
    assert clock.active_seconds(at(10)) == 50


def test_the_session_from_finish_fits_a_recording_session():
    from domain.timeuse import RecordingActivity, RecordingSession

    started = datetime(2026, 10, 25, 0, 55, tzinfo=UTC)
    clock = clock_with(0, 5, 400)
    clock.keep_gap()
    result = clock.finish(at(460))
    ended = started + timedelta(seconds=result.elapsed_seconds)
    session = RecordingSession(1, RecordingActivity.SUMMARY, started, ended, result.active_seconds)
    assert session.active_seconds == 460


def test_gaps_can_be_configured_in_seconds_or_timedelta():
    clock = ActivityClock(T0, idle_gap=timedelta(seconds=30), long_gap=120)
    clock.activity(at(100))
    assert clock.active_seconds(at(100)) == 30
    assert clock.pending_gap is None
    clock.activity(at(300))
    assert clock.pending_gap == 200


@pytest.mark.parametrize(
    ("idle", "long", "field"), [(0, 300, "idle_gap"), (-5, 300, "idle_gap"), (60, 30, "long_gap")]
)
def test_nonsense_gaps_are_refused(idle, long, field):
    with pytest.raises(ValidationError) as err:
        ActivityClock(T0, idle_gap=idle, long_gap=long)
    assert err.value.field == field
