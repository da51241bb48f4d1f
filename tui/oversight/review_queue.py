"""The manager's queue of submitted summaries, oldest first: enter opens the review."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from domain.clock import local_date, to_local
from domain.services.summaries import ReviewItem
from tui.text import cell
from tui.workers import run_db


def fmt_when(at: datetime | None) -> str:
    return to_local(at).strftime("%d %b %Y %H:%M") if at else "—"


class QueueTable(DataTable):
    BINDINGS = [Binding("enter", "select_cursor", "Review summary", show=True)]

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)


class ReviewQueueView(Vertical):
    def __init__(self) -> None:
        super().__init__(id="review-queue-view")
        self.items: dict[str, ReviewItem] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading the review queue…"), id="queue-summary", classes="muted")
        yield QueueTable(id="queue-table")

    def on_mount(self) -> None:
        self.query_one("#queue-table", QueueTable).add_columns(
            "Submitted", "Waiting", "Ref", "Family", "Period", "Author", "Note"
        )

    def reload(self) -> None:
        from domain.services.summaries import review_queue

        ctx = self.app.ctx  # type: ignore[attr-defined]
        run_db(self, lambda: review_queue(ctx), self.show, exclusive=True, group="queue")

    def show(self, items: list[ReviewItem]) -> None:
        today = self.app.runtime.clock.today()  # type: ignore[attr-defined]
        table = self.query_one("#queue-table", QueueTable)
        current = self.item_at_cursor()
        table.clear()
        self.items = {}
        for item in items:
            s = item.summary
            key = str(s.id)
            self.items[key] = item
            waited = (today - local_date(s.submitted_at)).days if s.submitted_at else 0
            table.add_row(
                Text(fmt_when(s.submitted_at)),
                Text(f"{waited} day" if waited == 1 else f"{waited} days"),
                Text(item.family_reference),
                cell(item.family_name),
                Text(f"{s.period_start:%d %b %Y} – {s.period_end:%d %b %Y}"),
                cell(item.author_name),
                Text("resubmitted" if s.return_comment else ""),
                key=key,
            )
        if current is not None and str(current.summary.id) in self.items:
            table.move_cursor(row=table.get_row_index(str(current.summary.id)))
        self.query_one("#queue-summary", Static).update(
            Text(
                f"{len(items)} summaries waiting for your review, oldest first. "
                "Enter reads one, with the family's plan and latest mapping alongside."
                if items
                else "No summaries are waiting for review."
            )
        )

    def item_at_cursor(self) -> ReviewItem | None:
        table = self.query_one("#queue-table", QueueTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(key or "")
