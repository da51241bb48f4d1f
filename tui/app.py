"""The Tandem application: sign-in, then each role's home screen. Kept small on purpose."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from domain.errors import DomainError
from tui.keys import KeyGate

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
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
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
            fh.write(repr(time.time()))
        self.exit()

    def signed_in(self, user: User) -> None:
        """Called by the sign-in screen: replace it with the user's home screen."""
        self.user = user
        self.sub_title = f"{user.full_name} · {user.role.label}"
        self.switch_screen(home_screen_for(user))

    def action_sign_out(self) -> None:
        from tui.screens.sign_in import SignInScreen

        self.user = None
        self.sub_title = "lightweight case recording"
        self.switch_screen(SignInScreen())

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # --- every action in the command palette ------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            node = active.node

            def run(action: str = binding.action, node=node) -> None:  # type: ignore[no-untyped-def]
                self.call_later(self.run_action, action, node)

            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({binding.key_display or binding.key})",
                run,
            )
        yield from super().get_system_commands(screen)

    # --- input activity feeds the recording clock of the editor on top ---------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not self.key_gate.admit(event):
                return  # held until the keys before it have been handled (tui/keys.py)
        if isinstance(event, ACTIVITY_EVENTS) and not event.is_forwarded:
            note = getattr(self.screen, "note_activity", None)
            if note is not None:
                note()
        await super().on_event(event)

    # --- one place for failures -------------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        """A domain error is the user's to fix; anything else is ours. Never a traceback."""
        from tui.bootstrap import describe_failure

        if isinstance(error, DomainError):
            self.notify(str(error), title="Not done", severity="warning", markup=False)
        else:
            self.notify(
                describe_failure(error),
                title="Something went wrong",
                severity="error",
                markup=False,
            )


def home_screen_for(user: User) -> Screen:
    from domain.people import Role
    from tui.screens import homes

    return {
        Role.PRACTITIONER: homes.practitioner_home,
        Role.TEAM_MANAGER: homes.manager_home,
        Role.PRACTICE_LEAD: homes.lead_home,
        Role.PROJECT_STAFF: homes.project_home,
        Role.ADMIN: homes.admin_home,
    }[user.role]()
