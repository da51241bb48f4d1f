"""Questions asked in a small modal: ConfirmDelete before something the user wrote is removed
from an open form (a timestamped comment, a plan action, a danger statement with its safety
goal: y removes it, n or escape keeps it), and ConfirmScreen, a plain yes/no question."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

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


class ConfirmScreen(ModalScreen[bool]):
    """A plain yes/no question: y or enter says yes, n or escape says no."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen #confirm-box {
        width: 76; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen #confirm-detail { height: auto; margin: 1 0; }
    ConfirmScreen #confirm-buttons { height: auto; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, detail: Text | str = "", *, yes: str = "Yes") -> None:
        super().__init__()
        self.question, self.detail, self.yes = question, detail, yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(Text(self.question, style="bold"))
            if self.detail:
                detail = self.detail if isinstance(self.detail, Text) else Text(self.detail)
                yield Static(detail, id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(Text(f"{self.yes} (y)"), id="confirm-yes", variant="primary")
                yield Button("No (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
