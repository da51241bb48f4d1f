"""Database work off the UI thread: every service call from a screen goes through ``run_db``."""

from __future__ import annotations

import contextvars
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, active_worker, get_current_worker

from tui.app import TandemApp

T = TypeVar("T")

# NEVER_T: mypy solves call_from_thread's `T | Awaitable[T]` to Never for an async callback
# returning None, and then refuses it; Textual runs it and awaits it (``_on_ui`` is async).


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
    """Run ``fn`` in a thread worker; call ``done(result)`` on the UI thread when it returns.

    On failure ``failed(error)`` is called on the UI thread if given (it may re-raise nothing);
    otherwise the app shows the error as a notification. The UI thread never waits.

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


def _to_ui(app: Any, node: DOMNode, callback: Callable[[Any], Any], value: Any) -> None:
    """Hand ``callback(value)`` to the UI thread, in a fresh context.

    ``call_from_thread`` schedules its task in the calling thread's context, which holds the
    worker (``active_worker``); every task started under the callback (the widgets of a screen it
    pushes, their timers) copied it, so the sign-in screen, through its worker, stayed in memory
    for the whole session. ``call_from_thread`` sets the app's own context for the callback."""
    contextvars.Context().run(app.call_from_thread, _on_ui, node, callback, value)


def _forget_worker() -> None:
    """Let the pool thread drop the worker it just ran.

    Textual sets ``active_worker`` in the executor thread's own context (``run_in_executor`` does
    not copy one), so an idle pool thread kept its last worker, and through the worker's task
    and job the screen that started it, until it ran another: a closed family screen, or the
    sign-in screen, stayed in memory with all its widgets. The next job sets it again first."""
    active_worker.set(None)  # type: ignore[arg-type]  # Textual types it as always set


async def _on_ui(node: DOMNode, callback: Callable[[Any], Any], value: Any) -> None:
    """Run a worker's ``done`` or ``failed`` callback on the UI thread; the one error path.

    Without this, an exception raised by the callback went back to the worker thread, the
    worker ended in the ERROR state (``exit_on_error=False``) and nobody saw anything. Now it
    is shown like any other failure (``App.show_error``). A callback of a screen that has since
    closed (a query after unmount, say) has no one to tell: it is only logged."""
    try:
        result = callback(value)
        if inspect.isawaitable(result):  # an async handler (e.g. one that mounts widgets)
            await result
    except Exception as exc:  # noqa: BLE001 - shown to the user, never lost in a worker
        app = tandem_app(node)
        app.log.error("a worker's result handler failed", exc)
        if node.is_attached and callback is not app.show_error:
            app.show_error(exc)
