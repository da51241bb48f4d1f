"""The Tandem application: sign-in, then each role's home screen. Kept small on purpose."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import Screen

from domain.errors import DomainError
from tui.keys import KeyGate, Typed
from tui.widgets import table_measure  # noqa: F401 - every table repaints after measuring
from tui.work_done import WorkDone, deliver

if TYPE_CHECKING:  # the domain model loads after the first paint (start-up time)
    from domain.people import User
    from domain.services.context import Context
    from tui.bootstrap import Runtime

ACTIVITY_EVENTS = (
    events.Key,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)


class TandemApp(App[None]):
    """Tandem. ``runtime`` is the open database; ``demo`` offers a picker of the demo users."""

    TITLE = "Tandem"
    SUB_TITLE = "lightweight case recording"
    CSS_PATH = "app.tcss"
    #: Every screen gets "-narrow" below 100 columns and "-short" below 32 rows: the responsive
    #: rules in app.tcss and tui/styles/ (boxes fill the screen, side panes go below) key on them.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    #: ctrl+p: the screen's actions (get_system_commands) and families by name (tui/commands.py).
    COMMANDS = App.COMMANDS | {lambda: _family_finder()}
    BINDINGS = [
        # priority: modal screens (every editor) see only the app's priority keys.
        Binding("f1", "help", "Help", id="help", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        runtime: Runtime | None = None,
        *,
        demo: bool = False,
        opener: Callable[[], Runtime] | None = None,
    ) -> None:
        """Give an open ``runtime``, or an ``opener`` that the sign-in screen runs in a worker
        after the first paint (so start-up never waits for the database)."""
        super().__init__()
        if runtime is None and opener is None:
            raise ValueError("TandemApp needs a runtime or an opener")
        self.runtime: Runtime = runtime  # type: ignore[assignment]  # set by the opener if None
        self.opener = opener
        self.demo = demo
        self.user: User | None = None
        self.key_gate = KeyGate(self)
        #: Idle lock (tui/screens/lock.py): the monotonic time of the last input, and the clock
        #: it is read from (tests inject a fake one).
        self.monotonic: Callable[[], float] = time.monotonic
        self.last_input = self.monotonic()
        self.locked = False
        self._idle_timer: object | None = None

    async def _replace_screen(self, screen: Screen[Any]) -> Screen[Any]:
        """Textual's hook after a screen is popped or switched away (and removed unless it is
        installed): let the removed screen's widgets go (tui/release.py), so a session that
        opens and closes many families does not keep them all."""
        from tui.release import release_closed

        replaced = await super()._replace_screen(screen)
        release_closed(self)
        return replaced

    # --- context for services ------------------------------------------------------------

    @property
    def ctx(self) -> Context:
        """The service context of the signed-in user."""
        return self.runtime.context(self.user)

    # --- life cycle -----------------------------------------------------------------------

    def on_mount(self) -> None:
        from tui.screens.sign_in import SignInScreen

        self.push_screen(SignInScreen())
        if not self.is_headless:
            self._exit_on_signals()
        ready_file = os.environ.get("TANDEM_BENCH_READY_FILE")
        if ready_file:  # bench/startup.py: note when the first screen is painted, then leave
            self.call_after_refresh(self._bench_ready, ready_file)

    def _exit_on_signals(self) -> None:
        """A closed terminal (SIGHUP) or a stop request (SIGTERM) ends the app as ctrl+q does,
        so open editors are saved first (on_exit_app) rather than lost."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            try:
                loop.add_signal_handler(sig, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not on this platform, or not the main thread

    def on_exit_app(self) -> None:
        """Runs before Textual closes the screens: every open recording editor keeps its text as
        a draft and records its session (a browser tab closing arrives here too)."""
        for screen in reversed(self.screen_stack):
            finish = getattr(screen, "finish_before_exit", None)
            if finish is None or self.user is None:
                continue
            try:
                finish()
            except Exception as error:  # noqa: BLE001 - the app is ending: say so, on one line
                from tui.bootstrap import describe_failure

                print(
                    f"tandem: an open editor could not be saved on exit: {describe_failure(error)}",
                    file=sys.stderr,
                )

    def _bench_ready(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(repr(time.monotonic()))  # CLOCK_MONOTONIC: one clock for every process
        self.exit()

    def signed_in(self, user: User) -> None:
        """Called by the sign-in screen: replace it with the user's home screen."""
        self.user = user
        self._switch_to(home_screen_for(user), f"{user.full_name} · {user.role.label}")
        self._start_idle_timer()
        self._tell_of_local_copies()

    # --- never remove a screen that is still mounting ------------------------------------------

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        self._keep_until_mounted(self.screen)
        return super().switch_screen(screen)

    def pop_screen(self) -> AwaitComplete:
        self._keep_until_mounted(self.screen)
        return super().pop_screen()

    async def action_quit(self) -> None:
        if not self.screen.is_mounted:  # quit once it has mounted, for the same reason
            self.screen.call_later(self.exit)
            return
        await super().action_quit()

    def _keep_until_mounted(self, screen: Screen[Any]) -> None:
        """Textual removes a screen that is switched or popped away at once, even while it is
        still composing; its widgets then look for children that were never mounted and the app
        crashes (``NoMatches`` from Textual's Header or Select). Seen when a sign-out or escape
        arrives while the next screen is still mounting: a fast user on a busy machine, or keys
        the key gate let through at its time limit. Such a screen is installed (so Textual keeps
        it) and removed by us once it has mounted: a callback posted to a screen runs only after
        its compose and mount have finished."""
        if screen.is_mounted:
            return
        name = f"tandem-mounting-{id(screen)}"
        self.install_screen(screen, name)

        async def remove_now() -> None:
            self.uninstall_screen(name)
            if screen not in self.screen_stack:  # Tandem uses no screen modes
                await screen.remove()

        screen.call_later(remove_now)

    # --- idle lock --------------------------------------------------------------------------------

    def _start_idle_timer(self) -> None:
        self.last_input = self.monotonic()
        if self._idle_timer is None:
            limit = self.runtime.idle_lock_seconds
            self._idle_timer = self.set_interval(min(5.0, limit / 4), self.check_idle_lock)

    def check_idle_lock(self) -> None:
        """Lock when nobody has typed, clicked or scrolled for ``runtime.idle_lock_seconds``."""
        if self.user is None or self.locked:
            return
        if self.monotonic() - self.last_input >= self.runtime.idle_lock_seconds:
            self.lock()

    def lock(self) -> None:
        """Cover everything with the lock screen. Every open editor's text is autosaved first
        (as the user it belongs to) and stays in its editor underneath."""
        from tui.screens.lock import LockScreen

        if self.user is None or self.locked:
            return
        for screen in self.screen_stack:
            autosave = getattr(screen, "autosave", None)
            if autosave is not None:
                autosave()
        self.locked = True
        self.push_screen(LockScreen(self.user, self.runtime.idle_lock_seconds / 60))

    def unlocked(self, user: User) -> None:
        """Called by the lock screen. The same user gets everything back as it was; anyone else
        starts at their own home screen (the editors underneath record their sessions and close;
        their drafts were autosaved when the app locked)."""
        from tui.screens.lock import LockScreen

        same = self.user is not None and user.id == self.user.id
        self.locked = False
        self.last_input = self.monotonic()
        if same:
            if isinstance(self.screen, LockScreen):
                self.pop_screen()
            return
        for screen in reversed(self.screen_stack[1:]):
            # A RecordingEditor keeps its text as a draft and stores its session, as at exit.
            finish = getattr(screen, "finish_before_exit", None)
            if finish is not None:
                finish()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.signed_in(user)

    def _tell_of_local_copies(self) -> None:
        """Text kept on this computer when the database could not take a draft is mentioned at
        sign-in (each copy is offered back by its editor)."""
        from domain.services.drafts import local_copies_notice, local_copies_of
        from tui.workers import run_db

        ctx, copies = self.ctx, getattr(self.runtime, "local_copies", None)

        def tell(notice: str) -> None:
            if notice:
                self.notify(notice, title="Unsaved text", severity="warning", markup=False)

        run_db(self, lambda: local_copies_notice(local_copies_of(ctx, copies)), tell)

    def action_sign_out(self) -> None:
        from tui.screens.sign_in import SignInScreen

        self.locked = False
        self.user = None
        self._switch_to(SignInScreen(), "lightweight case recording")

    def signed_out(self, error: BaseException) -> None:
        """The signed-in user's account was deactivated (domain.errors.SignedOut, raised by the
        service they just called): sign them out and say why, in plain words. Open editors'
        text is kept as on locking (autosave; a refused draft goes to a local copy)."""
        if self.user is None:
            return
        if not self.screen.is_mounted:  # a screen just opened (its load was refused): let it mount
            self.screen.call_later(self.signed_out, error)
            return
        for screen in self.screen_stack:
            autosave = getattr(screen, "autosave", None)
            if autosave is not None:
                autosave()
        while len(self.screen_stack) > 2:  # back to the home screen, which the sign-in replaces
            self.pop_screen()
        self.action_sign_out()
        self.notify(str(error), title="Signed out", severity="warning", markup=False, timeout=30)

    def _switch_to(self, screen: Screen[Any], sub_title: str) -> None:
        """Retitle, then switch — once the screen on top has finished mounting: a title change
        reaches every Header, and one still mounting has no title child yet (NoMatches)."""
        if not self.screen.is_mounted:
            self.screen.call_later(self._switch_to, screen, sub_title)
            return
        self.sub_title = sub_title
        self.switch_screen(screen)

    def action_help(self) -> None:
        from textual.command import CommandPalette

        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # f1 again closes it
        elif not isinstance(self.screen, CommandPalette):
            self.push_screen(HelpScreen(self.screen))

    # --- every action in the command palette ------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the screen once, then Textual's own (tui/commands.py)."""
        from tui.commands import system_commands

        return system_commands(screen, super().get_system_commands(screen))

    # --- input activity feeds the recording clock of the editor on top ---------------------------

    async def on_event(self, event: events.Event) -> None:
        typed = event if isinstance(event, Typed) and not event.is_forwarded else None
        if typed is not None and not self.key_gate.admit(typed):
            return  # held until the keys before it have been handled (tui/keys.py)
        if isinstance(event, ACTIVITY_EVENTS) and not event.is_forwarded:
            self.last_input = self.monotonic()
            note = getattr(self.screen, "note_activity", None)
            if note is not None:
                note()
        if typed is not None:
            hold = getattr(self.screen, "hold_input", None)
            if hold is not None and hold(typed):
                return  # an editor holds it until its check for older text has answered
        await super().on_event(event)

    # --- one place for failures -------------------------------------------------------------

    async def on_work_done(self, message: WorkDone[Any]) -> None:
        """Every result and failure of database work comes back here (tui/workers.py)."""
        await deliver(message, self.show_error)

    def show_error(self, error: BaseException) -> None:
        """A domain error is the user's to fix; anything else is ours. Never a traceback."""
        from domain.errors import SignedOut
        from tui.bootstrap import describe_failure

        if isinstance(error, SignedOut):
            self.signed_out(error)
        elif isinstance(error, DomainError):
            self.notify(str(error), title="Not done", severity="warning", markup=False)
        else:
            self.notify(
                describe_failure(error),
                title="Something went wrong",
                severity="error",
                markup=False,
            )


def _family_finder() -> type:
    from tui.commands import FamilyFinder

    return FamilyFinder


def home_screen_for(user: User) -> Screen[Any]:
    from domain.people import Role
    from tui.screens import homes

    return {
        Role.PRACTITIONER: homes.practitioner_home,
        Role.TEAM_MANAGER: homes.manager_home,
        Role.PRACTICE_LEAD: homes.lead_home,
        Role.PROJECT_STAFF: homes.project_home,
        Role.ADMIN: homes.admin_home,
    }[user.role]()
