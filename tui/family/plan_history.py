"""The plan's revision history: every saved revision (who, when), and what changed between any
two of them in plain language: each goal, action and field that is new, taken out or changed,
with the changed words marked (domain.diff.plan_changes)."""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from domain.clock import to_local
from domain.diff import PartChange
from domain.services.plans import RevisionInfo
from tui.app import TandemApp
from tui.styles import css
from tui.text import cell
from tui.widgets.changes import changes_text
from tui.workers import run_db


class PlanHistoryScreen(ModalScreen[None]):
    """Revisions on the left; the differences between the two marked ones on the right."""

    app = getters.app(TandemApp)

    CSS_PATH = css("plan")

    BINDINGS = [
        Binding("space", "mark", "Mark for comparing", id="history-mark"),
        Binding("d", "compare_previous", "Compare with previous", id="history-previous"),
        Binding("escape", "close", "Close", id="history-close"),
    ]

    def __init__(self, family_id: int, reference: str) -> None:
        super().__init__()
        self.family_id = family_id
        self.reference = reference
        self.revisions: list[RevisionInfo] = []
        #: The revision numbers marked for comparing (at most two).
        self.marked: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-history-box"):
            yield Static(Text(f"Plan history · {self.reference}", style="bold"))
            yield Static(
                Text(
                    "space: mark two revisions to compare · d or enter: compare the highlighted "
                    "revision with the one before · esc: close"
                ),
                classes="muted",
            )
            with Horizontal():
                yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="history-diff-scroll"):
                    yield Static(Text("Loading…"), id="history-diff-title")
                    yield Static(id="history-diff")

    def on_mount(self) -> None:
        from domain.services.plans import plan_history

        table = self.query_one("#history-table", DataTable)
        table.add_column("", key="mark", width=2)
        table.add_column("Rev", key="rev")
        table.add_column("Saved by", key="by")
        table.add_column("When", key="when")
        table.focus()
        ctx = self.app.ctx
        family_id = self.family_id
        run_db(self, lambda: plan_history(ctx, family_id), self.show_history)

    def show_history(self, revisions: list[RevisionInfo]) -> None:
        self.revisions = list(reversed(revisions))  # newest first
        table = self.query_one("#history-table", DataTable)
        table.clear()
        for r in self.revisions:
            table.add_row(
                Text(""),
                Text(str(r.number)),
                cell(r.author_name),
                Text(to_local(r.saved_at).strftime("%d %b %Y %H:%M")),
                key=str(r.number),
            )
        if len(self.revisions) >= 2:
            self.marked = [self.revisions[1].number, self.revisions[0].number]
            self.show_marks()
            self.compare()
        else:
            self.query_one("#history-diff-title", Static).update(
                Text("There is only one revision so far, so there is nothing to compare yet.")
            )

    # --- marking and comparing --------------------------------------------------------------------

    def highlighted(self) -> int | None:
        table = self.query_one("#history-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def show_marks(self) -> None:
        table = self.query_one("#history-table", DataTable)
        for r in self.revisions:
            mark = "●" if r.number in self.marked else ""
            table.update_cell(str(r.number), "mark", Text(mark, style="bold"))

    def action_mark(self) -> None:
        number = self.highlighted()
        if number is None:
            return
        if number in self.marked:
            self.marked.remove(number)
        else:
            self.marked.append(number)
            self.marked = self.marked[-2:]
        self.show_marks()
        if len(self.marked) == 2:
            self.compare()
        else:
            self.query_one("#history-diff-title", Static).update(
                Text("Mark one more revision (space) to compare.")
            )

    def action_compare_previous(self) -> None:
        number = self.highlighted()
        if number is None:
            return
        older = [r.number for r in self.revisions if r.number < number]
        if not older:
            self.query_one("#history-diff-title", Static).update(
                Text(f"Revision {number} is the first: there is nothing before it to compare.")
            )
            self.query_one("#history-diff", Static).update(Text(""))
            return
        self.marked = [max(older), number]
        self.show_marks()
        self.compare()

    @on(DataTable.RowSelected, "#history-table")
    def row_chosen(self) -> None:
        self.action_compare_previous()

    def compare(self) -> None:
        from domain.services.plans import plan_changes

        a, b = sorted(self.marked)
        ctx = self.app.ctx
        family_id = self.family_id

        def show(changes: list[PartChange]) -> None:
            title = self.query_one("#history-diff-title", Static)
            body = self.query_one("#history-diff", Static)
            heading = f"What changed from revision {a} to revision {b}"
            if not changes:
                title.update(Text(heading + ": nothing, the two revisions say the same."))
                body.update(Text(""))
                return
            parts = "part" if len(changes) == 1 else "parts"
            title.update(Text(f"{heading}: {len(changes)} {parts}", style="bold"))
            body.update(changes_text(changes))

        run_db(
            self,
            lambda: plan_changes(ctx, family_id, a, b),
            show,
            exclusive=True,
            group="plan-diff",
        )

    def action_close(self) -> None:
        self.dismiss(None)
