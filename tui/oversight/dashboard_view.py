"""The manager's Dashboard and Team caseload tabs. Every family row opens the family (enter)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from domain.services.caseload import CaseloadRow
from domain.services.dashboard import (
    PractitionerChoice,
    SummaryFlag,
    SummaryRow,
    TeamDashboard,
)
from tui.app import TandemApp
from tui.fit import Col, clip, fill_fitted, fill_responsive
from tui.text import cell, join
from tui.widgets.caseload_rows import COLUMNS as CASELOAD_COLUMNS
from tui.widgets.caseload_rows import COMPACT_BELOW, render_row
from tui.widgets.caseload_rows import labels as caseload_labels
from tui.workers import run_db

ALL = "all"
#: The widest a family's name is shown in the dashboard's lists (longer ones end in "…").
NAME_WIDTH = 30
#: The team caseload's columns that may be cut with "…" (index -> narrowest): reference, family,
#: practitioner, children, last summary; narrower than the caseload's, as it has one more column.
TEAM_CUTTABLE = {0: 8, 1: 7, 2: 5, 3: 5, 5: 7}
UNALLOCATED = "none"

#: The dashboard's lists: which columns may be cut with "…" (names) and which are left out first
#: on a narrow terminal; the fact each list is about (overdue by, working days, why) never is.
_REF, _FAMILY, _PRACTITIONER = Col("Ref", cut=8), Col("Family", cut=8), Col("Practitioner", 6, 2)
DASH_COLUMNS: dict[str, list[Col]] = {
    "plans": [_REF, _FAMILY, _PRACTITIONER, Col("Review due", drop=3), Col("When")],
    "summaries": [
        _REF,
        _FAMILY,
        _PRACTITIONER,
        Col("Why"),
        Col("How long"),
        Col("Since", cut=12, drop=3),
    ],
    "unseen": [
        _REF,
        _FAMILY,
        Col("Child", cut=6),
        Col("Practitioner", 6, 2),
        Col("Last seen on a visit", cut=11, drop=3),
        Col("Working days"),
    ],
    "scaling": [
        _REF,
        _FAMILY,
        _PRACTITIONER,
        Col("Family now", cut=6),
        Col("Fell on", cut=6, drop=3),
        Col("Who fell (before→now)", cut=12),
    ],
    "mapping": [_REF, _FAMILY, _PRACTITIONER, Col("Opened")],
}


def fmt_day(d: date | None) -> str:
    return d.strftime("%d %b %Y") if d else "—"


def days_text(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


class FamilyTable(DataTable[Any]):
    """A table whose every row is a family: enter opens it."""

    BINDINGS = [Binding("enter", "select_cursor", "Open family", show=True)]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def add_family_row(self, family_id: int, *cells: Text, tag: str = "") -> None:
        """A row whose second cell, the family's name, is cut to ``NAME_WIDTH`` with "…"."""
        if len(cells) > 1:
            cells = (cells[0], clip(cells[1], NAME_WIDTH), *cells[2:])
        self.add_row(*cells, key=f"{family_id}:{tag}")

    @staticmethod
    def family_of(key: str | None) -> int | None:
        return int(key.split(":")[0]) if key else None

    def family_at_cursor(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.family_of(key)


class PractitionerTable(DataTable[Any]):
    """Caseload sizes: enter shows that practitioner's families on the Team caseload tab."""

    BINDINGS = [Binding("enter", "select_cursor", "Show their families", show=True)]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)


def _flag(text: str, on: bool) -> Text:
    """Overdue things carry a ! as well as a colour (never colour alone)."""
    return Text(("! " if on else "") + text, style="bold red" if on else "")


def _summary_cells(r: SummaryRow, rhythm: int) -> tuple[Text, Text, Text]:
    if r.flag is SummaryFlag.STALE:
        why = _flag(f"older than {rhythm} weeks", True)
        since = (
            Text(f"last period ended {fmt_day(r.period_end)}")
            if r.period_end
            else Text(f"none since opened {fmt_day(r.since)}")
        )
        return why, since, Text(days_text(r.days))
    since = Text(f"submitted {fmt_day(r.since)} by ").append(cell(r.author))
    return Text("waiting for review"), since, Text(days_text(r.days) + " waiting")


