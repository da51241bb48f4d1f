"""Work around a DataTable caching bug in Textual 8.2 (checked on 8.2.8).

When rows are added, their lines can be painted (and cached) before the table's idle handler
widens the columns to fit the new cells; ``DataTable._update_dimensions`` then updates the
widths but clears the line cache only for auto-height rows, so the stale lines — every column
cut to the width of its header — stay on screen until something else changes. Seen by users as
"FAM  Kowals  Zofia K…" on a caseload. The fix: after the widths are recomputed, drop the
cached lines and repaint. Imported once by tui.app.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable
from textual.widgets._data_table import RowKey

_original = DataTable._update_dimensions


def _update_dimensions(self: DataTable, new_rows: Iterable[RowKey]) -> None:  # type: ignore[type-arg]
    _original(self, new_rows)
    self._line_cache.clear()
    self._row_render_cache.clear()
    self.refresh()


if not getattr(DataTable, "_tandem_width_fix", False):
    DataTable._update_dimensions = _update_dimensions  # type: ignore[method-assign]
    DataTable._tandem_width_fix = True  # type: ignore[attr-defined]
