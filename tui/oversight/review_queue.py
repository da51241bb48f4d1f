"""The manager's queue of submitted summaries, oldest first: enter opens the review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from domain.clock import local_date, to_local
from domain.services.summaries import ReviewItem
from tui.app import TandemApp
from tui.fit import Col, fill_responsive
from tui.text import cell
from tui.workers import run_db

#: The queue's columns by priority: who wrote it and how long it has waited always show; on a
#: narrow terminal the submission time goes first (the wait says it), then the period.
QUEUE_COLUMNS = [
    Col("Submitted", drop=3),
    Col("Waiting"),
    Col("Ref", cut=8),
    Col("Family", cut=8),
    Col("Author", cut=8),
    Col("Period", drop=2),
    Col("Note", cut=6, drop=1),
]


def fmt_when(at: datetime | None) -> str:
    return to_local(at).strftime("%d %b %Y %H:%M") if at else "—"


class QueueTable(DataTable[Any]):
    BINDINGS = [Binding("enter", "select_cursor", "Review summary", show=True)]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)


class ReviewQueueView(Vertical):
    app = getters.app(TandemApp)

    def __init__(self) -> None:
        super().__init__(id="review-queue-view")
        self.items: dict[str, ReviewItem] = {}
        self.rows: list[tuple[str, list[Text]]] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading the review queue…"), id="queue-summary", classes="muted")
        yield QueueTable(id="queue-table")

    def on_resize(self) -> None:
        """Choose the columns again for the new width."""
        if self.items:
            self.call_after_refresh(self._fill)

    def reload(self) -> None:
        from domain.services.summaries import review_queue

        ctx = self.app.ctx
        run_db(self, lambda: review_queue(ctx), self.show, exclusive=True, group="queue")

    def show(self, items: list[ReviewItem]) -> None:
        today = self.app.runtime.clock.today()
        current = self.item_at_cursor()
        self.items = {}
        self.rows = []
        for item in items:
            s = item.summary
            key = str(s.id)
            self.items[key] = item
            waited = (today - local_date(s.submitted_at)).days if s.submitted_at else 0
            self.rows.append(
                (
                    key,
                    [
                        Text(fmt_when(s.submitted_at)),
                        Text(f"{waited} day" if waited == 1 else f"{waited} days"),
                        Text(item.family_reference),
                        cell(item.family_name),
                        cell(item.author_name),
                        Text(f"{s.period_start:%d/%m/%y} – {s.period_end:%d/%m/%y}"),
                        Text("resubmitted" if s.return_comment else ""),
                    ],
                )
            )
        self._fill(current)
        self.query_one("#queue-summary", Static).update(
            Text(
                f"{len(items)} summaries waiting for your review, oldest first. "
                "Enter reads one, with the family's plan and latest mapping alongside."
                if items
                else "No summaries are waiting for review."
            )
        )

    def _fill(self, current: ReviewItem | None = None) -> None:
        table = self.query_one("#queue-table", QueueTable)
        if current is None:
            current = self.item_at_cursor()
        # The view's own width, not the table's: the table's size follows what it was last
        # filled with, so filling by it gave different columns depending on timing.
        width = self.content_region.width
        fill_responsive(table, QUEUE_COLUMNS, self.rows, width if width > 2 else None)
        if current is not None and str(current.summary.id) in self.items:
            table.move_cursor(row=table.get_row_index(str(current.summary.id)))

    def item_at_cursor(self) -> ReviewItem | None:
        table = self.query_one("#queue-table", QueueTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(key or "")
