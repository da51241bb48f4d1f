"""The team manager's home: the summary review queue, the team dashboard, the team's caseload,
and reallocating a family to another practitioner of the team."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from domain.families import Family
from domain.services.dashboard import PractitionerChoice
from domain.services.summaries import ReviewItem
from domain.summaries import Summary, SummaryStatus
from tui.app import TandemApp
from tui.oversight.dashboard_view import (
    DashboardView,
    FamilyTable,
    PractitionerTable,
    TeamCaseloadView,
)
from tui.oversight.review_queue import QueueTable, ReviewQueueView
from tui.styles import css
from tui.text import cell, join, safe, sanitise
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

TABS = ("queue", "dashboard", "team")


class ReallocateDialog(ModalScreen[Family | None]):
    """Choose another practitioner of the team for one family, and confirm."""

    app = getters.app(TandemApp)

    CSS_PATH = css("manager")

    BINDINGS = [
        Binding("ctrl+s", "confirm", "Reallocate", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, family: Family, choices: list[PractitionerChoice]) -> None:
        super().__init__()
        self.family = family
        self.choices = [c for c in choices if c.user_id != family.practitioner_id]
        self.current = next(
            (c.name for c in choices if c.user_id == family.practitioner_id),
            "nobody" if family.practitioner_id is None else "a practitioner not in the team",
        )
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="reallocate-box"):
            yield Static(
                join(
                    Text("Reallocate ", style="bold"),
                    Text(self.family.reference, style="bold"),
                    " ",
                    cell(self.family.name, "bold"),
                ),
            )
            yield Static(join("Now allocated to ", cell(self.current), "."))
            yield Label(Text("Allocate to"))
            yield Select(
                [
                    (join(cell(c.name), f" ({c.families} open families)"), c.username)
                    for c in self.choices
                ],
                prompt="Choose a practitioner of the team",
                id="field-practitioner",
            )
            yield Static(id="reallocate-error", classes="error")
            with Horizontal(id="reallocate-buttons"):
                yield Button("Reallocate (ctrl+s)", id="reallocate-confirm", variant="primary")
                yield Button("Cancel (escape)", id="reallocate-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-practitioner", Select).focus()

    def action_confirm(self) -> None:
        from domain.services.families import reallocate

        if self.busy:
            return
        chosen = self.query_one("#field-practitioner", Select).value
        if chosen is Select.BLANK or not isinstance(chosen, str):
            self.query_one("#reallocate-error", Static).update(
                Text("Choose the practitioner to allocate the family to.")
            )
            self.query_one("#field-practitioner", Select).focus()
            return
        ctx = self.app.ctx
        family_id = self.family.saved_id
        self.busy = True
        run_db(self, lambda: reallocate(ctx, family_id, chosen), self._done, failed=self._failed)

    def _done(self, family: Family) -> None:
        self.busy = False
        self.dismiss(family)

    def _failed(self, error: BaseException) -> None:
        from domain.errors import DomainError

        self.busy = False
        if isinstance(error, DomainError):
            self.query_one("#reallocate-error", Static).update(safe(str(error)))
        else:
            self.app.show_error(error)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#reallocate-confirm")
    def _confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#reallocate-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


class ManagerHome(Screen[None]):
    """Review queue, team dashboard and team caseload, one tab each."""

    app = getters.app(TandemApp)

    CSS_PATH = css("manager")

    def __init__(
        self,
        *,
        family_screen: Callable[[int], Screen[None]],
        report_screen: Callable[[], Screen[None]],
    ) -> None:
        """``family_screen(family_id)`` and ``report_screen()`` make the screens this home opens:
        they belong to other areas (tui/family, tui/report), so the hub that builds this home
        (tui/screens/homes.py) hands them in rather than this area importing them."""
        super().__init__()
        self._family_screen = family_screen
        self._report_screen = report_screen
        self.names: dict[int | None, str] = {}
        self.shown_once = False
        self.search_on_activation = False

    BINDINGS = [
        # The tab titles carry their digits; kept out of the footer so that its other keys fit
        # at 80 columns (still on the help screen and in the command palette).
        Binding("1", "tab('queue')", "Review queue", show=False),
        Binding("2", "tab('dashboard')", "Dashboard", show=False),
        Binding("3", "tab('team')", "Team caseload", show=False),
        Binding("slash", "search", "Search", key_display="/", tooltip="Search the team's families"),
        Binding("a", "reallocate", "Reallocate family", tooltip="Allocate the chosen family"),
        Binding("r", "refresh", "Refresh"),
        Binding("b", "burden_report", "Recording burden", tooltip="The team's recording burden"),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        with TabbedContent(initial="queue", id="manager-tabs"):
            with TabPane("1 Review queue", id="queue"):
                yield ReviewQueueView()
            with TabPane("2 Dashboard", id="dashboard"):
                yield DashboardView()
            with TabPane("3 Team caseload", id="team"):
                yield TeamCaseloadView()
        yield TandemFooter()

    # --- tabs -------------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one("#manager-tabs", TabbedContent).active = tab

    def action_search(self) -> None:
        """Search the team's families by name or reference (on the Team caseload tab)."""
        tabs = self.query_one("#manager-tabs", TabbedContent)
        if tabs.active != "team":
            self.search_on_activation = True  # the tab's activation then focuses the search box
            tabs.active = "team"
        else:
            self.query_one("#team-search", Input).focus()

    def active_view(self) -> ReviewQueueView | DashboardView | TeamCaseloadView:
        active = self.query_one("#manager-tabs", TabbedContent).active or "queue"
        pane = self.query_one(f"#{active}", TabPane)
        return pane.query_one("ReviewQueueView, DashboardView, TeamCaseloadView")  # type: ignore[return-value]  # the selector names those three

    @on(TabbedContent.TabActivated, "#manager-tabs")
    def _activated(self) -> None:
        self.action_refresh()
        view = self.active_view()
        if self.search_on_activation and isinstance(view, TeamCaseloadView):
            self.search_on_activation = False
            view.query_one("#team-search", Input).focus()
        elif isinstance(view, DashboardView):
            target = view.first_table()
            if target is not None:
                target.focus()
        else:
            view.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        # The first showing is loaded by the tab's activation; later ones (back from a family,
        # a review or a dialog) refresh what may have changed.
        if self.shown_once:
            self.action_refresh()
        self.shown_once = True

    def action_refresh(self) -> None:
        self.active_view().reload()

    # --- opening things ---------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        table, key = event.data_table, event.row_key.value
        if isinstance(table, QueueTable):
            item = self.query_one(ReviewQueueView).items.get(key or "")
            if item is not None:
                self.open_review(item)
        elif isinstance(table, PractitionerTable):
            self.action_tab("team")
            self.query_one(TeamCaseloadView).filter_practitioner(key or "all")
        elif isinstance(table, FamilyTable):
            family_id = FamilyTable.family_of(key)
            if family_id is not None:
                self.open_family(family_id)

    def action_burden_report(self) -> None:
        self.app.push_screen(self._report_screen())

    def open_family(self, family_id: int) -> None:
        self.app.push_screen(self._family_screen(family_id))

    def open_review(self, item: ReviewItem) -> None:
        from tui.oversight.review import ReviewScreen

        self.app.push_screen(ReviewScreen(item), self._reviewed)

    def _reviewed(self, result: object) -> None:
        if isinstance(result, Summary):
            item = next(
                (
                    i
                    for i in self.query_one(ReviewQueueView).items.values()
                    if i.summary.id == result.id
                ),
                None,
            )
            who = sanitise(item.author_name, single_line=True) if item else "its author"
            ref = item.family_reference if item else "The"
            if result.status is SummaryStatus.APPROVED:
                message = f"{ref} summary approved."
            else:
                message = f"{ref} summary returned to {who} with your comment."
            self.notify(message, markup=False)
        # The queue reloads when this screen resumes (on_screen_resume).

    # --- reallocation -----------------------------------------------------------------------

    def family_in_focus(self) -> int | None:
        """The family of the row under the cursor in the table in use (any tab)."""
        focused = self.focused
        if isinstance(focused, FamilyTable):
            return focused.family_at_cursor()
        if isinstance(focused, QueueTable):
            item = self.query_one(ReviewQueueView).item_at_cursor()
            return item.summary.family_id if item else None
        view = self.active_view()
        if isinstance(view, TeamCaseloadView):
            return view.query_one(FamilyTable).family_at_cursor()
        return None

    def action_reallocate(self) -> None:
        from domain.services.dashboard import team_practitioners
        from domain.services.families import view_family

        family_id = self.family_in_focus()
        if family_id is None:
            self.notify(
                "Choose a family first: move to its row on the Dashboard or Team caseload tab.",
                markup=False,
            )
            return
        ctx = self.app.ctx
        run_db(
            self,
            lambda: (view_family(ctx, family_id), team_practitioners(ctx)),
            self._ask_reallocate,
        )

    def _ask_reallocate(self, loaded: tuple[Family, list[PractitionerChoice]]) -> None:
        family, choices = loaded
        self.names = {c.user_id: c.name for c in choices}
        self.app.push_screen(ReallocateDialog(family, choices), self._reallocated)

    def _reallocated(self, family: Family | None) -> None:
        if family is None:
            return
        name = sanitise(self.names.get(family.practitioner_id, "them"), single_line=True)
        message = f"{family.reference} is now allocated to {name}."
        self.notify(message, markup=False)
