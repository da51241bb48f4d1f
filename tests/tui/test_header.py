"""The header's title survives a title change that arrives while its screen is being taken apart
(tui/widgets/header.py): Textual's own Header raised NoMatches there and the app stopped, which a
fast sign-out and sign-in (typed ahead) could cause."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.widgets.header import TandemHeader


class _Titled(App[None]):
    def compose(self) -> ComposeResult:
        yield TandemHeader()


async def test_a_title_change_after_the_title_child_is_gone_is_harmless() -> None:
    app = _Titled()
    async with app.run_test() as pilot:
        header = app.query_one(TandemHeader)
        app.title = "Tandem — Amara Osei"
        await pilot.pause()
        assert "Amara Osei" in str(header.query_one("HeaderTitle", Static).render())

        await header.query_one("HeaderTitle").remove()  # as when its screen is removed
        app.title = "Tandem — lightweight case recording"
        app.sub_title = "signed out"
        await pilot.pause()
        assert app.is_running and app._exception is None