def _tall_as_rows(table: DataTable[Any]) -> None:
    """Give a list its height now, from its rows (one line each, under the heading row; the
    stylesheet's max-height still caps it). Left to ``height: auto``, the height follows the
    table's virtual size, which it measures when next idle; on a loaded machine the view was
    sometimes laid out before that and never again, leaving every list but the first at no
    height under its own "(6)" heading."""
    table.styles.height = table.row_count + (1 if table.show_header else 0)


class DashboardView(VerticalScroll):
    """Each list of the team dashboard as a table, under a heading that says how many."""

    app = getters.app(TandemApp)

    def __init__(self) -> None:
        super().__init__(id="dashboard-view")
        self.dashboard: TeamDashboard | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading the team dashboard…"), id="dash-head", classes="dash-intro")
        for key in ("plans", "summaries", "unseen", "scaling", "mapping"):
            yield Static(id=f"dash-{key}-title", classes="dash-title")
            yield FamilyTable(id=f"dash-{key}", classes="dash-table")
        yield Static(Text("Caseload sizes", style="bold"), classes="dash-title")
        yield PractitionerTable(id="dash-caseloads", classes="dash-table")

    def on_mount(self) -> None:
        self.query_one("#dash-caseloads", PractitionerTable).add_columns(
            "Practitioner", "Open families", "Children", "On a CP plan"
        )

    def on_resize(self) -> None:
        """Choose the columns again for the new width."""
        if self.dashboard is not None:
            self.call_after_refresh(self.show, self.dashboard)

    def _fill(self, key: str, rows: list[tuple[str, list[Text]]]) -> FamilyTable:
        """Fill one list, its columns chosen by priority (DASH_COLUMNS) for the width there is."""
        table = self.query_one(f"#dash-{key}", FamilyTable)
        current = table.cursor_row if table.row_count else None
        width = self.scrollable_content_region.width - 2  # the table's margin
        fill_responsive(table, DASH_COLUMNS[key], rows, width if width > 2 else None)
        if current is not None and table.row_count:
            table.move_cursor(row=min(current, table.row_count - 1))
        return table

    def reload(self) -> None:
        from domain.services.dashboard import team_dashboard

        ctx = self.app.ctx
        run_db(self, lambda: team_dashboard(ctx), self.show, exclusive=True, group="dashboard")

    def _title(self, key: str, text: str, count: int) -> None:
        label = Text(text, style="bold").append(
            f"  ({count})" if count else "  — none", style="" if count else "dim"
        )
        self.query_one(f"#dash-{key}-title", Static).update(label)
        table = self.query_one(f"#dash-{key}", FamilyTable)
        table.display = count > 0
        _tall_as_rows(table)

    def show(self, d: TeamDashboard) -> None:
        self.dashboard = d
        self.query_one("#dash-head", Static).update(
            Text(
                f"{d.open_families} open families · as of {fmt_day(d.today)} · standards: a summary "
                f"at least every {d.summary_rhythm_weeks} weeks; children on CP seen within "
                f"{d.visiting_standard_working_days} working days"
            )
        )
        rows: list[tuple[str, list[Text]]] = []
        for r in d.plan_reviews:
            if r.days_left is None:
                when = _flag("no plan yet", True)
            elif r.days_left < 0:
                when = _flag(f"overdue by {days_text(-r.days_left)}", True)
            else:
                when = Text("today" if r.days_left == 0 else f"in {days_text(r.days_left)}")
            rows.append(
                (
                    f"{r.family.family_id}:",
                    [
                        Text(r.family.reference),
                        cell(r.family.name),
                        cell(r.family.practitioner),
                        Text(fmt_day(r.review_date)),
                        when,
                    ],
                )
            )
        table = self._fill("plans", rows)
        self._title(
            "plans", f"Plan reviews overdue or due within {d.due_within_days} days", table.row_count
        )

        rows = []
        for r in d.summaries:
            why, since, how_long = _summary_cells(r, d.summary_rhythm_weeks)
            rows.append(
                (
                    f"{r.family.family_id}:{r.flag.value}:{r.summary_id or ''}",
                    [
                        Text(r.family.reference),
                        cell(r.family.name),
                        cell(r.family.practitioner),
                        why,
                        how_long,
                        since,
                    ],
                )
            )
        table = self._fill("summaries", rows)
        self._title(
            "summaries",
            f"Summaries older than {d.summary_rhythm_weeks} weeks or waiting for review",
            table.row_count,
        )

        rows = []
        for r in d.unseen_children:
            last = fmt_day(r.last_seen) if r.last_seen else "not since the CP plan began"
            rows.append(
                (
                    f"{r.family.family_id}:{r.child_id}",
                    [
                        Text(r.family.reference),
                        cell(r.family.name),
                        cell(r.child_name),
                        cell(r.family.practitioner),
                        Text(last),
                        _flag(str(r.working_days), True),
                    ],
                )
            )
        table = self._fill("unseen", rows)
        self._title(
            "unseen",
            f"Children on a CP plan not seen within {d.visiting_standard_working_days} working days",
            table.row_count,
        )

        rows = []
        for r in d.scaling_falls:
            fell = "; ".join(
                f"{p.person[:24] + ('…' if len(p.person) > 24 else '')} {p.previous}→{p.latest}"
                for p in r.scaling.fallen
            )
            rows.append(
                (
                    f"{r.family.family_id}:",
                    [
                        Text(r.family.reference),
                        cell(r.family.name),
                        cell(r.family.practitioner),
                        Text(r.scaling.figure_text()),
                        Text(fmt_day(r.latest_on)),
                        join(Text("↓ ", style="red"), cell(fell)),
                    ],
                )
            )
        table = self._fill("scaling", rows)
        self._title(
            "scaling", "Scaling fell (someone below their own previous score)", table.row_count
        )

        rows = []
        for r in d.without_mapping:
            rows.append(
                (
                    f"{r.family.family_id}:",
                    [
                        Text(r.family.reference),
                        cell(r.family.name),
                        cell(r.family.practitioner),
                        Text(fmt_day(r.opened_on)),
                    ],
                )
            )
        table = self._fill("mapping", rows)
        self._title("mapping", "Families without a mapping", table.row_count)

        sizes = self.query_one("#dash-caseloads", PractitionerTable)
        sizes.clear()
        for c in d.caseloads:
            name = cell(c.name) if c.active else cell(c.name).append(" (left)", style="dim")
            sizes.add_row(
                name,
                Text(str(c.families)),
                Text(str(c.children)),
                Text(str(c.cp_children)),
                key=str(c.practitioner_id) if c.practitioner_id is not None else UNALLOCATED,
            )
        _tall_as_rows(sizes)

        focused = self.app.focused
        if focused is None or not (
            isinstance(focused, DataTable) and focused in self.query(DataTable)
        ):
            target = self.first_table()
            if target is not None:
                # Without scrolling: the first list is at the top already, and a scroll worked
                # out while the lists are still taking their new heights left the view a few
                # lines down, its heading out of sight.
                target.focus(scroll_visible=False)

    def first_table(self) -> DataTable[Any] | None:
        for table in self.query(DataTable):
            if table.display and table.row_count:
                return table
        return None


