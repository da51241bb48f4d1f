"""Asked when an editor is left while its text is not safely kept as a draft in the database."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from domain.services.drafts import KeptText
from tui.text import safe


class LeaveUnsaved(ModalScreen[bool]):
    """Says what failed and where the text is; True leaves the editor, False stays in it."""

    DEFAULT_CSS = """
    LeaveUnsaved { align: center middle; }
    LeaveUnsaved > Vertical {
        width: 76; height: auto; padding: 1 2; border: thick $error; background: $surface;
    }
    LeaveUnsaved Horizontal { height: auto; margin-top: 1; }
    LeaveUnsaved Button { margin-right: 2; }
    """

    BINDINGS = [
        Binding("l", "answer(True)", "Leave"),
        Binding("s,escape", "answer(False)", "Stay in the editor"),
    ]

    def __init__(self, kept: KeptText) -> None:
        super().__init__()
        self.kept = kept

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-unsaved-box"):
            yield Label(Text("Your text could not be saved as a draft.", style="bold"))
            yield Label(safe(f"Reason: {self.kept.failure}"))
            if self.kept.local_copy is not None:
                yield Label(
                    safe(
                        "A copy is kept on this computer and is offered back when you open "
                        f"this again: {self.kept.local_copy}"
                    )
                )
                leave = "Leave (l) — the copy stays"
            else:
                yield Label(
                    Text(
                        "It is not kept anywhere else: if you leave, the text typed here is lost.",
                        style="bold red",
                    )
                )
                leave = "Leave and lose it (l)"
            with Horizontal():
                yield Button("Stay (s)", id="leave-stay", variant="primary")
                yield Button(leave, id="leave-go", variant="error")

    def on_mount(self) -> None:
        self.query_one("#leave-stay", Button).focus()

    @on(Button.Pressed, "#leave-go")
    def _go(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#leave-stay")
    def _stay(self) -> None:
        self.dismiss(False)

    def action_answer(self, leave: bool) -> None:
        self.dismiss(leave)
