"""The footer every screen shows: Textual's, made compact on narrow terminals so that more of a
screen's keys fit on one line at 80 columns (all of them stay on F1 help and in ctrl+p)."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

#: Below this many columns the footer drops the padding around each key.
COMPACT_BELOW = 120


class TandemFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
