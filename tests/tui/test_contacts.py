"""The Contacts tab, as a practitioner uses it (issue 13): enter reads a whole contact; the form
ticks each child seen / seen alone; an overlapping contact is saved with a warning shown first."""

from __future__ import annotations

from datetime import time

from textual.widgets import Checkbox, DataTable, Input, Static

from domain.services.contacts import list_contacts, log_contact
from domain.timeuse import ContactKind
from tests.tui.conftest import TEST_NOW, settle, shown_within
from tests.tui.test_recording_clock import open_contact_form
from tui.widgets.detail import DetailScreen

LONG_NOTE = (
    "Home visit. Leo showed me his room and the new bunk bed; mum said the school run is easier "
    "since Nan moved in. Kitchen clean, food in. Leo said he feels safe with Nan at home and wants "
    "to keep going to football on Saturdays; agreed to look into a club near Nan's."
)


async def test_enter_on_a_contact_shows_the_whole_note_and_escape_closes_it(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_contact_form(app, pilot)
        family_id = form.family_id
        await pilot.press("escape")
        await settle(pilot)
        log_contact(
            app.ctx, family_id, TEST_NOW.date(), time(9, 0), 40, ContactKind.HOME_VISIT, LONG_NOTE
        )
        tab = app.screen.query_one("#contacts-tab")
        tab.reload()
        await settle(pilot)
        table = app.screen.query_one("#contacts-table", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        # Every word of the 260-character note is on screen, wrapped, none cut at 80 columns.
        assert " ".join(shown.split()).count(" ".join(LONG_NOTE.split())) == 1
        assert "no child seen" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DetailScreen)


async def test_each_child_is_ticked_and_an_overlap_is_warned_before_saving(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_contact_form(app, pilot)
        family_id = form.family_id
        log_contact(app.ctx, family_id, TEST_NOW.date(), time(9, 0), 45, ContactKind.PHONE, "Call.")
        (first_id, first), (second_id, second) = form.family_children[:2]
        await pilot.press("tab", *"30")  # kind -> minutes
        await pilot.press("tab", "space")  # first child seen
        await pilot.press("tab", "space")  # ... alone
        await pilot.press("tab", "space")  # second child seen
        assert form.query_one(f"#seen-{first_id}", Checkbox).value
        assert form.query_one(f"#alone-{first_id}", Checkbox).value
        assert form.query_one(f"#seen-{second_id}", Checkbox).value
        note = form.query_one("#field-note", Input)
        note.focus()
        await pilot.press(*"Saw both children at home.")
        start = form.query_one("#field-start", Input)
        start.focus()
        await pilot.press("ctrl+u", *"09:30")
        # The check runs once typing pauses (WARN_AFTER_SECONDS), in a worker: wait until it
        # has said something, however long a loaded machine takes, then read what it said.
        warnings = form.query_one("#contact-warnings", Static)
        await shown_within(pilot, lambda: str(warnings.render()).strip() != "", "the warning")
        await settle(pilot)
        warning = str(warnings.render())
        assert "Overlaps your phone with this family, 09:00–09:45" in warning
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        saved = list_contacts(app.ctx, family_id)[0]
        assert (saved.start, saved.note) == (time(9, 30), "Saw both children at home.")
        assert [(c.name, c.alone) for c in saved.seen] == [(first, True), (second, False)]
        table = app.screen.query_one("#contacts-table", DataTable)
        row = [str(c) for c in table.get_row_at(0)]
        assert row[4] == f"{first.split()[0]} alone, {second.split()[0]}"
