"""Issue 13 at laptop size: the footer, F1 help, the command palette, and the screens whose key
facts were cut at 80×24 — each driven by keys as a person would."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.conftest import screen_text, sign_in
from tests.tui.test_small_terminal import on_screen
from tests.tui.test_snapshots import family, keys, screen_is, settle, wait_until

SMALL = (80, 24)


def visible_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, line by line (nothing scrolled away or cut off counts)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


async def palette(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    """ctrl+p, type ``query``, wait for the hits, enter."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
    await pilot.press(*query)

    def hits() -> bool:
        found = pilot.app.screen.query(CommandList)
        return bool(found) and found.first().option_count > 0

    await wait_until(pilot, hits, f"palette hits for {query!r}")
    await pilot.press("enter")
    await settle(pilot)


class TestPalette:
    async def test_log_contact_from_the_observations_tab(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=SMALL) as pilot:
            await sign_in(pilot, "amara.osei")
            await family("FAM-0101", "6")(pilot)
            await palette(pilot, "log contact")
            await wait_until(pilot, lambda: screen_is(pilot, "ContactForm"), "the contact form")

    async def test_a_family_by_a_childs_name(self, tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=SMALL) as pilot:
            await sign_in(pilot, "amara.osei")
            await palette(pilot, "zofia")
            await wait_until(pilot, lambda: screen_is(pilot, "FamilyScreen"), "the family")
            await settle(pilot)
            assert "FAM-0103" in visible_text(app)

    async def test_every_action_once_and_no_widget_internals(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=SMALL) as pilot:
            await sign_in(pilot, "amara.osei")
            await family("FAM-0101", "6")(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert len(titles) == len({t.casefold() for t in titles}), titles
            for wanted in ("Log contact", "Edit plan", "New mapping", "Add recording", "Quit"):
                assert wanted in titles
            assert "Keys" not in titles
