"""Asked before something the user wrote is removed from an open form (a timestamped comment,
a plan action, a danger statement with its safety goal): y removes it, n or escape keeps it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from tui.text import safe


class ConfirmDelete(ModalScreen[bool]):
    """``question`` is our own wording; ``quoted`` (the user's text) is shown as data."""

    DEFAULT_CSS = """
    ConfirmDelete { align: center middle; }
    ConfirmDelete > Vertical {
        width: 70; height: auto; padding: 1 2; border: thick $error; background: $surface;
    }
    ConfirmDelete Horizontal { height: auto; margin-top: 1; }
    ConfirmDelete Button { margin-right: 2; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Remove it"),
        Binding("n,escape", "answer(False)", "Keep it"),
    ]

    def __init__(self, question: str, quoted: str = "") -> None:
        super().__init__()
        self.question = question
        self.quoted = quoted

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-delete-box"):
            yield Label(Text(self.question))
            if self.quoted.strip():
                short = self.quoted.strip()
                short = short if len(short) <= 120 else short[:119] + "…"
                yield Label(safe(f"“{short}”", single_line=True))
            with Horizontal():
                yield Button("Remove (y)", id="confirm-delete-yes", variant="error")
                yield Button("Keep (n)", id="confirm-delete-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-delete-no", Button).focus()

    @on(Button.Pressed, "#confirm-delete-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-delete-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, remove: bool) -> None:
        self.dismiss(remove)
