"""Database work off the UI thread: every service call from a screen goes through ``run_db``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, active_worker, get_current_worker

from tui.app import TandemApp
from tui.work_done import WorkDone

T = TypeVar("T")

#: How often a worker whose result waits for the UI thread checks that the app still runs.
HANDOFF_POLL_SECONDS = 0.1


def tandem_app(node: DOMNode) -> TandemApp:
    """The app ``node`` belongs to, typed: database work runs in Tandem's screens only."""
    app = node.app
    assert isinstance(app, TandemApp)
    return app


def run_db(
    node: DOMNode,
    fn: Callable[[], T],
    done: Callable[[T], Any] | None = None,
    *,
    failed: Callable[[BaseException], Any] | None = None,
    group: str = "db",
    exclusive: bool = False,
    cancellable: bool | None = None,
) -> Worker[None]:
    """Run ``fn`` in a thread worker; ``done(result)`` runs on the UI thread when it returns.

    The result (or the error) comes back as a typed message, :class:`WorkDone`, handled in one
    place, :func:`deliver`. On failure ``failed(error)`` runs if given; otherwise the app shows
    the error as a notification; either handler raising is shown too. The UI thread never waits.

    ``cancellable`` (default: for the ``save`` group, an editor's save): once the worker is
    cancelled, its units of work refuse to write (domain/cancel.py), so a save the user stopped
    waiting for raises SaveCancelled, handled by ``failed``, instead of landing later.
    """
    app = tandem_app(node)
    honour_cancel = group == "save" if cancellable is None else cancellable

    def job() -> None:
        try:
            _job()
        finally:
            _forget_worker()

    def _job() -> None:
        from domain.cancel import asking

        worker = get_current_worker()
        try:
            if honour_cancel:
                with asking(lambda: worker.is_cancelled):
                    result = fn()
            else:
                result = fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none is lost
            from domain.errors import SignedOut

            # A deactivated user is signed out by the app, whatever screen asked.
            handler = app.signed_out if isinstance(exc, SignedOut) else failed or app.show_error
            _to_ui(app, node, handler, exc)
            return
        if done is not None:
            _to_ui(app, node, done, result)

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)


def _to_ui(app: TandemApp, node: DOMNode, handler: Callable[[T], Any], value: T) -> None:
    """Post ``handler(value)`` to the app as a :class:`WorkDone` and wait until it has run.

    The worker ends only after its result is on screen, so a finished worker means a handled
    result (the key gate, tui/keys.py, holds type-ahead until then). If the app closes first,
    nobody is left to tell: the wait ends with the app."""
    message = WorkDone(node, handler, value)
    if not app.post_message(message):  # the app is closing
        return
    while not message.handled.wait(HANDOFF_POLL_SECONDS):
        if not app.is_running:
            return


def _forget_worker() -> None:
    """Let the pool thread drop the worker it just ran.

    Textual sets ``active_worker`` in the executor thread's own context (``run_in_executor`` does
    not copy one), so an idle pool thread kept its last worker, and through the worker's task
    and job the screen that started it, until it ran another: a closed family screen, or the
    sign-in screen, stayed in memory with all its widgets. The next job sets it again first."""
    active_worker.set(None)  # type: ignore[arg-type]  # Textual types it as always set
