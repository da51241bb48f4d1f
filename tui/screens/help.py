"""The help screen (F1): the app's keys, grouped — this screen's, editing text, everywhere.

Only keys Tandem gives a meaning to are listed. The widgets Textual provides (tables, text
fields, scroll views) bring dozens of keys of their own ("ctrl+pageup Page Left", "super+c");
those that matter when writing are summed up once under "Editing text", the rest are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static, TextArea

from domain.scaling import DEFINITION as SCALING_DEFINITION
from tui.palette import declared_by_tandem

#: Keys every screen has (the app's bindings are added from the app itself).
EVERYWHERE = [
    ("ctrl+p", "Command palette: every action, and families by name or reference"),
    ("tab / shift+tab", "Move between fields and lists"),
    ("enter", "Open the selected row, or submit a form"),
    ("escape", "Back / close"),
]

#: What Textual's text fields do with keys, in words (shown when the screen has a text field).
EDITING = [
    ("← → / home / end", "Move in the text; shift+arrows select"),
    ("ctrl+x / ctrl+c / ctrl+v", "Cut / copy / paste"),
    ("ctrl+z / ctrl+y", "Undo / redo (in a box of several lines)"),
    ("ctrl+w", "Delete the word before the cursor"),
    ("ctrl+k", "Delete to the end of the line"),
]


@dataclass(frozen=True)
class KeyRow:
    key: str
    what: str


def screen_keys(screen: Screen[Any]) -> list[KeyRow]:
    """The keys of ``screen`` with a description, each action once, the app's own left out."""
    rows: list[KeyRow] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.description or isinstance(active.node, App):
            continue
        if not declared_by_tandem(active.node, binding) or binding.action in seen:
            continue
        seen.add(binding.action)
        rows.append(KeyRow(binding.key_display or key, binding.tooltip or binding.description))
    return rows


def app_bindings(app: App[object]) -> list[Binding]:
    """The app's own bindings with a description (F1 help, ctrl+q quit)."""
    out = []
    for item in type(app).BINDINGS:
        if isinstance(item, Binding) and item.description:
            out.append(item)
    return out


def has_text_fields(screen: Screen[Any]) -> bool:
    return bool(screen.query(Input)) or bool(screen.query(TextArea))


def _table(title: str, rows: list[KeyRow]) -> Table:
    table = Table(title=title, expand=True, show_edge=False, title_justify="left")
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("What it does")
    for row in rows:
        table.add_row(Text(row.key), Text(row.what))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help")]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def groups(self) -> list[tuple[str, list[KeyRow]]]:
        """The groups shown, in order: (title, rows)."""
        out: list[tuple[str, list[KeyRow]]] = []
        here = screen_keys(self.under)
        if here:
            out.append(("This screen", here))
        if has_text_fields(self.under):
            taken = {row.key for row in here}
            out.append(("Editing text", [KeyRow(k, w) for k, w in EDITING if k not in taken]))
        everywhere = [KeyRow(k, w) for k, w in EVERYWHERE]
        for binding in app_bindings(self.app):
            key = binding.key_display or binding.key  # "ctrl+q", as the rest of the list
            everywhere.append(KeyRow(key, binding.tooltip or binding.description))
        out.append(("Everywhere", everywhere))
        return out

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            for title, rows in self.groups():
                yield Static(_table(title, rows), classes="help-group")
            yield Static(Text(SCALING_DEFINITION), id="help-scaling")
            yield Static(Text("Press escape to close."), classes="muted")

    def action_dismiss(self) -> None:  # type: ignore[override]  # escape closes help: no result to give
        self.dismiss(None)
