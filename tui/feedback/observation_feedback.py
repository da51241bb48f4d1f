"""Reading the feedback on a recorded session, and replying to it (the thread is kept).

Used by the observed practitioner (from the family's Observations tab) and by the practice lead
(from their home). Shows ratings, the group means against the 3.5 line, timestamped comments in
time order, strengths, one thing to try and the replies.
"""

from __future__ import annotations

import json

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static, TextArea

from domain.clock import to_local
from domain.observations import TimedComment
from domain.people import Role
from domain.services.observation_views import FeedbackDetail
from domain.timeuse import RecordingActivity
from tui.app import TandemApp
from tui.feedback.observation_render import (
    context_line,
    group_means_text,
    link_text,
    multiline,
    ratings_text,
)
from tui.styles import css
from tui.text import cell, join, safe
from tui.widgets.detail import DetailScreen
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.widgets.recording_editor import RecordingEditor
from tui.widgets.recordings import open_recording
from tui.workers import run_db


class ReplyEditor(RecordingEditor):
    """The practitioner's reflection on feedback (a lead may answer: it is one thread)."""

    CSS_PATH = css("observations")

    activity = RecordingActivity.OBSERVATION_FEEDBACK
    title_text = "Reply to feedback"

    def __init__(self, detail: FeedbackDetail) -> None:
        super().__init__(detail.observation.family_id)
        self.detail = detail

    def compose_form(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(context_line(self.detail))
            yield Label("Your reply (what you take from it, what you will try) — ctrl+s sends")
            yield TextArea(id="field-reply", soft_wrap=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-reply", TextArea).focus()

    def on_text_area_changed(self) -> None:
        self.mark_dirty()

    def draft_key(self) -> str:
        return f"feedback-reply:{self.detail.observation.id}"

    def draft_state(self) -> str:
        return json.dumps({"reply": self.query_one("#field-reply", TextArea).text})

    def apply_draft(self, content: str) -> None:
        self.query_one("#field-reply", TextArea).text = str(json.loads(content).get("reply", ""))

    def save(self) -> None:
        from domain.services.observations import reply_to_feedback

        ctx = self.app.ctx
        text = self.query_one("#field-reply", TextArea).text
        observation_id = self.detail.observation.saved_id
        run_db(
            self,
            lambda: reply_to_feedback(ctx, observation_id, text),
            self.saved,
            failed=self.save_failed,
            exclusive=True,
            group="save",
        )


class FeedbackView(Screen[None]):
    """One recording's feedback and its thread."""

    app = getters.app(TandemApp)

    CSS_PATH = css("observations")

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("r", "reply", "Reply", id="reply"),
        Binding("e", "edit", "Edit feedback", id="edit-feedback"),
        Binding("o", "open_recording", "Open recording", id="open-recording"),
        Binding("t", "trend", "Skill trend", id="skill-trend"),
    ]

    def __init__(self, observation_id: int) -> None:
        super().__init__()
        self.observation_id = observation_id
        self.detail: FeedbackDetail | None = None
        self.comments: list[TimedComment] = []

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        with VerticalScroll(id="feedback-view"):
            yield Static(Text("Loading feedback…"), id="fbv-context")
            yield Static(id="fbv-recording")
            with Horizontal(id="fbv-scores"):
                yield Static(id="fbv-ratings")
                yield Static(id="fbv-means")
            yield Static(Text("Timestamped comments", style="bold"), classes="section")
            yield DataTable(id="fbv-comments", cursor_type="row", zebra_stripes=True)
            yield Static(id="fbv-strengths", classes="section")
            yield Static(id="fbv-try", classes="section")
            yield Static(id="fbv-thread", classes="section")
        yield TandemFooter()

    @on(DataTable.RowSelected, "#fbv-comments")
    def _comment_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a timestamped comment: the whole comment."""
        if 0 <= event.cursor_row < len(self.comments):
            c = self.comments[event.cursor_row]
            self.app.push_screen(
                DetailScreen(f"Comment at {c.at}", [("At", Text(c.at)), ("Comment", safe(c.text))])
            )

    def on_mount(self) -> None:
        table = self.query_one("#fbv-comments", DataTable)
        table.add_columns("At", "Comment")
        self.reload()

    def reload(self) -> None:
        from domain.services.observation_views import feedback_detail

        ctx = self.app.ctx
        run_db(
            self,
            lambda: feedback_detail(ctx, self.observation_id),
            self.show,
            failed=self._failed,
            exclusive=True,
            group="feedback-view",
        )

    def _failed(self, error: BaseException) -> None:
        self.app.show_error(error)
        self.app.pop_screen()

    def show(self, detail: FeedbackDetail) -> None:
        self.detail = detail
        o = detail.observation
        self.query_one("#fbv-context", Static).update(context_line(detail))
        self.query_one("#fbv-recording", Static).update(join("Recording: ", link_text(o)))
        fb = detail.feedback
        table = self.query_one("#fbv-comments", DataTable)
        table.clear()
        if fb is None:
            self.query_one("#fbv-ratings", Static).update(
                Text("No feedback on this recording yet.", style="italic")
            )
            self.query_one("#fbv-means", Static).update("")
            for wid in ("#fbv-strengths", "#fbv-try", "#fbv-thread"):
                self.query_one(wid, Static).update("")
            self.refresh_bindings()
            return
        lead = detail.names.get(fb.lead_id, "practice lead")
        when = fb.updated_at or fb.created_at
        self.query_one("#fbv-ratings", Static).update(
            join(
                Text("Feedback from ", style="bold"),
                cell(lead, "bold"),
                f" ({to_local(when):%d %b %Y})\n" if when else "\n",
                ratings_text(fb.ratings),
            )
        )
        self.query_one("#fbv-means", Static).update(group_means_text(fb.ratings))
        for c in fb.comments:  # the domain keeps them in time order
            table.add_row(Text(c.at), cell(c.text))
        self.query_one("#fbv-strengths", Static).update(multiline("Strengths", fb.strengths))
        self.query_one("#fbv-try", Static).update(
            multiline("One thing to try", fb.one_thing_to_try)
        )
        self.comments = list(fb.comments)
        thread = Text("Replies\n", style="bold")
        if not fb.replies:
            thread.append("No replies yet. Press r to reply.", style="italic")
        for r in fb.replies:
            thread.append_text(
                join(
                    cell(detail.names.get(r.author_id, "—"), "bold"),
                    f" · {to_local(r.at):%d %b %Y %H:%M}\n",
                    safe(r.text),
                    "\n\n",
                )
            )
        thread.rstrip()
        self.query_one("#fbv-thread", Static).update(thread)
        self.refresh_bindings()

    # --- actions ------------------------------------------------------------------------------

    def _is_lead(self) -> bool:
        user = self.app.user
        return user is not None and user.role is Role.PRACTICE_LEAD

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return self._is_lead() and not (self.detail and self.detail.observation.withdrawn)
        if action == "reply":
            return self.detail is None or self.detail.feedback is not None
        return True

    def action_reply(self) -> None:
        if self.detail is None or self.detail.feedback is None:
            return
        self.app.push_screen(ReplyEditor(self.detail), self._after)

    def action_edit(self) -> None:
        from tui.feedback.feedback_editor import FeedbackEditor

        if self.detail is None or not self._is_lead() or self.detail.observation.withdrawn:
            return
        self.app.push_screen(FeedbackEditor(self.detail), self._after)

    def _after(self, result: object) -> None:
        if result is not None:
            self.app.notify("Saved.", markup=False)
        self.reload()

    def action_open_recording(self) -> None:
        if self.detail is not None:
            open_recording(self, self.detail.observation.id, self.reload)

    def action_trend(self) -> None:
        from tui.feedback.observation_trend import SkillTrendScreen

        if self.detail is not None:
            o = self.detail.observation
            self.app.push_screen(SkillTrendScreen(o.practitioner_id, self.detail.practitioner_name))
