"""A screen switched away from, or an app quit, while the next screen is still mounting.

Textual removes a screen at once when it is switched or popped away, even mid-compose; its
widgets then look for children that were never mounted, and the app crashes (``NoMatches`` from
Textual's Header and Select, seen in CI). A fast user on a busy machine gets there by signing out
or quitting straight after signing in (tui/app.py keeps such a screen until it has mounted).
"""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList

from tui.report.screen import BurdenReportScreen
from tui.screens.sign_in import SignInScreen


async def _pick_without_waiting(pilot, username: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        if app.screen.query("#demo-users"):
            break
    picker = app.screen.query_one("#demo-users", OptionList)
    picker.highlighted = next(i for i, o in enumerate(picker.options) if o.id == username)
    picker.action_select()
    # Turn by turn of the event loop, so the report screen is caught before it has mounted.
    for _ in range(1_000_000):
        if isinstance(app.screen, BurdenReportScreen):
            return
        await asyncio.sleep(0)
    raise AssertionError("the report screen never became current")


async def test_signing_out_while_the_home_screen_mounts_does_not_crash(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _pick_without_waiting(pilot, "ellis.thornbury")
        report = app.screen
        assert not report.is_mounted  # the case under test: still mounting
        app.action_sign_out()
        for _ in range(400):
            await pilot.pause()
            if isinstance(app.screen, SignInScreen) and app.screen.query("#demo-users"):
                break
        assert isinstance(app.screen, SignInScreen) and app.user is None
        for _ in range(400):  # the report screen is removed once it has finished mounting
            await pilot.pause()
            if not report.is_attached:
                break
        assert not report.is_attached
        assert app.sub_title == "lightweight case recording"


async def test_quitting_while_the_home_screen_mounts_waits_for_it(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _pick_without_waiting(pilot, "ellis.thornbury")
        report = app.screen
        assert not report.is_mounted
        await app.action_quit()
        for _ in range(400):
            await pilot.pause()
            if not app.is_running:
                break
        assert report.is_mounted and not app.is_running
