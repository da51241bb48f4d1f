"""The merge of two people's edits, shown side by side (issue 11, item 2).

Parts only one person changed were merged already and are listed; each part both changed
(a clash) shows theirs and yours side by side, and the user decides it: m keep mine, t keep
theirs, b keep both. ctrl+s applies (every clash decided), escape goes back to the editor with
nothing merged and nothing saved. Used by the summary, plan and mapping editors.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Static

from domain.merge import Choice, Clash, Merge
from tui.text import join, safe
from tui.widgets.footer import TandemFooter


class ClashChoice(Vertical, can_focus=True):
    """One clash: theirs | yours, and the choice made (m / t / b while it has the focus)."""

    DEFAULT_CSS = """
    ClashChoice { height: auto; border: round $warning; padding: 0 1; margin-bottom: 1; }
    ClashChoice:focus { border: round $accent; }
    ClashChoice .merge-sides { height: auto; }
    ClashChoice .merge-side { width: 1fr; height: auto; padding: 0 1; }
    """

    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine"),
        Binding("t", "choose('theirs')", "Keep theirs"),
        Binding("b", "choose('both')", "Keep both"),
    ]

    choice: reactive[Choice | None] = reactive(None)

    def __init__(
        self,
        clash: Clash[Any],
        label: str,
        theirs_name: str,
        index: int,
        *,
        show: Callable[[Any, str], str] | None = None,
        single: bool = False,
    ) -> None:
        super().__init__(id=f"clash-{index}", classes="merge-clash")
        self.clash = clash
        self.label = label
        self.theirs_name = theirs_name
        self.show = show or (lambda _key, value: value)
        #: One value (a date): keeping both is not offered.
        self.single = single
        self.border_title = f"{label}: you both changed it"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="merge-sides"):
            yield Static(
                join(
                    Text(f"Theirs ({self.theirs_name})\n", style="bold"),
                    safe(self.show(self.clash.key, self.clash.theirs)),
                ),
                classes="merge-side merge-theirs",
            )
            yield Static(
                join(
                    Text("Yours\n", style="bold"), safe(self.show(self.clash.key, self.clash.yours))
                ),
                classes="merge-side merge-yours",
            )
        yield Static(classes="merge-chosen")

    def on_mount(self) -> None:
        self.watch_choice(self.choice)

    def watch_choice(self, choice: Choice | None) -> None:
        for line in self.query(".merge-chosen").results(Static):
            if choice is None:
                keys = "m keep mine · t keep theirs" + ("" if self.single else " · b keep both")
                line.update(Text(f"Not decided yet: {keys}"))
            else:
                line.update(Text(f"Decided: {choice.label}", style="bold"))

    def action_choose(self, choice: str) -> None:
        if self.single and choice == Choice.BOTH:
            return
        self.choice = Choice(choice)
        self.screen.focus_next()


class MergeScreen(ModalScreen[dict[Hashable, Choice] | None]):
    """Returns the choice for every clash (ctrl+s), or None (escape: back to the editor)."""

    DEFAULT_CSS = """
    MergeScreen { align: center middle; }
    MergeScreen > Vertical { width: 96%; height: 94%; border: thick $warning; background: $surface; }
    MergeScreen #merge-error { color: $error; height: auto; }
    """

    BINDINGS = [
        Binding("ctrl+s", "apply", "Merge and save", priority=True),
        Binding("escape", "cancel", "Back to my text"),
    ]

    def __init__(
        self,
        merge: Merge[Any],
        label: Callable[[Any], str],
        their_names: tuple[str, ...],
        show: Callable[[Any, str], str] | None = None,
    ) -> None:
        super().__init__()
        self.merge = merge
        self.label = label
        self.show = show
        self.theirs_name = ", ".join(their_names) or "the other version"

    def compose(self) -> ComposeResult:
        m = self.merge
        with Vertical(id="merge-box"):
            yield Static(
                Text(
                    f"{self.theirs_name} saved this after you opened it. Nothing has been "
                    "overwritten: the two versions are merged part by part.",
                    style="bold",
                )
            )
            merged = []
            if m.taken_from_theirs:
                names = ", ".join(self.label(k) for k in m.taken_from_theirs)
                merged.append(f"Their changes taken (you had not changed these): {names}.")
            if m.kept_from_yours:
                names = ", ".join(self.label(k) for k in m.kept_from_yours)
                merged.append(f"Your changes kept (they had not changed these): {names}.")
            if merged:
                yield Static(Text("\n".join(merged)), id="merge-auto")
            if m.clashes:
                yield Static(
                    Text(
                        "Decide each part you both changed (m keep mine · t keep theirs · "
                        "b keep both), then ctrl+s to merge and save; escape goes back to your "
                        "text with nothing saved."
                    )
                )
            else:
                yield Static(
                    Text("Nothing clashes: ctrl+s saves the merged text; escape goes back.")
                )
            yield Static(id="merge-error")
            with VerticalScroll(id="merge-clashes"):
                for i, clash in enumerate(m.clashes):
                    yield ClashChoice(
                        clash,
                        self.label(clash.key),
                        self.theirs_name,
                        i,
                        show=self.show,
                        single=clash.key in m.single,
                    )
        yield TandemFooter()

    def on_mount(self) -> None:
        blocks = list(self.query(ClashChoice))
        if blocks:
            blocks[0].focus()

    def action_apply(self) -> None:
        choices: dict[Hashable, Choice] = {}
        for block in self.query(ClashChoice):
            if block.choice is None:
                self.query_one("#merge-error", Static).update(
                    Text(f"Decide “{block.label}” first: m keep mine, t keep theirs, b keep both.")
                )
                block.focus()
                return
            choices[block.clash.key] = block.choice
        self.dismiss(choices)

    def action_cancel(self) -> None:
        self.dismiss(None)
