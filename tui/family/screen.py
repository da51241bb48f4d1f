"""A family's workspace: Overview, Plan, Mapping, Summaries, Contacts, Observations."""

from __future__ import annotations

import importlib

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static, TabbedContent, TabPane

from domain.families import Family
from tui.styles import FAMILY, css
from tui.text import cell, join
from tui.widgets.footer import TandemFooter
from tui.workers import run_db

#: (tab id, title, module, class). Each tab is a widget taking (family_id) with a ``reload()``;
#: its module is imported when the workspace is first opened.
TABS = [
    ("overview", "Overview", "tui.family.overview", "OverviewTab"),
    ("plan", "Plan", "tui.family.plan", "PlanTab"),
    ("mapping", "Mapping", "tui.family.mapping", "MappingTab"),
    ("summaries", "Summaries", "tui.family.summaries", "SummariesTab"),
    ("contacts", "Contacts", "tui.family.contacts", "ContactsTab"),
    ("observations", "Observations", "tui.family.observations", "ObservationsTab"),
]


def make_tab(module: str, cls: str, family_id: int) -> Widget:
    return getattr(importlib.import_module(module), cls)(family_id)


class FamilyScreen(Screen[None]):
    CSS_PATH = css(*FAMILY)

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to caseload", id="back"),
        Binding("1", "tab('overview')", "Overview", show=False),
        Binding("2", "tab('plan')", "Plan", show=False),
        Binding("3", "tab('mapping')", "Mapping", show=False),
        Binding("4", "tab('summaries')", "Summaries", show=False),
        Binding("5", "tab('contacts')", "Contacts", show=False),
        Binding("6", "tab('observations')", "Observations", show=False),
    ]

    def __init__(self, family_id: int, *, initial: str = "overview") -> None:
        super().__init__()
        self.family_id = family_id
        self.initial = initial
        self.family: Family | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Loading family…"), id="family-title")
        with TabbedContent(initial=self.initial, id="family-tabs"):
            for number, (tab_id, title, module, cls) in enumerate(TABS, start=1):
                with TabPane(f"{number} {title}", id=tab_id):
                    yield make_tab(module, cls, self.family_id)
        yield TandemFooter()

    def on_mount(self) -> None:
        from domain.services.families import view_family

        ctx = self.app.ctx  # type: ignore[attr-defined]
        run_db(self, lambda: view_family(ctx, self.family_id), self._loaded, failed=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.app.show_error(error)  # type: ignore[attr-defined]
        self.app.pop_screen()

    def _loaded(self, family: Family) -> None:
        self.family = family
        children = ", ".join(f"{c.name} ({c.current_status.short})" for c in family.children)
        self.query_one("#family-title", Static).update(
            join(
                Text(family.reference, style="bold"),
                "  ",
                cell(family.name, "bold"),
                "  ·  ",
                cell(children),
            )
        )
        self.sub_title = family.reference

    def action_tab(self, tab: str) -> None:
        self.query_one("#family-tabs", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#family-tabs")
    def _activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        for child in pane.children:
            reload = getattr(child, "reload", None)
            if callable(reload):
                reload()
        # Put the focus inside the tab so its keys (shown in the footer) work at once.
        for widget in pane.walk_children():
            if widget.focusable:
                widget.focus()
                break
