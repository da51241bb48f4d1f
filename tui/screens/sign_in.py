"""Sign in: a picker of the demo users on the demo database; user name and passphrase otherwise;
and on an empty database, the creation of the first administrator."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.text import cell, join, safe
from tui.widgets.footer import TandemFooter
from tui.workers import run_db

if TYPE_CHECKING:
    from domain.people import User


class SignInScreen(Screen[None]):
    """The first screen. Decides which of its three forms to show once it knows the database."""

    BINDINGS = [Binding("escape", "app.quit", "Quit", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0
        self._not_before = 0.0  # time.monotonic() before which the service would refuse

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sign-in-box"):
            yield Static("Tandem", id="sign-in-title")
            yield Label("Opening the database…", id="sign-in-status")
        yield TandemFooter()

    def on_mount(self) -> None:
        app = self.app
        if app.runtime is None:  # type: ignore[attr-defined]
            # The database opens (and, for the demo, is seeded) after the first paint.
            if app.demo:  # type: ignore[attr-defined]
                self._status("Preparing a fresh demo database…")
            run_db(self, app.opener, self._opened, failed=self._open_failed)  # type: ignore[attr-defined]
        else:
            self._load_users()

    def _opened(self, runtime) -> None:  # type: ignore[no-untyped-def]
        self.app.runtime = runtime  # type: ignore[attr-defined]
        self._status("")
        self._load_users()

    def _open_failed(self, error: BaseException) -> None:
        from tui.bootstrap import describe_failure

        self._status("Tandem could not open its database: " + describe_failure(error))

    def _load_users(self) -> None:
        from domain.services import admin

        runtime = self.app.runtime  # type: ignore[attr-defined]
        run_db(self, lambda: admin.list_users(runtime.system_context()), self._show_form)

    def _show_form(self, users: list) -> None:  # type: ignore[type-arg]
        box = self.query_one("#sign-in-box", Vertical)
        self.query_one("#sign-in-status", Label).update("")
        if not users:
            box.mount(Label("No users yet. Create the administrator who will set Tandem up."))
            box.mount(Input(placeholder="user name, e.g. admin", id="new-username"))
            box.mount(Input(placeholder="full name", id="new-name"))
            box.mount(
                Input(
                    placeholder="passphrase (at least 10 characters)", password=True, id="new-pass"
                )
            )
            box.mount(Input(placeholder="passphrase again", password=True, id="new-pass2"))
            box.mount(Button("Create administrator", id="create-admin", variant="primary"))
            self.query_one("#new-username", Input).focus()
        elif self.app.demo:  # type: ignore[attr-defined]
            box.mount(Label("Demo database — choose who to be:"))
            options = [
                Option(
                    join(cell(u.name), f"  ·  {u.role_label}", f"  ·  {u.team}" if u.team else ""),
                    id=u.username,
                )
                for u in users
            ]
            picker = OptionList(*options, id="demo-users")
            box.mount(picker)
            picker.focus()
        else:
            box.mount(Input(placeholder="user name", id="username"))
            box.mount(Input(placeholder="passphrase", password=True, id="passphrase"))
            box.mount(Button("Sign in", id="sign-in", variant="primary"))
            self.query_one("#username", Input).focus()

    def _status(self, message: str) -> None:
        self.query_one("#sign-in-status", Label).update(safe(message))

    # --- demo picker ----------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#demo-users")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        from tui.bootstrap import demo_passphrase

        self._attempt(str(event.option.id), demo_passphrase())

    # --- user name and passphrase ------------------------------------------------------------

    @on(Input.Submitted, "#username")
    def _to_passphrase(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#sign-in")
    def _submit(self) -> None:
        username = self.query_one("#username", Input).value
        passphrase = self.query_one("#passphrase", Input).value
        self._attempt(username, passphrase)

    def _attempt(self, username: str, passphrase: str) -> None:
        from domain.services import admin

        runtime = self.app.runtime  # type: ignore[attr-defined]
        # The service refuses attempts before its delay is over (counted in the database, so it
        # survives restarts); wait out what it last asked for rather than be refused again.
        delay = max(0.0, self._not_before - time.monotonic())
        if delay:
            self._status(f"Checking… (waiting {delay:.0f} s after {self.failures} failed attempts)")

        def check() -> User:
            time.sleep(delay)  # in the worker thread: the screen stays responsive
            return admin.authenticate(runtime.context(None), username, passphrase)

        run_db(self, check, self._signed_in, failed=self._failed, exclusive=True, group="sign-in")

    def _signed_in(self, user: User) -> None:
        self.failures = 0
        self.app.signed_in(user)  # type: ignore[attr-defined]

    def _failed(self, error: BaseException) -> None:
        from domain.errors import DomainError

        if not isinstance(error, DomainError):
            self.app.show_error(error)  # type: ignore[attr-defined]
            return
        # Counted by the service across restarts; each further attempt waits longer.
        self.failures = getattr(error, "failures", self.failures + 1)
        self._not_before = time.monotonic() + float(getattr(error, "retry_after", 0.0))
        self._status(str(error))
        if self.query("#passphrase"):
            field = self.query_one("#passphrase", Input)
            field.value = ""
            field.focus()

    # --- first administrator ---------------------------------------------------------------

    @on(Input.Submitted, "#new-pass2")
    @on(Button.Pressed, "#create-admin")
    def _create_admin(self) -> None:
        from domain.services import admin

        username = self.query_one("#new-username", Input).value
        name = self.query_one("#new-name", Input).value
        p1 = self.query_one("#new-pass", Input).value
        p2 = self.query_one("#new-pass2", Input).value
        if p1 != p2:
            self._status("The two passphrases are not the same.")
            self.query_one("#new-pass2", Input).focus()
            return
        runtime = self.app.runtime  # type: ignore[attr-defined]

        def create() -> User:
            admin.bootstrap_admin(runtime.context(None), username, name, p1)
            return admin.authenticate(runtime.context(None), username, p1)

        run_db(self, create, self._signed_in, failed=lambda e: self._status(str(e)), exclusive=True)
