"""What a screen offers the command palette, and which of its keys are Tandem's own: used by
the palette provider (tui/commands.py), the help screen (tui/screens/help.py) and the screens of
every area (a family screen lists its tabs' actions), so it sits below all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    run: Callable[[], object]


def tandem_bindings(cls: type) -> list[Binding]:
    """The bindings declared by Tandem's own classes in ``cls``'s ancestry (a Tandem table
    inherits DataTable's cursor keys, a tab VerticalScroll's scroll keys: those are not Tandem's)."""
    out: list[Binding] = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("tui."):
            continue
        for declared in klass.__dict__.get("BINDINGS", ()):
            if isinstance(declared, Binding):
                out.append(declared)
            else:  # a (key, action, description) tuple
                out.append(Binding(*declared))
    return out


def declared_by_tandem(node: object, binding: Binding) -> bool:
    """True if ``binding`` is one Tandem declared (on one of its screens or widgets), not one a
    Textual class brings with it."""
    return any(b.action == binding.action for b in tandem_bindings(type(node)))
