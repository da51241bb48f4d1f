"""My time: a practitioner adds manual recording time by keys and sees it in this week's total;
a bad value is explained next to its field and nothing typed is lost."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from tests.tui.conftest import TEST_NOW, screen_text, sign_in


def _by_hand_this_week(app) -> str:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#mytime-weeks", DataTable)
    monday = "2026-11-16"  # TEST_NOW is Friday 20 November 2026
    return str(table.get_row(monday)[4])


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_add_manual_time_and_see_it_in_this_weeks_total(tandem_app) -> None:  # type: ignore[no-untyped-def]
    from domain.services.manual_time import my_time
    from tui.mytime.entry_form import ManualEntryForm
    from tui.mytime.screen import MyTimeScreen, hm

    app = tandem_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "amara.osei")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "My time" in titles  # reachable from the command palette too
        await pilot.press("t")
        await _settle(pilot)
        assert isinstance(app.screen, MyTimeScreen)
        before = my_time(app.ctx).this_week.figures.manual_minutes or 0
        assert _by_hand_this_week(app) == hm(before)
        assert "Only you can see these figures." in screen_text(app)

        await pilot.press("n")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, ManualEntryForm)
        await pilot.press("4", "x", "ctrl+s")  # minutes "4x"
        await _settle(pilot)
        error = form.query_one("#error-minutes", Static)
        assert error.display
        assert "Minutes must be a whole number (got '4x')." in str(error.render())
        assert form.query_one("#field-minutes", Input).value == "4x"  # what was typed stays
        assert app.focused is form.query_one("#field-minutes", Input)

        await pilot.press("backspace", "0", "ctrl+s")  # 40 minutes, today, legacy system
        await _settle(pilot)
        assert isinstance(app.screen, MyTimeScreen)
        mine = my_time(app.ctx)
        after = mine.this_week.figures.manual_minutes
        assert after == before + 40
        assert mine.entries[0].minutes == 40 and mine.entries[0].on == TEST_NOW.date()
        assert _by_hand_this_week(app) == hm(after)
        entries = app.screen.query_one("#mytime-entries", DataTable)
        assert [str(c) for c in entries.get_row_at(0)[:3]] == [
            "20 Nov 2026",
            "Legacy system forms",
            "40",
        ]


async def test_a_too_long_note_is_refused_beside_the_note(tandem_app) -> None:  # type: ignore[no-untyped-def]
    from tui.mytime.entry_form import ManualEntryForm

    app = tandem_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await sign_in(pilot, "amara.osei")
        await pilot.press("t")
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, ManualEntryForm)
        form.query_one("#field-minutes", Input).value = "30"
        form.query_one("#field-note", Input).value = "x" * 281
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        error = form.query_one("#error-note", Static)
        assert error.display and "at most 280 characters (it has 281)" in str(error.render())
        assert app.focused is form.query_one("#field-note", Input)

        await pilot.press("escape")  # closed unsaved: what was typed is kept as a draft
        await _settle(pilot)
        assert not isinstance(app.screen, ManualEntryForm)
        await pilot.press("n")
        await _settle(pilot)
        again = app.screen
        assert isinstance(again, ManualEntryForm) and again is not form
        assert again.query_one("#field-note", Input).value == "x" * 281
        assert again.query_one("#field-minutes", Input).value == "30"
