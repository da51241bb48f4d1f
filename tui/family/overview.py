"""Overview tab: who is in the family, each child's legal status history, what is due, and the
family's last network meeting (its decisions in short) and the next one."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from domain.scaling import FamilyScaling
from domain.services.meeting_views import MeetingGlance, OverviewData
from tui.app import TandemApp
from tui.family.tab_read import tab_read
from tui.text import cell, join, safe


def _d(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def scaling_text(scaling: FamilyScaling) -> Text:
    """The family's figure, its trend and each person's latest (and previous) score."""
    if scaling.figure is None:
        return Text("— (no overall scaling yet)")
    trend = {1: "rising", 0: "level", -1: "falling"}[scaling.trend]
    text = Text(f"{scaling.figure_text()} ", style="bold red" if scaling.trend < 0 else "bold")
    text.append(f"{'↓ ' if scaling.trend < 0 else ''}{trend} · mean of each person's latest: ")
    text.append(
        ", ".join(f"{p.describe()} ({p.latest_on:%d %b})" for p in scaling.people),
    )
    return text


def meeting_texts(glance: MeetingGlance) -> tuple[Text, Text | None]:
    """The last network meeting (date, decisions in short) and the next meeting's line (None
    when there has been no meeting)."""
    last = glance.last
    if last is None:
        return Text("no network meeting recorded", style="dim"), None
    meeting = join(Text(f"{last.held_on:%d %b %Y} · ", style="bold"), safe(glance.decisions))
    if glance.next_on is None:
        return meeting, Text("none agreed", style="dim")
    if glance.next_passed:
        return meeting, Text(
            f"! {glance.next_on:%d %b %Y} (passed; no meeting recorded since)", style="bold red"
        )
    return meeting, Text(f"{glance.next_on:%d %b %Y}")


class OverviewTab(VerticalScroll):
    app = getters.app(TandemApp)

    def __init__(self, family_id: int) -> None:
        super().__init__(id="overview-tab")
        self.family_id = family_id
        #: True once the family has been shown (benchmarks and tests wait for it).
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading…"), id="overview-due")
        yield Static(id="overview-members")
        yield Static(id="overview-details")

    def reload(self) -> None:
        """Loaded when the tab is shown (the workspace calls this), not on mounting as well."""
        from domain.services.meeting_views import overview_screen

        family_id = self.family_id
        tab_read(
            self,
            lambda c: overview_screen(c, family_id),
            self._show,
            exclusive=True,
            group="overview",
        )

    def _show(self, loaded: OverviewData) -> None:
        family, row = loaded.family, loaded.row
        due = Table(title="What is due", show_header=False, expand=True, show_edge=False)
        due.add_column("what", style="bold", no_wrap=True)
        due.add_column("state")

        def flag(ok: bool, text: str) -> Text:
            return Text(text) if ok else Text("! " + text, style="bold red")

        due.add_row(
            "Plan review",
            flag(
                not row.review_overdue,
                _d(row.review_due) + (" (overdue)" if row.review_overdue else ""),
            ),
        )
        summary = (
            "none yet"
            if row.last_summary_status is None
            else f"{row.last_summary_status.label} · period to {_d(row.last_summary_end)}"
        )
        due.add_row(
            "Last summary",
            flag(
                not row.summary_overdue,
                summary + (" (a new one is due)" if row.summary_overdue else ""),
            ),
        )
        if row.returned_comment:
            due.add_row(
                "Returned",
                join(Text("! Manager's comment: ", style="bold red"), safe(row.returned_comment)),
            )
        due.add_row(
            "Last contact",
            flag(
                not row.visit_overdue,
                _d(row.last_contact) + (" (CP visit overdue)" if row.visit_overdue else ""),
            ),
        )
        due.add_row("Latest scaling", scaling_text(row.scaling))
        meeting, next_meeting = meeting_texts(loaded.meetings)
        due.add_row("Network meeting", meeting)
        if next_meeting is not None:
            due.add_row("Next meeting", next_meeting)
        self.query_one("#overview-due", Static).update(due)

        members = Table(title="Members", expand=True, show_edge=False)
        for col in ("Name", "Role", "Born", "Legal status (history)"):
            members.add_column(col)
        for m in family.members:
            history = Text()
            for i, change in enumerate(reversed(m.status_history)):
                cat = (
                    f" ({change.cp_category.value.replace('_', ' ')})" if change.cp_category else ""
                )
                cat += f" {change.code}" if change.code else ""  # the council's code (C2, V2 ...)
                history.append(
                    ("" if i == 0 else " ← ")
                    + f"{change.status.label}{cat} from {_d(change.since)}",
                    style="" if i == 0 else "dim",
                )
            members.add_row(
                cell(m.name),
                Text(m.role.value),
                Text(_d(m.date_of_birth)),
                history if m.is_child else Text("—"),
            )
        self.query_one("#overview-members", Static).update(members)

        details = Table(show_header=False, expand=True, show_edge=False, title="Case")
        details.add_column("k", style="bold", no_wrap=True)
        details.add_column("v")
        details.add_row("Reference", Text(family.reference))
        details.add_row("Address", safe(family.address or "—"))
        details.add_row("Opened", Text(_d(family.opened_on)))
        if family.closed_on:
            details.add_row(
                "Closed", join(_d(family.closed_on), " — ", safe(family.closure_reason))
            )
        self.query_one("#overview-details", Static).update(details)
        self.loaded = True
