"""The recording clock, driven through a real editor with an injected clock and scripted input.

Rules (domain/activity_clock.py): the editor's opening counts as the first input; a gap between
inputs counts in full up to the idle gap (60 s) and only 60 s beyond it; after a gap longer than
the long gap (300 s) the user is asked whether to keep it.
"""

from __future__ import annotations

import pytest

from domain.timeuse import RecordingActivity
from tests.tui.conftest import sign_in
from tui.widgets.recording_editor import ClockBar, GapQuestion, RecordingEditor

FAMILY_REF = "FAM-0103"


async def open_contact_form(app, pilot, signed_in: bool = False):  # type: ignore[no-untyped-def]
    if not signed_in:
        await sign_in(pilot, "amara.osei")
    table = app.screen.query_one("#caseload-table")
    keys = [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]
    refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    table.move_cursor(row=refs.index(FAMILY_REF))
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("5")
    await app.workers.wait_for_complete()
    await pilot.press("n")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, RecordingEditor), keys
    return app.screen


def sessions_of(runtime, username: str):  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        user = uow.users.by_username(username)
        return [
            s
            for s in uow.recording.sessions(user_id=user.id)
            if s.started >= runtime.clock.now().replace(hour=0)
        ]


async def tick(pilot, clock, seconds: float, key: str | None = None):  # type: ignore[no-untyped-def]
    clock.advance(seconds=seconds)
    if key is not None:
        await pilot.press(key)
    await pilot.pause()


@pytest.mark.parametrize("answer, expected_extra", [("k", 400 - 60), ("d", 0)])
async def test_active_seconds_idle_pause_and_long_gap(
    tandem_app, runtime, clock, answer, expected_extra
):
    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        before = len(sessions_of(runtime, "amara.osei"))
        opened = clock.now()
        editor = await open_contact_form(app, pilot, signed_in=True)
        assert editor.clock.started == clock.monotonic()
        # The session is stored as the editor opens, with no time yet.
        [stored] = [
            s for s in sessions_of(runtime, "amara.osei") if s.id == editor.recorder.session_id
        ]
        assert (stored.started, stored.active_seconds) == (opened, 0)

        # Typing at +10 s and +20 s: all 20 s count.
        await tick(pilot, clock, 10, "4")
        await tick(pilot, clock, 10, "5")
        assert editor.clock.active_seconds(clock.monotonic()) == 20

        # Nothing for 150 s: the clock stops counting after the 60 s idle gap and says so.
        clock.advance(seconds=150)
        editor._tick()
        bar = str(editor.query_one(ClockBar).render())
        assert "idle" in bar
        assert editor.clock.active_seconds(clock.monotonic()) == 20 + 60
        await pilot.press("tab")  # input after the idle gap: still only 60 s of it counted
        assert editor.clock.active_seconds(clock.monotonic()) == 80

        # Paused: time and input do not count.
        await pilot.press("ctrl+t")
        await tick(pilot, clock, 30, "tab")
        assert editor.clock.paused and editor.clock.active_seconds(clock.monotonic()) == 80
        await pilot.press("ctrl+t")
        assert not editor.clock.paused

        # Away for 400 s, then a key: the long-gap question appears.
        clock.advance(seconds=400)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.screen, GapQuestion)
        await pilot.press(answer)
        await pilot.pause()
        assert app.screen is editor
        # 60 s of the gap counted at once; keeping it adds the remaining 340 s.
        assert editor.clock.active_seconds(clock.monotonic()) == 80 + 60 + expected_extra

        # Closing updates that same session with the active time (one row for one opening).
        await tick(pilot, clock, 5)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()

    sessions = sessions_of(runtime, "amara.osei")
    assert len(sessions) == before + 1
    session = max(sessions, key=lambda s: s.id)
    assert session.activity is RecordingActivity.CONTACT_LOG
    assert session.started == opened
    assert session.ended == clock.now()
    assert session.active_seconds == 80 + 60 + expected_extra + 5
    with runtime.uow_factory() as uow:
        assert uow.families.get(session.family_id).reference == FAMILY_REF


@pytest.mark.parametrize("jump_hours", [1, -1])
async def test_a_wall_clock_jump_mid_session_changes_nothing(
    tandem_app, runtime, clock, jump_hours
):
    """An NTP step or a hand-set clock (±1 h) while typing: the active seconds go on as typed,
    no long-gap question opens, the on-screen clock keeps running, and the stored session
    (updated as the 30 s timer and the autosave do) holds the typed time."""
    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        editor = await open_contact_form(app, pilot)
        for n in range(30):  # 30 s of steady typing, the wall clock jumping half way
            if n == 15:
                clock.jump_wall(hours=jump_hours)
            await tick(pilot, clock, 1, "tab")
        assert not isinstance(app.screen, GapQuestion)
        assert app.screen is editor
        assert editor.clock.active_seconds(clock.monotonic()) == 30
        editor._tick()
        bar = str(editor.query_one(ClockBar).render())
        assert "00:30 recording time" in bar
        editor.store_session()  # what the 30 s timer does
        await app.workers.wait_for_complete()
        [stored] = [
            s for s in sessions_of(runtime, "amara.osei") if s.id == editor.recorder.session_id
        ]
        assert stored.active_seconds == 30
        assert (stored.ended - stored.started).total_seconds() == 30


async def test_a_contact_time_the_clocks_skipped_is_refused_at_the_start_field(tandem_app, runtime):
    """01:30 on 29 March 2026 never happened in London: the form says so, puts the cursor on
    the start time and keeps everything typed."""
    from textual.widgets import Input, Static

    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        editor = await open_contact_form(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        for field, value in [
            ("#field-minutes", "30"),
            ("#field-note", "Called out overnight."),
            ("#field-on", "29/03/2026"),
            ("#field-start", "01:30"),
        ]:
            editor.query_one(field, Input).value = value
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is editor
        error = str(editor.query_one("#editor-error", Static).render())
        assert "01:30 does not exist on 29/03/2026" in error
        assert app.focused is editor.query_one("#field-start", Input)
        assert editor.query_one("#field-note", Input).value == "Called out overnight."
