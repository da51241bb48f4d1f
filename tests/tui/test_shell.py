"""Sign-in, each role's landing screen, the caseload, help and the command palette — by keys."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select

from tests.tui.conftest import screen_text, sign_in
from tui.bootstrap import demo_passphrase


async def wait(app, pilot):  # type: ignore[no-untyped-def]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def type_into(pilot, widget_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(widget_id).focus()
    await pilot.press(*text) if text else None


class TestSignIn:
    async def test_real_database_wrong_passphrase_then_right(self, tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app(demo=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait(app, pilot)
            assert app.screen.query("#username") and not app.screen.query("#demo-users")
            await type_into(pilot, "#username", "amara.osei")
            await pilot.press("enter")
            await pilot.press(*"not the passphrase")
            await pilot.press("enter")
            await wait(app, pilot)
            wrong_pass = screen_text(app)
            assert "User name or passphrase is not right." in wrong_pass
            assert app.user is None
            # An unknown user name gets exactly the same message.
            app.screen.query_one("#username", Input).value = ""
            await type_into(pilot, "#username", "nobody.here")
            await type_into(pilot, "#passphrase", "whatever-it-is")
            await pilot.press("enter")
            await wait(app, pilot)
            assert "User name or passphrase is not right." in screen_text(app)
            app.screen.query_one("#username", Input).value = "amara.osei"
            await type_into(pilot, "#passphrase", demo_passphrase())
            await pilot.press("enter")
            await wait(app, pilot)
            assert app.user is not None and app.user.username == "amara.osei"
            assert app.screen.query("#caseload-table")

    async def test_repeated_failures_slow_down_then_lock(
        self, tandem_app, clock, monkeypatch
    ) -> None:  # type: ignore[no-untyped-def]
        import tui.screens.sign_in as sign_in_module

        slept: list[float] = []

        def sleep(seconds: float) -> None:  # the person waits a minute between attempts
            slept.append(seconds)
            clock.advance(seconds=60)

        monkeypatch.setattr(sign_in_module.time, "sleep", sleep)
        monkeypatch.setenv("TANDEM_SIGNIN_LOCK_AFTER", "6")
        app = tandem_app(demo=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait(app, pilot)
            app.screen.query_one("#username", Input).value = "amara.osei"
            for passphrase in ["wrong passphrase"] * 6 + [demo_passphrase()]:
                app.screen.query_one("#passphrase", Input).value = passphrase
                app.screen.query_one("#passphrase", Input).focus()
                await pilot.press("enter")
                await wait(app, pilot)
            # Locked: even the right passphrase is refused, and the person is told whom to ask.
            assert app.user is None
            status = str(app.screen.query_one("#sign-in-status").render())
            assert "contact your administrator" in " ".join(status.split())
        waits = [s for s in slept if s]
        assert waits and waits == sorted(waits) and waits[-1] > waits[0]

    @pytest.mark.parametrize(
        "username, marker",
        [
            ("amara.osei", "CaseloadScreen"),
            ("fiona.macleod", "ManagerHome"),
            ("rosalind.ferreira", "LeadHome"),
            ("ellis.thornbury", "BurdenReportScreen"),
            ("maureen.pike", "AdminHome"),
        ],
    )
    async def test_each_role_lands_on_its_home(self, tandem_app, username, marker) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await sign_in(pilot, username)
            await wait(app, pilot)
            assert type(app.screen).__name__ == marker

    async def test_first_run_creates_the_administrator(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        from domain.clock import FixedClock
        from tests.tui.conftest import TEST_NOW
        from tui.app import TandemApp
        from tui.bootstrap import open_runtime

        runtime = open_runtime(str(tmp_path / "new.db"), clock=FixedClock(TEST_NOW))
        app = TandemApp(runtime)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait(app, pilot)
            await type_into(pilot, "#new-username", "admin")
            await type_into(pilot, "#new-name", "Site Admin")
            await type_into(pilot, "#new-pass", "correct horse battery")
            await type_into(pilot, "#new-pass2", "correct horse batteri")
            await pilot.press("enter")
            await wait(app, pilot)
            assert "not the same" in screen_text(app)
            app.screen.query_one("#new-pass2", Input).value = "correct horse battery"
            app.screen.query_one("#new-pass2", Input).focus()
            await pilot.press("enter")
            await wait(app, pilot)
            assert app.user is not None and app.user.username == "admin"
            assert app.screen.query("#users-table")
        runtime.engine.dispose()


class TestCaseload:
    async def test_search_filter_sort_and_overdue_marks(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=(160, 40)) as pilot:
            await sign_in(pilot, "amara.osei")
            table = app.screen.query_one("#caseload-table", DataTable)
            total = table.row_count
            assert total >= 4
            names = [str(table.get_row_at(i)[1]) for i in range(total)]
            # Overdue things carry a visible "!" (not colour alone).
            assert "!" in screen_text(app)
            # Incremental search by part of a name.
            await pilot.press("slash")
            fragment = names[0].split()[0][:4]
            await pilot.press(*fragment)
            await pilot.pause()
            assert 1 <= table.row_count < total or all(fragment.lower() in n.lower() for n in names)
            assert all(
                fragment.lower() in str(table.get_row_at(i)[1]).lower()
                or fragment.lower() in str(table.get_row_at(i)[0]).lower()
                for i in range(table.row_count)
            )
            app.screen.query_one("#caseload-search", Input).value = ""
            await pilot.pause()
            assert table.row_count == total
            # Filter by legal status.
            app.screen.query_one("#status-filter", Select).value = "child_protection"
            await pilot.pause()
            assert 0 < table.row_count <= total
            assert all(" CP" in str(table.get_row_at(i)[2]) for i in range(table.row_count))
            app.screen.query_one("#status-filter", Select).value = "all"
            await pilot.pause()
            # Sort: "s" cycles the sort column; by reference gives references in order.
            table.focus()
            while app.screen.sort_key != "reference":
                await pilot.press("s")
            refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            assert refs == sorted(refs)

    async def test_open_a_family_and_move_between_tabs(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=(160, 40)) as pilot:
            await sign_in(pilot, "amara.osei")
            await pilot.press("enter")
            await wait(app, pilot)
            text = screen_text(app)
            assert "What is due" in text and "Members" in text
            await pilot.press("5")
            await wait(app, pilot)
            assert app.screen.query_one("#contacts-table", DataTable).row_count > 0
            await pilot.press("escape")
            await wait(app, pilot)
            assert app.screen.query("#caseload-table")


class TestDiscoverable:
    async def test_help_lists_the_screens_keys(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=(140, 45)) as pilot:
            await sign_in(pilot, "amara.osei")
            await pilot.press("f1")
            await pilot.pause()
            text = screen_text(app)
            for words in (
                "Open family",
                "Search",
                "Sort",
                "Filter status",
                "Sign out",
                "Command palette",
            ):
                assert words in text
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query("#caseload-table")

    async def test_every_footer_action_is_in_the_command_palette(self, tandem_app) -> None:  # type: ignore[no-untyped-def]
        app = tandem_app()
        async with app.run_test(size=(140, 45)) as pilot:
            await sign_in(pilot, "amara.osei")
            screen = app.screen
            titles = {c.title for c in app.get_system_commands(screen)}
            shown = {
                b.binding.description
                for b in screen.active_bindings.values()
                if b.binding.show and b.binding.description
            }
            assert shown and shown <= titles
            # Running one from the palette works: "Sign out" returns to the sign-in screen.
            command = next(c for c in app.get_system_commands(screen) if c.title == "Sign out")
            command.callback()
            await wait(app, pilot)
            assert app.user is None
