"""A family screen closed is let go: its widgets are no longer referenced from the app.

Textual keeps watchers and signal subscriptions of removed widgets until the watched value next
changes (tui/release.py); without releasing them every family opened in a session stayed in
memory with its Header, Footer keys, chart and render caches."""

from __future__ import annotations

import gc
import weakref

from textual.widgets import DataTable

from tests.tui.conftest import sign_in


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_closed_family_screen_and_its_widgets_are_freed(tandem_app) -> None:
    from tui.family.screen import FamilyScreen

    app = tandem_app()
    closed: list[list[weakref.ref[object]]] = []
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        for row in range(2):
            table = app.screen.query_one("#caseload-table", DataTable)
            table.move_cursor(row=row)
            table.focus()
            await pilot.press("enter")
            for _ in range(200):
                await _settle(pilot)
                if isinstance(app.screen, FamilyScreen):
                    break
            family = app.screen
            assert isinstance(family, FamilyScreen)
            for tab in "123456":  # every tab, the mapping tab's chart among them
                await pilot.press(tab)
                await _settle(pilot)
            closed.append([weakref.ref(family), *(weakref.ref(w) for w in family.walk_children())])
            del family
            await pilot.press("escape")
            for _ in range(200):
                await _settle(pilot)
                if app.screen.query("#caseload-table"):
                    break
        # Freed once no task still runs on its behalf: the last screen closed may be kept by a
        # finished worker's context until the next worker, so the first one is the test.
        await _settle(pilot)
        gc.collect()
        alive = sorted({type(ref()).__name__ for ref in closed[0] if ref() is not None})
        assert alive == [], f"still referenced after closing: {alive}"
