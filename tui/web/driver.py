"""Textual's web driver, made to end the app when the server goes away.

``tandem serve`` runs one app process per browser tab, talking to it over the process's standard
input and output. Textual's own ``WebDriver`` ends the app when the server asks it to (the tab
closed) or on SIGTERM/SIGINT; if the server itself dies, standard input simply ends and the app
would stay running with no one to talk to. This driver treats the end of input as the server's
"quit", so the app closes its open editors (recording their sessions) and exits.
"""

from __future__ import annotations

from textual import messages
from textual.drivers.web_driver import WebDriver


class TandemWebDriver(WebDriver):
    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        finally:
            # Input has ended: the server asked us to stop, or it has gone away. Either way the
            # app must close (posting twice is harmless: a closed app ignores the message).
            self._app.post_message(messages.ExitApp())
