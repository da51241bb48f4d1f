"""Meetings tab: the family's network meetings (date, who came, next meeting), each read in full
with enter, and the form that records one (n) or corrects it on the day it was recorded (e)."""

from __future__ import annotations

import json
from datetime import date

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Label, Static, TextArea

from domain.clock import local_date, to_local
from domain.network_meetings import (
    DECISIONS_MAX,
    ListedMeeting,
    NetworkMeeting,
    attendees_text,
    may_correct,
)
from domain.timeuse import RecordingActivity
from tui.app import TandemApp
from tui.fit import Col, clip, fill_responsive
from tui.forms import fmt_date, parse_date
from tui.text import cell, join, safe
from tui.widgets.detail import DetailScreen
from tui.widgets.recording_editor import RecordingEditor, focus_without_selecting
from tui.workers import run_db


class MeetingForm(RecordingEditor):
    """Record (or correct) a family network meeting. Who came: one person a line, a role in
    brackets. Timed by the recording clock under an activity of its own ("Network meeting" in the
    burden report and "My time"), never counted as contact logging."""

    activity = RecordingActivity.NETWORK_MEETING
    title_text = "Record a network meeting"

    DEFAULT_CSS = """
    MeetingForm .meeting-label { text-style: bold; }
    MeetingForm #field-held-on { width: 16; }
    MeetingForm #field-next-meeting-on { width: 30; }
    MeetingForm #field-attendees { height: 7; }
    MeetingForm #field-decisions { height: 1fr; min-height: 5; }
    MeetingForm #meeting-form { height: 1fr; }
    """

    def __init__(self, family_id: int, meeting: NetworkMeeting | None = None) -> None:
        super().__init__(family_id)
        self.meeting_family_id = family_id
        self.meeting = meeting
        if meeting is not None:
            self.title_text = "Correct a network meeting (today only)"

    def compose_form(self) -> ComposeResult:
        m = self.meeting
        with VerticalScroll(id="meeting-form", classes="form"):
            # A "form-row": an error about either date goes on a line of its own under the row.
            with Horizontal(classes="form-row meeting-dates"):
                yield Label("Held on")
                yield Input(
                    value=fmt_date(m.held_on) if m else "",
                    placeholder="dd/mm/yyyy",
                    id="field-held-on",
                )
                yield Label("Next meeting")
                yield Input(
                    value=fmt_date(m.next_meeting_on) if m else "",
                    placeholder="dd/mm/yyyy (blank: none)",
                    id="field-next-meeting-on",
                )
            yield Label(
                Text("Who came — one a line, role in brackets: Aunt Jo (safety person)"),
                classes="meeting-label",
            )
            yield TextArea(
                attendees_text(m.attendees) if m else "",
                id="field-attendees",
                placeholder="Mum\nAunt Jo (safety person)\nHealth visitor",
            )
            yield Label(
                Text("What was decided: who will do what, by when"), classes="meeting-label"
            )
            yield TextArea(
                m.decisions if m else "",
                id="field-decisions",
                placeholder="Aunt Jo collects the children from school on Tuesdays…",
            )
            yield Static(id="decisions-count", classes="muted")

    def on_mount(self) -> None:
        super().on_mount()
        held_on = self.query_one("#field-held-on", Input)
        if not held_on.value:
            held_on.value = fmt_date(self.app.runtime.clock.today())
        self.dirty = False
        self._count()
        focus_without_selecting(held_on)

    def _count(self) -> None:
        length = len(self.query_one("#field-decisions", TextArea).text.strip())
        over = length - DECISIONS_MAX
        text = (
            Text(
                f"{length}/{DECISIONS_MAX} characters: {over} over the limit; shorten it before "
                "saving (nothing has been cut)",
                style="bold red",
            )
            if over > 0
            else Text(f"{length}/{DECISIONS_MAX}")
        )
        self.query_one("#decisions-count", Static).update(text)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        self.mark_dirty()
        self._count()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    # --- drafts ---------------------------------------------------------------------------

    def draft_key(self) -> str:
        return f"meeting:{self.meeting.id}" if self.meeting else f"meeting:new:{self.family_id}"

    def _values(self) -> dict[str, str]:
        return {
            "held_on": self.query_one("#field-held-on", Input).value,
            "next_meeting_on": self.query_one("#field-next-meeting-on", Input).value,
            "attendees": self.query_one("#field-attendees", TextArea).text,
            "decisions": self.query_one("#field-decisions", TextArea).text,
        }

    def draft_state(self) -> str:
        return json.dumps(self._values())

    def apply_draft(self, content: str) -> None:
        data = json.loads(content)
        self.query_one("#field-held-on", Input).value = str(data.get("held_on", ""))
        self.query_one("#field-next-meeting-on", Input).value = str(data.get("next_meeting_on", ""))
        self.query_one("#field-attendees", TextArea).text = str(data.get("attendees", ""))
        self.query_one("#field-decisions", TextArea).text = str(data.get("decisions", ""))

    # --- save -------------------------------------------------------------------------------

    def save(self) -> None:
        from domain.errors import DomainError
        from domain.network_meetings import correct_meeting, record_meeting

        v = self._values()
        today: date = self.app.runtime.clock.today()
        try:
            # (required: never None; "or today" only tells the type checker so)
            held_on = parse_date("held_on", "The meeting date", v["held_on"], today) or today
            next_on = parse_date(
                "next_meeting_on", "The next meeting", v["next_meeting_on"], today, required=False
            )
        except DomainError as exc:
            self.save_failed(exc)
            return
        ctx = self.app.ctx
        family_id = self.meeting_family_id
        meeting_id = self.meeting.id if self.meeting else None

        def save() -> NetworkMeeting:
            if meeting_id is None:
                return record_meeting(
                    ctx, family_id, held_on, v["attendees"], v["decisions"], next_on
                )
            return correct_meeting(
                ctx,
                meeting_id,
                held_on=held_on,
                attendees=v["attendees"],
                decisions=v["decisions"],
                next_meeting_on=next_on,
            )

        run_db(self, save, self.saved, failed=self.save_failed, exclusive=True, group="save")


