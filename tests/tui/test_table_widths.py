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


def test_the_private_method_wrapped_is_still_there() -> None:
    """tui/widgets/table_measure.py wraps DataTable._update_dimensions: if Textual renames it,
    this fails by name (and the wrapper must follow)."""
    import tui.widgets.table_measure as table_measure

    assert DataTable._update_dimensions is table_measure._measure_then_repaint


async def test_a_plain_table_repaints_its_heading_once_it_has_measured_its_rows() -> None:
    import tui.widgets.table_measure  # noqa: F401 - as tui/app.py does

    app = _Table()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(DataTable)
        table.styles.height = 6  # a fixed height, as a list filling its screen: no resize to
        await pilot.pause()  # renew the cache when the rows arrive
        table.add_columns("Ref", "Family")
        for key, cells in ROWS:
            table.add_row(*cells, key=key)
        table.render_line(0)  # the heading painted before the table measures its rows
        await pilot.pause()
        await pilot.pause()
        heading = table.render_line(0).text
        assert heading.index("Family") > heading.index("Ref") + len("FAM-0106")
