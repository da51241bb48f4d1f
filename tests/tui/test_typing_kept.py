"""Typing is never silently changed (issue 11, item 3): keys pressed where the user pressed them.

Over-long text is kept whole and shown with its count over the limit, then refused next to the
field; a decimal score is refused, never turned into another number; a field an error points at
has its text selected; no editor opens with a value selected; removing a comment or an action
asks first; untouched feedback cannot be saved as given.
"""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable, Input, Static

from tests.tui.conftest import TEST_NOW, settle, sign_in
from tests.tui.test_feedback import select_row
from tests.tui.test_mapping import open_mapping_tab
from tests.tui.test_plan import open_editor, open_plan_tab
from tests.tui.test_recording_clock import open_contact_form
from tui.widgets.confirm import ConfirmDelete


def shown(widget) -> str:  # type: ignore[no-untyped-def]
    return str(widget.render())


def contact_count(app, family_id: int) -> int:  # type: ignore[no-untyped-def]
    from domain.services.contacts import list_contacts

    return len(list_contacts(app.ctx, family_id))


async def test_a_long_contact_line_is_kept_whole_and_refused_next_to_it(tandem_app):
    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        form = await open_contact_form(app, pilot)
        before = contact_count(app, form.family_id)
        await pilot.press("tab")  # kind -> minutes
        await pilot.press(*"45")
        note = form.query_one("#field-note", Input)
        note.focus()
        await pilot.pause()
        words = [f"word{i:04d}" for i in range(250)]  # 2,249 characters, pasted as people do
        long_line = " ".join(words)
        note.post_message(events.Paste(long_line))
        await pilot.press(*" end")
        await pilot.pause()
        assert note.value == long_line + " end"  # nothing cut
        count = shown(form.query_one("#note-count", Static))
        assert f"{len(long_line) + 4}/280" in count and f"{len(long_line) + 4 - 280} over" in count

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert note.value == long_line + " end"
        beside = [shown(w) for w in form.query(".field-error-line")]
        assert any("at most 280 characters" in line for line in beside), beside
        # The message sits right under the note's row.
        row = note.parent
        siblings = list(row.parent.children)
        assert "at most 280" in shown(siblings[siblings.index(row) + 1])
        assert contact_count(app, form.family_id) == before


async def test_an_error_selects_the_field_so_typing_replaces_it(tandem_app):
    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        form = await open_contact_form(app, pilot)
        await pilot.press("tab")
        await pilot.press(*"30")
        when = form.query_one("#field-on", Input)
        when.focus()
        await pilot.pause()
        await pilot.press("ctrl+u")
        await pilot.press(*"31/02/2026", "enter")  # enter saves; no 31st of February
        await settle(pilot)
        assert app.screen is form
        assert app.focused is when
        assert when.selected_text == "31/02/2026"
        yesterday = f"{TEST_NOW.date().replace(day=19):%d/%m/%Y}"
        await pilot.press(*yesterday)
        assert when.value == yesterday  # not "31/02/202619/11/2026"


async def test_a_decimal_score_is_refused_never_turned_into_another_number(tandem_app):
    from domain.services.mappings import list_scaling
    from tui.family.mapping_scaling import ScalingForm

    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        fid = await open_mapping_tab(pilot, "FAM-0101")
        before = len(list_scaling(app.ctx, fid))
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScalingForm)
        await pilot.press(*"Kerry", "tab", "tab")
        await pilot.press(*"7.5")
        score = form.query_one("#field-score", Input)
        assert score.value == "7.5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert score.value == "7.5"
        assert "whole number from 0 to 10 (got '7.5')" in shown(form.query_one("#error-score"))
        assert len(list_scaling(app.ctx, fid)) == before
        assert app.focused is score and score.selected_text == "7.5"


async def test_the_plan_editor_opens_with_nothing_selected_and_asks_before_removing_an_action(
    tandem_app,
):
    from domain.services.plans import get_plan
    from tui.family.plan_goals import ActionRow

    app = tandem_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        family = await open_plan_tab(pilot, "FAM-0101")
        editor = await open_editor(pilot)
        start = editor.query_one("#field-start-date", Input)
        original = start.value
        assert app.focused is start and start.selected_text == ""
        await pilot.press("x")  # a stray key adds a letter; it wipes nothing
        assert start.value == original + "x"
        await pilot.press("backspace")
        assert start.value == original

        plan = get_plan(app.ctx, family.id)
        actions = [a.what for g in plan.current.goals for a in g.actions]
        row = editor.query(ActionRow).first()
        row.query_one(".action-what", Input).focus()
        await pilot.pause()
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is editor and row in editor.query(ActionRow)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert row not in editor.query(ActionRow)
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = [a.what for g in get_plan(app.ctx, family.id).current.goals for a in g.actions]
        assert len(after) == len(actions) - 1


async def test_a_comment_is_removed_only_when_confirmed_and_empty_feedback_is_refused(
    tandem_app,
):
    from domain.services.observations import feedback_queue, get_feedback
    from tui.feedback.feedback_editor import FeedbackEditor

    app = tandem_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        item = next(i for i in feedback_queue(app.ctx) if i.family_reference == "FAM-0108")
        select_row(app.screen.query_one("#queue-table", DataTable), "FAM-0108")
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, FeedbackEditor)

        # Untouched: saving is refused with the reason, and nothing is stored as given.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        assert "This feedback is empty" in shown(editor.query_one("#editor-error"))
        assert get_feedback(app.ctx, item.observation.id) is None

        editor.query_one("#field-at", Input).focus()
        await pilot.press(*"01:10", "tab", *"Kind opener", "enter")
        await pilot.pause()
        table = editor.query_one("#fb-comments", DataTable)
        assert table.row_count == 1
        table.focus()
        await pilot.press("backspace")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("escape")  # keep it
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = get_feedback(app.ctx, item.observation.id)
        assert saved is not None and [c.text for c in saved.comments] == ["Kind opener"]


async def test_an_untouched_contact_form_has_nothing_to_keep(tandem_app):
    """Its starting values (the kind, no travel, today) are the form's, not the user's: never
    autosaved, never offered back as unsaved text; the first key the user changes counts."""
    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        form = await open_contact_form(app, pilot)
        await settle(pilot)
        assert not form.dirty
        form.autosave()  # the timer firing on the untouched form
        await settle(pilot)
        assert form.kept is None
        await pilot.press("tab", *"30")
        assert form.dirty
