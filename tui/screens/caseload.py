"""The practitioner's home: their families, what is due, and a search that filters as you type."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from domain.families import LegalStatus
from domain.services.caseload import CaseloadRow
from tui.app import TandemApp
from tui.fit import fill_fitted
from tui.widgets.caseload_rows import (
    COLUMNS,
    COMPACT_BELOW,
    CUTTABLE,
    labels,
    render_row,
)
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

STATUS_FILTERS: list[tuple[str, str]] = [("All statuses", "all")] + [
    (s.label, s.value) for s in LegalStatus if s is not LegalStatus.NONE
]

SORTS = {
    "reference": lambda r: r.reference,
    "name": lambda r: r.name.lower(),
    "review": lambda r: r.review_due or date.max,
    "summary": lambda r: r.last_summary_end or date.min,
    "contact": lambda r: r.last_contact or date.min,
    "scaling": lambda r: r.latest_scaling if r.latest_scaling is not None else 99,
    "attention": lambda r: (not r.attention, r.review_due or date.max),
}
SORT_ORDER = list(SORTS)


class CaseloadTable(DataTable[Any]):
    """The caseload's table: enter opens the family (shown in the footer and on the help screen)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open family", id="open-family")]


class CaseloadScreen(Screen[None]):
    """Families allocated to the signed-in practitioner."""

    app = getters.app(TandemApp)

    BINDINGS = [
        Binding("slash", "search", "Search", id="search", key_display="/"),
        Binding("s", "cycle_sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding("f", "focus_filter", "Filter status", id="filter"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        # Out of the footer so that its other keys still fit at 80 columns; on F1, in the
        # command palette and on the summary line.
        Binding(
            "t",
            "my_time",
            "My time",
            id="my-time",
            tooltip="My time: your recording time; add manual time",
            show=False,
        ),
        Binding("ctrl+o", "app.sign_out", "Sign out", id="sign-out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CaseloadRow] = []
        self.sort_key = "attention"

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        with Horizontal(id="caseload-bar"):
            yield Input(
                placeholder="Search names (family, members) or reference…", id="caseload-search"
            )
            yield Select(STATUS_FILTERS, value="all", allow_blank=False, id="status-filter")
        yield Static(id="caseload-summary")
        yield CaseloadTable(id="caseload-table", cursor_type="row", zebra_stripes=True)
        yield TandemFooter()

    def on_mount(self) -> None:
        table = self.query_one("#caseload-table", DataTable)
        for label, key in COLUMNS:
            table.add_column(label, key=key or label.lower())
        table.focus()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.rows:
            self.action_refresh()

    def action_refresh(self) -> None:
        from domain.services.caseload import caseload

        ctx = self.app.ctx
        run_db(self, lambda: caseload(ctx), self._loaded, exclusive=True, group="caseload")

    def _loaded(self, rows: list[CaseloadRow]) -> None:
        self.rows = rows
        self._render_table()

    def _visible(self) -> list[CaseloadRow]:
        query = self.query_one("#caseload-search", Input).value
        status = self.query_one("#status-filter", Select).value
        out = [
            r
            for r in self.rows
            if r.matches(query) and (status == "all" or LegalStatus(str(status)) in r.statuses)
        ]
        return sorted(out, key=SORTS[self.sort_key])

    def _render_table(self) -> None:
        table = self.query_one("#caseload-table", DataTable)
        keep = None
        if table.row_count and table.cursor_row is not None:
            try:
                keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:  # noqa: BLE001 - cursor outside the old rows
                keep = None
        visible = self._visible()
        compact = 0 < table.size.width < COMPACT_BELOW
        fill_fitted(
            table,
            labels(compact),
            [(str(row.family_id), render_row(row, compact)) for row in visible],
            CUTTABLE,
        )
        if keep is not None and keep in {str(r.family_id) for r in visible}:
            table.move_cursor(row=table.get_row_index(keep))
        attention = sum(1 for r in visible if r.attention)
        self.query_one("#caseload-summary", Static).update(
            Text(
                f"{len(visible)} of {len(self.rows)} families · {attention} need attention (!) · "
                f"sorted by {self.sort_key} · t: my time"
            )
        )

    def on_resize(self) -> None:
        """Fit the table to the new width (long names cut shorter or longer)."""
        self.call_after_refresh(self._render_table)

    @on(Input.Changed, "#caseload-search")
    @on(Select.Changed, "#status-filter")
    def _filter_changed(self) -> None:
        self._render_table()

    @on(Input.Submitted, "#caseload-search")
    def _search_done(self) -> None:
        self.query_one("#caseload-table", DataTable).focus()

    @on(DataTable.HeaderSelected, "#caseload-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in SORTS:
            self.sort_key = key
            self._render_table()

    @on(DataTable.RowSelected, "#caseload-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(int(event.row_key.value))  # type: ignore[arg-type]  # rows have keys

    def action_open_family(self) -> None:
        table = self.query_one("#caseload-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self._open(int(key))  # type: ignore[arg-type]  # rows have keys

    def _open(self, family_id: int) -> None:
        from tui.family.screen import FamilyScreen

        self.app.push_screen(FamilyScreen(family_id))

    def action_my_time(self) -> None:
        from tui.mytime.screen import MyTimeScreen

        self.app.push_screen(MyTimeScreen())

    def action_search(self) -> None:
        self.query_one("#caseload-search", Input).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#status-filter", Select).focus()

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_ORDER[(SORT_ORDER.index(self.sort_key) + 1) % len(SORT_ORDER)]
        self._render_table()
