"""The help screen: every key of the screen it was opened from, and what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from domain.scaling import DEFINITION as SCALING_DEFINITION

GENERAL = [
    ("ctrl+p", "Command palette: search every action by name"),
    ("tab / shift+tab", "Move between fields and lists"),
    ("enter", "Open the selected row, or submit a form"),
    ("escape", "Back / close"),
    ("F1", "This help"),
    ("ctrl+q", "Quit"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(title="Keys on this screen", expand=True, show_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("What it does")
        seen: set[tuple[str, str]] = set()
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            if not binding.description:
                continue
            row = (binding.key_display or key, binding.description)
            if row in seen:
                continue
            seen.add(row)
            table.add_row(Text(row[0]), Text(binding.tooltip or binding.description))
        general = Table(title="Everywhere", expand=True, show_edge=False)
        general.add_column("Key", style="bold", no_wrap=True)
        general.add_column("What it does")
        for key, what in GENERAL:
            general.add_row(Text(key), Text(what))
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(general)
            yield Static(Text(SCALING_DEFINITION), id="help-scaling")
            yield Static(Text("Press escape to close."), classes="muted")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
