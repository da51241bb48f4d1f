"""Saves never stall silently (issue 11, item 5): a save that waits for the database (here another
connection holds SQLite's write lock, as a long import would) shows "saving…" after half a second,
and escape cancels it: nothing is written, the editor stays open with every word in it, and the
next ctrl+s saves the text once the database is free."""

from __future__ import annotations

import sqlite3
import time

from domain.services.summaries import get_summary
from tests.tui.conftest import screen_text, sign_in
from tests.tui.test_no_loss import SIZE, WHY, area, open_draft_summary


async def wait_for(pilot, condition, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def editor_text(app) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app)


async def test_a_waiting_save_says_saving_and_escape_cancels_it(tandem_app, demo_db) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        before = get_summary(app.ctx, summary_id).text_of(WHY)
        await pilot.press(*"Typed while the database was busy. ")
        typed = area(app).text

        blocker = sqlite3.connect(demo_db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
        try:
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "saving…" in editor_text(app), '"saving…"')
            assert app.screen.__class__.__name__ == "SummaryEditor"

            await pilot.press("escape")  # stop waiting
            await wait_for(pilot, lambda: "Save cancelled" in editor_text(app), "the cancel note")
            assert app.screen.__class__.__name__ == "SummaryEditor"
            assert "saving…" not in editor_text(app)
            assert area(app).text == typed
        finally:
            blocker.rollback()
            blocker.close()

        # The cancelled save gets its turn and writes nothing.
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert get_summary(app.ctx, summary_id).text_of(WHY) == before
        assert area(app).text == typed

        # With the database free, ctrl+s saves the text and closes the editor.
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: app.screen.__class__.__name__ != "SummaryEditor", "the editor to close"
        )
        assert get_summary(app.ctx, summary_id).text_of(WHY) == typed
