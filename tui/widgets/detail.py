"""The full record behind one list row: every list that cuts its text (a contact's "what
happened", a recording's link, feedback comments) opens this on Enter. The text is wrapped, never
cut; the box scrolls (arrows, page keys, the mouse) and escape closes it. Readable at 80×24."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

#: One part of the record: a heading (our own wording) and its value (``Text`` built with
#: tui.text.safe for user text, so it is shown literally).
Part = tuple[str, Text]


class DetailScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > Vertical {
        width: 100%; max-width: 100; height: 100%; max-height: 40;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DetailScreen .detail-title { text-style: bold; height: auto; }
    DetailScreen VerticalScroll { height: 1fr; }
    DetailScreen .detail-label { text-style: bold; margin-top: 1; }
    DetailScreen .detail-value { height: auto; }
    DetailScreen .detail-keys { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="detail-close"),
        Binding("up", "scroll(-1)", "Scroll", show=False),
        Binding("down", "scroll(1)", "Scroll", show=False),
    ]

    def __init__(self, title: str, parts: Sequence[Part]) -> None:
        super().__init__()
        self.title_text = title
        self.parts = list(parts)

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box"):
            yield Label(Text(self.title_text), classes="detail-title")
            with VerticalScroll(id="detail-scroll"):
                for label, value in self.parts:
                    yield Label(Text(label), classes="detail-label")
                    yield Static(value, classes="detail-value")
            yield Label(Text("↑↓ / page keys scroll · escape closes"), classes="detail-keys")

    def on_mount(self) -> None:
        self.query_one("#detail-scroll", VerticalScroll).focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#detail-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def text(self) -> str:
        """Everything shown, as plain text (for tests and screen readers' copy)."""
        out = [self.title_text]
        for label, value in self.parts:
            out += [label, value.plain]
        return "\n".join(out)
