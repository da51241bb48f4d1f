"""The practice lead's feedback editor: seven skills rated 1–5 in half points with the three
group means live against the 3.5 'skilful' line, timestamped comments (mm:ss, checked against
the recording's duration, kept in time order), strengths and one thing to try."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static, TextArea

from domain.errors import DomainError, ValidationError
from domain.observations import (
    Feedback,
    Skill,
    SkillGroup,
    TimedComment,
    check_rating,
    parse_timestamp,
)
from domain.services.observation_views import FeedbackDetail
from domain.timeuse import RecordingActivity
from tui.feedback.observation_render import WITHDRAWN, context_line, group_means_text, link_text
from tui.styles import css
from tui.text import cell, join
from tui.widgets.confirm import ConfirmDelete
from tui.widgets.recording_editor import RecordingEditor, focus_without_selecting
from tui.widgets.recordings import open_recording
from tui.workers import run_db


def field_id(name: str) -> str:
    return "field-" + name.replace("_", "-").replace(".", "-")


class CommentsTable(DataTable[Any]):
    """The timestamped comments; delete removes the highlighted one."""

    BINDINGS = [Binding("delete,backspace", "remove", "Remove comment", id="remove-comment")]

    class Remove(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_remove(self) -> None:
        if self.row_count:
            self.post_message(self.Remove(self.cursor_row))


class FeedbackEditor(RecordingEditor):
    CSS_PATH = css("observations")

    activity = RecordingActivity.OBSERVATION_FEEDBACK
    title_text = "Feedback on a recorded session"

    BINDINGS = [
        Binding("ctrl+r", "open_recording", "Open recording", id="open-recording", priority=True),
    ]

    def __init__(self, detail: FeedbackDetail) -> None:
        super().__init__(detail.observation.family_id)
        self.detail = detail
        fb = detail.feedback
        self.comments: list[TimedComment] = list(fb.comments) if fb else []

    # --- the form ---------------------------------------------------------------------------------

    def compose_form(self) -> ComposeResult:
        fb = self.detail.feedback
        with VerticalScroll(classes="form"):
            yield Static(context_line(self.detail))
            yield Static(
                join(
                    "Recording: ",
                    link_text(self.detail.observation),
                    Text("   (ctrl+r opens it)", style="dim"),
                ),
                id="fb-recording",
            )
            with Horizontal(id="fb-scores"):
                with Vertical(id="fb-ratings"):
                    for group in SkillGroup:
                        yield Static(Text(group.label, style="bold"), classes="fb-group")
                        for skill in group.skills:
                            value = fb.ratings.get(skill) if fb else None
                            with Horizontal(classes="form-row rating-row"):
                                yield Label(skill.label, classes="rating-label")
                                yield Input(
                                    value="" if value is None else f"{value:g}",
                                    placeholder="1–5",
                                    id=field_id(skill.value),
                                    classes="rating-input",
                                    compact=True,
                                )
                                yield Static(id=f"hint-{skill.value}", classes="rating-hint")
                yield Static(id="group-means")
            yield Static(
                Text(
                    "Timestamped comments (mm:ss or h:mm:ss; in time order; delete asks, then "
                    "removes the selected one)",
                    style="bold",
                )
            )
            yield CommentsTable(id="fb-comments", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="form-row"):
                yield Label("At")
                yield Input(placeholder="mm:ss", id="field-at", classes="at-input")  # or h:mm:ss
                yield Label("Comment")
                yield Input(placeholder="enter adds the comment", id="field-comment")
            yield Static(id="comment-error", classes="error")
            yield Label("Strengths")
            yield TextArea(fb.strengths if fb else "", id="field-strengths", soft_wrap=True)
            yield Label("One thing to try")
            yield TextArea(
                fb.one_thing_to_try if fb else "", id="field-one-thing-to-try", soft_wrap=True
            )

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#fb-comments", CommentsTable)
        table.add_columns("At", "Comment")
        self.show_comments()
        self.update_means()
        focus_without_selecting(self.query_one(f"#{field_id(Skill.EMPATHY.value)}", Input))

    # --- ratings and live means ---------------------------------------------------------------

    def rating_texts(self) -> dict[Skill, str]:
        return {
            s: self.query_one(f"#{field_id(s.value)}", Input).value.strip().replace(",", ".")
            for s in Skill
        }

    def update_means(self) -> None:
        valid: dict[Skill, float] = {}
        for skill, text in self.rating_texts().items():
            hint = self.query_one(f"#hint-{skill.value}", Static)
            if not text:
                hint.update("")
                continue
            try:
                valid[skill] = check_rating(skill, text)
                hint.update(Text("skilful" if valid[skill] >= 3.5 else "", style="green"))
            except ValidationError:
                hint.update(Text("1–5 in half points", style="bold red"))
        self.query_one("#group-means", Static).update(group_means_text(valid))

    @on(Input.Changed, ".rating-input")
    def _rating_changed(self) -> None:
        self.update_means()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        self.mark_dirty()

    # --- comments -------------------------------------------------------------------------------

    def show_comments(self) -> None:
        table = self.query_one("#fb-comments", CommentsTable)
        table.clear()
        self.comments.sort(key=lambda c: c.at_seconds)
        for c in self.comments:
            table.add_row(Text(c.at), cell(c.text))
        table.can_focus = bool(self.comments)  # tab skips an empty list

    def comment_error(self, error: DomainError | None) -> None:
        self.query_one("#comment-error", Static).update(Text(str(error)) if error else "")

    def add_pending_comment(self) -> bool:
        """Add what is typed in the comment fields; False (with the error shown) when it is wrong."""
        at_input = self.query_one("#field-at", Input)
        text_input = self.query_one("#field-comment", Input)
        if not at_input.value.strip() and not text_input.value.strip():
            return True
        try:
            comment = TimedComment(parse_timestamp(at_input.value), text_input.value)
            Feedback(observation_id=0, lead_id=0, comments=[comment]).check_against(
                self.detail.observation.duration_seconds
            )
        except ValidationError as exc:
            self.comment_error(exc)
            self.focus_field(exc.field)
            return False
        self.comment_error(None)
        self.comments.append(comment)
        self.show_comments()
        at_input.value = ""
        text_input.value = ""
        at_input.focus()
        self.mark_dirty()
        return True

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "field-comment":
            self.add_pending_comment()
        else:
            self.focus_next()

    @on(CommentsTable.Remove)
    def _remove(self, event: CommentsTable.Remove) -> None:
        """A timestamped comment is removed only once the lead says yes (a stray backspace
        on the table used to delete it at once)."""
        if not 0 <= event.index < len(self.comments):
            return
        comment = self.comments[event.index]

        def answered(remove: bool | None) -> None:
            if remove and comment in self.comments:
                self.comments.remove(comment)
                self.show_comments()
                self.mark_dirty()

        self.app.push_screen(
            ConfirmDelete(f"Remove the comment at {comment.at}?", comment.text), answered
        )

    # --- errors next to their field -----------------------------------------------------------------

    def save_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError) and error.field in ("at", "comment"):
            self.comment_error(error)
        super().save_failed(error)

    def action_open_recording(self) -> None:
        open_recording(self, self.detail.observation.id, self._link_gone)

    def _link_gone(self) -> None:
        """Consent was withdrawn since this editor opened: show it (typed text stays)."""
        self.query_one("#fb-recording", Static).update(
            join("Recording: ", Text(WITHDRAWN, style="italic"))
        )

    # --- drafts -----------------------------------------------------------------------------------------

    def draft_key(self) -> str:
        return f"feedback:{self.detail.observation.id}"

    def state(self) -> dict[str, Any]:
        return {
            "ratings": {s.value: t for s, t in self.rating_texts().items()},
            "comments": [[c.at_seconds, c.text] for c in self.comments],
            "at": self.query_one("#field-at", Input).value,
            "comment": self.query_one("#field-comment", Input).value,
            "strengths": self.query_one("#field-strengths", TextArea).text,
            "one_thing_to_try": self.query_one("#field-one-thing-to-try", TextArea).text,
        }

    def draft_state(self) -> str:
        return json.dumps(self.state())

    def apply_draft(self, content: str) -> None:
        data = json.loads(content)
        for skill in Skill:
            value = data.get("ratings", {}).get(skill.value, "")
            self.query_one(f"#{field_id(skill.value)}", Input).value = str(value or "")
        self.comments = []
        for item in data.get("comments", []):
            try:
                self.comments.append(TimedComment(int(item[0]), str(item[1])))
            except (ValidationError, ValueError, TypeError, IndexError):
                continue
        self.show_comments()
        self.query_one("#field-at", Input).value = str(data.get("at", ""))
        self.query_one("#field-comment", Input).value = str(data.get("comment", ""))
        self.query_one("#field-strengths", TextArea).text = str(data.get("strengths", ""))
        self.query_one("#field-one-thing-to-try", TextArea).text = str(
            data.get("one_thing_to_try", "")
        )
        self.update_means()

    # --- save ---------------------------------------------------------------------------------------------

    def save(self) -> None:
        from domain.services.observations import save_feedback

        if not self.add_pending_comment():
            return
        try:
            ratings = {s: check_rating(s, t) if t else None for s, t in self.rating_texts().items()}
        except DomainError as exc:
            self.save_failed(exc)
            return
        ctx = self.app.ctx
        observation_id = self.detail.observation.saved_id
        comments = list(self.comments)
        strengths = self.query_one("#field-strengths", TextArea).text
        one_thing = self.query_one("#field-one-thing-to-try", TextArea).text
        run_db(
            self,
            lambda: save_feedback(
                ctx,
                observation_id,
                ratings,
                comments,
                strengths,
                one_thing,
            ),
            self.saved,
            failed=self.save_failed,
            exclusive=True,
            group="save",
        )
