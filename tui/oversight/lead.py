"""The practice lead's home: recordings waiting for feedback, feedback already given (with the
practitioners' replies), and the skill trend of each practitioner they support.

A lead sees only the minimum family context of a recording: the family's reference and the
session date, never the family's name or records.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from domain.clock import to_local
from domain.observations import Observation
from domain.services.observation_views import FeedbackDetail, GivenFeedbackItem
from domain.services.observations import FeedbackQueueItem
from tui.app import TandemApp
from tui.feedback.observation_render import duration_text, link_text
from tui.styles import css
from tui.text import cell
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db


class PractitionerPicker(ModalScreen[tuple[int, str] | None]):
    """Choose one of the practitioners the lead supports."""

    CSS_PATH = css("observations")

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, practitioners: list[tuple[int, str]], preferred: int | None) -> None:
        super().__init__()
        self.practitioners = practitioners
        self.preferred = preferred

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Text("Skill trend of which practitioner? (enter chooses)", style="bold"))
            yield OptionList(
                *(Option(cell(name), id=str(pid)) for pid, name in self.practitioners),
                id="practitioner-picker",
            )

    def on_mount(self) -> None:
        options = self.query_one("#practitioner-picker", OptionList)
        ids = [pid for pid, _ in self.practitioners]
        if ids:
            options.highlighted = ids.index(self.preferred) if self.preferred in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        pid = int(event.option.id or 0)
        self.dismiss(next(p for p in self.practitioners if p[0] == pid))

    def action_cancel(self) -> None:
        self.dismiss(None)


class FeedbackTable(DataTable[Any]):
    """A list of observations: enter gives or reads the feedback (shown in the footer)."""

    BINDINGS = [Binding("enter", "select_cursor", "Give / read feedback", id="open-feedback")]


class LeadHome(Screen[None]):
    app = getters.app(TandemApp)

    CSS_PATH = css("observations")

    BINDINGS = [
        Binding("enter", "open", "Give / read feedback", id="open-feedback"),
        Binding("o", "open_recording", "Open recording", id="open-recording"),
        Binding("t", "trend", "Skill trend", id="skill-trend"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("ctrl+o", "app.sign_out", "Sign out", id="sign-out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[FeedbackQueueItem] = []
        self.given: list[GivenFeedbackItem] = []
        self.practitioners: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        yield Static(Text("Waiting for feedback", style="bold"), id="queue-title")
        yield FeedbackTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text("Feedback given", style="bold"), id="given-title")
        yield FeedbackTable(id="given-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            Text(
                "tab switches list · enter gives or reads feedback · o opens the recording · "
                "t skill trend"
            ),
            classes="muted",
        )
        yield TandemFooter()

    def on_mount(self) -> None:
        self.query_one("#queue-table", DataTable).add_columns(
            "Session", "Practitioner", "Family ref", "Duration", "Recording"
        )
        self.query_one("#given-table", DataTable).add_columns(
            "Session", "Practitioner", "Family ref", "Given ▼", "Replies", "Recording"
        )
        self.query_one("#queue-table", DataTable).focus()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        from domain.services.screens import lead_screen

        ctx = self.app.ctx
        run_db(
            self,
            lambda: lead_screen(ctx),
            self.show,
            exclusive=True,
            group="lead-home",
        )

    def show(
        self,
        result: tuple[list[FeedbackQueueItem], list[GivenFeedbackItem], list[tuple[int, str]]],
    ) -> None:
        self.queue, self.given, self.practitioners = result
        queue = self.query_one("#queue-table", DataTable)
        queue.clear()
        for item in self.queue:
            o = item.observation
            queue.add_row(
                Text(o.session_date.strftime("%d %b %Y")),
                cell(item.practitioner_name),
                cell(item.family_reference),
                Text(duration_text(o)),
                link_text(o),
            )
        if not self.queue:
            self.query_one("#queue-title", Static).update(
                Text("Waiting for feedback — nothing waiting", style="bold")
            )
        else:
            self.query_one("#queue-title", Static).update(
                Text(f"Waiting for feedback ({len(self.queue)})", style="bold")
            )
        given = self.query_one("#given-table", DataTable)
        given.clear()
        for g in self.given:
            o, fb = g.observation, g.feedback
            when = g.given_at
            given.add_row(
                Text(o.session_date.strftime("%d %b %Y")),
                cell(g.practitioner_name),
                cell(g.family_reference),
                Text(to_local(when).strftime("%d %b %Y") if when else "—"),
                Text(str(len(fb.replies))),
                link_text(o),
            )

    # --- which recording is meant -------------------------------------------------------------

    def current(self, table_id: str | None = None) -> tuple[str, Observation] | None:
        """The recording under the cursor of ``table_id`` (default: the focused list)."""
        if table_id is None:
            given = self.query_one("#given-table", DataTable)
            table_id = "given-table" if self.focused is given else "queue-table"
        items = self.given if table_id == "given-table" else self.queue
        table = self.query_one(f"#{table_id}", DataTable)
        if table.row_count and 0 <= table.cursor_row < len(items):
            return table_id, items[table.cursor_row].observation
        return None

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.open_feedback(self.current(event.data_table.id))

    def action_open(self) -> None:
        self.open_feedback(self.current())

    def open_feedback(self, current: tuple[str, Observation] | None) -> None:
        """A recording waiting for feedback opens the editor; one with feedback, its thread."""
        from domain.services.observation_views import feedback_detail

        if current is None:
            return
        which, observation = current
        ctx = self.app.ctx

        def opened(detail: FeedbackDetail) -> None:
            if which == "queue-table" and detail.feedback is None:
                from tui.feedback.feedback_editor import FeedbackEditor

                self.app.push_screen(FeedbackEditor(detail), self._after_editor)
            else:
                from tui.feedback.observation_feedback import FeedbackView

                self.app.push_screen(FeedbackView(observation.saved_id))

        run_db(self, lambda: feedback_detail(ctx, observation.saved_id), opened)

    def _after_editor(self, result: object) -> None:
        if result is not None:
            self.app.notify("Feedback saved.", markup=False)
        self.action_refresh()

    def action_open_recording(self) -> None:
        from tui.widgets.recordings import open_recording

        current = self.current()
        if current is not None:
            open_recording(self, current[1].id, self.action_refresh)

    def action_trend(self) -> None:
        from tui.feedback.observation_trend import SkillTrendScreen

        if not self.practitioners:
            self.app.notify("You do not support any practitioners yet.", markup=False)
            return
        current = self.current()
        preferred = current[1].practitioner_id if current else None

        def chosen(choice: tuple[int, str] | None) -> None:
            if choice is not None:
                self.app.push_screen(SkillTrendScreen(*choice))

        self.app.push_screen(PractitionerPicker(self.practitioners, preferred), chosen)
