"""Fixtures for Pilot tests: the app on a real SQLite file seeded from sample_data/.

The demo database is seeded once per test run and copied for each test (``demo_template`` and
``demo_db`` in tests/conftest.py).

    async def test_x(tandem_app):
        app = tandem_app()                       # a TandemApp on a fresh copy; demo=True
        async with app.run_test(size=(120, 40)) as pilot:
            await sign_in(pilot, "amara.osei")   # as that demo user, via the picker
            ...
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from domain.clock import FixedClock
from tests.conftest import TEST_NOW


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_NOW)


@pytest.fixture
def runtime(demo_db: Path, clock: FixedClock):  # type: ignore[no-untyped-def]
    from tui.bootstrap import open_runtime

    rt = open_runtime(str(demo_db), clock=clock)
    rt.demo = True
    yield rt
    rt.engine.dispose()


#: ``TANDEM_TEST_RENDER_EVERY_FRAME=1`` draws every frame in every Pilot test, as in a terminal
#: (say before a Textual upgrade).
RENDER_EVERY_FRAME = os.environ.get("TANDEM_TEST_RENDER_EVERY_FRAME") == "1"


@pytest.fixture(autouse=True)
def frames_drawn_when_looked_at(request: pytest.FixtureRequest, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Headless, Textual draws every frame and then throws it away (``App._display`` returns at
    once when headless), so here a frame's update is dropped instead of drawn (tests/tui alone:
    about 40% less CPU; README, Tests). Every assertion on what a user sees still goes through
    Textual's drawing: ``screen_text`` renders every widget's lines; ``shown``, snapshots and
    ``export_screenshot`` draw the whole screen (``render_update(full=True)``). Tests marked
    ``every_frame`` (test_two_sizes: every screen of every role at two sizes) draw every frame as
    in a terminal. No Tandem widget draws itself (none has a ``render`` method): what is skipped
    is Textual's own drawing of frames nobody reads. ``_dirty_regions`` is Textual's private
    list of what the next frame must draw: if it is renamed, every Pilot test fails here, by
    name."""
    if RENDER_EVERY_FRAME or request.node.get_closest_marker("every_frame"):
        return
    from textual._compositor import Compositor

    draw = Compositor.render_update

    def render_update(self, full=False, screen_stack=None, simplify=False):  # type: ignore[no-untyped-def]
        if full:
            return draw(self, full, screen_stack, simplify)
        self._dirty_regions.clear()  # what the dropped frame would have drawn
        return None

    monkeypatch.setattr(Compositor, "render_update", render_update)


@pytest.fixture
def tandem_app(runtime) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    from tui.app import TandemApp

    def make(**kwargs: object) -> TandemApp:
        return TandemApp(runtime, demo=kwargs.pop("demo", True))  # type: ignore[arg-type]

    return make


async def settle(pilot, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Let every database worker finish and the screen repaint."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def shown(app) -> str:  # type: ignore[no-untyped-def]
    """The terminal's text, each row stripped on the right."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


async def until_still(pilot, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Wait until two frames in a row are the same. A DataTable measures its columns from new
    rows when it is next idle, so a busy machine can paint a frame between (each cell cut at
    its heading's width) after every worker is done. The monotonic deadline is a backstop for
    a loaded machine, never a window to fit in."""
    deadline = time.monotonic() + timeout
    before = shown(pilot.app)
    while True:
        await settle(pilot)
        now = shown(pilot.app)
        if now == before:
            return
        assert time.monotonic() < deadline, "the screen never stopped changing"
        before = now


async def sign_in(pilot, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the demo picker, as a person would: move to the user and press enter."""
    from textual.widgets import OptionList

    app = pilot.app
    # Each round waits for the database workers (listing users, checking the passphrase), so a
    # slow, busy machine needs no more rounds than a fast one.
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.screen.query("#demo-users"):
            break
    picker = app.screen.query_one("#demo-users", OptionList)
    index = next(i for i, o in enumerate(picker.options) if o.id == username)
    picker.focus()
    picker.highlighted = index
    await pilot.press("enter")
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if (
            app.user is not None
            and app.user.username == username
            and not app.screen.query("#demo-users")
            and app.screen.is_mounted
        ):
            await app.workers.wait_for_complete()
            await pilot.pause()
            return
    raise AssertionError(f"could not sign in as {username}")


async def shown_within(
    pilot, condition: Callable[[], bool], what: str, timeout: float = 60
) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``condition()`` holds, letting the app work between looks (its workers,
    timers and messages); fail naming ``what`` after ``timeout`` seconds. The deadline is only a
    backstop for a loaded machine: the wait ends as soon as the condition holds, never after a
    fixed pause."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await pilot.pause(0.02)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """The text of the active screen's widgets as rendered (what a person would read), plus
    every row of every DataTable (including rows scrolled out of view)."""
    from textual.geometry import Region
    from textual.widgets import DataTable

    parts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.append(" | ".join(str(c) for c in widget.get_row_at(row)))
            continue
        if widget.children or not widget.display or not widget.region.area:
            continue
        strips = widget.render_lines(Region(0, 0, widget.region.width, widget.region.height))
        parts.extend("".join(seg.text for seg in strip).rstrip() for strip in strips)
    return "\n".join(p for p in parts if p.strip())
