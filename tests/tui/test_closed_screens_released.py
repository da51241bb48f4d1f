"""A family screen closed is let go: its widgets are no longer referenced from the app.

Textual keeps watchers and signal subscriptions of removed widgets until the watched value next
changes (tui/release.py); without releasing them every family opened in a session stayed in
memory with its Header, Footer keys, chart and render caches. A finished database worker must
not keep its screen either (tui/workers.py): neither the pool thread that ran it nor the tasks
started by its result (the caseload, pushed when sign-in's worker returned)."""

from __future__ import annotations

import gc
import weakref

from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from tests.tui.conftest import sign_in


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_closed_family_screen_and_its_widgets_are_freed(tandem_app) -> None:
    from tui.family.screen import FamilyScreen

    app = tandem_app()
    closed: list[list[weakref.ref[object]]] = []
    async with app.run_test(size=(130, 45)) as pilot:
        for _ in range(200):
            await _settle(pilot)
            if app.screen.query("#demo-users"):
                break
        signin = [weakref.ref(app.screen), *(weakref.ref(w) for w in app.screen.walk_children())]
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
            # The footer recomposed at every tab: the keys it removed are not kept. (A screen's
            # compositor holds the widgets of its last paint until it paints again, so the
            # caseload's previous row of keys, under this screen, may wait: one row at most.)
            gc.collect()
            dead_keys = [
                k for k in gc.get_objects() if isinstance(k, FooterKey) and not k.is_attached
            ]
            assert len(dead_keys) <= 12, f"{len(dead_keys)} removed footer keys still referenced"
            del dead_keys
            closed.append([weakref.ref(family), *(weakref.ref(w) for w in family.walk_children())])
            del family
            await pilot.press("escape")
            for _ in range(200):
                await _settle(pilot)
                if app.screen.query("#caseload-table"):
                    break
        await _settle(pilot)
        gc.collect()
        for refs in (signin, *closed):  # the last family closed too, and the sign-in screen
            alive = sorted({type(ref()).__name__ for ref in refs if ref() is not None})
            assert alive == [], f"still referenced after closing: {alive}"
