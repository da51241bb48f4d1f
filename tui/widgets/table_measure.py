"""Every DataTable repaints once it has measured its new rows.

Textual 8.2's DataTable widens its columns for new rows only when it is next idle
(``_update_dimensions``), and does not change the key of its line cache when it does: a line
painted in between — the heading row, or a row, with every cell cut at its heading's width —
stayed on screen until the cursor moved ("Date  Start  Min  Kind" over a contact list whose
cells were whole; "FAM  Fraser" in the review queue). Tables filled by tui/fit.py are given their
widths up front and never paint such a line; this covers every other table: after the measure,
``notify_style_update()`` (public: drops every cached line and repaints).

The method wrapped is Textual's private ``_update_dimensions``, read here and nowhere else;
tests/tui/test_table_widths.py fails by name if Textual renames it. Imported once, by tui/app.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import DataTable
from textual.widgets._data_table import RowKey

_measure = DataTable._update_dimensions


def _measure_then_repaint(self: DataTable[Any], new_rows: Iterable[RowKey]) -> None:
    _measure(self, new_rows)
    self.notify_style_update()


if DataTable._update_dimensions is _measure:  # once, however often this module is imported
    DataTable._update_dimensions = _measure_then_repaint  # type: ignore[method-assign]  # the repaint above; one place
