"""Issue 13 at laptop size: the footer, F1 help, the command palette, and the screens whose key
facts were cut at 80×24 — each driven by keys as a person would."""

from __future__ import annotations

from tests.tui.conftest import settle, sign_in
from tests.tui.test_snapshots import family, screen_is, wait_until

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
            for internal in ("Cursor down", "Copy selected text", "Bottom", "Page Left"):
                assert internal not in titles


class TestHelp:
    async def test_the_apps_keys_grouped_without_widget_internals(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=(120, 50)) as pilot:
            await sign_in(pilot, "amara.osei")
            await pilot.press("f1")
            await wait_until(pilot, lambda: screen_is(pilot, "HelpScreen"), "help")
            text = visible_text(app)
            for words in ("This screen", "Everywhere", "Open family", "Sort", "Command palette"):
                assert words in text
            for internal in ("Page Left", "super+c", "Cursor up", "Focus Next"):
                assert internal not in text
            await pilot.press("escape")
            await family("FAM-0101", "5")(pilot)
            await pilot.press("n")
            await wait_until(pilot, lambda: screen_is(pilot, "ContactForm"), "the contact form")
            await pilot.press("f1")
            await wait_until(pilot, lambda: screen_is(pilot, "HelpScreen"), "help")
            text = visible_text(app)
            assert "Editing text" in text and "Cut / copy / paste" in text
            assert "super+c" not in text


class TestSmallTerminal:
    async def test_footer_keys_are_whole_or_left_out(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets._footer import FooterKey

        app = tandem_app()
        async with app.run_test(size=SMALL) as pilot:
            await sign_in(pilot, "amara.osei")
            await family("FAM-0101", "2")(pilot)
            keys_ = list(app.screen.query(FooterKey))
            palette_x = next(k.region.x for k in keys_ if k.has_class("-command-palette"))
            others = [k for k in keys_ if not k.has_class("-command-palette")]
            assert all(k.region.right <= palette_x for k in others)
            shown = visible_text(app).splitlines()[-1]
            for words in ("Edit plan", "Plan history", "Family copy", "Back"):
                assert words in shown
            assert "Qui" not in shown.replace("Quit", "")  # never a key cut in half

    async def test_manager_sees_overdue_days_working_days_and_authors(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=SMALL) as pilot:
            await sign_in(pilot, "fiona.macleod")
            await settle(pilot)
            queue = visible_text(app)
            assert "Author" in queue and "Amara Osei" in queue and "Tom Gallag" in queue
            await pilot.press("2")
            await settle(pilot)
            dashboard = visible_text(app)
            assert "! overdue by 8 days" in dashboard
            assert "Working days" in dashboard

    async def test_long_gap_question_shows_its_buttons(self, tandem_app, clock) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=SMALL) as pilot:
            await sign_in(pilot, "amara.osei")
            await family("FAM-0101", "5")(pilot)
            await pilot.press("n")
            await wait_until(pilot, lambda: screen_is(pilot, "ContactForm"), "the contact form")
            clock.advance(seconds=400)
            await pilot.press("tab")
            await wait_until(pilot, lambda: screen_is(pilot, "GapQuestion"), "the gap question")
            text = visible_text(app)
            assert "Keep the time (k)" in text and "Discard it (d)" in text
            assert "on the phone about this)?" in text  # the question in full, not cut
            await pilot.press("k")
            await wait_until(pilot, lambda: screen_is(pilot, "ContactForm"), "the form again")


async def test_first_run_user_name_error_in_full(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    db = str(tmp_path / "new.db")

    def opener():  # type: ignore[no-untyped-def]
        return open_runtime(db, create=False)

    app = TandemApp(opener=opener)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#new-username")), "the set-up form")
        await pilot.press(*"Bad Name!", "tab", *"Ann Admin", "tab")
        await pilot.press(*"correct horse battery", "tab", *"correct horse battery", "enter")
        await wait_until(
            pilot, lambda: "starting with" in visible_text(app), "the user-name message"
        )
        text = visible_text(app)
        assert "User name must be" in text
        assert "starting with a letter or digit." in text
