"""Keys that arrive together (a fast typist, a terminal multiplexer or screen reader writing
several keys at once) land where they would have landed typed one by one (tui/keys.py).

The keys are sent the way a terminal sends them — straight to the app, without waiting between
them — unlike ``pilot.press``, which waits for the app to settle after each key.
"""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from tests.tui.conftest import sign_in
from tui import keys
from tui.feedback.feedback_editor import FeedbackEditor
from tui.report.screen import BurdenReportScreen

KEY_NAMES = {"tab", "enter", "down", "up", "escape", "ctrl+o"}


@pytest.fixture(autouse=True)
def no_time_limit_on_settling(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The gate lets a key through after SETTLE_LIMIT_SECONDS even if the app has not settled (a
    safety net in the real app). On a busy CI machine opening a form can take longer than that,
    and the key then landed on the list behind it: these tests check the order keys land in, so
    they wait for the app to settle however long it takes."""
    monkeypatch.setattr(keys, "SETTLE_LIMIT_SECONDS", 120.0)


def burst(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys as one write from the terminal: key names like "tab", or text typed."""
    for key in keys:
        for part in [key] if key in KEY_NAMES else list(key):
            name = part if key in KEY_NAMES else _character_to_key(part)
            event = events.Key(name, None if key in KEY_NAMES else part)
            event.set_sender(app)
            app._driver.send_message(event)


async def until(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for ``condition`` on a screen that has finished mounting (a test that ends while a
    screen is still mounting shuts the app down under it: Textual's Select then raised
    NoMatches in CI). Polls for up to a minute: CI machines are slow and busy."""
    for _ in range(1200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if condition() and pilot.app.screen.is_mounted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


async def test_ratings_typed_ahead_with_tab_go_each_to_its_own_box(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        await until(pilot, lambda: bool(app.screen.query("#queue-table")), "the lead's lists")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, FeedbackEditor), "the feedback form")
        await until(pilot, lambda: app.focused is not None, "a focused field")

        burst(app, "4", "tab", "3.5", "tab", "2", "tab", "1.5")
        await until(pilot, lambda: not app.key_gate.held and app.key_gate.task is None, "keys")
        values = [
            app.screen.query_one(f"#field-{skill}", Input).value
            for skill in ("empathy", "collaboration", "autonomy", "purposefulness")
        ]
        assert values == ["4", "3.5", "2", "1.5"]


async def test_sign_out_and_in_again_typed_in_one_go(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        await until(pilot, lambda: bool(app.screen.query("#caseload-table")), "the caseload")
        # ctrl+o signs out; the picker lists Amara, Callum, Ellis (project staff) first.
        burst(app, "ctrl+o")
        await until(pilot, lambda: bool(app.screen.query("#demo-users")), "the picker")
        burst(app, "down", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, BurdenReportScreen), "the report")
        assert app.user is not None and app.user.username == "ellis.thornbury"


async def test_slash_then_a_name_typed_at_once_searches_for_the_name(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        await until(pilot, lambda: bool(app.screen.query("#caseload-table")), "the caseload")
        # Without the gate, "Hughes" reaches the table behind the search box: s sorts, and so on.
        burst(app, "/", "Hughes")
        await until(pilot, lambda: not app.key_gate.held and app.key_gate.task is None, "keys")
        assert app.screen.query_one("#caseload-search", Input).value == "Hughes"
        await until(
            pilot,
            lambda: app.screen.query_one("#caseload-table").row_count == 1,
            "the search to narrow the list to the Hughes family",
        )


async def test_keys_typed_before_a_form_has_loaded_go_into_the_form(tandem_app) -> None:
    """Enter opens the feedback form after a database call; the ratings typed straight after it
    wait for the form instead of landing on the list behind it."""
    app = tandem_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        await until(pilot, lambda: bool(app.screen.query("#queue-table")), "the lead's lists")
        burst(app, "enter", "4", "tab", "3")
        await until(pilot, lambda: isinstance(app.screen, FeedbackEditor), "the feedback form")
        await until(pilot, lambda: not app.key_gate.held and app.key_gate.task is None, "keys")
        values = [
            app.screen.query_one(f"#field-{skill}", Input).value
            for skill in ("empathy", "collaboration")
        ]
        assert values == ["4", "3"]


async def test_keys_typed_before_the_gap_question_appeared_are_not_its_answer(
    tandem_app, clock
) -> None:
    """Back after a long gap, a practitioner types "dk" at once: the first key opens the question
    "were you still recording?", but neither key answers it (she has not seen it; "d" would have
    discarded the time, "k" kept it). Both are counted on the question and typed into the form
    once she has answered."""
    from tests.tui.test_recording_clock import open_contact_form
    from tui.widgets.recording_editor import GapQuestion

    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        editor = await open_contact_form(app, pilot)
        field = editor.query_one("#field-present", Input)
        field.focus()
        await pilot.pause()
        before = field.value
        clock.advance(seconds=400)
        burst(app, "dk")
        await until(
            pilot,
            lambda: isinstance(app.screen, GapQuestion) and len(app.screen.early_keys) == 2,
            "the gap question, holding both keys",
        )
        question = app.screen
        assert editor.clock is not None and editor.clock.pending_gap == 400  # not decided
        note = str(question.query_one("#early-keys").render())
        assert "You typed 2 keys before this question appeared" in note

        await pilot.press("k")  # seen, then answered
        await until(pilot, lambda: field.value == before + "dk", "the early keys in the form")
        assert app.screen is editor
        assert editor.clock.active_seconds(clock.monotonic()) == 400


async def test_keys_typed_before_the_unsaved_text_offer_appeared_discard_nothing(
    tandem_app,
) -> None:
    """With text left unsaved from before, a practitioner presses e and types "Dad came." at
    once: the offer of the older text appears while she types, but the "d" in "Dad" must not
    discard it unseen. The keys wait on the offer; once she restores, they go into the editor."""
    from tests.tui.test_no_loss import area, draft_text, open_draft_summary
    from tui.widgets.recording_editor import DraftOffer

    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        saved = area(app).text
        await pilot.press(*"Kept from before. ", "tab", "escape")
        await until(pilot, lambda: draft_text(app, summary_id) is not None, "the draft kept")
        assert draft_text(app, summary_id) == "Kept from before. " + saved

        burst(app, "e", "d", "Dad came.")
        await until(
            pilot,
            lambda: isinstance(app.screen, DraftOffer) and len(app.screen.early_keys) == 10,
            "the offer, holding the ten keys typed after e",
        )
        assert "You typed 10 keys before this question appeared" in str(
            app.screen.query_one("#early-keys").render()
        )
        assert draft_text(app, summary_id) == "Kept from before. " + saved  # not discarded

        await pilot.press("r")
        await until(pilot, lambda: "Dad came." in area(app).text, "the typed keys in the editor")
        assert app.screen.__class__.__name__ == "SummaryEditor"
        assert "Kept from before. " in area(app).text
