"""The recording-burden report screen: the project staff's home, and a manager's view of their
team (SPEC §4). Filters (period, team), the headline figures baseline against trial, recording
by activity, three charts, the weekly and per-practitioner tables, and export to CSV.

The screen holds every figure the CSV does: each CSV row (tui/report/export.py ``csv_rows``) is
shown in full with ``figure_lines`` — the overall rows on the Summary tab, a week's row under the
weekly table, a practitioner's rows under theirs (move the cursor to see each).

The report runs in a thread worker (``run_db``); a progress bar and a line of text follow it, and
the screen stays usable meanwhile (a new run replaces one still going). What a role may see is
decided by the service (domain/services/reports.py): project staff get pseudonyms and small
groups withheld, whatever this screen asks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
)

from domain.errors import DomainError, ValidationError
from domain.reports import BurdenReport
from domain.services.reports import ReportFilters
from tui.app import TandemApp
from tui.fit import Col, fill_responsive
from tui.forms import parse_date
from tui.report.charts import CompareChart, RatioChart, WeeklyChart
from tui.report.export import calibration_lines, change_lines, summary_rows
from tui.styles import css
from tui.text import cell, join, safe, sanitise
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

ALL_TEAMS = "__all__"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


#: The summary table's columns: the measure's name may be cut, a figure never is.
SUMMARY_COLUMNS = [Col("Measure", cut=31), Col("Trial"), Col("Baseline", cut=10)]


class BurdenReportScreen(Screen[None]):
    """Recording burden: minutes recording per minute with families, baseline against trial."""

    app = getters.app(TandemApp)

    CSS_PATH = css("report")

    BINDINGS = [
        Binding("ctrl+r", "run_report", "Run report", priority=True),
        Binding("ctrl+s", "export_csv", "Export CSV", priority=True),
        Binding("f", "focus_filters", "Filters", tooltip="Go to the period and team filters"),
        # The tab titles carry their digits; kept out of the footer so that its other keys fit
        # at 80 columns (still on the help screen and in the command palette).
        Binding("1", "tab('summary')", "Summary", show=False),
        Binding("2", "tab('weekly')", "Weekly", show=False),
        Binding("3", "tab('people')", "Per practitioner", show=False),
        Binding("4", "tab('compare')", "Baseline vs trial", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: BurdenReport | None = None
        self.filters: ReportFilters | None = None
        self.running = False
        self.runs = 0
        self.last_team: object = ALL_TEAMS

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        with Horizontal(id="report-bar"):
            yield Label("From")
            yield Input(placeholder="first week", id="field-start")
            yield Label("To")
            yield Input(placeholder="today", id="field-end")
            yield Select(
                [("All teams", ALL_TEAMS)], value=ALL_TEAMS, allow_blank=False, id="report-team"
            )
            yield Button("Run (ctrl+r)", id="report-run", variant="primary")
        with Horizontal(id="report-status"):
            yield ProgressBar(total=4, show_eta=False, id="report-progress")
            yield Static(id="report-message")
        with TabbedContent(initial="summary", id="report-tabs"):
            with TabPane("1 Summary", id="summary"), VerticalScroll(id="report-summary-scroll"):
                yield Static(id="report-scope")
                yield DataTable(id="report-summary", cursor_type="row", zebra_stripes=True)
                yield Static(id="report-findings")
                yield Static(Text("Trial recording by activity", style="bold"), classes="report-h")
                yield DataTable(id="report-activity", cursor_type="row", zebra_stripes=True)
                yield Static(Text("Every figure, whole scope", style="bold"), classes="report-h")
                yield Static(id="report-all-figures")
                yield Static(id="report-notes", classes="muted")
            with TabPane("2 Weekly", id="weekly"), VerticalScroll(id="report-weekly-scroll"):
                yield WeeklyChart(id="chart-weekly")
                yield DataTable(id="report-weeks", cursor_type="row", zebra_stripes=True)
                yield Static(id="report-week-detail")
            with TabPane("3 Per practitioner", id="people"):
                with VerticalScroll(id="report-people-scroll"):
                    yield RatioChart(id="chart-ratio")
                    yield DataTable(id="report-people", cursor_type="row", zebra_stripes=True)
                    yield Static(id="report-person-detail")
            with TabPane("4 Baseline vs trial", id="compare"):
                yield CompareChart(id="chart-compare")
        yield TandemFooter()

    def on_mount(self) -> None:
        summary = self.query_one("#report-summary", DataTable)
        self.query_one("#report-activity", DataTable).add_columns(
            "Activity", "Minutes", "Share of recording"
        )
        self.query_one("#report-weeks", DataTable).add_columns(
            "Week from",
            "Practitioners",
            "Days",
            "With families",
            "Recording",
            "Automatic",
            "Manual",
            "Travel",
            "Ratio",
        )
        people = self.query_one("#report-people", DataTable)
        people.add_columns(
            "Practitioner",
            "Days",
            "With families",
            "Recording",
            "Ratio",
            "Baseline ratio",
            "App/diary",
        )
        summary.focus()
        from domain.services.reports import report_filters

        ctx = self.app.ctx
        run_db(self, lambda: report_filters(ctx), self._got_filters, failed=self._failed)

    def _got_filters(self, filters: ReportFilters) -> None:
        self.filters = filters
        select = self.query_one("#report-team", Select)
        if filters.fixed_team:
            select.set_options([(Text(filters.fixed_team), filters.fixed_team)])
            select.value = filters.fixed_team
            select.disabled = True
        else:
            select.set_options(
                [("All teams", ALL_TEAMS)] + [(Text(name), name) for name in filters.teams]
            )
            select.value = ALL_TEAMS
        self.action_run_report()

    # --- running ------------------------------------------------------------------------------

    def _period(self) -> tuple[date | None, date | None]:
        today = self.app.runtime.clock.today()
        start = parse_date(
            "start", "From", self.query_one("#field-start", Input).value, today, required=False
        )
        end = parse_date(
            "end", "To", self.query_one("#field-end", Input).value, today, required=False
        )
        return start, end

    def action_run_report(self) -> None:
        from domain.services.reports import burden_report

        try:
            start, end = self._period()
        except ValidationError as error:
            self._failed(error)
            return
        team = self.query_one("#report-team", Select).value
        self.last_team = team
        team_name = None if team in (ALL_TEAMS, Select.BLANK) else str(team)
        ctx = self.app.ctx
        app = self.app
        runtime = self.app.runtime
        # A run still going when a newer one starts is not stopped (it is one SQL statement), but
        # its results are dropped: only the newest run may change the screen.
        self.runs += 1
        run = self.runs

        def latest(fn: Callable[..., None]) -> Callable[..., None]:
            return lambda *args: fn(*args) if run == self.runs else None

        def progress(step: int, of: int, message: str) -> None:
            app.call_from_thread(latest(self._progress), step, of, message)

        self.running = True
        self._progress(0, 4, "Running the report…")
        run_db(
            self,
            lambda: burden_report(
                ctx,
                start=start,
                end=end,
                team=team_name,
                progress=progress,
                idle_gap_seconds=runtime.idle_gap_seconds,
                long_gap_seconds=runtime.long_gap_seconds,
            ),
            latest(self._show),
            failed=latest(self._failed),
            group="report",
        )

    @on(Select.Changed, "#report-team")
    def _team_changed(self, event: Select.Changed) -> None:
        if self.filters is not None and event.value != self.last_team:
            self.action_run_report()

    def _progress(self, step: int, of: int, message: str) -> None:
        bar = self.query_one("#report-progress", ProgressBar)
        bar.update(total=of, progress=step)
        status = self.query_one("#report-message", Static)
        status.remove_class("error")
        status.update(Text(message))

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.query_one("#report-progress", ProgressBar).update(progress=0)
        status = self.query_one("#report-message", Static)
        if isinstance(error, DomainError):
            status.add_class("error")
            status.update(Text(str(error)))
            field = getattr(error, "field", None)
            if field in ("start", "end"):
                self.query_one(f"#field-{field}", Input).focus()
            else:  # the figures on screen no longer match the filters: take them away
                self._clear()
        else:
            self.app.show_error(error)

    @on(Input.Submitted)
    @on(Button.Pressed, "#report-run")
    def _run_from_form(self) -> None:
        self.action_run_report()

    # --- showing ------------------------------------------------------------------------------

    def _show(self, report: BurdenReport) -> None:
        self.running = False
        self.report = report
        self._progress(4, 4, "Report ready.")
        who = "by name" if report.identified else "as pseudonyms"
        self.query_one("#report-scope", Static).update(
            join(
                f"{report.start:%d %b %Y} to {report.end:%d %b %Y} · ",
                cell(report.scope_label),
                f" · practitioners shown {who}",
            )
        )
        self._fill_summary(report)
        self.query_one("#report-findings", Static).update(
            Text("\n".join(change_lines(report) + calibration_lines(report)))
        )
        notes = list(report.notes)
        notes.append(
            "Shares compare only direct work, recording and travel (both phases measure them); "
            "the diary's other categories are not measured in the trial."
        )
        notes += [
            f"{key.replace('_', ' ').capitalize()}: {text}"
            for key, text in report.conventions.items()
        ]
        self.query_one("#report-notes", Static).update(Text("\n".join(notes)))
        self._show_activities_and_weeks(report)
        people = self.query_one("#report-people", DataTable)
        people.clear()
        for p in report.by_practitioner:
            label = (
                cell(p.practitioner)
                if p.name is None
                else join(cell(p.name), " (", cell(p.practitioner), ")")
            )
            t = p.trial
            people.add_row(
                label,
                Text(str(t.practitioner_days) if t else "—"),
                Text(_minutes(t.direct_minutes) if t else "—"),
                Text(_minutes(t.recording_minutes) if t else "—"),
                Text(_ratio(t.ratio) if t else "—"),
                Text(_ratio(p.baseline.ratio) if p.baseline else "—"),
                Text(_ratio(p.calibration.measured_per_diary_minute) if p.calibration else "—"),
                key=p.practitioner,
            )
        self._show_person(report.by_practitioner[0].practitioner if report.by_practitioner else "")
        self.query_one(WeeklyChart).draw(report)
        self.query_one(RatioChart).draw(report)
        self.query_one(CompareChart).draw(report)

    # Every figure of the CSV, in words: the whole scope, a week, a practitioner.

    def _rows(self, level: str, **match: str) -> list[dict[str, object]]:
        from tui.report.export import csv_rows

        if self.report is None:
            return []
        return [
            r
            for r in csv_rows(self.report)
            if r["level"] == level and all(r.get(k) == v for k, v in match.items())
        ]

    @staticmethod
    def _figures_text(rows: list[dict[str, object]]) -> Text:
        from tui.report.export import figure_lines

        titles = {
            "trial": "Trial",
            "baseline": "Baseline (diary)",
            "change": "Change from baseline to trial",
            "calibration": "Calibration (diary against app)",
        }
        out = Text()
        for row in rows:
            if out:
                out.append("\n")
            out.append(titles.get(str(row["series"]), str(row["series"])), style="bold underline")
            if row.get("suppressed") == "yes":
                out.append("\n  withheld: fewer practitioners than the minimum group")
            for label, value in figure_lines(row):
                out.append(f"\n  {label}: ")
                out.append(value, style="bold")
        return out

    def _show_activities_and_weeks(self, report: BurdenReport) -> None:
        from tui.report.export import activity_rows

        activity = self.query_one("#report-activity", DataTable)
        activity.clear()
        for name, minutes, share in activity_rows(report):
            activity.add_row(Text(name), Text(minutes), Text(share))
        self.query_one("#report-all-figures", Static).update(self._figures_text(self._rows("all")))
        weeks = self.query_one("#report-weeks", DataTable)
        weeks.clear()
        for w in report.by_week:
            f = w.figures
            start = Text(f"{w.week_start:%d %b %Y}")
            if f is None:
                weeks.add_row(
                    start, Text("withheld (too few)"), *[Text("—")] * 7, key=str(w.week_start)
                )
                continue
            weeks.add_row(
                start,
                Text(str(f.practitioners)),
                Text(str(f.practitioner_days)),
                Text(_minutes(f.direct_minutes)),
                Text(_minutes(f.recording_minutes)),
                Text(_minutes(f.automatic_minutes)),
                Text(_minutes(f.manual_minutes)),
                Text(_minutes(f.travel_minutes)),
                Text(_ratio(f.ratio)),
                key=w.week_start.isoformat(),
            )
        self._show_week(report.by_week[0].week_start.isoformat() if report.by_week else "")

    def _show_week(self, week_start: str) -> None:
        rows = self._rows("week", week_start=week_start)
        detail = self.query_one("#report-week-detail", Static)
        if not rows:
            detail.update(Text(""))
            return
        head = Text(f"Every figure of the week from {week_start} (move the cursor for another)\n")
        detail.update(head + self._figures_text(rows))

    def _show_person(self, practitioner: str) -> None:
        rows = self._rows("practitioner", practitioner=practitioner)
        detail = self.query_one("#report-person-detail", Static)
        if not rows:
            detail.update(Text(""))
            return
        head = join("Every figure of ", cell(practitioner), " (move the cursor for another)\n")
        detail.update(head + self._figures_text(rows))

    @on(DataTable.RowHighlighted, "#report-weeks")
    def _week_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_week(event.row_key.value)

    @on(DataTable.RowHighlighted, "#report-people")
    def _person_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_person(event.row_key.value)

    def _clear(self) -> None:
        self.report = None
        self.query_one("#report-activity", DataTable).clear()
        self.query_one("#report-weeks", DataTable).clear()
        for detail in ("#report-all-figures", "#report-week-detail", "#report-person-detail"):
            self.query_one(detail, Static).update("")
        self.query_one("#report-scope", Static).update("")
        self.query_one("#report-notes", Static).update("")
        self.query_one("#report-findings", Static).update("")
        self.query_one("#report-summary", DataTable).clear()
        self.query_one("#report-people", DataTable).clear()
        self.query_one(WeeklyChart).draw(None)
        self.query_one(RatioChart).draw(None)
        self.query_one(CompareChart).draw(None)

    def _fill_summary(self, report: BurdenReport) -> None:
        """The headline table: the trial's figure beside the measure (the trial is what is being
        measured), then the baseline's; on a narrow terminal the measure's name is cut with "…"
        before a figure is (the CSV and the wider screen have the whole wording)."""
        rows = [
            (str(i), [Text(measure), Text(trial), Text(base)])
            for i, (measure, base, trial) in enumerate(summary_rows(report))
        ]
        width = self.query_one("#report-summary-scroll").scrollable_content_region.width - 1
        fill_responsive(
            self.query_one("#report-summary", DataTable),
            SUMMARY_COLUMNS,
            rows,
            width if width > 2 else None,
        )

    def on_resize(self) -> None:
        """Choose the summary's widths again for the new terminal size."""
        if self.report is not None:
            self.call_after_refresh(self._fill_summary, self.report)

    def action_focus_filters(self) -> None:
        self.query_one("#field-start", Input).focus()

    #: What takes the focus on each tab (the focus must not stay in a hidden tab: Textual would
    #: move it to the next widget there and switch back to that tab).
    TAB_FOCUS = {
        "summary": "#report-summary",
        "weekly": "#report-weeks",
        "people": "#report-people",
    }

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one("#report-tabs", TabbedContent)
        tabs.active = tab
        target = self.TAB_FOCUS.get(tab)
        if target is not None:
            self.query_one(target).focus()
        else:
            tabs.query_one(Tabs).focus()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:  # opened from another screen (a manager's home)
            self.app.pop_screen()

    # --- export -------------------------------------------------------------------------------

    def action_export_csv(self) -> None:
        if self.report is None:
            self.notify("Run the report first, then export it.", markup=False)
            return
        r = self.report
        name = f"tandem-burden-{r.start:%Y%m%d}-{r.end:%Y%m%d}.csv"
        from tui.deliver import in_browser

        if in_browser(self.app):  # tandem serve: the user's browser downloads it
            self._download_csv(name)
            return
        default = Path.home() / name
        self.app.push_screen(ExportDialog(str(default)), self._export_to)

    def _download_csv(self, name: str) -> None:
        from domain.services.reports import record_export
        from tui.deliver import download
        from tui.report.export import report_csv

        report, ctx = self.report, self.app.ctx
        assert report is not None

        def build() -> str:
            text = report_csv(report)
            record_export(ctx, report, f"CSV download {name}")
            return text

        def done(text: str) -> None:
            download(self.app, name, text)
            self.notify(
                "Report downloaded by your browser as CSV: " + name, title="Exported", markup=False
            )

        run_db(self, build, done, group="export")

    def _export_to(self, path: str | None) -> None:
        if not path or self.report is None:
            return
        from domain.services.reports import record_export
        from tui.report.export import report_csv

        report, ctx = self.report, self.app.ctx
        target = Path(path).expanduser()

        def write() -> Path:
            text = report_csv(report)
            record_export(ctx, report, f"CSV file {target}")
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as error:
                raise ValidationError(
                    "path", f"Could not write {target}: {error.strerror or error}."
                ) from None
            return target

        run_db(self, write, self._exported, group="export")

    def _exported(self, path: Path) -> None:
        message = "Report saved as CSV: " + sanitise(str(path), single_line=True)
        self.notify(message, title="Exported", markup=False)


class ExportDialog(ModalScreen[str | None]):
    """Where to save the CSV file."""

    CSS_PATH = css("report")

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label("Save the report as CSV")
            yield Input(value=self.default, id="field-path")
            yield Static(
                safe(
                    "Practitioners appear in the file exactly as on screen. "
                    "Enter or ctrl+s saves, escape cancels."
                ),
                classes="muted",
            )

    def on_mount(self) -> None:
        self.query_one("#field-path", Input).focus()

    @on(Input.Submitted)
    def action_save(self) -> None:
        value = self.query_one("#field-path", Input).value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["BurdenReportScreen", "ExportDialog"]
