"""Textual's Header, whose title survives a screen being removed while the title changes.

Textual's Header watches the app's and its screen's title from its mount handler with a callback
that looks up its title child; a title change that arrives while the header's screen is being
taken apart (its children already gone, the header not yet closed) made that lookup raise
NoMatches, and the app stopped. A person who signs out and straight back in, typing ahead,
changes the title exactly then. This header updates whatever title child it still has, or none.
"""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.events import Mount
from textual.widgets import Header, Static


class TandemHeader(Header):
    def _on_mount(self, event: Mount) -> None:
        # Header's own handler would register the fragile callback: stop it (the message's
        # public prevent_default), and register this one instead. The base Widget handler only
        # shows scrollbars set to "scroll", which a header has not.
        event.prevent_default()
        for node, name in (
            (self.app, "title"),
            (self.app, "sub_title"),
            (self.screen, "title"),
            (self.screen, "sub_title"),
        ):
            self.watch(node, name, self._show_title)

    def _show_title(self) -> None:
        if not self.is_attached:
            return
        try:
            title = self.query_one("HeaderTitle", Static)
        except NoMatches:  # being removed: nothing left to show the title in
            return
        title.update(self.format_title())
