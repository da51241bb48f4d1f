"""Reviewing a submitted case summary: read it with the family's current plan and latest mapping
alongside, then approve it or return it with a comment. A recording editor (activity: review):
its clock measures review time and its draft is the return comment."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from domain.clock import to_local
from domain.diff import changes_since_returned
from domain.mapping import Category, Column, Mapping, ScalingRating
from domain.network_meetings import NetworkMeeting
from domain.plans import Plan
from domain.scaling import family_scaling
from domain.services.context import Context
from domain.services.screens import ReviewPacket
from domain.services.summaries import ReviewItem
from domain.summaries import Summary, SummaryEvent, SummarySection
from domain.timeuse import Contact, RecordingActivity
from tui.styles import css
from tui.text import cell, join, safe
from tui.widgets.changes import changes_text
from tui.widgets.recording_editor import RecordingEditor
from tui.workers import run_db


def load_review(ctx: Context, summary_id: int) -> ReviewPacket:
    """Run in a worker: everything the reviewer reads, in one read (domain/services/screens.py)."""
    from domain.services.screens import review_screen

    return review_screen(ctx, summary_id)


def _d(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def heading(text: str) -> Text:
    return Text(text, style="bold underline")


def summary_renderable(p: ReviewPacket) -> RenderableType:
    parts: list[RenderableType] = []
    since = changes_since_returned(p.versions)
    if since is not None:
        returned, changes = since
        parts.append(
            Text(
                f"What changed since it was returned on {_d(to_local(returned.at))} "
                f"(version {returned.number} to {p.versions[-1].number})",
                style="bold reverse",
            )
        )
        parts += [changes_text(changes, none="Nothing in the text changed."), Text("")]
    returns = [v for v in p.versions if v.event is SummaryEvent.RETURNED]
    for v in returns:
        parts.append(
            join(
                Text(f"Returned on {_d(to_local(v.at))} with: ", style="bold yellow"),
                safe(v.comment),
            )
        )
    if returns:
        parts.append(Text(""))
    for section in SummarySection:
        text = p.summary.text_of(section)
        parts.append(Text(section.label, style="bold"))
        parts.append(safe(text) if text else Text("(not written)", style="dim"))
        parts.append(Text(""))
    return Group(*parts)


def contacts_renderable(contacts: list[Contact]) -> RenderableType:
    """One short block per contact (the pane is narrow: lines read better than a table)."""
    parts: list[RenderableType] = [heading("Contacts in the period (from the contact log)")]
    if not contacts:
        parts.append(Text("No contacts were logged in this period.", style="dim"))
    for c in contacts:
        facts = [f"{c.on:%d %b} {c.start:%H:%M}", c.kind.label, f"{c.minutes} min"]
        line = join(Text(" · ".join(facts), style="bold"))
        if c.seen:
            line.append_text(join(" · seen: ", safe(c.seen_text(), "bold", single_line=True)))
        if c.present:
            line.append_text(join(" · present: ", cell(c.present)))
        parts += [line, join("  ", safe(c.note))]
    return Group(*parts)


def meetings_renderable(meetings: list[NetworkMeeting]) -> RenderableType:
    """The family network meetings held in the period (shown only when there were some)."""
    parts: list[RenderableType] = [Text(""), heading("Network meetings in the period")]
    for m in meetings:
        next_on = f" · next: {m.next_meeting_on:%d %b %Y}" if m.next_meeting_on else ""
        parts += [
            Text(f"{m.held_on:%d %b %Y}{next_on}", style="bold"),
            join("  Who came: ", safe(m.who_came(), single_line=True)),
            join("  Decided: ", safe(m.decisions)),
        ]
    return Group(*parts)


def plan_renderable(plan: Plan | None) -> RenderableType:
    if plan is None:
        return Group(heading("Family plan"), Text("This family has no plan yet.", style="dim"))
    p = plan.current
    parts: list[RenderableType] = [
        heading("Family plan"),
        Text(
            f"Revision {plan.revision} · started {_d(p.start_date)} · review due "
            f"{_d(p.review_date)}"
        ),
    ]
    if p.family_words:
        parts += [Text("What the family wants", style="bold"), safe(p.family_words)]
    for n, goal in enumerate(p.goals, start=1):
        parts.append(join(Text(f"Goal {n}: ", style="bold"), safe(goal.text)))
        for a in goal.actions:
            parts.append(
                join(
                    "  • ",
                    safe(a.what),
                    " — ",
                    cell(a.who),
                    f" — by {_d(a.by_when)} — " if a.by_when else " — ",
                    Text(a.status.label, style="red" if a.status.value == "slipped" else ""),
                )
            )
    if p.contingency:
        parts += [Text("If the plan isn't working", style="bold"), safe(p.contingency)]
    if p.agreed_on or p.agreed_with:
        parts.append(join(f"Agreed on {_d(p.agreed_on)} with ", cell(p.agreed_with or "—")))
    return Group(*parts)


def mapping_renderable(mapping: Mapping | None, scaling: list[ScalingRating]) -> RenderableType:
    parts: list[RenderableType] = [Text(""), heading("Latest mapping")]
    if mapping is None:
        parts.append(Text("This family has no mapping yet.", style="dim"))
    else:
        m = mapping.current
        parts.append(
            join(
                f"Held on {_d(m.held_on)} with ",
                cell(", ".join(m.participants) or "—"),
            )
        )
        for column in Column:
            parts.append(Text(column.label, style="bold"))
            for category in Category:
                if category.column is not column:
                    continue
                for item in m.items_in(category):
                    parts.append(join(f"  • {category.label}: ", safe(item.text)))
            if column is Column.WORRIED_ABOUT:
                for pair in m.pairs:
                    parts.append(join("  • Danger statement: ", safe(pair.danger.text)))
            if column is Column.NEEDS_TO_HAPPEN:
                for pair in m.pairs:
                    g = pair.goal
                    parts.append(
                        join(
                            "  • Safety goal: ",
                            safe(g.parents_will),
                            " · the child will experience ",
                            safe(g.child_will_experience),
                            " · professionals will see ",
                            safe(g.professionals_will_see),
                            " · for ",
                            safe(g.for_how_long),
                        )
                    )
    parts += [Text(""), heading("Scaling (each person's latest, 0–10)")]
    if not scaling:
        parts.append(Text("No one has scaled yet.", style="dim"))
    else:
        parts.append(
            Text(
                f"Family scaling {family_scaling(scaling).figure_text()}: the mean of each "
                "person's latest score",
                style="bold",
            )
        )
    for r in scaling:
        parts.append(
            join(
                cell(r.person),
                " (",
                cell(r.person_role or "—"),
                f"): {r.score}/10 on {_d(r.rated_on)} — ",
                safe(r.reason),
            )
        )
    return Group(*parts)


class ApproveQuestion(ModalScreen[bool]):
    """Approving is final, so it is confirmed: enter approves, escape goes back. Stray letters
    (typed when the comment box had lost the focus) do nothing here."""

    CSS_PATH = css("manager")

    BINDINGS = [Binding("escape,n", "answer(False)", "Back to the summary")]

    def __init__(self, item: ReviewItem) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(id="approve-box"):
            yield Static(
                join(
                    "Approve the summary of ",
                    Text(self.item.family_reference, style="bold"),
                    " ",
                    cell(self.item.family_name),
                    " written by ",
                    cell(self.item.author_name),
                    "?",
                )
            )
            with Horizontal(id="approve-buttons"):
                yield Button("Approve (enter)", id="approve-yes", variant="success")
                yield Button("Back (escape)", id="approve-no")

    def on_mount(self) -> None:
        self.query_one("#approve-yes", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed, "#approve-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#approve-no")
    def _no(self) -> None:
        self.dismiss(False)


class ReviewScreen(RecordingEditor):
    """Approve (a) or return with a comment (r, or ctrl+s from the comment box)."""

    CSS_PATH = css("manager")

    activity = RecordingActivity.REVIEW
    title_text = "Review a case summary"

    BINDINGS = [
        Binding("ctrl+s", "save", "Return with comment", id="save", priority=True),
        Binding("a", "approve", "Approve", id="approve"),
        Binding("r", "return_summary", "Return with comment", id="return"),
    ]

    def __init__(self, item: ReviewItem) -> None:
        super().__init__(item.summary.family_id)
        self.item = item
        self.summary_id: int = item.summary.saved_id
        self.deciding = False
        self.packet: ReviewPacket | None = None

    def compose_form(self) -> ComposeResult:
        s = self.item.summary
        yield Static(
            join(
                Text(self.item.family_reference, style="bold"),
                "  ",
                cell(self.item.family_name, "bold"),
                f"  ·  period {_d(s.period_start)} – {_d(s.period_end)}  ·  by ",
                cell(self.item.author_name),
                f"  ·  submitted {to_local(s.submitted_at):%d %b %Y %H:%M}"
                if s.submitted_at
                else "",
            ),
            id="review-heading",
        )
        with Horizontal(id="review-panes"):
            with VerticalScroll(id="review-summary"):
                yield Static(Text("Loading the summary…"), id="review-summary-text")
                yield Static(id="review-contacts")
            with VerticalScroll(id="review-context"):
                yield Static(Text("Loading the plan…"), id="review-plan")
                yield Static(id="review-mapping")
        with Vertical(id="review-form"):
            yield Label(
                Text(
                    "Comment for the author (required to return the summary; "
                    "ctrl+s returns it from here)"
                )
            )
            yield TextArea(id="field-comment")
            error = Static(id="review-error", classes="error")
            error.display = False  # takes a line only when there is something to say
            yield error
            with Horizontal(id="review-buttons"):
                yield Button("Approve (a)", id="review-approve", variant="success")
                yield Button("Return with comment (r)", id="review-return", variant="warning")

    def on_mount(self) -> None:
        super().on_mount()
        ctx = self.app.ctx
        run_db(self, lambda: load_review(ctx, self.summary_id), self._loaded, group="review")
        self.query_one("#review-summary", VerticalScroll).focus()

    def _loaded(self, packet: ReviewPacket) -> None:
        self.packet = packet
        self.query_one("#review-summary-text", Static).update(summary_renderable(packet))
        contacts = contacts_renderable(packet.contacts)
        self.query_one("#review-contacts", Static).update(
            Group(contacts, meetings_renderable(packet.meetings)) if packet.meetings else contacts
        )
        self.query_one("#review-plan", Static).update(plan_renderable(packet.plan))
        self.query_one("#review-mapping", Static).update(
            mapping_renderable(packet.mapping, packet.scaling)
        )

    @on(TextArea.Changed, "#field-comment")
    def _comment_changed(self) -> None:
        self.mark_dirty()

    def on_key(self, event: events.Key) -> None:
        """Typing while reading starts the comment: a printable key that is not one of this
        screen's letters, pressed on the summary or the plan, moves into the comment box and is
        typed there (so the words of "Please add..." are not lost, nor taken as commands)."""
        if (
            event.is_printable
            and event.character is not None
            and event.character not in ("a", "r", " ")
            and self.focused is not None
            and self.focused.id in ("review-summary", "review-context")
        ):
            event.stop()
            event.prevent_default()
            box = self.query_one("#field-comment", TextArea)
            box.focus()
            box.insert(event.character)

    # --- drafts: the return comment ---------------------------------------------------------

    def draft_key(self) -> str:
        return f"review:summary:{self.summary_id}"

    def comment(self) -> str:
        return self.query_one("#field-comment", TextArea).text

    def draft_state(self) -> str:
        return json.dumps({"comment": self.comment()})

    def apply_draft(self, content: str) -> None:
        try:
            text = str(json.loads(content).get("comment", ""))
        except (ValueError, AttributeError):
            text = content
        self.query_one("#field-comment", TextArea).text = text

    # --- deciding ---------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """Errors go right under the comment box and the buttons they are about."""
        error = self.query_one("#review-error", Static)
        error.update(safe(message))
        error.display = bool(message)

    def _decide(self, job: Callable[[], Summary]) -> None:
        if self.deciding or self.closing:
            return
        self.deciding = True
        run_db(self, job, self._decided, failed=self._decide_failed, group="decide")

    def _decided(self, summary: Summary) -> None:
        self.deciding = False
        self.saved(summary)

    def _decide_failed(self, error: BaseException) -> None:
        self.deciding = False
        self.save_failed(error)

    def save(self) -> None:
        """Return the summary to its author with the comment (required)."""
        from domain.services.summaries import return_summary

        ctx = self.app.ctx
        comment, summary_id = self.comment(), self.summary_id
        self._decide(lambda: return_summary(ctx, summary_id, comment))

    def action_return_summary(self) -> None:
        self.action_save()

    def action_approve(self) -> None:
        from domain.services.summaries import approve_summary

        self.show_error("")
        if self.comment().strip():
            self.show_error(
                "You have written a comment: press r to return the summary with it, or clear the "
                "comment to approve."
            )
            self.focus_field("comment")
            return
        if self.deciding or self.closing:
            return
        ctx = self.app.ctx
        summary_id = self.summary_id

        def answered(yes: bool | None) -> None:
            if yes:
                self._decide(lambda: approve_summary(ctx, summary_id))

        self.app.push_screen(ApproveQuestion(self.item), answered)

    @on(Button.Pressed, "#review-approve")
    def _approve_pressed(self) -> None:
        self.action_approve()

    @on(Button.Pressed, "#review-return")
    def _return_pressed(self) -> None:
        self.action_save()
