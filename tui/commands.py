"""The command palette (ctrl+p): the way to go anywhere.

Two sources, both through Textual's public command API:

- ``screen_commands`` feeds Textual's system-commands provider (``App.get_system_commands``):
  every action of the screen the palette was opened on, each once. A screen may offer more than
  its active keys through ``palette_commands()`` — the family workspace offers every tab's
  actions, so "Log contact" is found from the Observations tab too (it switches tab, then logs).
- ``FamilyFinder``, a ``Provider``: families by name, reference or any member's name, found
  with the caseload service (access-checked, audited once when the palette opens) and the one
  search folding rule of domain/search.py. Enter opens the family.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider
from textual.screen import ModalScreen

from tui.app import TandemApp
from tui.palette import PaletteCommand

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.style import Style

    from domain.services.caseload import CaseloadRow

#: Textual's own system commands Tandem leaves out: its key panel lists widget internals
#: (F1 help lists the app's keys instead).
HIDDEN_SYSTEM_COMMANDS = frozenset({"keys"})


def binding_commands(screen: Screen[Any]) -> Iterator[PaletteCommand]:
    """Every key of ``screen`` that Tandem gave a description (shown or not) and is enabled now;
    the keys Textual's own widgets bring are left out, as on F1 help."""
    from tui.palette import declared_by_tandem

    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not active.enabled:
            continue
        if not declared_by_tandem(active.node, binding):
            continue  # a key Textual's table or text field brings ("Cursor down", "Copy")
        node = active.node

        def run(action: str = binding.action, node: DOMNode = node) -> None:
            app.call_later(app.run_action, action, node)

        key = binding.key_display or binding.key
        yield PaletteCommand(
            binding.description, f"{binding.tooltip or binding.description} ({key})", run
        )


def screen_commands(screen: Screen[Any]) -> list[PaletteCommand]:
    """The screen's own commands (``palette_commands()``, if it has one) then its keys; each
    title once (the first wins)."""
    out: list[PaletteCommand] = []
    seen: set[str] = set()
    extra = getattr(screen, "palette_commands", None)
    sources: list[Iterable[PaletteCommand]] = []
    if callable(extra):
        sources.append(extra())
    sources.append(binding_commands(screen))
    for source in sources:
        for command in source:
            folded = command.title.casefold()
            if folded in seen:
                continue
            seen.add(folded)
            out.append(command)
    return out


def system_commands(
    screen: Screen[Any], textual_own: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """What the palette lists: the screen's commands, then Textual's (theme, screenshot…) that
    say something new — never one title twice."""
    seen: set[str] = set()
    for command in screen_commands(screen):
        seen.add(command.title.casefold())
        yield SystemCommand(command.title, command.help, command.run)
    for own in textual_own:
        folded = own.title.casefold()
        if folded in seen or folded in HIDDEN_SYSTEM_COMMANDS:
            continue
        seen.add(folded)
        yield own


# --- families ----------------------------------------------------------------------------------


def family_label(row: CaseloadRow) -> str:
    children = ", ".join(c.name for c in row.children)
    return f"{row.reference}  {row.name}" + (f"  ({children})" if children else "")


class FamilyFinder(Provider):
    """Families of the signed-in practitioner's or manager's caseload, by name, reference or
    member's name. Other roles have no caseload: nothing is offered (and nothing is asked)."""

    def __init__(self, screen: Screen[Any], match_style: Style | None = None) -> None:
        super().__init__(screen, match_style)
        self.rows: list[CaseloadRow] = []

    @property
    def tandem(self) -> TandemApp:
        """The app, typed (a Provider's ``app`` is an ``App[object]``, no widget's getter)."""
        app = self.app
        assert isinstance(app, TandemApp)
        return app

    def _can_search(self) -> bool:
        from domain.people import Role

        user = getattr(self.app, "user", None)
        if user is None or isinstance(self.screen, ModalScreen):
            return False
        return user.role in (Role.PRACTITIONER, Role.TEAM_MANAGER)

    async def startup(self) -> None:
        if not self._can_search():
            return
        from domain.services.caseload import caseload

        ctx = self.tandem.ctx
        try:
            self.rows = await asyncio.to_thread(caseload, ctx)
        except Exception as error:  # noqa: BLE001 - said once, as every other failure
            self.app.call_later(self.tandem.show_error, error)
            self.rows = []

    async def search(self, query: str) -> Hits:
        if not query.strip():
            return
        matcher = self.matcher(query)
        for row in self.rows:
            if not row.matches(query):
                continue
            label = family_label(row)
            # Found by a member's name the label may not show: still offered, ranked lower.
            score = max(matcher.match(label), 0.1)
            yield Hit(
                score,
                matcher.highlight(label) if matcher.match(label) else Text(label),
                self._opener(row.family_id),
                text=label,
                help="Open the family",
            )

    async def discover(self) -> Hits:
        return
        yield  # an async generator that offers nothing until something is typed

    def _opener(self, family_id: int) -> Callable[[], None]:
        def open_family() -> None:
            from tui.family.screen import FamilyScreen

            app = self.app
            if isinstance(app.screen, FamilyScreen):
                app.switch_screen(FamilyScreen(family_id))
            else:
                app.push_screen(FamilyScreen(family_id))

        return open_family


__all__ = [
    "FamilyFinder",
    "PaletteCommand",
    "binding_commands",
    "family_label",
    "screen_commands",
    "system_commands",
]