def meeting_detail(listed: ListedMeeting) -> DetailScreen:
    """Everything recorded about a meeting: who came (one a line), the decisions in full."""
    m = listed.meeting
    stamp = join(safe(listed.recorded_by_name), f", {to_local(m.recorded_at):%d %b %Y %H:%M}")
    if m.edited_at is not None:
        stamp = join(stamp, f", corrected {to_local(m.edited_at):%d %b %Y %H:%M}")
    next_on = f"{m.next_meeting_on:%A %d %B %Y}" if m.next_meeting_on else "none agreed"
    parts: list[tuple[str, Text]] = [
        ("Held on", Text(f"{m.held_on:%A %d %B %Y}")),
        (f"Who came ({len(m.attendees)})", safe(attendees_text(m.attendees))),
        ("What was decided", safe(m.decisions)),
        ("Next meeting", Text(next_on)),
        ("Recorded by", stamp),
    ]
    return DetailScreen(f"Network meeting on {m.held_on:%d %b %Y}", parts)


#: The list's columns: the dates are never cut; who came and the first decision are cut with "…"
#: to fit (enter shows them whole); at 80 columns the decision is left out, so who came has room.
COLUMNS = [
    Col("Held on"),
    Col("Next meeting"),
    Col("Who came", cut=30),
    Col("Decided", cut=20, drop=1),
]
#: The widest the first decision is shown in the list (the rest of the width goes to who came).
DECIDED_CELLS = 50


class MeetingsTab(Vertical):
    app = getters.app(TandemApp)
    BINDINGS = [
        Binding("enter", "read_meeting", "Read meeting", id="read-meeting"),
        Binding("n", "new_meeting", "Record meeting", id="record-meeting"),
        Binding("e", "edit_meeting", "Correct meeting", id="edit-meeting"),
    ]

    def __init__(self, family_id: int) -> None:
        super().__init__(id="meetings-tab")
        self.family_id = family_id
        self.meetings: dict[str, ListedMeeting] = {}
        self.rows: list[tuple[str, list[Text]]] = []
        #: True once the list has been shown (tests wait for it).
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(
            Text("enter: read · n: record a meeting · e: correct it (on the day it was recorded)"),
            id="meetings-summary",
            classes="muted",
        )
        yield DataTable(id="meetings-table", cursor_type="row", zebra_stripes=True)

    def on_resize(self) -> None:
        """Choose the columns again for the new width."""
        if self.loaded:
            self.call_after_refresh(self._fill)

    def reload(self) -> None:
        from domain.network_meetings import list_meetings

        ctx = self.app.ctx
        family_id = self.family_id
        run_db(
            self,
            lambda: list_meetings(ctx, family_id),
            self._show,
            exclusive=True,
            group="meetings",
        )

    def _show(self, meetings: list[ListedMeeting]) -> None:
        current = self.selected()
        self.meetings = {}
        self.rows = []
        for listed in meetings:
            m = listed.meeting
            key = str(m.id)
            self.meetings[key] = listed
            decided = m.decisions.splitlines()[0] if m.decisions else ""
            self.rows.append(
                (
                    key,
                    [
                        Text(f"{m.held_on:%d %b %Y}"),
                        Text(f"{m.next_meeting_on:%d %b %Y}" if m.next_meeting_on else "—"),
                        cell(m.who_came()),
                        # The first decision, never wider than who came needs it to be.
                        clip(cell(decided), DECIDED_CELLS),
                    ],
                )
            )
        if not meetings:
            self.query_one("#meetings-summary", Static).update(
                Text("No network meetings recorded yet · n: record one")
            )
        self._fill(current)
        self.loaded = True

    def _fill(self, current: ListedMeeting | None = None) -> None:
        table = self.query_one("#meetings-table", DataTable)
        if current is None:
            current = self.selected()
        # The tab's own width, not the table's (which follows what it was last filled with).
        width = self.content_region.width
        fill_responsive(table, COLUMNS, self.rows, width if width > 2 else None)
        key = str(current.meeting.id) if current is not None else None
        if key is not None and key in self.meetings:
            table.move_cursor(row=table.get_row_index(key))

    def selected(self) -> ListedMeeting | None:
        table = self.query_one("#meetings-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.meetings.get(str(key))

    @on(DataTable.RowSelected, "#meetings-table")
    def _row_selected(self) -> None:
        self.action_read_meeting()

    def action_read_meeting(self) -> None:
        listed = self.selected()
        if listed is None:
            self.app.notify("No network meeting recorded yet: n records one.", markup=False)
            return
        self.app.push_screen(meeting_detail(listed))

    def action_new_meeting(self) -> None:
        self.app.push_screen(MeetingForm(self.family_id), self._after)

    def action_edit_meeting(self) -> None:
        listed = self.selected()
        if listed is None:
            return
        today = self.app.runtime.clock.today()
        if not may_correct(listed.meeting, today):
            recorded = local_date(listed.meeting.recorded_at)
            self.app.notify(
                "A network meeting can only be corrected on the day it was recorded "
                f"(this one: {recorded:%d %b %Y}); enter shows all of it.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(MeetingForm(self.family_id, listed.meeting), self._after)

    def _after(self, result: object) -> None:
        if result is not None:
            self.app.notify("Network meeting saved.", markup=False)
        self.reload()
