"""Sign in: a picker of the demo users on the demo database; user name and passphrase otherwise;
and on an empty database, the creation of the first administrator."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.app import TandemApp
from tui.text import cell, join, safe
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

if TYPE_CHECKING:
    from domain.people import User
    from domain.services.admin import UserRow
    from tui.bootstrap import Runtime


class SignInScreen(Screen[None]):
    """The first screen. Decides which of its three forms to show once it knows the database."""

    app = getters.app(TandemApp)

    BINDINGS = [Binding("escape", "app.quit", "Quit", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0
        #: What was last typed to sign in (kept to choose a new passphrase after a one-time one).
        self.pending: tuple[str, str] = ("", "")
        #: Set when there is no database yet: creates it (with the first administrator).
        self.create_database: Callable[[], Any] | None = None
        self._not_before = 0.0  # time.monotonic() before which the service would refuse

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        with Vertical(id="sign-in-box"):
            yield Static("Tandem", id="sign-in-title")
            yield Label("Opening the database…", id="sign-in-status")
        yield TandemFooter()

    def on_mount(self) -> None:
        app = self.app
        if app.runtime is None:
            # The database opens (and, for the demo, is seeded) after the first paint.
            if app.demo:
                self._status("Preparing a fresh demo database…")
            run_db(self, app.opener, self._opened, failed=self._open_failed)
        else:
            self._load_users()

    def _opened(self, runtime: Runtime) -> None:
        self.app.runtime = runtime
        self._status("")
        self._load_users()

    def _open_failed(self, error: BaseException) -> None:
        from tui.bootstrap import describe_failure

        create = getattr(error, "create", None)
        if create is not None:
            # No database there yet: the first-run set-up creates it with the administrator.
            self.create_database = create
            self._show_form([])
            self._note(
                f"No database at {getattr(error, 'path', 'this location')} yet: creating the "
                "administrator creates it."
            )
            return
        self._status("Tandem could not open its database: " + describe_failure(error))

    def _note(self, message: str) -> None:
        box = self.query_one("#sign-in-box", Vertical)
        box.mount(Static(safe(message), id="sign-in-note"), after=self.query_one("#sign-in-title"))

    def _load_users(self) -> None:
        from domain.services import admin

        runtime = self.app.runtime
        for warning in runtime.warnings:  # a damaged file: said before anyone signs in and writes
            self._note(warning)
            self.app.notify(warning, title="Database damaged", severity="error", markup=False)
        run_db(self, lambda: admin.list_users(runtime.system_context()), self._show_form)

    def _show_form(self, users: list[UserRow]) -> None:
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
        elif self.app.demo:
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
        # What goes wrong is said under the form, where the person pressed enter; on a short
        # terminal the box scrolls, and a message scrolls into view (_status).
        self.call_after_refresh(self._status_below_form)

    def _status_below_form(self) -> None:
        box = self.query_one("#sign-in-box", Vertical)
        status = self.query_one("#sign-in-status", Label)
        if box.children and box.children[-1] is not status:
            box.move_child(status, after=box.children[-1])

    def _status(self, message: str) -> None:
        status = self.query_one("#sign-in-status", Label)
        status.update(safe(message))
        if message:
            self.call_after_refresh(status.scroll_visible, animate=False)

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

        runtime = self.app.runtime
        # The service refuses attempts before its delay is over (counted in the database, so it
        # survives restarts); wait out what it last asked for rather than be refused again.
        delay = max(0.0, self._not_before - time.monotonic())
        if delay:
            self._status(f"Checking… (waiting {delay:.0f} s after {self.failures} failed attempts)")

        def check() -> User:
            time.sleep(delay)  # in the worker thread: the screen stays responsive
            return admin.authenticate(runtime.context(None), username, passphrase)

        self.pending = (username, passphrase)

        run_db(self, check, self._signed_in, failed=self._failed, exclusive=True, group="sign-in")

    def _signed_in(self, user: User) -> None:
        self.failures = 0
        self.app.signed_in(user)

    def _failed(self, error: BaseException) -> None:
        from domain.errors import DomainError
        from domain.services.sign_in import PassphraseChangeRequired

        if not isinstance(error, DomainError):
            self.app.show_error(error)
            return
        if isinstance(error, PassphraseChangeRequired):
            self._ask_new_passphrase(str(error))
            return
        # Counted by the service across restarts; each further attempt waits longer.
        self.failures = getattr(error, "failures", self.failures + 1)
        self._not_before = time.monotonic() + float(getattr(error, "retry_after", 0.0))
        self._status(str(error))
        if self.query("#passphrase"):
            field = self.query_one("#passphrase", Input)
            field.value = ""
            field.focus()

    # --- a one-time passphrase: choose a new one, twice -----------------------------------------

    def _ask_new_passphrase(self, message: str) -> None:
        self.failures = 0
        self._status(message)
        box = self.query_one("#sign-in-box", Vertical)
        if self.query("#choose-pass"):
            return
        for widget in self.query("#username, #passphrase, #sign-in, #demo-users"):
            widget.display = False
        box.mount(
            Input(
                placeholder="new passphrase (at least 10 characters)",
                password=True,
                id="choose-pass",
            )
        )
        box.mount(Input(placeholder="new passphrase again", password=True, id="choose-pass2"))
        box.mount(Button("Choose passphrase", id="choose-button", variant="primary"))
        self.query_one("#choose-pass", Input).focus()

    @on(Input.Submitted, "#choose-pass")
    def _to_second(self) -> None:
        self.query_one("#choose-pass2", Input).focus()

    @on(Input.Submitted, "#choose-pass2")
    @on(Button.Pressed, "#choose-button")
    def _choose(self) -> None:
        from domain.services import admin

        new = self.query_one("#choose-pass", Input).value
        again = self.query_one("#choose-pass2", Input).value
        if new != again:
            self._status("The two new passphrases are not the same.")
            self.query_one("#choose-pass2", Input).focus()
            return
        username, current = self.pending
        runtime = self.app.runtime

        def choose() -> User:
            return admin.choose_new_passphrase(runtime.context(None), username, current, new)

        def refused(error: BaseException) -> None:
            from domain.errors import DomainError

            if isinstance(error, DomainError):
                self._status(str(error))
                self.query_one("#choose-pass", Input).focus()
            else:
                self.app.show_error(error)

        run_db(self, choose, self._signed_in, failed=refused, exclusive=True, group="sign-in")

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
        app = self.app
        create_database = self.create_database

        def create() -> User:
            if create_database is not None and app.runtime is None:
                from domain.passwords import check_passphrase
                from domain.people import Role
                from domain.people import User as NewUser

                NewUser(username=username, full_name=name, role=Role.ADMIN)  # refuse bad input
                check_passphrase(p1)  # before anything is created
                app.runtime = create_database()
            runtime = app.runtime
            admin.bootstrap_admin(runtime.context(None), username, name, p1)
            return admin.authenticate(runtime.context(None), username, p1)

        run_db(self, create, self._signed_in, failed=lambda e: self._status(str(e)), exclusive=True)
