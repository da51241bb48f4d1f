"""What database work hands back to the UI thread: one typed message, one handler, one error path.

``tui/workers.py`` (``run_db``) posts a :class:`WorkDone` to the app from the worker thread;
``TandemApp.on_work_done`` passes it to :func:`deliver`."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual.dom import DOMNode
from textual.message import Message

T = TypeVar("T")


class WorkDone(Message, Generic[T]):
    """The outcome of database work, posted by its worker to the app: ``handler(value)`` is run
    on the UI thread by the app's one handler (``TandemApp.on_work_done`` → :func:`deliver`).

    ``handler`` is the screen's ``done`` (with the result) or its ``failed`` (with the error);
    mypy checks ``done`` against the worker function's return type where ``run_db`` is called.
    ``handled`` is set once it has run, whatever happened."""

    def __init__(self, node: DOMNode, handler: Callable[[T], Any], value: T) -> None:
        super().__init__()
        self.node = node
        self.handler = handler
        self.value = value
        self.handled = threading.Event()


async def deliver(message: WorkDone[Any], show_error: Callable[[BaseException], Any]) -> None:
    """Run a worker's ``done`` or ``failed`` handler on the UI thread; the one error path.

    Without this, an exception raised by a handler went back to the worker thread, the worker
    ended in the ERROR state (``exit_on_error=False``) and nobody saw anything. Now it is shown
    like any other failure (``show_error``, the app's). A handler of a screen that has since
    closed (a query after unmount, say) has no one to tell: it is only logged."""
    try:
        result = message.handler(message.value)
        if inspect.isawaitable(result):  # an async handler (e.g. one that mounts widgets)
            await result
    except Exception as exc:  # noqa: BLE001 - shown to the user, never lost in a worker
        message.node.log.error("a worker's result handler failed", exc)
        if message.node.is_attached and message.handler != show_error:
            show_error(exc)
    finally:
        message.handled.set()