class TeamCaseloadView(Vertical):
    """Every family of the team with what needs attention, filterable by practitioner."""

    app = getters.app(TandemApp)

    def __init__(self) -> None:
        super().__init__(id="team-caseload-view")
        self.rows: list[CaseloadRow] = []
        self.names: dict[int, str] = {}
        self.wanted: str = ALL
        self.choices: set[str] = {ALL}

    def compose(self) -> ComposeResult:
        with Horizontal(id="team-bar"):
            yield Input(
                placeholder="Search names (family, members) or reference…", id="team-search"
            )
            yield Select(
                [(Text("All practitioners"), ALL)],
                value=ALL,
                allow_blank=False,
                id="team-practitioner",
            )
        yield Static(id="team-summary", classes="muted")
        yield FamilyTable(id="team-table")

    def on_mount(self) -> None:
        table = self.query_one("#team-table", FamilyTable)
        for label, key in CASELOAD_COLUMNS[:2]:
            table.add_column(label, key=key or label.lower())
        table.add_column("Practitioner", key="practitioner")
        for label, key in CASELOAD_COLUMNS[2:]:
            table.add_column(label, key=key or label.lower())

    def reload(self) -> None:
        from domain.services.screens import team_caseload_screen

        ctx = self.app.ctx
        run_db(
            self,
            lambda: team_caseload_screen(ctx),
            self._loaded,
            exclusive=True,
            group="team-caseload",
        )

    def _loaded(self, loaded: tuple[list[CaseloadRow], list[PractitionerChoice]]) -> None:
        self.rows, choices = loaded
        self.names = {c.user_id: c.name for c in choices}
        options = [(Text("All practitioners"), ALL)]
        options += [(cell(c.name), str(c.user_id)) for c in choices]
        options.append((Text("Not allocated"), UNALLOCATED))
        self.choices = {value for _, value in options}
        select = self.query_one("#team-practitioner", Select)
        with select.prevent(Select.Changed):
            select.set_options(options)
            select.value = self.wanted if self.wanted in self.choices else ALL
        self.show()

    def filter_practitioner(self, value: str) -> None:
        """Show only one practitioner's families (or the unallocated ones)."""
        self.wanted = value
        select = self.query_one("#team-practitioner", Select)
        if value in self.choices:
            with select.prevent(Select.Changed):
                select.value = value
        self.show()

    def show(self) -> None:
        table = self.query_one("#team-table", FamilyTable)
        keep = table.family_at_cursor()
        query = self.query_one("#team-search", Input).value
        wanted = self.wanted
        visible = [
            r
            for r in sorted(self.rows, key=lambda r: r.reference)
            if r.matches(query)
            and (
                wanted == ALL
                or (wanted == UNALLOCATED and r.practitioner_id is None)
                or str(r.practitioner_id) == wanted
            )
        ]
        compact = 0 < table.size.width < COMPACT_BELOW
        rows = []
        for row in visible:
            cells = render_row(row, compact)
            owner = (
                cell(self.names.get(row.practitioner_id, "—"))
                if row.practitioner_id is not None
                else Text("! not allocated", style="bold red")
            )
            rows.append((f"{row.family_id}:", [*cells[:2], owner, *cells[2:]]))
        heads = caseload_labels(compact)
        fill_fitted(table, [*heads[:2], "Practitioner", *heads[2:]], rows, TEAM_CUTTABLE)
        if keep is not None:
            for index, row in enumerate(visible):
                if row.family_id == keep:
                    table.move_cursor(row=index)
        attention = sum(1 for r in visible if r.attention)
        self.query_one("#team-summary", Static).update(
            Text(f"{len(visible)} of {len(self.rows)} families · {attention} need attention (!)")
        )

    def on_resize(self) -> None:
        """Fit the table to the new width (long names cut shorter or longer)."""
        if self.rows:
            self.call_after_refresh(self.show)

    @on(Input.Changed, "#team-search")
    def _search(self) -> None:
        self.show()

    @on(Input.Submitted, "#team-search")
    def _search_done(self) -> None:
        self.query_one("#team-table", FamilyTable).focus()

    @on(Select.Changed, "#team-practitioner")
    def _chosen(self, event: Select.Changed) -> None:
        if event.value is Select.BLANK or str(event.value) == self.wanted:
            return
        self.wanted = str(event.value)
        self.show()
