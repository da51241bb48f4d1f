"""Each role's home screen. Later screens replace the simple ones here as their issues land."""

from __future__ import annotations

import importlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui.text import cell
from tui.workers import run_db


def _optional(module: str, cls: str) -> Screen | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None
    return getattr(mod, cls)()


def practitioner_home() -> Screen:
    from tui.screens.caseload import CaseloadScreen

    return CaseloadScreen()


def manager_home() -> Screen:
    return _optional("tui.oversight.manager", "ManagerHome") or practitioner_home()


def lead_home() -> Screen:
    return _optional("tui.oversight.lead", "LeadHome") or NotYetScreen(
        "Practice lead", "the feedback queue"
    )


def project_home() -> Screen:
    return _optional("tui.report.screen", "BurdenReportScreen") or NotYetScreen(
        "Project staff", "the recording-burden report"
    )


def admin_home() -> Screen:
    return AdminHome()


class NotYetScreen(Screen[None]):
    """Said plainly: this role's home screen has not been built in this version."""

    BINDINGS = [Binding("ctrl+o", "app.sign_out", "Sign out")]

    def __init__(self, role: str, what: str) -> None:
        super().__init__()
        self.role, self.what = role, what

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text(f"{self.role}: {self.what} is not part of this version of Tandem yet."),
            classes="notice",
        )
        yield Footer()


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
        yield Footer()

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
