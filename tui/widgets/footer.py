"""The footer every screen shows: Textual's, made to fit its width.

Textual's footer lays every key out in one row and lets the right edge cut whatever does not fit
("…^q Qui" at 80 columns). Tandem's footer chooses instead: when the keys do not all fit, the
least important are left out whole (the app's own keys — quit, help, sign out — before the
screen's, and among the screen's, those declared last), so every key that shows can be read.
What is left out is still on F1 help and in the command palette (ctrl+p). On narrow terminals
the padding around each key is dropped as well, so more of them fit.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual exports it only from the private module

#: Below this many columns the footer drops the padding around each key.
COMPACT_BELOW = 120

#: Shorter words for long key descriptions, used when the full ones do not all fit (F1 help and
#: the command palette keep the full description).
SHORT_LABELS = {
    "Back to caseload": "Back",
    "Pause/resume clock": "Clock",
    "Show/hide chart": "Chart",
    "Earlier mapping": "Earlier",
    "Later mapping": "Later",
    "Recording burden": "Burden",
    "Reallocate family": "Reallocate",
    "Return with comment": "Return",
    "Add danger/goal pair": "Add pair",
    "Remove goal/action": "Remove",
    "Copy latest mapping in": "Copy latest",
    "Add a person present": "Add person",
    "Withdraw a consent": "Withdraw",
    "Compare with previous": "Compare",
    "Mark for comparing": "Mark",
    "Give / read feedback": "Feedback",
    "Show their families": "Families",
    "Submit for review": "Submit",
    "Previous section": "Prev section",
    "Save and submit": "Submit",
    "Filter status": "Filter",
    "Read feedback": "Feedback",
    "Add recording": "Add",
    "Open recording": "Open",
    "Correct contact": "Correct",
    "My skill trend": "Trend",
    "Add manual time": "Add time",
}

#: Actions the footer leaves out first (bound on the app or on every screen), least important last.
SECONDARY_ACTIONS = ("refresh", "sign_out", "help", "quit")


def _short(action: str) -> str:
    return action.rsplit(".", 1)[-1]


def rank(action: str, order: int) -> tuple[int, int]:
    """Lower is more important: a screen's own keys in the order it declares them, then the
    app's keys in SECONDARY_ACTIONS order."""
    name = _short(action)
    if name in SECONDARY_ACTIONS:
        return (1, SECONDARY_ACTIONS.index(name))
    return (0, order)


def key_width(key_display: str, description: str, compact: bool) -> int:
    """Cells one FooterKey takes with its margin (Textual's footer CSS)."""
    if compact:
        return len(key_display) + (1 + len(description) if description else 0) + 1
    return len(key_display) + 2 + (len(description) + 1 if description else 0)


def choose(widths: list[tuple[str, int]], available: int) -> set[int]:
    """Indexes of the keys to show: by ``rank`` (``widths`` holds each key's action and width,
    in display order), each that still fits in ``available`` cells."""
    order = sorted(range(len(widths)), key=lambda i: rank(widths[i][0], i))
    shown: set[int] = set()
    used = 0
    for i in order:
        if used + widths[i][1] <= available:
            shown.add(i)
            used += widths[i][1]
    return shown


class TandemFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
        if event.size.width != getattr(self, "_laid_out_for", None):
            self._laid_out_for = event.size.width
            if self._bindings_ready:
                self.call_after_refresh(self.recompose)

    def _keys(self) -> list[tuple[Binding, bool, str]]:
        """One binding per action, shown ones only, in the order Textual's footer shows them."""
        seen: set[str] = set()
        out = []
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((binding, enabled, tooltip))
        return out

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        keys = self._keys()
        width = self.app.size.width  # the footer is docked across the whole screen
        compact = width < COMPACT_BELOW
        palette = self._palette_key()
        available = width
        if palette is not None:
            edges = 2 if compact else 5  # its border and the space after the key (and padding)
            available -= len(self.app.get_key_display(palette[0])) + len(palette[0].description)
            available -= edges
        labels = [b.description for b, _, _ in keys]
        shown = self._fit(keys, labels, available, compact)
        if len(shown) < len(keys):  # not all fit: the short words, then leave out by priority
            labels = [SHORT_LABELS.get(label, label) for label in labels]
            shown = self._fit(keys, labels, available, compact)
        for i, (binding, enabled, tooltip) in enumerate(keys):
            if i not in shown:
                continue
            key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                labels[i],
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.description,
            )
            key.full_description = binding.description  # type: ignore[attr-defined]  # Tandem's own, read back below
            # Set, not ``data_bind``-ed as Textual's footer does: a bound key stays in the
            # footer's watcher list after a recompose removes it, until ``compact`` next
            # changes, and the footer recomposes on every focus or tab change, so each visit
            # kept another row of keys with their render caches. The footer recomposes when
            # ``compact`` changes (on a resize), so a key never needs to follow it.
            key.set_reactive(FooterKey.compact, self.compact)
            key.set_class(self.compact, "-compact")  # what its watcher would have done
            yield key
        if palette is not None:
            binding, enabled = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def _fit(
        self,
        keys: list[tuple[Binding, bool, str]],
        labels: list[str],
        available: int,
        compact: bool,
    ) -> set[int]:
        widths = [
            (b.action, key_width(self.app.get_key_display(b), label, compact))
            for (b, _, _), label in zip(keys, labels, strict=True)
        ]
        return choose(widths, available)

    def _palette_key(self) -> tuple[Binding, bool] | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is None:
            return None
        return active.binding, active.enabled

    def shown_descriptions(self) -> Iterable[str]:
        """The full descriptions of the keys the footer shows."""
        return [getattr(k, "full_description", k.description) for k in self.query(FooterKey)]
