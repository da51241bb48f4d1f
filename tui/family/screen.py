"""A family's workspace: Overview, Plan, Mapping, Summaries, Contacts, Observations, Meetings."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from domain.families import Family
from domain.services.context import Context
from tui.app import TandemApp
from tui.styles import FAMILY, css
from tui.text import cell, join
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

if TYPE_CHECKING:
    from tui.palette import PaletteCommand

T = TypeVar("T")

#: (tab id, title, module, class). Each tab is a widget taking (family_id) with a ``reload()``;
#: its module is imported when the workspace is first opened.
TABS = [
    ("overview", "Overview", "tui.family.overview", "OverviewTab"),
    ("plan", "Plan", "tui.family.plan", "PlanTab"),
    ("mapping", "Mapping", "tui.family.mapping", "MappingTab"),
    ("summaries", "Summaries", "tui.family.summaries", "SummariesTab"),
    ("contacts", "Contacts", "tui.family.contacts", "ContactsTab"),
    ("observations", "Observations", "tui.family.observations", "ObservationsTab"),
    ("meetings", "Meetings", "tui.family.meetings", "MeetingsTab"),
]


def make_tab(module: str, cls: str, family_id: int) -> Widget:
    tab: Widget = getattr(importlib.import_module(module), cls)(family_id)
    return tab


class FamilyScreen(Screen[None]):
    app = getters.app(TandemApp)

    CSS_PATH = css(*FAMILY)

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to caseload", id="back"),
        # Keys 1, 2, ...: the tabs in TABS order (a new tab is one line of TABS, nothing here).
        *(
            Binding(str(number), f"tab('{tab_id}')", title, show=False)
            for number, (tab_id, title, _module, _cls) in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self, family_id: int, *, initial: str = "overview") -> None:
        super().__init__()
        self.family_id = family_id
        self.initial = initial
        self.family: Family | None = None
        #: True once a tab's load has been asked to bring the family for the title.
        self._title_asked = False

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        yield Static(Text("Loading family…"), id="family-title")
        with TabbedContent(initial=self.initial, id="family-tabs"):
            for number, (tab_id, title, module, cls) in enumerate(TABS, start=1):
                with TabPane(f"{number} {title}", id=tab_id):
                    yield make_tab(module, cls, self.family_id)
        yield TandemFooter()

    def read_for_tab(
        self, node: Widget, load: Callable[[Context], T], done: Callable[[T], Any], **kwargs: Any
    ) -> None:
        """A tab's load (tui/family/tab_read.py). The first one (the tab shown on opening) also
        brings the family for the title, in the same read: opening the workspace is one read
        and one audited view. If that first load fails the workspace closes, as it always has
        when the family could not be shown."""
        ctx = self.app.ctx
        if self._title_asked:
            run_db(node, lambda: load(ctx), done, **kwargs)
            return
        from domain.services.screens import family_workspace

        self._title_asked = True
        tab = (getattr(node, "id", None) or "").removesuffix("-tab") or "a"

        def both(loaded: tuple[Family, T]) -> Any:
            self._loaded(loaded[0])
            return done(loaded[1])

        run_db(
            node,
            lambda: family_workspace(ctx, self.family_id, tab, load),
            both,
            failed=self._failed,
            **kwargs,
        )

    def _failed(self, error: BaseException) -> None:
        self.app.show_error(error)
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
        for widget in pane.walk_children(Widget):
            if widget.focusable:
                widget.focus()
                break

    # --- the command palette: every tab's actions, from any tab -------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """Each tab's actions (ctrl+p finds "Log contact" from the Observations tab too): the
        palette switches to the tab, then runs the action there."""
        from tui.palette import PaletteCommand, tandem_bindings

        out = []  # (the tabs themselves are keys 1–6 of this screen: listed from its bindings)
        tabs = self.query_one("#family-tabs", TabbedContent)
        for tab_id, title, _module, _cls in TABS:
            pane = tabs.get_pane(tab_id)
            for widget in pane.children:
                for binding in tandem_bindings(type(widget)):
                    if not binding.description:
                        continue
                    key = binding.key_display or binding.key
                    out.append(
                        PaletteCommand(
                            binding.description,
                            f"{binding.tooltip or binding.description} — {title} tab ({key})",
                            self._go(tab_id, widget, binding.action),
                        )
                    )
        return out

    def _go(
        self, tab_id: str, widget: Widget | None = None, action: str = ""
    ) -> Callable[[], None]:
        def run() -> None:
            self.action_tab(tab_id)
            if widget is not None:
                # After the tab has shown (and put the focus inside it), as its key would.
                self.call_after_refresh(self.app.run_action, action, widget)

        return run
