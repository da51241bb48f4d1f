"""My time: a practitioner's own recording against their own time with families — this week, each
week of the trial and by activity, beside their own pre-trial baseline — and their manual entries
(add, correct on the day, remove). Reached with **t** from the caseload or "My time" in the
command palette. The figures are the signed-in practitioner's own and nobody else's
(domain/services/manual_time.py decides; every view is audited)."""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static, TabbedContent, TabPane

from domain.reports import Figures
from domain.services.manual_time import FamilyChoice, MyTime
from domain.timeuse import ManualEntry, ManualKind, RecordingActivity
from tui.app import TandemApp
from tui.styles import css
from tui.text import cell, safe
from tui.widgets.detail import DetailScreen
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db


def hm(minutes: float | None) -> str:
    """Minutes as '2h 05m' / '45m'; '—' for none."""
    if minutes is None:
        return "—"
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    return f"{hours}h {rest:02d}m" if hours else f"{rest}m"


def per_minute(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _automatic(f: Figures) -> float:
    return f.automatic_minutes or 0.0


def _manual(f: Figures) -> int:
    return f.manual_minutes or 0


class ConfirmRemove(ModalScreen[bool]):
    """Are you sure? y removes, n or escape keeps."""

    BINDINGS = [
        Binding("y", "answer(True)", "Remove it"),
        Binding("n,escape", "answer(False)", "Keep it"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(Text(f"Remove {self.what}?"))
            yield Label(Text("y: remove it · n: keep it"), classes="muted")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class MyTimeScreen(Screen[None]):
    """The signed-in practitioner's own recording time."""

    app = getters.app(TandemApp)

    CSS_PATH = css("mytime")

    BINDINGS = [
        Binding("n", "add_entry", "Add manual time", id="add-manual"),
        Binding("e", "correct_entry", "Correct entry", id="correct-manual"),
        Binding("d", "remove_entry", "Remove entry", id="remove-manual"),
        Binding("r", "refresh", "Refresh", id="refresh-my-time"),
        Binding("1", "tab('weeks')", "Weeks", show=False),
        Binding("2", "tab('activity')", "By activity", show=False),
        Binding("3", "tab('entries')", "Manual entries", show=False),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: MyTime | None = None
        self.entries: dict[str, ManualEntry] = {}
        self.families: list[FamilyChoice] | None = None

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        yield Static(id="mytime-headline")
        yield Static(id="mytime-baseline", classes="muted")
        with TabbedContent(initial="weeks", id="mytime-tabs"):
            with TabPane("1 Weeks", id="weeks"):
                yield DataTable(id="mytime-weeks", cursor_type="row", zebra_stripes=True)
            with TabPane("2 By activity", id="activity"):
                yield DataTable(id="mytime-activity", cursor_type="row", zebra_stripes=True)
            with TabPane("3 Manual entries", id="entries"):
                yield Static(
                    Text("n: add · e: correct (on the day it was entered) · d: remove"),
                    classes="muted",
                )
                yield DataTable(id="mytime-entries", cursor_type="row", zebra_stripes=True)
        yield Static(Text("Only you can see these figures."), id="mytime-private", classes="muted")
        yield TandemFooter()

    def on_mount(self) -> None:
        self.query_one("#mytime-weeks", DataTable).add_columns(
            "Week of", "With families", "Recording", "In Tandem", "By hand", "Ratio"
        )
        self.query_one("#mytime-activity", DataTable).add_columns(
            "Recording", "This week", "Whole trial", "Per week"
        )
        self.query_one("#mytime-entries", DataTable).add_columns(
            "Date", "Kind", "Min", "Family", "Note"
        )
        self.query_one("#mytime-weeks", DataTable).focus()
        self.action_refresh()

    # --- loading ------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        from domain.services.screens import my_time_screen

        ctx = self.app.ctx
        run_db(self, lambda: my_time_screen(ctx), self._loaded, exclusive=True, group="my-time")

    def _loaded(self, loaded: tuple[MyTime, list[FamilyChoice]]) -> None:
        self.data, self.families = loaded
        self._headline(self.data)
        self._weeks(self.data)
        self._activity(self.data)
        self._entries(self.data)

    def _headline(self, d: MyTime) -> None:
        f = d.this_week.figures
        self.query_one("#mytime-headline", Static).update(
            Text.assemble(
                (f"This week (from {d.this_week.week_start:%a %d %b}): ", "bold"),
                (f"recording {hm(f.recording_minutes)}", "bold"),
                f" (in Tandem {hm(_automatic(f))}, by hand {hm(_manual(f))}) · ",
                (f"with families {hm(f.direct_minutes)}", "bold"),
                f" · ratio {per_minute(f.ratio)} min recording per min with families",
            )
        )
        b = d.baseline
        if b is None:
            line = "No pre-trial time-use diary of yours was imported, so there is no baseline."
        else:
            days = f"{b.practitioner_days} day{'' if b.practitioner_days == 1 else 's'}"
            line = (
                f"Your baseline (pre-trial diary, {days}), per 5 days logged: recording "
                f"{hm(b.recording_per_practitioner_week)} · with families "
                f"{hm(b.direct_per_practitioner_week)} · ratio {per_minute(b.ratio)}."
            )
        self.query_one("#mytime-baseline", Static).update(Text(line))

    def _weeks(self, d: MyTime) -> None:
        table = self.query_one("#mytime-weeks", DataTable)
        table.clear()
        if d.baseline is not None:
            b = d.baseline
            table.add_row(
                Text("Baseline/wk", style="italic"),
                Text(hm(b.direct_per_practitioner_week)),
                Text(hm(b.recording_per_practitioner_week)),
                Text("—"),
                Text("—"),
                Text(per_minute(b.ratio)),
                key="baseline",
            )
        t = d.trial
        if t.practitioner_weeks:
            table.add_row(
                Text("Trial/wk", style="italic"),
                Text(hm(t.direct_per_practitioner_week)),
                Text(hm(t.recording_per_practitioner_week)),
                Text(hm(_automatic(t) / t.practitioner_weeks)),
                Text(hm(_manual(t) / t.practitioner_weeks)),
                Text(per_minute(t.ratio)),
                key="trial",
            )
        for w in d.weeks:
            f = w.figures
            table.add_row(
                Text(f"{w.week_start:%d %b %Y}"),
                Text(hm(f.direct_minutes)),
                Text(hm(f.recording_minutes)),
                Text(hm(_automatic(f))),
                Text(hm(_manual(f))),
                Text(per_minute(f.ratio)),
                key=w.week_start.isoformat(),
            )

    def _activity(self, d: MyTime) -> None:
        table = self.query_one("#mytime-activity", DataTable)
        table.clear()
        this, trial = d.this_week.figures, d.trial
        weeks = trial.practitioner_weeks

        def row(label: str, now: float, total: float, key: str) -> None:
            table.add_row(
                Text(label),
                Text(hm(now)),
                Text(hm(total)),
                Text(hm(total / weeks) if weeks else "—"),
                key=key,
            )

        for a in RecordingActivity:
            now = (this.automatic_seconds or {}).get(a.value, 0) / 60
            total = (trial.automatic_seconds or {}).get(a.value, 0) / 60
            if now or total:
                row(a.label, now, total, f"a:{a.value}")
        for k in ManualKind:
            now = (this.manual_minutes_by_kind or {}).get(k.value, 0)
            total = (trial.manual_minutes_by_kind or {}).get(k.value, 0)
            if now or total:
                row(f"By hand: {k.label}", now, total, f"m:{k.value}")
        row("All recording", this.recording_minutes, trial.recording_minutes, "all")
        row("With families", this.direct_minutes, trial.direct_minutes, "direct")

    def _entries(self, d: MyTime) -> None:
        table = self.query_one("#mytime-entries", DataTable)
        table.clear()
        self.entries = {}
        for e in d.entries:
            key = str(e.id)
            self.entries[key] = e
            family = d.family_refs.get(e.family_id, "") if e.family_id is not None else ""
            table.add_row(
                Text(f"{e.on:%d %b %Y}"),
                Text(e.kind.label),
                Text(str(e.minutes)),
                Text(family or "—"),
                cell(e.note),
                key=key,
            )
        table.move_cursor(row=0)
        table.scroll_home(animate=False)

    # --- entries ----------------------------------------------------------------------------

    def _selected_key(self) -> str | None:
        table = self.query_one("#mytime-entries", DataTable)
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:  # noqa: BLE001 - no cursor row
            return None

    def _selected(self) -> ManualEntry | None:
        """The entry under the cursor of the entries tab (shown first if it was not)."""
        tabs = self.query_one("#mytime-tabs", TabbedContent)
        if tabs.active != "entries":
            self.action_tab("entries")
            self.app.notify("Choose the entry, then press the key again.", markup=False)
            return None
        entry = self.entries.get(self._selected_key() or "")
        if entry is None:
            self.app.notify("There is no manual entry to choose yet.", markup=False)
        return entry

    @on(DataTable.RowSelected, "#mytime-entries")
    def _entry_selected(self) -> None:
        """Enter on a manual entry: all of it, the note in full."""
        entry = self.entries.get(self._selected_key() or "")
        if entry is None or self.data is None:
            return
        family = self.data.family_refs.get(entry.family_id, "") if entry.family_id else ""
        self.app.push_screen(
            DetailScreen(
                f"Manual recording time on {entry.on:%d %b %Y}",
                [
                    ("Kind", Text(entry.kind.label)),
                    ("Minutes", Text(str(entry.minutes))),
                    ("Family", Text(family or "—")),
                    ("Note", safe(entry.note or "—")),
                ],
            )
        )

    def action_add_entry(self) -> None:
        from tui.mytime.entry_form import ManualEntryForm

        if self.families is None:
            return  # still loading
        self.app.push_screen(ManualEntryForm(self.families), self._after_form)

    def action_correct_entry(self) -> None:
        from tui.mytime.entry_form import ManualEntryForm

        entry = self._selected()
        if entry is None or self.data is None or self.families is None:
            return
        if not self.data.may_correct(entry):
            self.app.notify(
                "A manual entry can only be corrected on the day it was entered; you can "
                "remove it (d).",
                severity="warning",
                markup=False,
            )
            return
        choices = list(self.families)
        if entry.family_id is not None and all(f.id != entry.family_id for f in choices):
            # Reallocated since: still offered, so a correction never drops it unasked.
            reference = self.data.family_refs.get(entry.family_id, f"family {entry.family_id}")
            choices.append(FamilyChoice(entry.family_id, reference, "(not on your caseload now)"))
        self.app.push_screen(ManualEntryForm(choices, entry), self._after_form)

    def _after_form(self, saved: ManualEntry | None) -> None:
        if saved is not None:
            self.app.notify(
                f"Saved: {saved.minutes} min of {saved.kind.label.lower()} on {saved.on:%d %b %Y}.",
                markup=False,
            )
            self.action_refresh()

    def action_remove_entry(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        what = f"{entry.minutes} min of {entry.kind.label.lower()} on {entry.on:%d %b %Y}"

        def answered(yes: bool | None) -> None:
            if not yes or entry.id is None:
                return
            from domain.services.manual_time import remove_manual_entry

            ctx = self.app.ctx
            entry_id = entry.id

            def done(_removed: object) -> None:
                message = f"Removed {what}."
                self.app.notify(message, markup=False)
                self.action_refresh()

            run_db(self, lambda: remove_manual_entry(ctx, entry_id), done)

        self.app.push_screen(ConfirmRemove(what), answered)

    # --- navigation ---------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one("#mytime-tabs", TabbedContent).active = tab
        self.query_one(f"#mytime-{tab}", DataTable).focus()

    @on(TabbedContent.TabActivated, "#mytime-tabs")
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or ""
        for table in self.query(f"#mytime-{pane}"):
            table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()


__all__ = ["ConfirmRemove", "MyTimeScreen", "hm", "per_minute"]
