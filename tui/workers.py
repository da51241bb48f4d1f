"""Database work off the UI thread: every service call from a screen goes through ``run_db``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

T = TypeVar("T")


def run_db(
    node: DOMNode,
    fn: Callable[[], T],
    done: Callable[[T], Any] | None = None,
    *,
    failed: Callable[[BaseException], Any] | None = None,
    group: str = "db",
    exclusive: bool = False,
) -> Worker[None]:
    """Run ``fn`` in a thread worker; call ``done(result)`` on the UI thread when it returns.

    On failure ``failed(error)`` is called on the UI thread if given (it may re-raise nothing);
    otherwise the app shows the error as a notification. The UI thread never waits.
    """
    app = node.app

    def job() -> None:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none is lost
            handler = failed or app.show_error  # type: ignore[attr-defined]
            app.call_from_thread(handler, exc)
            return
        if done is not None:
            app.call_from_thread(done, result)

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)
