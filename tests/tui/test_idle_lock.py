"""Idle sign-out: after a time without input the app locks to a sign-in screen, keeping every
open draft (tui/screens/lock.py). The idle time is read from a fake monotonic clock that the test
moves on, and the test waits for the lock screen to appear (never for a stretch of wall-clock time).
"""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.conftest import screen_text, settle, shown_within, sign_in
from tests.tui.test_no_loss import area, draft_text, open_draft_summary, seen
from tui.screens.lock import LockScreen

SIZE = (100, 30)
TYPED = "Written just before the phone rang. "


async def wait_for(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    # Up to a minute of wall time (a loaded machine), not a count of short pauses.
    await shown_within(pilot, condition, what)


async def test_idle_lock_keeps_the_open_editor_and_its_draft(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    runtime.idle_lock_seconds = 600  # ten minutes on the fake clock
    app = tandem_app()
    now = [1000.0]
    app.monotonic = lambda: now[0]
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        await pilot.press(*TYPED)
        editor = app.screen
        assert TYPED in area(app).text

        now[0] += 599  # not yet
        app.check_idle_lock()
        assert not isinstance(app.screen, LockScreen)

        now[0] += 2  # ten minutes without input: the next check locks
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen), "the lock screen")
        await settle(pilot)
        shown = seen(app)
        assert "locked" in shown.lower() and TYPED.strip() not in shown  # nothing shows through
        assert TYPED.strip() in (draft_text(app, summary_id) or "")  # autosaved as it locked

        # A wrong passphrase keeps it locked; the right one brings the editor back as it was.
        await pilot.press(*"not my passphrase", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "not right" in screen_text(app)
        await pilot.press(*"tandem-demo-pass", "enter")
        await settle(pilot)
        assert app.screen is editor and TYPED in area(app).text
        assert app.user is not None and app.user.username == "amara.osei"


async def test_someone_else_signing_in_at_the_lock_starts_afresh(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    runtime.idle_lock_seconds = 60
    app = tandem_app()
    now = [1000.0]
    app.monotonic = lambda: now[0]
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        await pilot.press(*TYPED)
        amara_ctx = app.ctx
        now[0] += 61
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen), "the lock screen")
        await settle(pilot)
        field = app.screen.query_one("#username", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"tom.gallagher", "enter", *"tandem-demo-pass", "enter")
        await settle(pilot)
        assert app.user is not None and app.user.username == "tom.gallagher", screen_text(app)
        assert app.screen.__class__.__name__ == "CaseloadScreen"
        assert len(app.screen_stack) == 2
        from domain.services.drafts import get_draft

        kept = get_draft(amara_ctx, f"summary:{summary_id}")
        assert kept is not None and TYPED.strip() in kept.content  # offered back to Amara later
