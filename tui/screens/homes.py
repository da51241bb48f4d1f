"""Each role's home screen, and the administrator's (a list of users)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tui.text import cell
from tui.widgets.footer import TandemFooter
from tui.workers import run_db


def practitioner_home() -> Screen:
    from tui.screens.caseload import CaseloadScreen

    return CaseloadScreen()


def manager_home() -> Screen:
    from tui.oversight.manager import ManagerHome

    return ManagerHome()


def lead_home() -> Screen:
    from tui.oversight.lead import LeadHome

    return LeadHome()


def project_home() -> Screen:
    from tui.report.screen import BurdenReportScreen

    return BurdenReportScreen()


def admin_home() -> Screen:
    return AdminHome()


class AdminHome(Screen[None]):
    """Users and teams (creation is on the command line: tandem users add / teams add)."""

    BINDINGS = [Binding("r", "refresh", "Refresh"), Binding("ctrl+o", "app.sign_out", "Sign out")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text("Users. Create users and teams with `tandem users add` and `tandem teams add`."),
            classes="notice",
        )
        yield DataTable(id="users-table", cursor_type="row", zebra_stripes=True)
        yield TandemFooter()

    def on_mount(self) -> None:
        table = self.query_one("#users-table", DataTable)
        table.add_columns("User name", "Name", "Role", "Team")
        self.action_refresh()

    def action_refresh(self) -> None:
        from domain.services import admin

        ctx = self.app.ctx  # type: ignore[attr-defined]
        run_db(self, lambda: admin.list_users(ctx), self._show, exclusive=True)

    def _show(self, users: list) -> None:  # type: ignore[type-arg]
        table = self.query_one("#users-table", DataTable)
        table.clear()
        for u in users:
            table.add_row(cell(u.username), cell(u.name), Text(u.role_label), cell(u.team or "—"))
