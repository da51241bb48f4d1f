"""The lock screen: after a time without input (TANDEM_IDLE_LOCK_MINUTES, default 15) the app
covers whatever was open (a shared office, a laptop left open at a family's home). The screens
underneath stay as they were -- an open editor keeps its text, and its draft was autosaved as it
locked. The same user's passphrase brings everything back; anyone else signing in starts afresh
at their own home screen (the first user's drafts are offered back when they next open those
editors)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from tui.app import TandemApp
from tui.text import cell, join, safe
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

if TYPE_CHECKING:
    from domain.people import User


class LockScreen(Screen[None]):
    """Opaque: nothing of the screens below shows through."""

    app = getters.app(TandemApp)

    BINDINGS = [Binding("escape", "clear", "Clear", show=False)]

    def __init__(self, user: User, minutes: float) -> None:
        super().__init__()
        self.locked_user = user
        self.minutes = minutes
        self.failures = 0
        self._not_before = 0.0  # time.monotonic() before which the service would refuse

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        with Vertical(id="sign-in-box"):
            yield Static("Tandem is locked", id="sign-in-title")
            yield Static(
                join(
                    f"Locked after {self.minutes:g} minute{'' if self.minutes == 1 else 's'} "
                    "without input. ",
                    cell(self.locked_user.full_name),
                    ": your passphrase brings back what you had open. Anyone else may sign in.",
                ),
                id="lock-note",
            )
            yield Label("", id="sign-in-status")  # above the fields: seen at 80x24
            yield Input(value=self.locked_user.username, placeholder="user name", id="username")
            yield Input(placeholder="passphrase", password=True, id="passphrase")
            yield Button("Unlock (enter)", id="unlock", variant="primary", compact=True)
        yield TandemFooter()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def action_clear(self) -> None:
        self.query_one("#passphrase", Input).value = ""

    @on(Input.Submitted, "#username")
    def _to_passphrase(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#unlock")
    def _unlock(self) -> None:
        from domain.services import admin

        username = self.query_one("#username", Input).value
        passphrase = self.query_one("#passphrase", Input).value
        runtime = self.app.runtime
        # The service refuses attempts before its delay is over (counted in the database): wait
        # out what it said, so a typed passphrase is checked rather than refused unchecked.
        delay = max(0.0, self._not_before - time.monotonic())
        if delay:
            self._status(f"Checking… (waiting {delay:.0f} s after {self.failures} failed attempts)")

        def check() -> User:
            time.sleep(delay)  # in the worker thread: the screen stays responsive
            return admin.authenticate(runtime.context(None), username, passphrase)

        run_db(self, check, self._signed_in, failed=self._failed, exclusive=True, group="unlock")

    def _signed_in(self, user: User) -> None:
        self.app.unlocked(user)

    def _failed(self, error: BaseException) -> None:
        from domain.errors import DomainError
        from domain.services.sign_in import PassphraseChangeRequired

        if not isinstance(error, DomainError):
            self.app.show_error(error)
            return
        if isinstance(error, PassphraseChangeRequired):
            self._status(
                "An administrator has given you a one-time passphrase: quit (ctrl+q) and sign in "
                "again to choose your own (your open text is kept as drafts)."
            )
            return
        self.failures = getattr(error, "failures", self.failures + 1)
        self._not_before = time.monotonic() + float(getattr(error, "retry_after", 0.0))
        self._status(str(error))
        field = self.query_one("#passphrase", Input)
        field.value = ""
        field.focus()

    def _status(self, message: str) -> None:
        self.query_one("#sign-in-status", Label).update(safe(message) if message else Text(""))
