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
#: it is built (and its module imported) when the tab is first shown, so opening a family builds
#: one tab, not seven, and a session holds only the tabs its user looked at.
TABS = [
    ("overview", "Overview", "tui.family.overview", "OverviewTab"),
    ("plan", "Plan", "tui.family.plan", "PlanTab"),
    ("mapping", "Mapping", "tui.family.mapping", "MappingTab"),
    ("summaries", "Summaries", "tui.family.summaries", "SummariesTab"),
    ("contacts", "Contacts", "tui.family.contacts", "ContactsTab"),
    ("observations", "Observations", "tui.family.observations", "ObservationsTab"),
    ("meetings", "Meetings", "tui.family.meetings", "MeetingsTab"),
]


def tab_class(tab_id: str) -> type[Widget]:
    module, cls = next((m, c) for t, _title, m, c in TABS if t == tab_id)
    tab: type[Widget] = getattr(importlib.import_module(module), cls)
    return tab


def make_tab(tab_id: str, family_id: int) -> Widget:
    """The tab's widget for this family (every tab class takes the family id)."""
    make: Callable[[int], Widget] = tab_class(tab_id)
    return make(family_id)


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
        #: (tab id, action) a palette command runs once that tab has shown.
        self._after_showing: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        yield Static(Text("Loading family…"), id="family-title")
        with TabbedContent(initial=self.initial, id="family-tabs"):
            for number, (tab_id, title, _module, _cls) in enumerate(TABS, start=1):
                with TabPane(f"{number} {title}", id=tab_id):
                    if tab_id == self.initial:
                        yield make_tab(tab_id, self.family_id)
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
    async def _activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        if not pane.children and pane.id is not None:  # first shown: build it now
            await pane.mount(make_tab(pane.id, self.family_id))
        for child in pane.children:
            reload = getattr(child, "reload", None)
            if callable(reload):
                reload()
        # Put the focus inside the tab so its keys (shown in the footer) work at once.
        for widget in pane.walk_children(Widget):
            if widget.focusable:
                widget.focus()
                break
        if self._after_showing is not None and self._after_showing[0] == pane.id:
            tab_id, action = self._after_showing
            self._after_showing = None
            self._run_on_tab(tab_id, action)

    # --- the command palette: every tab's actions, from any tab -------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """Each tab's actions (ctrl+p finds "Log contact" from the Observations tab too): the
        palette switches to the tab, then runs the action there."""
        from tui.palette import PaletteCommand, tandem_bindings

        out = []  # (the tabs themselves are keys 1–7 of this screen: listed from its bindings)
        for tab_id, title, _module, _cls in TABS:
            for binding in tandem_bindings(tab_class(tab_id)):
                if not binding.description:
                    continue
                key = binding.key_display or binding.key
                out.append(
                    PaletteCommand(
                        binding.description,
                        f"{binding.tooltip or binding.description} — {title} tab ({key})",
                        self._go(tab_id, binding.action),
                    )
                )
        return out

    def _go(self, tab_id: str, action: str = "") -> Callable[[], None]:
        def run() -> None:
            tabs = self.query_one("#family-tabs", TabbedContent)
            if tabs.active == tab_id:
                self._run_on_tab(tab_id, action)
                return
            # After the tab has shown (built, if it is the first time, and put the focus
            # inside it), as its key would: _activated runs it.
            self._after_showing = (tab_id, action)
            self.action_tab(tab_id)

        return run

    def _run_on_tab(self, tab_id: str, action: str) -> None:
        pane = self.query_one("#family-tabs", TabbedContent).get_pane(tab_id)
        if action and pane.children:
            self.call_after_refresh(self.app.run_action, action, pane.children[0])
