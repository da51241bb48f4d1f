"""A table filled by tui/fit.py shows whole cells from its first frame (fixed column widths),
not cells cut at their heading's width until the table next measures its rows."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.fit import Col, fill_fitted, fill_responsive

ROWS = [
    ("106", [Text("FAM-0106"), Text("Fraser family")]),
    ("101", [Text("FAM-0101"), Text("Hughes")]),
]


class _Table(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable[Any]()


async def test_a_responsive_table_is_whole_in_the_frame_painted_before_it_is_idle() -> None:
    app = _Table()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(DataTable)
        fill_responsive(table, [Col("Ref"), Col("Family", cut=6)], ROWS, 80)
        before = table.render_line(1).text  # a frame painted before the table's idle measure
        await pilot.pause()
        after = table.render_line(1).text
        assert "FAM-0106" in before and "Fraser family" in before
        assert "FAM-0106" in after and "Fraser family" in after


async def test_a_fitted_table_is_whole_in_the_frame_painted_before_it_is_idle() -> None:
    app = _Table()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("Ref", "Family")
        await pilot.pause()
        fill_fitted(table, ["Ref", "Family"], ROWS, {1: 6})
        before = table.render_line(1).text
        await pilot.pause()
        after = table.render_line(1).text
        assert "FAM-0106" in before and "Fraser family" in before
        assert "FAM-0106" in after and "Fraser family" in after
