"""One error path (issue 14, item 1): a failure inside a worker's result handler is shown to the
user like any other failure, never lost in a worker that ends silently in the ERROR state."""

from __future__ import annotations

import asyncio
import time

from textual.worker import WorkerState

from tests.tui.conftest import sign_in
from tui.workers import run_db


def toasts(app) -> str:  # type: ignore[no-untyped-def]
    """The text of the notifications on screen (Textual draws them as Toast widgets)."""
    return "\n".join(str(t.render()) for t in app.screen.query("Toast"))


async def test_a_result_handler_that_raises_is_shown_on_screen(tandem_app) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await sign_in(pilot, "amara.osei")
        seen: list[int] = []

        def done(value: int) -> None:
            seen.append(value)
            raise RuntimeError("the caseload could not be drawn")

        def failed(error: BaseException) -> None:
            raise KeyError("the failure handler itself broke")

        async def async_done(value: int) -> None:  # async handlers are awaited, and guarded too
            seen.append(value)
            raise ValueError("the async handler broke")

        first = run_db(app.screen, lambda: 42, done)
        third = run_db(app.screen, lambda: 7, async_done)
        second = run_db(app.screen, lambda: 1 / 0, failed=failed)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(seen) == [7, 42]
        assert {w.state for w in (first, second, third)} == {WorkerState.SUCCESS}
        # The toasts are mounted on the next refreshes; the deadline is a backstop for a busy
        # machine, never a window to fit in.
        deadline = time.monotonic() + 60
        while "async handler broke" not in toasts(app) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        text = toasts(app)
        assert "Something went wrong" in text
        assert "the caseload could not be drawn" in text
        assert "the failure handler itself broke" in text
        assert "the async handler broke" in text


async def test_a_result_comes_back_as_one_typed_message_handled_before_its_worker_ends(
    tandem_app,
) -> None:  # type: ignore[no-untyped-def]
    """Database work hands its result to the app as a WorkDone message (tui/work_done.py), and
    its worker is finished only once the handler has run: a finished worker is a shown result."""
    from tui.work_done import WorkDone

    app = tandem_app()
    arrived: list[WorkDone[object]] = []

    def hook(message) -> None:  # type: ignore[no-untyped-def]
        if isinstance(message, WorkDone):
            arrived.append(message)

    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await sign_in(pilot, "amara.osei")
        await app.workers.wait_for_complete()
        await pilot.pause()
        arrived.clear()
        handled: list[tuple[int, bool]] = []
        screen = app.screen
        worker = run_db(
            screen, lambda: 42, lambda value: handled.append((value, worker.is_finished))
        )
        await worker.wait()
        assert handled == [(42, False)]
        [message] = arrived
        assert (message.node, message.value, message.handled.is_set()) == (screen, 42, True)


async def test_a_result_that_arrives_after_the_app_closed_ends_its_worker(
    tandem_app, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A worker whose result has no app left to take it (the user quit while it ran) ends: it
    never waits for a handler that will not run (a pool thread left waiting would hold the
    process open at exit)."""
    import threading

    import tui.workers

    started, release, ended = threading.Event(), threading.Event(), threading.Event()
    forget = tui.workers._forget_worker

    def forget_and_say() -> None:
        forget()
        ended.set()

    monkeypatch.setattr(tui.workers, "_forget_worker", forget_and_say)
    handled: list[int] = []
    app = tandem_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "amara.osei")
        await app.workers.wait_for_complete()
        ended.clear()

        def slow() -> int:
            started.set()
            release.wait(60)
            return 42

        run_db(app.screen, slow, handled.append)
        # The user quits while the work runs: a worker the app cancels before its thread has
        # started never runs at all (nothing to wait for), so wait until it has started.
        await asyncio.to_thread(started.wait, 30)
    assert started.is_set()
    assert not app.is_running
    release.set()
    assert ended.wait(30)
    assert handled == []
