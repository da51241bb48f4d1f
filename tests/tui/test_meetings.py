"""The Meetings tab, as a practitioner uses it: the demo's meeting is listed; n opens the form; a
next meeting before the meeting is refused next to its field with everything typed kept; once
corrected, ctrl+s saves and the new meeting is listed (and stored); enter reads it whole."""

from __future__ import annotations

from textual.widgets import DataTable, TextArea

from domain.network_meetings import list_meetings
from domain.timeuse import RecordingActivity
from tests.tui.conftest import TEST_NOW, screen_text, shown_within, sign_in
from tui.family.meetings import MeetingForm, MeetingsTab
from tui.widgets.detail import DetailScreen

FAMILY_REF = "FAM-0105"


async def test_a_meeting_is_recorded_with_keys_and_listed(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "amara.osei")
        caseload = app.screen.query_one("#caseload-table", DataTable)
        refs = [str(caseload.get_row_at(i)[0]) for i in range(caseload.row_count)]
        caseload.focus()
        caseload.move_cursor(row=refs.index(FAMILY_REF))
        await pilot.press("enter")
        await shown_within(pilot, lambda: bool(app.screen.query("#family-tabs")), "the family")
        await pilot.press("7")
        tab = app.screen.query_one(MeetingsTab)
        await shown_within(pilot, lambda: tab.loaded, "the meetings list")
        table = tab.query_one("#meetings-table", DataTable)
        assert table.row_count == 1  # the demo's meeting
        assert str(table.get_row_at(0)[2]).startswith("Bisi Adeyemi (Mum), Folake Adeyemi (grand")

        await pilot.press("n")
        await shown_within(pilot, lambda: isinstance(app.screen, MeetingForm), "the form")
        form = app.screen
        await shown_within(pilot, lambda: form.recorder is not None, "the form's clock")
        # Held on starts at today; tab to the next meeting and give one before it.
        await pilot.press("tab", *"01/11/2026", "tab")
        await pilot.press(*"Bisi Adeyemi (Mum)", "enter", *"Folake (safety person)", "tab")
        await pilot.press(*"Folake stays on Fridays.")
        await pilot.press("ctrl+s")
        await shown_within(
            pilot, lambda: bool(form.query(".field-error-line")), "the error by the field"
        )
        assert isinstance(app.screen, MeetingForm)
        [line] = form.query(".field-error-line")
        assert "The next meeting must be after this one" in str(line.render())
        # It sits under the dates' row, and that is where the focus went.
        assert line.parent is form.query_one("#field-next-meeting-on").parent.parent
        assert form.focused is form.query_one("#field-next-meeting-on")
        # Nothing typed was lost.
        attendees = form.query_one("#field-attendees", TextArea).text
        assert attendees == "Bisi Adeyemi (Mum)\nFolake (safety person)"
        assert form.query_one("#field-decisions", TextArea).text == "Folake stays on Fridays."

        await pilot.press(*"18/12/2026")  # replaces the selected wrong date
        await pilot.press("ctrl+s")
        await shown_within(pilot, lambda: app.screen is not form, "the form to close")
        await shown_within(pilot, lambda: table.row_count == 2, "the new meeting listed")
        row = [str(c) for c in table.get_row_at(0)]
        assert row[:2] == ["20 Nov 2026", "18 Dec 2026"]
        assert row[2].startswith("Bisi Adeyemi (Mum), Folake (safety person)")
        family_id = tab.family_id
        stored = list_meetings(app.ctx, family_id)[0].meeting
        assert stored.held_on == TEST_NOW.date() and stored.decisions == "Folake stays on Fridays."
        assert [a.text() for a in stored.attendees] == attendees.splitlines()
        # The form's clock was a network meeting's, not the contact log's (the burden report's
        # "Network meeting" line).
        with runtime.uow_factory() as uow:
            user = uow.users.by_username("amara.osei")
            timed = {
                s.activity
                for s in uow.recording.sessions(user_id=user.id)
                if s.family_id == family_id and s.started.date() == TEST_NOW.date()
            }
        assert timed == {RecordingActivity.NETWORK_MEETING}

        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await shown_within(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail")
        text = screen_text(app)
        assert "Folake stays on Fridays." in text and "Friday 18 December 2026" in text
        assert "Amara Osei" in text
